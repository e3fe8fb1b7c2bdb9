// Text and JSON renderings of a DoctorReport.
#include "reports/doctor_report.hpp"

#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {
namespace {

std::string_view colour_of(collector::CheckStatus s) {
  switch (s) {
    case collector::CheckStatus::Ok:
      return "\033[32m";
    case collector::CheckStatus::Warning:
      return "\033[33m";
    case collector::CheckStatus::Problem:
      return "\033[31m";
  }
  return "";
}

}  // namespace

std::string render_doctor_text(const collector::DoctorReport& report, bool color) {
  using collector::CheckStatus;
  // The status column is the renderer's own word, padded before it is coloured (the escape codes take no room on a
  // terminal) and kept out of the table and of text_document(): its colour codes are the only control sequences
  // the report may hold. Every other cell is a value from the server, made printable by the table.
  std::vector<TableRow> rows;
  for (const auto& c : report.checks) rows.push_back({c.name, c.finding});
  TextTable table({TextColumn::fitted(" "), TextColumn::left(0)});
  table.fit(rows);
  std::string out = text_document(fmt::format("pgadvisor doctor: {}\n\n", printable(report.server)));
  for (const auto& c : report.checks) {
    std::string status = fmt::format("  {:<8}", collector::to_string(c.status));
    if (color) status = fmt::format("  {}{:<8}\033[0m", colour_of(c.status), collector::to_string(c.status));
    out += status + text_document(table.line({c.name, c.finding}));
    if (!c.fix.empty()) out += fmt::format("  {:8}", "") + text_document(table.line({"", "fix: " + c.fix}));
  }
  out += fmt::format("\n{} ok, {} warning(s), {} problem(s)\n", report.count(CheckStatus::Ok),
                     report.count(CheckStatus::Warning), report.count(CheckStatus::Problem));
  return out;
}

std::string render_doctor_json(const collector::DoctorReport& report) {
  using collector::CheckStatus;
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& c : report.checks) {
    checks.push_back({{"name", c.name},
                      {"status", collector::to_string(c.status)},
                      {"finding", c.finding},
                      {"fix", c.fix.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.fix)}});
  }
  nlohmann::ordered_json doc = {{"schema_version", 1},
                                {"server", report.server},
                                {"checks", checks},
                                {"summary",
                                 {{"ok", report.count(CheckStatus::Ok)},
                                  {"warning", report.count(CheckStatus::Warning)},
                                  {"problem", report.count(CheckStatus::Problem)}}}};
  return json_document(doc);
}

}  // namespace pgadvisor::reports
