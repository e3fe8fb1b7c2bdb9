// `pgadvisor snapshot`: pg_stat_statements (every column the installed version has) and the catalog, read in
// one REPEATABLE READ READ ONLY transaction (their history in the store: snapshot_store.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collector/catalog_snapshot.hpp"
#include "pg/connection.hpp"

namespace pgadvisor::collector {

//! The counters of one pg_stat_statements entry that deltas are computed on (times in milliseconds).
struct StatementCounters {
  int64_t calls = 0;
  double total_exec_time_ms = 0.0;  //!< total_exec_time (total_time before PostgreSQL 13)
  double total_plan_time_ms = 0.0;  //!< total_plan_time; 0 before PostgreSQL 13 or with track_planning off
  int64_t rows = 0;
  int64_t shared_blks_hit = 0;
  int64_t shared_blks_read = 0;
  int64_t shared_blks_dirtied = 0;
  int64_t shared_blks_written = 0;
  int64_t local_blks_hit = 0;
  int64_t local_blks_read = 0;
  int64_t local_blks_dirtied = 0;
  int64_t local_blks_written = 0;
  int64_t temp_blks_read = 0;
  int64_t temp_blks_written = 0;

  StatementCounters& operator+=(const StatementCounters& other);
  StatementCounters operator-(const StatementCounters& other) const;
  bool operator==(const StatementCounters&) const = default;
};

//! pg_stat_statements' key: one entry per (queryid, user, database, top level or nested).
struct StatementKey {
  int64_t queryid = 0;
  int64_t userid = 0;
  int64_t dbid = 0;
  bool toplevel = true;  //!< PostgreSQL 14+; always true before
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the literal 0 of the defaulted <=>'s own comparisons
  auto operator<=>(const StatementKey&) const = default;
};

struct StatementEntry {
  StatementKey key;
  std::string user_name;  //!< the role's name ("" when the role was dropped)
  std::string database_name;
  std::string query;                       //!< the normalized text, with $n parameters
  std::optional<std::string> fingerprint;  //!< libpg_query's, as 16 hex digits; absent when the text does not parse
  std::string kind;                        //!< analyzer::to_string(StatementKind)
  StatementCounters counters;
  std::vector<std::pair<std::string, std::string>> other_columns;  //!< every other column, name and text value
};

struct StatementsSnapshot {
  bool available = false;                  //!< pg_stat_statements could be read in this database
  std::string version;                     //!< the extension's version
  std::vector<std::string> columns;        //!< the probed columns of pg_stat_statements, in order
  std::optional<std::string> stats_reset;  //!< pg_stat_statements_info.stats_reset (14+), ISO 8601 UTC
  std::optional<int64_t> dealloc;          //!< entries evicted at pg_stat_statements.max since stats_reset (14+)
  std::vector<StatementEntry> entries;
  int64_t hidden_entries = 0;  //!< entries of other roles whose text and queryid this role may not read
};

//! Database-wide figures read with the snapshot (sql/health/database).
struct DatabaseActivity {
  int64_t blocks_hit = 0;
  int64_t blocks_read = 0;
  int64_t connections = 0;  //!< client backends, all databases
  int max_connections = 0;
};

struct ServerSnapshot {
  int64_t id = 0;           //!< its id in the store, 0 until saved
  CatalogSnapshot catalog;  //!< also holds the server's identity and the time taken
  StatementsSnapshot statements;
  DatabaseActivity database;
  double duration_ms = 0.0;           //!< how long reading took
  int round_trips = 0;                //!< queries sent, the transaction's BEGIN and COMMIT included
  std::vector<std::string> warnings;  //!< e.g. texts hidden for lack of pg_read_all_stats, doctor's advice
};

struct SnapshotOptions {
  bool statements = true;  //!< read pg_stat_statements too
  CatalogOptions catalog;
};

//! Reads pg_stat_statements (and pg_stat_statements_info) within the caller's transaction: every entry of every
//! database, texts redacted and fingerprinted. When the view cannot be read, `available` is false and `warnings` say
//! why with doctor's fix; `round_trips` counts the queries sent. Throws pg::Error on other failures.
StatementsSnapshot read_statements(pg::Connection& conn, int& round_trips, std::vector<std::string>& warnings);

//! Reads one snapshot in a REPEATABLE READ READ ONLY transaction. Missing pg_stat_statements is not an error:
//! the snapshot says so in `warnings`, with doctor's finding and fix. Throws pg::Error on other failures.
ServerSnapshot take_snapshot(pg::Connection& conn, const SnapshotOptions& options = {});

}  // namespace pgadvisor::collector
