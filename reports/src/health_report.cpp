// Text, JSON and Markdown renderings of a HealthReport. Text and Markdown share one row model (cells per
// section), so the two only differ in how a table of cells is laid out.
#include "reports/health_report.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output_text.hpp"
#include "pg/size_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {
namespace {

using Rows = std::vector<TableRow>;

std::string percent(const std::optional<double>& r) { return r ? fmt::format("{:.1f} %", *r * 100.0) : "-"; }

//! The window with its times printable.
std::string window(const collector::HealthReport& r) {
  return r.from.empty() ? fmt::format("since the statistics were reset (to {})", printable(r.to))
                        : fmt::format("from {} to {}", printable(r.from), printable(r.to));
}

Rows table_rows(const collector::HealthReport& r) {
  Rows rows{{"table", "seq scans", "rows read by seq scans", "index scans", "index usage", "cache hits", "size"}};
  for (const auto& t : r.tables) {
    rows.push_back({t.schema + "." + t.name, std::to_string(t.seq_scans), std::to_string(t.seq_tuples_read),
                    std::to_string(t.index_scans), percent(t.index_usage_ratio), percent(t.cache_hit_ratio),
                    pg::size_text(t.size_bytes)});
  }
  return rows;
}

Rows index_rows(const collector::HealthReport& r) {
  Rows rows{{"problem", "index", "table", "size", "scans", "covered by", "fix"}};
  for (const auto& f : r.indexes) {
    rows.push_back({std::string(analyzer::to_string(f.problem)), f.schema + "." + f.index, f.table,
                    pg::size_text(f.size_bytes), std::to_string(f.scans), f.covered_by.empty() ? "-" : f.covered_by,
                    f.fix.empty() ? "(decide which constraint to keep)" : f.fix});
  }
  return rows;
}

// Every column as wide as its widest cell (header included), one space between columns, indented by two.
std::string aligned(const Rows& rows) {
  std::vector<TextColumn> columns(rows.front().size(), TextColumn::fitted(" "));
  columns.front().gap = "  ";
  return TextTable(std::move(columns)).fit(rows).lines(rows);
}

// Each cell escaped as plain Markdown text; the delimiter row written as cells ("| --- |"), as these tables always
// have been.
std::string markdown(const Rows& rows) {
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) {
    TableRow cells;
    for (const auto& cell : rows[i]) cells.push_back(markdown_escape(cell));
    out += markdown_row(cells);
    if (i == 0) out += markdown_row(TableRow(rows.front().size(), "---"));
  }
  return out;
}

std::string database_line(const collector::HealthReport& r) {
  return fmt::format("cache hit ratio {} ({} hits, {} reads); connections {} of {}", percent(r.cache_hit_ratio),
                     r.blocks_hit, r.blocks_read, r.connections, r.max_connections);
}

nlohmann::ordered_json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

}  // namespace

std::string render_health_text(const collector::HealthReport& r) {
  std::string out = fmt::format("pgadvisor health: {}, {}\n\n  {}\n", printable(r.server), window(r), database_line(r));
  out += "\nTables read most by sequential scans\n";
  out += r.tables.empty() ? "  (none)\n" : aligned(table_rows(r));
  out += "\nIndexes\n";
  out += r.indexes.empty() ? "  no invalid, duplicate, redundant or unused index\n" : aligned(index_rows(r));
  return text_document(out);
}

std::string render_health_markdown(const collector::HealthReport& r) {
  std::string out = fmt::format("# pgadvisor health\n\n{}, {}.\n\n{}.\n", markdown_code(r.server, MarkdownPlace::Text),
                                markdown_escape(window(r)), database_line(r));
  out += "\n## Tables read most by sequential scans\n\n";
  out += r.tables.empty() ? "None.\n" : markdown(table_rows(r));
  out += "\n## Indexes\n\n";
  out += r.indexes.empty() ? "No invalid, duplicate, redundant or unused index.\n" : markdown(index_rows(r));
  return text_document(out);
}

std::string render_health_json(const collector::HealthReport& r) {
  using json = nlohmann::ordered_json;
  json tables = json::array();
  for (const auto& t : r.tables) {
    tables.push_back({{"schema", t.schema},
                      {"name", t.name},
                      {"size_bytes", t.size_bytes},
                      {"live_tuples", t.live_tuples},
                      {"seq_scans", t.seq_scans},
                      {"seq_tuples_read", t.seq_tuples_read},
                      {"index_scans", t.index_scans},
                      {"index_usage_ratio", optional_number(t.index_usage_ratio)},
                      {"heap_blocks_hit", t.heap_blocks_hit},
                      {"heap_blocks_read", t.heap_blocks_read},
                      {"cache_hit_ratio", optional_number(t.cache_hit_ratio)}});
  }
  json indexes = json::array();
  for (const auto& f : r.indexes) {
    indexes.push_back({{"problem", analyzer::to_string(f.problem)},
                       {"schema", f.schema},
                       {"table", f.table},
                       {"index", f.index},
                       {"definition", f.definition},
                       {"size_bytes", f.size_bytes},
                       {"scans", f.scans},
                       {"covered_by", f.covered_by.empty() ? json(nullptr) : json(f.covered_by)},
                       {"fix", f.fix.empty() ? json(nullptr) : json(f.fix)}});
  }
  json doc = {{"schema_version", 1},
              {"server", r.server},
              {"window", {{"from", r.from.empty() ? json(nullptr) : json(r.from)}, {"to", r.to}}},
              {"database",
               {{"blocks_hit", r.blocks_hit},
                {"blocks_read", r.blocks_read},
                {"cache_hit_ratio", optional_number(r.cache_hit_ratio)},
                {"connections", r.connections},
                {"max_connections", r.max_connections}}},
              {"tables", tables},
              {"indexes", indexes}};
  return json_document(doc);
}

}  // namespace pgadvisor::reports
