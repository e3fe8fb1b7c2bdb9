// Text, JSON and Markdown renderings of the top query classes.
#include "reports/top_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/unparsed_class.hpp"
#include "output_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {

namespace {

//! "shop 95 % (300 calls), crm 5 % (15 calls)": the first few values by share of time (of calls when no
//! durations were logged), then how many more.
std::string breakdown_line(const std::vector<collector::IngestStore::BreakdownRow>& rows) {
  double total_ms = 0;
  double calls = 0;
  for (const auto& r : rows) {
    total_ms += r.total_ms;
    calls += static_cast<double>(r.calls);
  }
  std::string out;
  constexpr size_t kShown = 5;
  for (size_t k = 0; k < rows.size() && k < kShown; ++k) {
    const auto& r = rows[k];
    const double share = total_ms > 0 ? r.total_ms / total_ms : calls > 0 ? static_cast<double>(r.calls) / calls : 0;
    out += fmt::format("{}{} {:.0f} % ({} calls)", k == 0 ? "" : ", ",
                       r.value.empty() ? "(none)" : one_line(r.value, 40), 100.0 * share, r.calls);
  }
  if (rows.size() > kShown) out += fmt::format(", and {} more", rows.size() - kShown);
  return out.empty() ? "(none)" : out;
}

nlohmann::ordered_json breakdown_json(const std::vector<collector::IngestStore::BreakdownRow>& rows) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : rows) out.push_back({{"name", r.value}, {"calls", r.calls}, {"total_ms", r.total_ms}});
  return out;
}

//! "5012.345 ms in all classes, 5012.345 ms logged".
std::string totals_text(const TopReport& r) {
  std::string out = fmt::format("{:.3f} ms in all classes", r.classes_total_ms);
  if (r.logged_total_ms) out += fmt::format(", {:.3f} ms logged", *r.logged_total_ms);
  return out;
}

//! "12.345": milliseconds as the tables show them.
std::string milliseconds(double ms) { return fmt::format("{:.3f}", ms); }

//! The statement as shown, marked when it is an unparsed class's.
std::string shown_statement(const collector::LoggedClass& c, size_t width) {
  return is_unparsed(c) ? "(unparsed) " + one_line(c.normalized, width) : one_line(c.normalized, width);
}

}  // namespace

bool is_unparsed(const collector::LoggedClass& c) { return c.kind == analyzer::kUnparsedKind; }

std::string render_top_text(const TopReport& r) {
  std::string out = fmt::format("top {} of {} query classes from {}, by {}; {}\n\n", r.classes.size(), r.total_classes,
                                printable(r.source), printable(r.by), totals_text(r));
  const TextTable table({TextColumn::left(16, ""), TextColumn::right(9), TextColumn::right(12), TextColumn::right(9),
                         TextColumn::right(9), TextColumn::right(9), TextColumn::right(6), TextColumn::left(0)});
  out += table.line({"fingerprint", "calls", "total ms", "mean ms", "p95 ms", "max ms", "errors", "statement"});
  for (const auto& c : r.classes) {
    out += table.line({c.fingerprint, fmt::format("{}", c.calls), milliseconds(c.total_ms), milliseconds(c.mean_ms),
                       milliseconds(c.p95_ms), milliseconds(c.max_ms), fmt::format("{}", c.errors),
                       shown_statement(c, 60)});
    const auto k = static_cast<size_t>(&c - r.classes.data());
    if (k >= r.details.size()) continue;
    const ClassDetails& d = r.details[k];
    out += fmt::format("    databases     {}\n", breakdown_line(d.breakdown.databases));
    out += fmt::format("    users         {}\n", breakdown_line(d.breakdown.users));
    out += fmt::format("    applications  {}\n", breakdown_line(d.breakdown.applications));
    if (!d.samples.statements.empty())
      out += fmt::format("    sample        {}\n", one_line(d.samples.statements[0], 200));
    if (!d.samples.parameters.empty())
      out += fmt::format("    parameters    {}\n", one_line(d.samples.parameters[0], 200));
    out += "\n";
  }
  return text_document(out);
}

std::string render_top_json(const TopReport& r) {
  nlohmann::ordered_json classes = nlohmann::ordered_json::array();
  for (const auto& c : r.classes) {
    classes.push_back({{"fingerprint", c.fingerprint},
                       {"normalized", c.normalized},
                       {"kind", c.kind},
                       {"parsed", !is_unparsed(c)},
                       {"calls", c.calls},
                       {"timed_calls", c.timed_calls},
                       {"total_ms", c.total_ms},
                       {"mean_ms", c.mean_ms},
                       {"min_ms", c.min_ms},
                       {"max_ms", c.max_ms},
                       {"stddev_ms", c.stddev_ms},
                       {"p50_ms", c.p50_ms},
                       {"p95_ms", c.p95_ms},
                       {"p99_ms", c.p99_ms},
                       {"prepare_count", c.prepare_count},
                       {"prepare_ms", c.prepare_ms},
                       {"errors", c.errors},
                       {"first_seen", c.first_seen},
                       {"last_seen", c.last_seen}});
    const size_t k = classes.size() - 1;
    if (k < r.details.size()) {
      const ClassDetails& d = r.details[k];
      classes.back()["databases"] = breakdown_json(d.breakdown.databases);
      classes.back()["users"] = breakdown_json(d.breakdown.users);
      classes.back()["applications"] = breakdown_json(d.breakdown.applications);
      classes.back()["samples"] = d.samples.statements;
      classes.back()["parameter_sets"] = d.samples.parameters;
    }
  }
  nlohmann::ordered_json doc = {{"schema_version", 1},
                                {"source", r.source},
                                {"by", r.by},
                                {"total_classes", r.total_classes},
                                {"total_ms", r.classes_total_ms},
                                {"logged_total_ms", r.logged_total_ms ? nlohmann::ordered_json(*r.logged_total_ms)
                                                                      : nlohmann::ordered_json(nullptr)},
                                {"classes", classes}};
  return json_document(doc);
}

std::string render_top_markdown(const TopReport& r) {
  std::string out = fmt::format("### Top {} query classes from {}, by {}\n\n{}.\n\n", r.classes.size(),
                                markdown_escape(r.source), markdown_escape(r.by), totals_text(r));
  constexpr Align L = Align::Left;
  constexpr Align R = Align::Right;
  out += markdown_header({"#", "statement", "calls", "total ms", "mean ms", "p95 ms", "errors"}, {R, L, R, R, R, R, R});
  int rank = 0;
  for (const auto& c : r.classes) {
    out += markdown_row({std::to_string(++rank),
                         fmt::format("{}{}", is_unparsed(c) ? "(unparsed) " : "",
                                     markdown_code(one_line(c.normalized, 100), MarkdownPlace::TableCell)),
                         fmt::format("{}", c.calls), milliseconds(c.total_ms), milliseconds(c.mean_ms),
                         milliseconds(c.p95_ms), fmt::format("{}", c.errors)});
  }
  return text_document(out);
}

}  // namespace pgadvisor::reports
