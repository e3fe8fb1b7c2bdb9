// Text, JSON and Markdown renderings of a StatementRanking.
#include "reports/statement_ranking_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {
namespace {

//! The window, its server key and times printable (text); Markdown escapes it as a whole.
std::string window_line(const collector::StatementRanking& r) {
  return fmt::format("{} snapshot(s) of {} from {} to {} ({:.0f} s); {} reset(s), {} evicted entries", r.snapshots,
                     printable(r.server_key), printable(r.from), printable(r.to), r.seconds, r.stats_resets,
                     r.evicted_entries);
}

}  // namespace

std::string render_statement_ranking_text(const collector::StatementRanking& r) {
  std::string out = window_line(r) + "\n";
  for (const auto& w : r.warnings) out += "warning: " + printable(w) + "\n";
  const TextTable table({TextColumn::left(16, ""), TextColumn::right(10), TextColumn::right(12), TextColumn::right(10),
                         TextColumn::right(6), TextColumn::right(10), TextColumn::left(0)});
  out += "\n" + table.line({"fingerprint", "calls", "total ms", "mean ms", "share", "rows", "statement"});
  for (const auto& c : r.classes) {
    out += table.line({c.fingerprint, fmt::format("{}", c.delta.calls), fmt::format("{:.3f}", c.total_time_ms),
                       fmt::format("{:.3f}", c.mean_time_ms), fmt::format("{:>5.1f}%", 100 * c.share_of_time),
                       fmt::format("{}", c.delta.rows), one_line(c.query, 60)});
  }
  return text_document(out);
}

std::string render_statement_ranking_json(const collector::StatementRanking& r) {
  nlohmann::ordered_json classes = nlohmann::ordered_json::array();
  for (const auto& c : r.classes) {
    classes.push_back({{"fingerprint", c.fingerprint},
                       {"normalized", c.query},
                       {"queryids", c.queryids},
                       {"calls", c.delta.calls},
                       {"total_ms", c.total_time_ms},
                       {"mean_ms", c.mean_time_ms},
                       {"share_of_time", c.share_of_time},
                       {"rows", c.delta.rows},
                       {"shared_blks_hit", c.delta.shared_blks_hit},
                       {"shared_blks_read", c.delta.shared_blks_read},
                       {"temp_blks_written", c.delta.temp_blks_written}});
  }
  nlohmann::ordered_json doc = {{"schema_version", 1},
                                {"source", "statements"},
                                {"server", r.server_key},
                                {"from", r.from},
                                {"to", r.to},
                                {"seconds", r.seconds},
                                {"snapshots", r.snapshots},
                                {"stats_resets", r.stats_resets},
                                {"evicted_entries", r.evicted_entries},
                                {"warnings", r.warnings},
                                {"classes", classes}};
  return json_document(doc);
}

std::string render_statement_ranking_markdown(const collector::StatementRanking& r) {
  std::string out = "## pgadvisor top (pg_stat_statements)\n\n" + markdown_escape(window_line(r)) + "\n\n";
  for (const auto& w : r.warnings) out += "> warning: " + markdown_escape(w) + "\n";
  // A blank line ends the quote: a table row right after it would continue the quote's paragraph.
  if (!r.warnings.empty()) out += "\n";
  constexpr Align L = Align::Left;
  constexpr Align R = Align::Right;
  out += markdown_header({"#", "statement", "calls", "total ms", "mean ms", "share"}, {R, L, R, R, R, R});
  int n = 0;
  for (const auto& c : r.classes) {
    out += markdown_row({std::to_string(++n), markdown_code(one_line(c.query, 80), MarkdownPlace::TableCell),
                         fmt::format("{}", c.delta.calls), fmt::format("{:.3f}", c.total_time_ms),
                         fmt::format("{:.3f}", c.mean_time_ms), fmt::format("{:.1f} %", 100 * c.share_of_time)});
  }
  return text_document(out);
}

}  // namespace pgadvisor::reports
