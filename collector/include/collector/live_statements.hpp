// `advise --pg-stat-statements`: the workload straight from the pg_stat_statements view of the database advised,
// without a store: its classes since the view was last reset, the most execution time first. The view is read by
// the snapshot's reader (snapshot.hpp) and its entries grouped as the window ranking groups them
// (StatementClassAccumulator), so the classes are those `top --source statements` shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/workload.hpp"
#include "collector/snapshot.hpp"
#include "pg/connection.hpp"

namespace pgadvisor::collector {

struct LiveStatements {
  analyzer::Workload workload;             //!< at most `top` classes, normalized ($n) texts without samples
  size_t classes = 0;                      //!< classes of this database that ran since the reset, pgadvisor's own aside
  size_t left_out = 0;                     //!< of those, beyond `top`
  size_t own_classes = 0;                  //!< pgadvisor's own statements, left out (own_statements.hpp)
  std::optional<std::string> stats_reset;  //!< when the counters start (pg_stat_statements_info, 14+)
  std::vector<std::string> warnings;       //!< e.g. other roles' entries hidden for lack of pg_read_all_stats
};

//! The classes of the entries of database `dbid` in `view` that ran (calls > 0), grouped by fingerprint, ranked by
//! total time (execution and planning), pgadvisor's own left out, at most `top` (0: all).
LiveStatements statements_workload(const StatementsSnapshot& view, int64_t dbid, size_t top);

//! Reads pg_stat_statements and the connected database's oid in one read-only transaction, then
//! statements_workload(). Throws std::runtime_error with doctor's findings when the view cannot be read, pg::Error
//! on other failures.
LiveStatements read_statements_workload(pg::Connection& conn, size_t top);

}  // namespace pgadvisor::collector
