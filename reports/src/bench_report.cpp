// Text, Markdown and JSON of `pgadvisor bench`.
#include "reports/bench_report.hpp"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output_text.hpp"
#include "pg/size_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {
namespace {

using nlohmann::ordered_json;
using pg::size_text;
using shadow::Verdict;

std::string speedup_text(const shadow::ClassResult& c) {
  return fmt::format("{:.2f}x [{:.2f}, {:.2f}]", c.speedup.speedup, c.speedup.ci_low, c.speedup.ci_high);
}

std::string verdict_text(const shadow::ClassResult& c) {
  if (c.result_changed) return "ERROR: result changed";
  if (!c.error.empty()) return "ERROR";
  return std::string(shadow::to_string(c.verdict));
}

const shadow::ClassResult* find_class(const shadow::BenchResult& r, const std::string& fingerprint) {
  for (const auto& c : r.classes) {
    if (c.fingerprint == fingerprint) return &c;
  }
  return nullptr;
}

// "$1 = '2026-10-01', $2 = NULL": the values an execution ran with, for people.
std::string parameters_text(const std::vector<pgadvisor::pg::Param>& params) {
  std::string out;
  for (size_t i = 0; i < params.size(); ++i) {
    std::string value = "NULL";
    if (params[i]) {
      value = "'";
      for (char c : *params[i]) value += c == '\'' ? std::string("''") : std::string(1, c);
      value += "'";
    }
    out += fmt::format("{}${} = {}", i ? ", " : "", i + 1, value);
  }
  return out;
}

// "proven", "REJECTED: different rows", "ERROR".
std::string view_status(const shadow::ViewResult& v) {
  if (!v.error.empty()) return "ERROR";
  if (!v.check.passed) return "REJECTED: different rows";
  return "proven";
}

std::string view_build_text(const shadow::ViewResult& v) {
  if (v.build_ms <= 0) return "not built";
  return fmt::format("built in {:.0f} ms (+ {:.0f} ms for {} index{}), {}, {} rows", v.build_ms, v.index_build_ms,
                     v.indexes.size(), v.indexes.size() == 1 ? "" : "es", size_text(v.size_bytes), v.rows);
}

std::string refresh_text(const shadow::ViewResult& v) {
  return v.refresh_ms > 0 ? fmt::format("{:.0f} ms", v.refresh_ms) : std::string("not run");
}

// The execution that rejected a view and its first differing row, indented lines of text.
std::string rejection_text(const shadow::ViewCheck& c, const std::string& indent) {
  std::string out =
      fmt::format("{}class {}, execution {}: {}\n", indent, printable(c.fingerprint), c.execution, printable(c.detail));
  out += fmt::format("{}  original:  {}\n", indent, one_line(c.original, 160));
  out += fmt::format("{}  rewritten: {}\n", indent, one_line(c.rewritten, 160));
  if (!c.params.empty()) out += fmt::format("{}  parameters: {}\n", indent, printable(parameters_text(c.params)));
  if (c.original_row || c.rewritten_row) {
    out += fmt::format("{}  original row{}:  {}\n", indent, c.row > 0 ? fmt::format(" {}", c.row) : "",
                       printable(c.original_row.value_or("(none)")));
    out += fmt::format("{}  rewritten row: {}\n", indent, printable(c.rewritten_row.value_or("(none)")));
  }
  return out;
}

std::string views_text(const shadow::BenchResult& r) {
  if (r.views.empty()) return {};
  std::string out = fmt::format("\nMaterialized views proven on the shadow ({})\n", r.views.size());
  for (const auto& v : r.views) {
    out += fmt::format("  {}: {}\n", printable(v.name), view_status(v));
    out += fmt::format("      {}; REFRESH MATERIALIZED VIEW CONCURRENTLY: {}\n", view_build_text(v), refresh_text(v));
    for (const auto& i : v.indexes) {
      out += fmt::format("      index {}: {:.0f} ms, {}\n", printable(i.name), i.build_ms, size_text(i.size_bytes));
    }
    if (v.check.passed) {
      out += fmt::format("      result check: the same rows for all {} executions checked\n", v.check.executions);
    } else if (!v.check.detail.empty()) {
      out += "      result check failed at\n" + rejection_text(v.check, "        ");
    }
    if (!v.error.empty()) out += fmt::format("      error: {}\n", printable(v.error));
    for (const auto& c : v.classes) {
      out += fmt::format("      {}  {:.3f} -> {:.3f} ms  {}  {}\n", printable(c.fingerprint), c.before.median_ms,
                         c.after.median_ms, speedup_text(c), verdict_text(c));
      out += fmt::format("        {}\n", one_line(c.text, 100));
    }
    if (v.kept) out += "      kept on the shadow (--keep)\n";
  }
  return out;
}

std::string views_markdown(const shadow::BenchResult& r) {
  if (r.views.empty()) return {};
  std::string out = "\n### Materialized views\n\n";
  out += markdown_header({"view", "result check", "build (ms)", "indexes (ms)", "size", "rows", "refresh (ms)",
                          "speedup [95 % CI] per class"},
                         {});
  for (const auto& v : r.views) {
    std::string speedups;
    for (const auto& c : v.classes) {
      speedups += fmt::format("{}{} {} {}", speedups.empty() ? "" : "; ",
                              markdown_code(c.fingerprint, MarkdownPlace::TableCell), speedup_text(c), verdict_text(c));
    }
    std::string check =
        v.check.passed ? fmt::format("passed ({} executions)", v.check.executions) : "**" + view_status(v) + "**";
    const bool built = v.build_ms > 0;
    out += markdown_row(
        {markdown_code(v.name, MarkdownPlace::TableCell), check,
         built ? fmt::format("{:.0f}", v.build_ms) : "not built", built ? fmt::format("{:.0f}", v.index_build_ms) : "–",
         built ? size_text(v.size_bytes) : "–", built ? std::to_string(v.rows) : "–",
         v.refresh_ms > 0 ? fmt::format("{:.0f}", v.refresh_ms) : "–", speedups.empty() ? "–" : speedups});
  }
  for (const auto& v : r.views) {
    if (v.proven()) continue;
    out += fmt::format("\n- {} **{}**", markdown_code(v.name, MarkdownPlace::Text), view_status(v));
    if (!v.error.empty()) out += ": " + markdown_escape(v.error);
    out += "\n";
    const auto& c = v.check;
    if (c.detail.empty() || !v.error.empty()) continue;
    out += fmt::format("  - class {}, execution {}: {}\n", markdown_code(c.fingerprint, MarkdownPlace::Text),
                       c.execution, markdown_escape(c.detail));
    out += fmt::format("  - original: {}\n", markdown_code(one_line(c.original), MarkdownPlace::Text));
    out += fmt::format("  - rewritten: {}\n", markdown_code(one_line(c.rewritten), MarkdownPlace::Text));
    if (!c.params.empty()) {
      out += fmt::format("  - parameters: {}\n", markdown_code(parameters_text(c.params), MarkdownPlace::Text));
    }
    if (c.original_row || c.rewritten_row) {
      out += fmt::format("  - first differing row{}: original {}, rewritten {}\n",
                         c.row > 0 ? fmt::format(" ({} of the original)", c.row) : "",
                         markdown_code(c.original_row.value_or("(none)"), MarkdownPlace::Text),
                         markdown_code(c.rewritten_row.value_or("(none)"), MarkdownPlace::Text));
    }
  }
  return out;
}

std::string trace_line(const shadow::BenchResult& r) {
  if (r.kept) return "changes kept on the shadow (--keep)";
  return r.schema_unchanged()
             ? fmt::format("shadow schema unchanged after the run (catalog md5 {})", printable(r.catalog_after))
             : fmt::format("WARNING: shadow schema changed (catalog md5 {} -> {})", printable(r.catalog_before),
                           printable(r.catalog_after));
}

}  // namespace

std::string verdict_counts(const shadow::BenchResult& r) {
  std::map<Verdict, int> n;
  for (const auto& c : r.classes) ++n[c.verdict];
  return fmt::format("faster={} slower={} unchanged={} error={}", n[Verdict::Faster], n[Verdict::Slower],
                     n[Verdict::Unchanged], n[Verdict::Error]);
}

std::string render_bench_text(const shadow::BenchResult& r) {
  std::string out = fmt::format(
      "Shadow benchmark on {} ({} mode): {} query classes, {} runs each before and after; "
      "{:.1f} s\n",
      printable(r.shadow), printable(r.mode), r.classes.size(), r.classes.empty() ? 0 : r.classes.front().runs,
      r.seconds);
  out += fmt::format("verdicts: {}\n", verdict_counts(r));
  if (!r.indexes.empty()) {
    out += "\nIndexes built on the shadow\n";
    for (const auto& i : r.indexes) {
      out += fmt::format("  {}  on {}: built in {:.0f} ms, {}\n", printable(i.name), printable(i.table), i.build_ms,
                         size_text(i.size_bytes));
      for (const auto& f : i.helps) {
        if (const auto* c = find_class(r, f)) {
          out += fmt::format("      {}  {}  {}\n", printable(f), speedup_text(*c), verdict_text(*c));
        }
      }
    }
  }
  const TextTable table({TextColumn::left(16), TextColumn::left(7, " "), TextColumn::right(10, " "),
                         TextColumn::right(10, " "), TextColumn::right(10, " "), TextColumn::right(10, " "),
                         TextColumn::left(30), TextColumn::left(0, " ")});
  out +=
      "\n" + table.line({"fingerprint", "kind", "before ms", "p95", "after ms", "p95", "speedup [95% CI]", "verdict"});
  for (const auto& c : r.classes) {
    out += table.line({c.fingerprint, c.kind, fmt::format("{:.3f}", c.before.median_ms),
                       fmt::format("{:.3f}", c.before.p95_ms), fmt::format("{:.3f}", c.after.median_ms),
                       fmt::format("{:.3f}", c.after.p95_ms), speedup_text(c), verdict_text(c)});
    out += fmt::format("  {:16} {}\n", "", one_line(c.text, 100));
  }
  bool flagged = false;
  for (const auto& c : r.classes) {
    if (c.verdict != Verdict::Slower && c.verdict != Verdict::Error) continue;
    if (!flagged) out += "\nFlagged\n";
    flagged = true;
    out += fmt::format("  {} {} ({})\n", printable(c.fingerprint), verdict_text(c), one_line(c.text, 80));
    if (c.result_changed) out += fmt::format("      result: {}\n", printable(c.result_detail));
    if (!c.error.empty()) out += fmt::format("      error: {}\n", printable(c.error));
    out += fmt::format("      execution median {:.3f} -> {:.3f} ms, p95 {:.3f} -> {:.3f} ms, speedup {}\n",
                       c.before.median_ms, c.after.median_ms, c.before.p95_ms, c.after.p95_ms, speedup_text(c));
    out +=
        fmt::format("      buffers per run {:.0f} -> {:.0f} hit, {:.0f} -> {:.0f} read\n", c.before.shared_hit_median,
                    c.after.shared_hit_median, c.before.shared_read_median, c.after.shared_read_median);
    out += fmt::format("      plan before: {}\n      plan after:  {}\n", printable(c.before.plan),
                       printable(c.after.plan));
  }
  out += views_text(r);
  if (!r.skipped.empty()) {
    out += fmt::format("\nNot measured ({})\n", r.skipped.size());
    for (const auto& s : r.skipped) out += "  " + printable(s) + "\n";
  }
  out += '\n';  // piece by piece: `"\n" + …` trips GCC 12's -Wrestrict false positive in Release builds
  out += trace_line(r);
  out += '\n';
  return text_document(out);
}

std::string render_bench_markdown(const shadow::BenchResult& r) {
  std::string out = fmt::format(
      "## pgadvisor shadow benchmark\n\n{} query classes on {}, {} runs each before and "
      "after ({} mode). Verdicts: {}.\n\n",
      r.classes.size(), markdown_code(r.shadow, MarkdownPlace::Text), r.classes.empty() ? 0 : r.classes.front().runs,
      markdown_escape(r.mode), verdict_counts(r));
  out += markdown_header(
      {"class", "kind", "before median / p95 (ms)", "after median / p95 (ms)", "speedup [95 % CI]", "verdict"}, {});
  for (const auto& c : r.classes) {
    out += markdown_row({fmt::format("{} {}", markdown_code(c.fingerprint, MarkdownPlace::TableCell),
                                     markdown_escape(one_line(c.text, 60))),
                         markdown_escape(c.kind), fmt::format("{:.3f} / {:.3f}", c.before.median_ms, c.before.p95_ms),
                         fmt::format("{:.3f} / {:.3f}", c.after.median_ms, c.after.p95_ms), speedup_text(c),
                         "**" + verdict_text(c) + "**"});
  }
  if (!r.indexes.empty()) {
    out += "\n" + markdown_header({"index", "table", "build (ms)", "size"}, {});
    for (const auto& i : r.indexes) {
      out += markdown_row({markdown_code(i.name, MarkdownPlace::TableCell), markdown_escape(i.table),
                           fmt::format("{:.0f}", i.build_ms), size_text(i.size_bytes)});
    }
  }
  bool flagged = false;
  for (const auto& c : r.classes) {
    if (c.verdict != Verdict::Slower && c.verdict != Verdict::Error) continue;
    if (!flagged) out += "\n### Flagged\n\n";
    flagged = true;
    out += fmt::format("- {} **{}**: median {:.3f} → {:.3f} ms; plan {} → {}{}{}\n",
                       markdown_code(c.fingerprint, MarkdownPlace::Text), verdict_text(c), c.before.median_ms,
                       c.after.median_ms, markdown_code(c.before.plan, MarkdownPlace::Text),
                       markdown_code(c.after.plan, MarkdownPlace::Text),
                       c.result_changed ? "; " + markdown_escape(c.result_detail) : "",
                       c.error.empty() ? "" : "; " + markdown_escape(c.error));
  }
  out += views_markdown(r);
  out += '\n';  // piece by piece: `"\n" + …` trips GCC 12's -Wrestrict false positive in Release builds
  out += trace_line(r);
  out += '\n';
  return text_document(out);
}

namespace {

ordered_json class_json(const shadow::ClassResult& c) {
  return {{"fingerprint", c.fingerprint},
          {"text", c.text},
          {"kind", c.kind},
          {"why", c.why},
          {"runs", c.runs},
          {"before_ms", {{"median", c.before.median_ms}, {"p95", c.before.p95_ms}}},
          {"after_ms", {{"median", c.after.median_ms}, {"p95", c.after.p95_ms}}},
          {"planning_ms", {{"before", c.before.planning_median_ms}, {"after", c.after.planning_median_ms}}},
          {"client_ms",
           {{"before", {{"median", c.before.client_median_ms}, {"p95", c.before.client_p95_ms}}},
            {"after", {{"median", c.after.client_median_ms}, {"p95", c.after.client_p95_ms}}}}},
          {"buffers",
           {{"before", {{"hit", c.before.shared_hit_median}, {"read", c.before.shared_read_median}}},
            {"after", {{"hit", c.after.shared_hit_median}, {"read", c.after.shared_read_median}}}}},
          {"speedup", c.speedup.speedup},
          {"ci95", {c.speedup.ci_low, c.speedup.ci_high}},
          {"verdict", std::string(shadow::to_string(c.verdict))},
          {"result_changed", c.result_changed},
          {"result_detail", c.result_detail.empty() ? ordered_json(nullptr) : ordered_json(c.result_detail)},
          {"error", c.error.empty() ? ordered_json(nullptr) : ordered_json(c.error)},
          {"plan_before", c.before.plan},
          {"plan_after", c.after.plan}};
}

ordered_json index_json(const shadow::IndexBuild& i) {
  return {{"definition", i.definition}, {"name", i.name},  {"table", i.table}, {"build_ms", i.build_ms},
          {"size_bytes", i.size_bytes}, {"helps", i.helps}};
}

ordered_json optional_json(const std::optional<std::string>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json view_json(const shadow::ViewResult& v) {
  ordered_json indexes = ordered_json::array();
  for (const auto& i : v.indexes) indexes.push_back(index_json(i));
  ordered_json classes = ordered_json::array();
  for (const auto& c : v.classes) classes.push_back(class_json(c));
  const auto& c = v.check;
  ordered_json rejected = nullptr;
  if (!c.passed && !c.detail.empty()) {
    ordered_json params = ordered_json::array();
    for (const auto& p : c.params) params.push_back(optional_json(p));
    rejected = {{"fingerprint", c.fingerprint},
                {"execution", c.execution},
                {"original", c.original},
                {"rewritten", c.rewritten},
                {"parameters", params},
                {"detail", c.detail},
                {"row", c.row == 0 ? ordered_json(nullptr) : ordered_json(c.row)},
                {"original_row", optional_json(c.original_row)},
                {"rewritten_row", optional_json(c.rewritten_row)}};
  }
  return {{"name", v.name},
          {"select", v.select},
          {"status", !v.error.empty() ? "error" : (c.passed ? "proven" : "rejected")},
          {"build_ms", v.build_ms},
          {"indexes", indexes},
          {"index_build_ms", v.index_build_ms},
          {"size_bytes", v.size_bytes},
          {"rows", v.rows},
          {"refresh_ms", v.refresh_ms > 0 ? ordered_json(v.refresh_ms) : ordered_json(nullptr)},
          {"result_check", {{"passed", c.passed}, {"executions", c.executions}, {"rejected", rejected}}},
          {"classes", classes},
          {"error", v.error.empty() ? ordered_json(nullptr) : ordered_json(v.error)},
          {"kept", v.kept}};
}

}  // namespace

std::string render_bench_json(const shadow::BenchResult& r) {
  ordered_json classes = ordered_json::array();
  for (const auto& c : r.classes) classes.push_back(class_json(c));
  ordered_json indexes = ordered_json::array();
  for (const auto& i : r.indexes) indexes.push_back(index_json(i));
  ordered_json views = ordered_json::array();
  std::map<std::string, int> view_counts;
  for (const auto& v : r.views) {
    views.push_back(view_json(v));
    ++view_counts[views.back()["status"].get<std::string>()];
  }
  std::map<Verdict, int> n;
  for (const auto& c : r.classes) ++n[c.verdict];
  ordered_json doc = {
      {"schema_version", 1},
      {"shadow", r.shadow},
      {"mode", r.mode},
      {"classes", classes},
      {"indexes", indexes},
      {"views", views},
      {"skipped", r.skipped},
      {"summary",
       {{"faster", n[Verdict::Faster]},
        {"slower", n[Verdict::Slower]},
        {"unchanged", n[Verdict::Unchanged]},
        {"error", n[Verdict::Error]},
        {"views",
         {{"proven", view_counts["proven"]}, {"rejected", view_counts["rejected"]}, {"error", view_counts["error"]}}}}},
      {"schema_unchanged", r.schema_unchanged()},
      {"catalog_md5", {{"before", r.catalog_before}, {"after", r.catalog_after}}},
      {"kept", r.kept},
      {"seconds", r.seconds}};
  return json_document(doc);
}

}  // namespace pgadvisor::reports
