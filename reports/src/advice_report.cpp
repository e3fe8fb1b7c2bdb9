// Text, Markdown and JSON renderings of advisor::Advice: indexes, materialized views (estimates), drops, classes.
#include "reports/advice_report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "advisor/advice_json.hpp"
#include "advisor/ddl_script.hpp"
#include "output_text.hpp"
#include "pg/quote.hpp"
#include "pg/size_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {
namespace {

using pg::size_text;

std::string saved(double before, double after) {
  return before > 0 ? fmt::format("{:.1f} %", 100.0 * (before - after) / before) : "n/a";
}

std::string requests_line(const advisor::Advice& a) {
  return fmt::format("{} cost requests, {} answered by the cache, {} planner calls ({:.0f} ms)", a.requests.requests,
                     a.requests.cache_hits, a.requests.inner_requests(),
                     std::chrono::duration<double, std::milli>(a.requests.inner_time).count());
}

// "design kept: integer program (objective J: greedy 9000, integer program 8320; the program optimal in 0.2 s)".
std::string selection_line(const advisor::Advice& a) {
  const auto& m = a.selection;
  std::string objectives = fmt::format("greedy {:.0f}", m.greedy_objective);
  if (m.ilp_objective) objectives += fmt::format(", integer program {:.0f}", *m.ilp_objective);
  return fmt::format("design kept: {} (objective J: {}; the program {} in {:.1f} s)",
                     m.kept == "ilp" ? "integer program" : "greedy", objectives, printable(m.integer_program_status),
                     m.integer_program_seconds);
}

size_t not_analyzable(const advisor::Advice& a) {
  return static_cast<size_t>(
      std::count_if(a.unplanned.begin(), a.unplanned.end(), [](const auto& u) { return u.not_analyzable; }));
}

//! "; 2 not analyzable", when some classes could not be read at all (unparsed, or too large).
std::string not_analyzable_note(const advisor::Advice& a) {
  const size_t n = not_analyzable(a);
  return n == 0 ? "" : fmt::format("; {} not analyzable", n);
}

std::string drops_text(const advisor::Advice& a) {
  if (a.drops.empty()) return "";
  std::string out =
      fmt::format("\nExisting indexes to drop ({}; the -o script lists them commented out):\n", a.drops.size());
  for (const auto& d : a.drops) {
    out += fmt::format("   {:<9} {}.{}  {:.1f} MB\n   {:9} {}\n", analyzer::to_string(d.finding.problem),
                       printable(d.finding.schema), printable(d.finding.index),
                       static_cast<double>(d.finding.size_bytes) / 1e6, "", printable(d.evidence));
  }
  return out;
}

// Each planned class with the values its plans used and its cost before and after.
std::string plan_sources_text(const advisor::Advice& a) {
  std::string out =
      "\nQuery classes (cost of one execution; plans from: literals, sampled parameters, pg_stats values or a "
      "generic plan):\n";
  for (const auto& c : a.classes_advised) {
    if (!c.planned) continue;
    out += fmt::format("   {}  x{:<6} {:<8} cost {:>10.1f} -> {:<10.1f} {}\n", printable(c.fingerprint), c.calls,
                       advisor::to_string(c.plan_source), c.cost_before, c.cost_after, one_line(c.text, 60));
    if (!c.plan_note.empty()) {
      out += fmt::format("   {:16}  values refused, generic plan: {}\n", "", printable(c.plan_note));
    }
  }
  return out;
}

std::string view_name(const advisor::ViewAdvice& v) { return pg::quote_qualified_printable(v.schema, v.name); }

std::string quoted_columns(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + pg::quote_identifier_printable(c);
  return out;
}

// "UNIQUE name (a, b)", "name (c)": the view's indexes as advice.sql builds them.
std::vector<std::string> view_indexes(const advisor::ViewAdvice& v) {
  std::vector<std::string> out;
  if (!v.unique_key.empty() && !v.unique_index.empty()) {
    out.push_back(
        fmt::format("UNIQUE {} ({})", pg::quote_identifier_printable(v.unique_index), quoted_columns(v.unique_key)));
  }
  if (!v.filter_columns.empty() && !v.filter_index.empty()) {
    out.push_back(
        fmt::format("{} ({})", pg::quote_identifier_printable(v.filter_index), quoted_columns(v.filter_columns)));
  }
  return out;
}

std::string refresh_statement(const advisor::ViewAdvice& v) {
  const bool concurrently = !v.unique_key.empty() && !v.unique_index.empty();
  return fmt::format("REFRESH MATERIALIZED VIEW {}{}", concurrently ? "CONCURRENTLY " : "", view_name(v));
}

std::string refresh_proposal(const advisor::ViewAdvice& v) {
  return fmt::format(
      "every {:.0f} executions of the classes it serves{} (a refresh: estimated cost {:.0f}; their base "
      "tables written {:.0f} time(s) in the workload)",
      v.refresh_every_calls,
      v.refresh_every_seconds > 0 ? ", " + advisor::refresh_interval_text(v.refresh_every_seconds) : "", v.refresh_cost,
      v.base_writes);
}

// ", 5400 per hour" when the workload's window is known.
std::string per_hour(const advisor::ViewAdvice& v) {
  return v.refresh_every_seconds > 0 ? fmt::format(", {:.0f} per hour", v.net_saving_per_hour) : "";
}

// The rewritten query of a class, or of its first sample when only its samples fit the view.
std::pair<std::string, std::string> shown_rewrite(const advisor::ViewClass& c) {
  if (!c.rewritten.empty() || c.rewritten_samples.empty()) return {c.text, c.rewritten};
  return {c.samples.front(), c.rewritten_samples.front()};
}

constexpr std::string_view kViewsNote =
    "estimates on the source: pgadvisor bench proves them on a shadow; each needs an application change, its "
    "classes' queries rewritten to read the view";

std::string views_text(const advisor::Advice& a) {
  if (a.views.empty()) return "";
  std::string out = fmt::format("\nMaterialized views ({}; {}):\n", a.views.size(), kViewsNote);
  int n = 0;
  for (const auto& v : a.views) {
    out += fmt::format("\nV{}. CREATE MATERIALIZED VIEW {} AS {}\n", ++n, view_name(v), printable(v.select));
    std::string indexes;
    for (const auto& i : view_indexes(v)) indexes += (indexes.empty() ? "" : "; ") + i;
    out += fmt::format("    indexes: {}\n", indexes.empty() ? "none" : indexes);
    std::string bases;
    for (const auto& b : v.base_tables) bases += (bases.empty() ? "" : ", ") + printable(b);
    out += fmt::format("    size ~{:.0f} rows, {} (estimate) from {} (largest ~{:.0f} rows)\n", v.estimated_rows,
                       size_text(v.estimated_bytes), bases, v.base_rows);
    out += fmt::format(
        "    gain ~{:.0f} cost units over the workload{}, net of refreshes (estimate; {:.0f} before them)\n",
        v.net_saving, per_hour(v), v.saving);
    out += fmt::format("    refresh {}: {}\n", refresh_proposal(v), refresh_statement(v));
    for (const auto& c : v.classes) {
      const auto [query, rewritten] = shown_rewrite(c);
      out += fmt::format("    {}  x{:<6} cost {:>10.1f} -> {:<10.1f} (estimates)\n", printable(c.fingerprint), c.calls,
                         c.cost_before, c.cost_after);
      out += fmt::format("    {:16}  query:     {}\n", "", printable(query));
      out += fmt::format("    {:16}  rewritten: {}\n", "", printable(rewritten));
    }
  }
  return out;
}

std::string refused_views_text(const advisor::Advice& a) {
  if (a.refused_views.empty()) return "";
  std::string out = fmt::format("\nViews not advised ({}):\n", a.refused_views.size());
  for (const auto& r : a.refused_views) {
    out += fmt::format("   {:16}  {}\n   {:16}  {}\n", r.fingerprint.empty() ? "-" : printable(r.fingerprint),
                       printable(r.reason), "", one_line(r.text, 80));
  }
  return out;
}

std::string views_markdown(const advisor::Advice& a) {
  if (a.views.empty()) return "";
  std::string note(kViewsNote);
  note[0] = 'E';  // the sentence's start
  std::string out = fmt::format("\n### Materialized views\n\n{}.\n\n", markdown_escape(note));
  out += markdown_header({"#", "view", "rows (est.)", "size (est.)", "net gain (est.)", "refresh every"},
                         {Align::Right, Align::Left, Align::Right, Align::Right, Align::Right, Align::Right});
  int n = 0;
  for (const auto& v : a.views) {
    out += markdown_row({std::to_string(++n), markdown_code(view_name(v), MarkdownPlace::TableCell),
                         fmt::format("{:.0f}", v.estimated_rows), size_text(v.estimated_bytes),
                         fmt::format("{:.0f}", v.net_saving), fmt::format("{:.0f} executions", v.refresh_every_calls)});
  }
  n = 0;
  for (const auto& v : a.views) {
    out += fmt::format("\n{}. {}\n", ++n, markdown_code(view_name(v), MarkdownPlace::Text));
    out += "   - definition: " + markdown_code(v.select, MarkdownPlace::Text) + "\n";
    for (const auto& i : view_indexes(v)) out += "   - index: " + markdown_code(i, MarkdownPlace::Text) + "\n";
    out += fmt::format("   - size: about {:.0f} rows, {} (estimates); its largest base table about {:.0f} rows\n",
                       v.estimated_rows, size_text(v.estimated_bytes), v.base_rows);
    out += fmt::format(
        "   - gain: about {:.0f} cost units over the workload{} net of refreshes ({:.0f} before them; "
        "estimates)\n",
        v.net_saving, per_hour(v), v.saving);
    out += fmt::format("   - refresh {}: {}\n", markdown_escape(refresh_proposal(v)),
                       markdown_code(refresh_statement(v), MarkdownPlace::Text));
    for (const auto& c : v.classes) {
      const auto [query, rewritten] = shown_rewrite(c);
      out += fmt::format("   - {} ×{}: cost {:.1f} → {:.1f} (estimates)\n",
                         markdown_code(c.fingerprint, MarkdownPlace::Text), c.calls, c.cost_before, c.cost_after);
      out += "     - query: " + markdown_code(query, MarkdownPlace::Text) + "\n";
      out += "     - rewritten: " + markdown_code(rewritten, MarkdownPlace::Text) + "\n";
    }
  }
  return out;
}

std::string refused_views_markdown(const advisor::Advice& a) {
  if (a.refused_views.empty()) return "";
  std::string out = fmt::format("\n### Views not advised ({})\n\n", a.refused_views.size());
  for (const auto& r : a.refused_views) {
    out +=
        fmt::format("- {}: {} ({})\n", markdown_code(r.fingerprint.empty() ? "-" : r.fingerprint, MarkdownPlace::Text),
                    markdown_escape(r.reason), markdown_code(one_line(r.text, 80), MarkdownPlace::Text));
  }
  return out;
}

// Classes the options left out (--include/--exclude, --min-calls, --min-time, --min-cost): a few with the reason,
// since a filter on pg_stat_statements may leave out thousands; the JSON lists them all.
constexpr size_t kFilteredShown = 10;

std::string filtered_text(const advisor::Advice& a) {
  if (a.filtered.empty()) return "";
  std::string out = fmt::format("\nLeft out by the options ({}):\n", a.filtered.size());
  for (size_t i = 0; i < a.filtered.size() && i < kFilteredShown; ++i) {
    const auto& f = a.filtered[i];
    out += fmt::format("   {:16}  {}\n", f.fingerprint.empty() ? "-" : printable(f.fingerprint), printable(f.reason));
  }
  if (a.filtered.size() > kFilteredShown) {
    out += fmt::format("   ... and {} more (all of them in --format json)\n", a.filtered.size() - kFilteredShown);
  }
  return out;
}

}  // namespace

std::string render_advice_text(const advisor::Advice& a) {
  std::string out =
      fmt::format("Workload: {} query classes, {} candidates; estimated cost {:.0f} -> {:.0f} ({} saved)\n", a.classes,
                  a.candidates, a.cost_before, a.cost_after, saved(a.cost_before, a.cost_after));
  out += requests_line(a) + "\n" + selection_line(a) + "\n";
  int n = 0;
  for (const auto& index : a.indexes) {
    out += fmt::format("\n{}. CREATE INDEX {} {}\n", ++n, pg::quote_identifier_printable(index.index.name()),
                       printable(index.index.definition_body()));
    out += fmt::format("   size ~{:.1f} MB (HypoPG estimate), write overhead {:.0f}\n",
                       static_cast<double>(index.size_bytes) / 1e6, index.write_overhead);
    for (const auto& why : index.rationale) out += fmt::format("   why {}\n", printable(why));
    size_t unplanned = 0;  // served, without plans (advise() plans those it saves most): counted, not listed
    for (const auto& q : index.queries) {
      if (q.plan_after.empty() && q.plan_before.empty()) {
        ++unplanned;
        continue;
      }
      out += fmt::format("   {}  x{:<6} cost {:>10.1f} -> {:<10.1f} {}\n", printable(q.fingerprint), q.weight,
                         q.cost_before, q.cost_after, printable(q.plan_after));
      out += fmt::format("   {:16}          was: {}\n", "", printable(q.plan_before));
      if (!q.values.empty()) out += fmt::format("   {:16}          over {}\n", "", printable(q.values));
    }
    if (unplanned > 0)
      out += fmt::format("   and {} more query class(es) it makes cheaper (--format json lists them)\n", unplanned);
  }
  if (a.indexes.empty()) out += "\nNo index would help this workload enough.\n";
  out += views_text(a) + refused_views_text(a);
  out += drops_text(a);
  if (!a.refused_candidates.empty()) {
    out += fmt::format("\nCandidates HypoPG could not create ({}; never chosen):\n", a.refused_candidates.size());
    for (const auto& r : a.refused_candidates) {
      out += fmt::format("   {}\n   {:3}{}\n", printable(r.definition), "", printable(r.reason));
    }
  }
  out += plan_sources_text(a);
  if (!a.not_indexable.empty()) {
    out += fmt::format("\nTables no index can be built on ({}):\n", a.not_indexable.size());
    for (const auto& n : a.not_indexable) {
      std::string classes;
      for (const auto& f : n.fingerprints) classes += (classes.empty() ? "" : ", ") + printable(f);
      out += fmt::format("   {}  {}\n   {:3}classes: {}\n", printable(n.table), printable(n.reason), "", classes);
    }
  }
  if (!a.unplanned.empty()) {
    out += fmt::format("\nNot advised on ({}{}):\n", a.unplanned.size(), not_analyzable_note(a));
    for (const auto& u : a.unplanned) {
      out += fmt::format("   {:16}  {}\n", u.fingerprint.empty() ? "-" : printable(u.fingerprint), printable(u.reason));
    }
  }
  out += filtered_text(a);
  return text_document(out);
}

std::string render_advice_markdown(const advisor::Advice& a) {
  std::string out = fmt::format(
      "## pgadvisor index advice\n\n{} query classes, {} candidates. Estimated workload cost **{:.0f} → {:.0f}** "
      "({} saved). {}. {}.\n\n",
      a.classes, a.candidates, a.cost_before, a.cost_after, saved(a.cost_before, a.cost_after), requests_line(a),
      markdown_escape(selection_line(a)));
  if (!a.indexes.empty()) {
    out += markdown_header({"#", "index", "size (est.)", "queries helped", "best gain"}, {});
    int n = 0;
    for (const auto& index : a.indexes) {
      std::string best = index.queries.empty() ? "-"
                                               : fmt::format("{:.1f} → {:.1f}", index.queries.front().cost_before,
                                                             index.queries.front().cost_after);
      out += markdown_row({std::to_string(++n), markdown_code(index.index.definition_body(), MarkdownPlace::TableCell),
                           fmt::format("{:.1f} MB", static_cast<double>(index.size_bytes) / 1e6),
                           std::to_string(index.queries.size()), best});
    }
    out += "\n### Why each index\n";
    n = 0;
    for (const auto& index : a.indexes) {
      out += fmt::format("\n{}. {}\n", ++n, markdown_code(index.index.definition_body(), MarkdownPlace::Text));
      for (const auto& why : index.rationale) out += "   - " + markdown_escape(one_line(why)) + "\n";
      for (const auto& q : index.queries) {
        out += fmt::format("   - {} ×{}: cost {:.1f} → {:.1f}{}\n", markdown_code(q.fingerprint, MarkdownPlace::Text),
                           q.weight, q.cost_before, q.cost_after,
                           q.values.empty() ? "" : ", over " + markdown_escape(one_line(q.values)));
      }
    }
  } else {
    out += "No index would help this workload enough.\n";
  }
  out += views_markdown(a) + refused_views_markdown(a);
  if (!a.drops.empty()) {
    out += "\n### Existing indexes to drop\n\n" + markdown_header({"index", "problem", "size", "evidence"}, {});
    for (const auto& d : a.drops) {
      out += markdown_row({markdown_code(d.finding.schema + "." + d.finding.index, MarkdownPlace::TableCell),
                           std::string(analyzer::to_string(d.finding.problem)),
                           fmt::format("{:.1f} MB", static_cast<double>(d.finding.size_bytes) / 1e6),
                           markdown_escape(d.evidence)});
    }
  }
  if (!a.not_indexable.empty()) {
    out += "\n### Tables no index can be built on\n\n" + markdown_header({"table", "why", "classes"}, {});
    for (const auto& n : a.not_indexable) {
      std::string classes;
      for (const auto& f : n.fingerprints) {
        classes += (classes.empty() ? "" : ", ") + markdown_code(f, MarkdownPlace::TableCell);
      }
      out += markdown_row({markdown_code(n.table, MarkdownPlace::TableCell), markdown_escape(n.reason), classes});
    }
  }
  if (!a.unplanned.empty()) {
    out += fmt::format("\n### Not advised on ({}{})\n\n", a.unplanned.size(), not_analyzable_note(a));
    for (const auto& u : a.unplanned) {
      out += fmt::format("- {}: {}\n", markdown_code(u.fingerprint.empty() ? "-" : u.fingerprint, MarkdownPlace::Text),
                         markdown_escape(u.reason));
    }
  }
  if (!a.filtered.empty()) {
    out += fmt::format("\n### Left out by the options ({})\n\n", a.filtered.size());
    for (size_t i = 0; i < a.filtered.size() && i < kFilteredShown; ++i) {
      const auto& f = a.filtered[i];
      out += fmt::format("- {}: {}\n", markdown_code(f.fingerprint.empty() ? "-" : f.fingerprint, MarkdownPlace::Text),
                         markdown_escape(f.reason));
    }
    if (a.filtered.size() > kFilteredShown) {
      out += fmt::format("- … and {} more (all of them in `--format json`)\n", a.filtered.size() - kFilteredShown);
    }
  }
  return text_document(out);
}

// The document is the advisor's contract (advice_json.hpp), which `pgadvisor bench` reads back.
std::string render_advice_json(const advisor::Advice& a) { return advisor::advice_to_json(a); }

}  // namespace pgadvisor::reports
