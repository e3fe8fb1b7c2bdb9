// `pgadvisor health`: the figures DBAs ask for first — cache hit ratios, index usage, unused, duplicate,
// redundant and invalid indexes, sequential-scan hot spots, connections — from a server or the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/index_findings.hpp"
#include "collector/snapshot.hpp"
#include "collector/store.hpp"
#include "pg/connection.hpp"

namespace pgadvisor::collector {

//! One table's figures over the window.
struct TableHealth {
  std::string schema;
  std::string name;
  int64_t size_bytes = 0;
  int64_t live_tuples = 0;
  int64_t seq_scans = 0;
  int64_t index_scans = 0;
  int64_t seq_tuples_read = 0;  //!< rows read by sequential scans: the cost of the missing indexes
  int64_t heap_blocks_hit = 0;
  int64_t heap_blocks_read = 0;
  std::optional<double> cache_hit_ratio;    //!< hit / (hit + read); absent without any block access
  std::optional<double> index_usage_ratio;  //!< index scans / (index + sequential scans); absent without scans
};

using analyzer::IndexProblem;

//! A finding on an existing index, with the statement that fixes it.
struct IndexFinding : analyzer::IndexFinding {
  std::string fix;  //!< the statement to run; empty when it needs a decision (two constraint indexes)
};

struct HealthReport {
  std::string server;  //!< pg::DatabaseIdentity::key()
  std::string from;    //!< the window's first snapshot; empty: since the statistics were last reset
  std::string to;      //!< the window's last snapshot
  int64_t blocks_hit = 0;
  int64_t blocks_read = 0;
  std::optional<double> cache_hit_ratio;  //!< this database's, over the window
  int64_t connections = 0;                //!< in use at the window's end
  int max_connections = 0;
  std::vector<TableHealth> tables;    //!< the tables read by sequential scans most, at most HealthOptions::top_tables
  std::vector<IndexFinding> indexes;  //!< by problem (invalid first), then size, largest first
};

struct HealthOptions {
  size_t top_tables = 10;  //!< 0: every table
};

//! Health over the window from `earlier` (nullptr: since the statistics were reset) to `later`.
HealthReport compute_health(const ServerSnapshot& later, const ServerSnapshot* earlier,
                            const HealthOptions& options = {});

//! Health of a live server: cumulative counters since its statistics were last reset.
HealthReport health_from_server(pg::Connection& conn, const HealthOptions& options = {});

//! Health from the store, between the first snapshot at or after `since` (ISO 8601 UTC; empty: the first) and
//! the latest, of `server_key` (empty: the server of the latest snapshot). With one snapshot, since the reset.
//! Throws StoreError when the store holds no snapshot.
HealthReport health_from_store(Store& store, const std::string& server_key = "", const std::string& since = "",
                               const HealthOptions& options = {});

}  // namespace pgadvisor::collector
