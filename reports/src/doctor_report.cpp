// Text and JSON renderings of a DoctorReport.
#include "reports/doctor_report.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output_text.hpp"
#include "table.hpp"

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
  size_t name_width = 0;
  for (const auto& c : report.checks) name_width = std::max(name_width, c.name.size());
  // The status is padded before it is coloured: the escape codes take no room on a terminal.
  const TextTable table({TextColumn::left(8), TextColumn::left(name_width, " "), TextColumn::left(0)});
  std::string out = fmt::format("pgadvisor doctor: {}\n\n", report.server);
  for (const auto& c : report.checks) {
    std::string status = fmt::format("{:<8}", collector::to_string(c.status));
    if (color) status = fmt::format("{}{}\033[0m", colour_of(c.status), status);
    out += table.line({status, c.name, c.finding});
    if (!c.fix.empty()) out += table.line({"", "", "fix: " + c.fix});
  }
  out += fmt::format("\n{} ok, {} warning(s), {} problem(s)\n", report.count(CheckStatus::Ok),
                     report.count(CheckStatus::Warning), report.count(CheckStatus::Problem));
  return analyzer::utf8_sanitize(out);
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
