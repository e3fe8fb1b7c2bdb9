// The workload of `advise --pg-stat-statements`: the view read once, this database's entries grouped and ranked.
#include "collector/live_statements.hpp"

#include <stdexcept>

#include "collector/catalog_snapshot.hpp"
#include "collector/own_statements.hpp"
#include "collector/statement_deltas.hpp"
#include "collector/workload_loader.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::collector {

LiveStatements statements_workload(const StatementsSnapshot& view, int64_t dbid, size_t top) {
  LiveStatements out;
  out.stats_reset = view.stats_reset;
  StatementClassAccumulator accumulator;
  for (const auto& e : view.entries) {
    if (e.key.dbid == dbid && e.counters.calls > 0) accumulator.add(e.key, e.query, e.fingerprint, e.counters);
  }
  // All of them ranked, so that pgadvisor's own (its catalog reads of an earlier run) take no place in the top.
  for (const auto& c : accumulator.ranked(RankBy::TotalTime, 0)) {
    if (is_own_statement(c.query)) {
      ++out.own_classes;
      continue;
    }
    ++out.classes;
    if (top > 0 && out.workload.classes.size() >= top) {
      ++out.left_out;
      continue;
    }
    out.workload.classes.push_back(statement_workload_class(c));
  }
  return out;
}

LiveStatements read_statements_workload(pg::Connection& conn, size_t top) {
  SnapshotTransaction transaction(conn);  // the entries and the reset time of one moment
  int round_trips = 0;
  std::vector<std::string> warnings;
  auto view = read_statements(conn, round_trips, warnings);
  if (!view.available) {
    std::string why = "--pg-stat-statements: the view cannot be read in this database";
    for (const auto& w : warnings) why += "; " + w;
    throw std::runtime_error(why);
  }
  auto dbid = conn.query(sql::text("live/database_oid")).get<int64_t>(0, "oid");
  transaction.end();
  auto out = statements_workload(view, dbid, top);
  out.warnings = std::move(warnings);
  return out;
}

}  // namespace pgadvisor::collector
