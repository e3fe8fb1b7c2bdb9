// Text, Markdown and JSON renderings of advisor::Advice.
#include "reports/advice_report.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "advisor/ddl_script.hpp"
#include "output_text.hpp"
#include "pg/quote.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {
namespace {

using nlohmann::ordered_json;

std::string saved(double before, double after) {
  return before > 0 ? fmt::format("{:.1f} %", 100.0 * (before - after) / before) : "n/a";
}

std::string key_text(const advisor::IndexKey& k) {
  std::string out = k.expression.empty() ? k.column : k.expression;
  if (k.descending) out += " DESC";
  return out;
}

std::string requests_line(const advisor::Advice& a) {
  return fmt::format("{} cost requests, {} answered by the cache, {} planner calls ({:.0f} ms)", a.requests.requests,
                     a.requests.cache_hits, a.requests.inner_requests(),
                     std::chrono::duration<double, std::milli>(a.requests.inner_time).count());
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
    out +=
        fmt::format("   {:<9} {}.{}  {:.1f} MB\n   {:9} {}\n", analyzer::to_string(d.finding.problem), d.finding.schema,
                    d.finding.index, static_cast<double>(d.finding.size_bytes) / 1e6, "", d.evidence);
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
    out += fmt::format("   {}  x{:<6} {:<8} cost {:>10.1f} -> {:<10.1f} {}\n", c.fingerprint, c.calls,
                       advisor::to_string(c.plan_source), c.cost_before, c.cost_after, one_line(c.text, 60));
    if (!c.plan_note.empty()) out += fmt::format("   {:16}  values refused, generic plan: {}\n", "", c.plan_note);
  }
  return out;
}

}  // namespace

std::string render_advice_text(const advisor::Advice& a) {
  std::string out =
      fmt::format("Workload: {} query classes, {} candidates; estimated cost {:.0f} -> {:.0f} ({} saved)\n", a.classes,
                  a.candidates, a.cost_before, a.cost_after, saved(a.cost_before, a.cost_after));
  out += requests_line(a) + "\n";
  int n = 0;
  for (const auto& index : a.indexes) {
    out += fmt::format("\n{}. CREATE INDEX {} {}\n", ++n, pg::quote_identifier_printable(index.index.name()),
                       index.index.definition_body());
    out += fmt::format("   size ~{:.1f} MB (HypoPG estimate), write overhead {:.0f}\n",
                       static_cast<double>(index.size_bytes) / 1e6, index.write_overhead);
    for (const auto& q : index.queries) {
      out += fmt::format("   {}  x{:<6} cost {:>10.1f} -> {:<10.1f} {}\n", q.fingerprint, q.weight, q.cost_before,
                         q.cost_after, q.plan_after);
      out += fmt::format("   {:16}          was: {}\n", "", q.plan_before);
    }
  }
  if (a.indexes.empty()) out += "\nNo index would help this workload enough.\n";
  out += drops_text(a);
  if (!a.refused_candidates.empty()) {
    out += fmt::format("\nCandidates HypoPG could not create ({}; never chosen):\n", a.refused_candidates.size());
    for (const auto& r : a.refused_candidates) out += fmt::format("   {}\n   {:3}{}\n", r.definition, "", r.reason);
  }
  out += plan_sources_text(a);
  if (!a.unplanned.empty()) {
    out += fmt::format("\nNot advised on ({}{}):\n", a.unplanned.size(), not_analyzable_note(a));
    for (const auto& u : a.unplanned)
      out += fmt::format("   {:16}  {}\n", u.fingerprint.empty() ? "-" : u.fingerprint, u.reason);
  }
  return analyzer::utf8_sanitize(out);
}

std::string render_advice_markdown(const advisor::Advice& a) {
  std::string out = fmt::format(
      "## pgadvisor index advice\n\n{} query classes, {} candidates. Estimated workload cost **{:.0f} → {:.0f}** "
      "({} saved). {}.\n\n",
      a.classes, a.candidates, a.cost_before, a.cost_after, saved(a.cost_before, a.cost_after), requests_line(a));
  if (!a.indexes.empty()) {
    out += markdown_header({"#", "index", "size (est.)", "queries helped", "best gain"}, {});
    int n = 0;
    for (const auto& index : a.indexes) {
      std::string best = index.queries.empty() ? "-"
                                               : fmt::format("{:.1f} → {:.1f}", index.queries.front().cost_before,
                                                             index.queries.front().cost_after);
      out += markdown_row({std::to_string(++n), "`" + index.index.definition_body() + "`",
                           fmt::format("{:.1f} MB", static_cast<double>(index.size_bytes) / 1e6),
                           std::to_string(index.queries.size()), best});
    }
  } else {
    out += "No index would help this workload enough.\n";
  }
  if (!a.drops.empty()) {
    out += "\n### Existing indexes to drop\n\n" + markdown_header({"index", "problem", "size", "evidence"}, {});
    for (const auto& d : a.drops) {
      out += markdown_row({fmt::format("`{}.{}`", d.finding.schema, d.finding.index),
                           std::string(analyzer::to_string(d.finding.problem)),
                           fmt::format("{:.1f} MB", static_cast<double>(d.finding.size_bytes) / 1e6), d.evidence});
    }
  }
  if (!a.unplanned.empty()) {
    out += fmt::format("\n### Not advised on ({}{})\n\n", a.unplanned.size(), not_analyzable_note(a));
    for (const auto& u : a.unplanned)
      out += fmt::format("- `{}`: {}\n", u.fingerprint.empty() ? "-" : u.fingerprint, u.reason);
  }
  return analyzer::utf8_sanitize(out);
}

std::string render_advice_json(const advisor::Advice& a) {
  ordered_json indexes = ordered_json::array();
  for (const auto& index : a.indexes) {
    const auto& c = index.index;
    ordered_json columns = ordered_json::array();
    for (const auto& k : c.keys) columns.push_back(key_text(k));
    ordered_json queries = ordered_json::array();
    for (const auto& q : index.queries) {
      queries.push_back({{"fingerprint", q.fingerprint},
                         {"calls", q.weight},
                         {"cost_before", q.cost_before},
                         {"cost_after", q.cost_after},
                         {"plan_before", q.plan_before},
                         {"plan_after", q.plan_after}});
    }
    indexes.push_back(
        {{"name", c.name()},
         {"table", c.table.to_string()},
         {"columns", columns},
         {"include", c.include},
         {"where", c.predicate.empty() ? ordered_json(nullptr) : ordered_json(c.predicate)},
         {"method", c.method},
         {"definition", "CREATE INDEX " + pg::quote_identifier_printable(c.name()) + " " + c.definition_body()},
         {"size_bytes", index.size_bytes},
         {"write_overhead", index.write_overhead},
         {"queries", queries}});
  }
  ordered_json unplanned = ordered_json::array();
  for (const auto& u : a.unplanned) {
    unplanned.push_back({{"fingerprint", u.fingerprint.empty() ? ordered_json(nullptr) : ordered_json(u.fingerprint)},
                         {"reason", u.reason},
                         {"not_analyzable", u.not_analyzable}});
  }
  ordered_json classes = ordered_json::array();
  for (const auto& c : a.classes_advised) {
    ordered_json parameter_sets = ordered_json::array();
    for (const auto& set : c.parameter_sets) {
      ordered_json values = ordered_json::array();
      for (const auto& v : set) values.push_back(v ? ordered_json(*v) : ordered_json(nullptr));
      parameter_sets.push_back(values);
    }
    classes.push_back({{"fingerprint", c.fingerprint},
                       {"text", c.text},
                       {"kind", c.kind},
                       {"calls", c.calls},
                       {"reads", c.reads},
                       {"writes", c.writes},
                       {"samples", c.samples},
                       {"parameter_sets", parameter_sets},
                       {"plan_source", advisor::to_string(c.plan_source)},
                       {"plan_note", c.plan_note.empty() ? ordered_json(nullptr) : ordered_json(c.plan_note)},
                       {"planned", c.planned},
                       {"cost_before", c.cost_before},
                       {"cost_after", c.cost_after}});
  }
  ordered_json refused = ordered_json::array();
  for (const auto& r : a.refused_candidates) refused.push_back({{"definition", r.definition}, {"reason", r.reason}});
  ordered_json drops = ordered_json::array();
  for (const auto& d : a.drops) {
    const auto& f = d.finding;
    drops.push_back({{"index", f.schema + "." + f.index},
                     {"table", f.schema + "." + f.table},
                     {"problem", analyzer::to_string(f.problem)},
                     {"definition", f.definition},
                     {"size_bytes", f.size_bytes},
                     {"scans", f.scans},
                     {"covered_by", f.covered_by.empty() ? ordered_json(nullptr) : ordered_json(f.covered_by)},
                     {"evidence", d.evidence},
                     {"statement", advisor::drop_statement(f)}});
  }
  ordered_json doc = {{"schema_version", 1},
                      {"indexes", indexes},
                      {"drops", drops},
                      {"unplanned", unplanned},
                      {"refused_candidates", refused},
                      {"workload",
                       {{"cost_before", a.cost_before},
                        {"cost_after", a.cost_after},
                        {"candidates", a.candidates},
                        {"not_analyzable", not_analyzable(a)},
                        {"classes", classes}}},
                      {"cost_requests", {{"total", a.requests.requests}, {"cache_hits", a.requests.cache_hits}}}};
  return json_document(doc);
}

}  // namespace pgadvisor::reports
