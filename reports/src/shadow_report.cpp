// Text and JSON for `pgadvisor shadow create`.
#include "reports/shadow_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output_text.hpp"
#include "table.hpp"
#include "text_cell.hpp"

namespace pgadvisor::reports {

std::string render_shadow_text(const shadow::ShadowCopyReport& r) {
  int64_t rows = 0;
  for (const auto& t : r.tables) rows += t.rows;
  std::string out =
      fmt::format("shadow {} of {} ({}): {} tables, {} rows, {} sequences in {:.1f} s{}\n", printable(r.target),
                  printable(r.source), printable(shadow::shadow_mark(r.source_identity)), r.tables.size(), rows,
                  r.sequences, r.seconds, r.replaced ? " (replaced the earlier shadow)" : "");
  if (r.tables.empty()) return text_document(out);
  std::vector<TableRow> table_rows{{"table", "rows", "source est.", "copy"}};
  for (const auto& t : r.tables) {
    std::string how = t.sampled ? "sampled" : t.filtered ? "rows of sampled parents" : "whole";
    if (t.orphans_removed > 0) how += fmt::format(", {} orphans removed", t.orphans_removed);
    table_rows.push_back({t.name, std::to_string(t.rows), std::to_string(t.source_rows_estimate), how});
  }
  TextTable table({TextColumn::fitted(), TextColumn::right(12, " "), TextColumn::right(12, " "), TextColumn::left(0)});
  out += "\n" + table.fit(table_rows).lines(table_rows);
  return text_document(out);
}

std::string render_shadow_json(const shadow::ShadowCopyReport& r) {
  nlohmann::ordered_json tables = nlohmann::ordered_json::array();
  for (const auto& t : r.tables) {
    tables.push_back({{"name", t.name},
                      {"rows", t.rows},
                      {"source_rows_estimate", t.source_rows_estimate},
                      {"source_bytes", t.source_bytes},
                      {"sampled", t.sampled},
                      {"filtered", t.filtered},
                      {"orphans_removed", t.orphans_removed}});
  }
  nlohmann::ordered_json doc = {
      {"schema_version", 1},      {"source", r.source},
      {"target", r.target},       {"source_identity", shadow::shadow_mark(r.source_identity)},
      {"replaced", r.replaced},   {"seconds", r.seconds},
      {"sequences", r.sequences}, {"tables", tables}};
  return json_document(doc);
}

}  // namespace pgadvisor::reports
