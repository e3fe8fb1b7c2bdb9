// The live sources of `pgadvisor advise`, read over its own session on the database advised (no store):
// --pg-stat-statements (the view's classes since its last reset) and --pg-stat-activity (the statements running,
// sampled for a while). What was read is said on stderr.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "analyzer/workload.hpp"
#include "pg/connection.hpp"

namespace pgadvisor::cli {

//! pg_stat_activity is read this often with --pg-stat-activity.
inline constexpr std::chrono::milliseconds kActivityInterval{100};

struct LiveSources {
  bool pg_stat_statements = false;
  size_t top = 0;                                     //!< classes of pg_stat_statements kept, the most time first
  std::optional<std::chrono::milliseconds> activity;  //!< how long to sample pg_stat_activity
};

//! Appends the classes of the live sources asked for to `workload` (the advisor merges them by fingerprint).
//! Throws std::runtime_error when pg_stat_statements cannot be read, pg::Error on server errors.
void add_live_sources(pg::Connection& session, const LiveSources& sources, analyzer::Workload& workload);

}  // namespace pgadvisor::cli
