// Text, Markdown, JSON, JUnit XML and GitHub Actions annotations of `pgadvisor gate` (gate_report.hpp).
#include "reports/gate_report.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {
namespace {

using nlohmann::ordered_json;

std::string ms_text(double ms) {
  if (ms >= 100) return fmt::format("{:.0f}", ms);
  if (ms >= 10) return fmt::format("{:.1f}", ms);
  return fmt::format("{:.2f}", ms);
}

std::string ratio_text(double r) { return r >= 10 ? fmt::format("x{:.0f}", r) : fmt::format("x{:.2f}", r); }

// "0.10 -> 5.30 ms (x53 [x48, x58])".
std::string time_text(const std::optional<GateTime>& t) {
  if (!t) return "-";
  if (!t->base_ms) return ms_text(t->now_ms) + " ms";
  std::string out = fmt::format("{} -> {} ms", ms_text(*t->base_ms), ms_text(t->now_ms));
  if (t->ratio) {
    out += " (" + ratio_text(*t->ratio);
    if (t->ratio_low && t->ratio_high)
      out += fmt::format(" [{}, {}]", ratio_text(*t->ratio_low), ratio_text(*t->ratio_high));
    out += ")";
  }
  return out;
}

std::string buffers_text(const GateQueryReport& q) {
  if (!q.base_buffers && !q.now_buffers) return "-";
  auto one = [](const std::optional<double>& b) { return b ? fmt::format("{:.0f}", *b) : std::string("-"); };
  return one(q.base_buffers) + " -> " + one(q.now_buffers);
}

// The word of the report's outcome, and what failed.
std::string outcome_line(const GateReport& r) {
  size_t failed = 0;
  std::map<std::string, size_t> by_status;
  for (const auto& q : r.queries) {
    if (q.failed) ++failed;
    for (auto s : q.statuses) ++by_status[std::string(gate::to_string(s))];
  }
  std::string counts;
  for (const auto& [status, n] : by_status) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", status, n);
  if (failed > 0) {
    return fmt::format("FAILED: {} of {} quer{} failed ({})", failed, r.queries.size(),
                       r.queries.size() == 1 ? "y" : "ies", counts);
  }
  return fmt::format("PASSED: {} quer{}{}", r.queries.size(), r.queries.size() == 1 ? "y" : "ies",
                     counts.empty() ? std::string(", all ok") : " (" + counts + ", none failing)");
}

// Every evidence line of a query, plan diff first, each printable() on one line (a line break in a name is shown,
// never taken).
std::vector<std::string> evidence_lines(const GateReport& r, const GateQueryReport& q) {
  std::vector<std::string> out;
  if (!q.plan_diff.empty()) {
    out.emplace_back(r.command == "compare" ? "plan diff (- before the migration, + after):"
                                            : "plan diff (- baseline, + now):");
    for (const auto& l : q.plan_diff) out.push_back("  " + printable(l));
  }
  if (q.base_buffers || q.now_buffers) out.push_back("buffers (shared hit + read, median): " + buffers_text(q));
  if (q.time) out.push_back(fmt::format("time ({}): {}", printable(q.time->statistic), time_text(q.time)));
  for (const auto& e : q.evidence) out.push_back(printable(e));
  return out;
}

bool has_news(const GateQueryReport& q) { return !q.statuses.empty(); }

// Every line made printable, the line breaks kept.
std::string printable_lines(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += printable(text.substr(start, end - start));
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

// Markdown running text that may also hold raw HTML: Markdown's escapes, then HTML's.
std::string markdown_html_text(std::string_view text) {
  std::string out;
  for (char c : markdown_escape(text)) {
    if (c == '*' || c == '_' || c == '[' || c == ']' || c == '~')
      out += std::string("\\") + c;
    else if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out.push_back(c);
  }
  return out;
}

// HTML's and XML's five characters as entities (&#39; is both languages'); a line break as &#10; when
// `newline_entity` (an XML attribute), else kept.
std::string markup_escape(std::string_view text, bool newline_entity) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
        out += newline_entity ? "&#10;" : "\n";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string html_escape(std::string_view text) { return markup_escape(printable(text), false); }

// A fenced code block that no line of `body` can close: its fence is longer than any run of backticks in it.
std::string fenced_block(const std::vector<std::string>& lines) {
  size_t longest = 0;
  std::string body;
  for (const auto& l : lines) {
    std::string shown = printable(l);
    size_t run = 0;
    for (char c : shown) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    body += shown + "\n";
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + "text\n" + body + fence + "\n";
}

std::string xml_text(std::string_view text, bool attribute) {
  std::string out = markup_escape(printable_lines(text), attribute);
  // U+FFFE and U+FFFF are not XML characters: shown as U+FFFD.
  for (size_t at = out.find("\xEF\xBF"); at != std::string::npos; at = out.find("\xEF\xBF", at + 1)) {
    if (at + 2 < out.size() && (out[at + 2] == '\xBE' || out[at + 2] == '\xBF')) out[at + 2] = '\xBD';
  }
  return out;
}

std::string summary_sentence(const GateQueryReport& q) {
  std::string out = printable(q.name) + ": " + status_text(q);
  if (q.time && q.time->ratio) out += ", time " + time_text(q.time);
  if (q.base_buffers || q.now_buffers) out += ", buffers " + buffers_text(q);
  return out;
}

}  // namespace

bool GateReport::failed() const {
  return std::any_of(queries.begin(), queries.end(), [](const GateQueryReport& q) { return q.failed; });
}

std::string status_text(const GateQueryReport& q) {
  if (q.statuses.empty()) return "ok";
  std::string out;
  for (auto s : q.statuses) out += (out.empty() ? "" : ", ") + std::string(gate::to_string(s));
  return out;
}

std::string render_gate_text(const GateReport& r) {
  std::string out = fmt::format("pgadvisor gate {}: {} quer{} against {}\n", printable(r.command), r.queries.size(),
                                r.queries.size() == 1 ? "y" : "ies", printable(r.against));
  out += fmt::format("on {}; failing on: {}\n\n", printable(r.server), printable(r.fail_on));
  std::vector<TableRow> rows{{"query", "status", "time (server, median)", "buffers"}};
  for (const auto& q : r.queries) {
    std::string status = status_text(q);
    if (q.failed) status.insert(0, "FAIL: ");
    rows.push_back({one_line(q.name, 48), status, time_text(q.time), buffers_text(q)});
  }
  out += TextTable({TextColumn::fitted(), TextColumn::fitted(), TextColumn::fitted(), TextColumn::fitted()})
             .fit(rows)
             .lines(rows);
  for (const auto& q : r.queries) {
    if (!has_news(q)) continue;
    out += fmt::format("\n{}{}: {}", q.failed ? "FAIL " : "", printable(q.name), status_text(q));
    out += q.origin.empty() ? "\n" : fmt::format(" ({})\n", printable(q.origin));
    for (const auto& l : evidence_lines(r, q)) out += "    " + printable(l) + "\n";
  }
  if (!r.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : r.warnings) out += "  - " + printable(w) + "\n";
  }
  out += "\n" + outcome_line(r) + "\n";
  return text_document(out);
}

std::string render_gate_markdown(const GateReport& r) {
  std::string out =
      fmt::format("## pgadvisor gate {}: {}\n\n", markdown_html_text(r.command), r.failed() ? "failed" : "passed");
  out += markdown_html_text(outcome_line(r)) + "\n\n";
  out += fmt::format("Against {}, on {}; failing on: {}.\n\n", markdown_html_text(r.against),
                     markdown_html_text(r.server), markdown_html_text(r.fail_on));
  out += markdown_header({"query", "status", "time (server)", "buffers"},
                         {Align::Left, Align::Left, Align::Right, Align::Right});
  for (const auto& q : r.queries) {
    std::string status = markdown_html_text(status_text(q));
    if (q.failed) {
      status.insert(0, "**");
      status += "** (fails)";
    }
    out += markdown_row({markdown_html_text(q.name), status, markdown_html_text(time_text(q.time)),
                         markdown_html_text(buffers_text(q))});
  }
  for (const auto& q : r.queries) {
    if (!has_news(q)) continue;
    out += fmt::format("\n<details{}><summary>{}{}</summary>\n\n", q.failed ? " open" : "", q.failed ? "FAIL " : "",
                       html_escape(q.name + ": " + status_text(q)));
    if (!q.origin.empty()) out += "From " + markdown_html_text(q.origin) + ".\n\n";
    out += fenced_block(evidence_lines(r, q));
    out += "\n</details>\n";
  }
  if (!r.warnings.empty()) {
    out += "\n**Warnings**\n\n";
    for (const auto& w : r.warnings) out += "- " + markdown_html_text(w) + "\n";
  }
  return text_document(out);
}

std::string render_gate_json(const GateReport& r) {
  ordered_json doc;
  doc["schema_version"] = 1;
  doc["command"] = r.command;
  doc["server"] = r.server;
  doc["against"] = r.against;
  doc["fail_on"] = r.fail_on;
  doc["passed"] = !r.failed();
  doc["warnings"] = r.warnings;
  ordered_json summary = ordered_json::object();
  for (const auto& q : r.queries) {
    if (q.statuses.empty()) summary["ok"] = summary.value("ok", 0) + 1;
    for (auto s : q.statuses) {
      const std::string key(gate::to_string(s));
      summary[key] = summary.value(key, 0) + 1;
    }
  }
  doc["summary"] = summary;
  ordered_json queries = ordered_json::array();
  for (const auto& q : r.queries) {
    ordered_json j;
    j["name"] = q.name;
    j["origin"] = q.origin;
    ordered_json statuses = ordered_json::array();
    for (auto s : q.statuses) statuses.push_back(std::string(gate::to_string(s)));
    if (statuses.empty()) statuses.push_back("ok");
    j["statuses"] = statuses;
    j["failed"] = q.failed;
    if (q.time) {
      ordered_json t;
      t["statistic"] = q.time->statistic;
      t["base_ms"] = q.time->base_ms ? ordered_json(*q.time->base_ms) : ordered_json(nullptr);
      t["now_ms"] = q.time->now_ms;
      t["ratio"] = q.time->ratio ? ordered_json(*q.time->ratio) : ordered_json(nullptr);
      t["ci95"] = q.time->ratio_low && q.time->ratio_high ? ordered_json({*q.time->ratio_low, *q.time->ratio_high})
                                                          : ordered_json(nullptr);
      j["time"] = t;
    } else {
      j["time"] = nullptr;
    }
    if (q.base_buffers || q.now_buffers) {
      j["buffers"] = {{"base", q.base_buffers ? ordered_json(*q.base_buffers) : ordered_json(nullptr)},
                      {"now", q.now_buffers ? ordered_json(*q.now_buffers) : ordered_json(nullptr)}};
    } else {
      j["buffers"] = nullptr;
    }
    j["plan_diff"] = q.plan_diff;
    j["evidence"] = q.evidence;
    queries.push_back(j);
  }
  doc["queries"] = queries;
  return json_document(doc);
}

std::string xml_escape(std::string_view text) { return xml_text(text, false); }

std::string render_gate_junit(const GateReport& r) {
  size_t failures = 0;
  for (const auto& q : r.queries) failures += q.failed ? 1 : 0;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"pgadvisor gate\" tests=\"{}\" failures=\"{}\">\n", r.queries.size(), failures);
  out +=
      fmt::format("  <testsuite name=\"pgadvisor gate {}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
                  xml_text(r.command, true), r.queries.size(), failures);
  for (const auto& q : r.queries) {
    out += fmt::format(R"(    <testcase name="{}" classname="{}")", xml_text(printable(q.name), true),
                       xml_text("pgadvisor.gate." + r.command, true));
    const auto lines = evidence_lines(r, q);
    std::string body;
    for (const auto& l : lines) body += l + "\n";
    if (q.failed) {
      out += ">\n";
      out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                         xml_text(summary_sentence(q), true), xml_text(status_text(q), true), xml_text(body, false));
      out += "    </testcase>\n";
    } else if (has_news(q)) {
      out += ">\n";
      out += "      <system-out>" + xml_text(summary_sentence(q) + "\n" + body, false) + "</system-out>\n";
      out += "    </testcase>\n";
    } else {
      out += "/>\n";
    }
  }
  // After the testcases, as JUnit's schema orders them.
  if (!r.warnings.empty()) {
    std::string warnings;
    for (const auto& w : r.warnings) warnings += "warning: " + printable(w) + "\n";
    out += "    <system-out>" + xml_text(warnings, false) + "</system-out>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string workflow_data(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    // Between line ends: other control characters made visible, then '%' escaped.
    for (char c : printable(text.substr(start, end - start))) {
      if (c == '%')
        out += "%25";
      else
        out.push_back(c);
    }
    if (end < text.size()) out += text[end] == '\r' ? "%0D" : "%0A";
    start = end + 1;
  }
  return out;
}

std::string workflow_property(std::string_view text) {
  std::string out;
  for (char c : workflow_data(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out.push_back(c);
  }
  return out;
}

std::string render_gate_annotations(const GateReport& r) {
  std::string out;
  for (const auto& q : r.queries) {
    if (!has_news(q)) continue;
    std::string message = summary_sentence(q);
    for (const auto& l : evidence_lines(r, q)) message += "\n" + l;
    out += fmt::format("::{} title={}::{}\n", q.failed ? "error" : "warning",
                       workflow_property("pgadvisor gate: " + printable(q.name)), workflow_data(message));
  }
  for (const auto& w : r.warnings) {
    out += fmt::format("::warning title={}::{}\n", workflow_property("pgadvisor gate"), workflow_data(w));
  }
  return out;
}

}  // namespace pgadvisor::reports
