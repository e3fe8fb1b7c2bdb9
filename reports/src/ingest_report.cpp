// Text and JSON renderings of an IngestSummary.
#include "reports/ingest_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output_text.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {

namespace {

nlohmann::ordered_json counters_json(const collector::IngestCounters& c) {
  return {{"lines", c.lines},
          {"entries", c.entries},
          {"calls", c.calls},
          {"timed_calls", c.timed_calls},
          {"total_ms", static_cast<double>(c.total_us) / 1000.0},
          {"prepares", c.prepares},
          {"plans", c.plans},
          {"parameter_sets", c.parameter_sets},
          {"errors", c.errors},
          {"unattributed_errors", c.unattributed_errors},
          {"filtered", c.filtered},
          {"bad_lines", c.bad_lines},
          {"malformed", c.malformed},
          {"unparsable", c.unparsable}};
}

double mib(uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

}  // namespace

std::string render_ingest_text(const collector::IngestSummary& s) {
  std::string out;
  for (const auto& f : s.files) {
    out += fmt::format("{}\n", printable(f.path));
    if (!f.error.empty()) {
      out += fmt::format("  error: {}\n", printable(f.error));
      continue;
    }
    if (!f.format.empty()) {
      out += fmt::format("  format      {}{}\n", printable(f.format),
                         f.prefix.empty() ? "" : fmt::format(" (prefix '{}')", printable(f.prefix)));
    }
    out += fmt::format("  read        bytes {} to {} ({:.1f} MiB)\n", f.start_offset, f.end_offset,
                       mib(f.end_offset - f.start_offset));
    if (!f.note.empty()) out += fmt::format("  note        {}\n", printable(f.note));
    const auto& c = f.counters;
    out += fmt::format("  statements  {} calls ({} timed, {:.3f} ms), {} parse/bind, {} plans, {} parameter sets\n",
                       c.calls, c.timed_calls, static_cast<double>(c.total_us) / 1000.0, c.prepares, c.plans,
                       c.parameter_sets);
    out += fmt::format("  errors      {} ({} without a statement)\n", c.errors, c.unattributed_errors);
    if (c.filtered > 0) out += fmt::format("  filtered    {} entries\n", c.filtered);
    if (c.bad_lines + c.malformed + c.unparsable > 0) {
      out += fmt::format(
          "  bad input   {} bad lines, {} malformed entries, {} unparsable statements (kept in unparsed classes)\n",
          c.bad_lines, c.malformed, c.unparsable);
      for (const auto& p : f.problems) {
        out += fmt::format("    {}:{}: {}: {}\n", printable(f.path), p.line, printable(p.kind), printable(p.text));
      }
    }
  }
  const auto& t = s.totals;
  out += fmt::format("\n{} calls, {:.3f} ms, {} classes, {:.1f} MiB in {:.2f} s ({:.1f} MiB/s)\n", t.calls,
                     static_cast<double>(t.total_us) / 1000.0, s.classes, mib(s.bytes), s.seconds,
                     s.seconds > 0 ? mib(s.bytes) / s.seconds : 0.0);
  return text_document(out);
}

std::string render_ingest_json(const collector::IngestSummary& s) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& f : s.files) {
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const auto& p : f.problems) problems.push_back({{"kind", p.kind}, {"line", p.line}, {"text", p.text}});
    auto opt = [](const std::string& v) {
      return v.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
    };
    files.push_back({{"path", f.path},
                     {"format", opt(f.format)},
                     {"prefix", opt(f.prefix)},
                     {"start_offset", f.start_offset},
                     {"end_offset", f.end_offset},
                     {"note", opt(f.note)},
                     {"error", opt(f.error)},
                     {"duplicate_of", opt(f.duplicate_of)},
                     {"counters", counters_json(f.counters)},
                     {"problems", problems}});
  }
  nlohmann::ordered_json doc = {{"schema_version", 1},  {"files", files},   {"totals", counters_json(s.totals)},
                                {"classes", s.classes}, {"bytes", s.bytes}, {"seconds", s.seconds}};
  return json_document(doc);
}

}  // namespace pgadvisor::reports
