// The catalog snapshot: tables, columns with planner statistics, indexes, views and planner settings of one
// database, read in one round trip per kind of object (never one per table) and filled into analyzer::Catalog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/catalog.hpp"
#include "pg/connection.hpp"
#include "pg/database_identity.hpp"

namespace pgadvisor::collector {

//! The planner's cost settings and the capacity limits health reports against.
struct PlannerSettings {
  double random_page_cost = 4.0;
  double seq_page_cost = 1.0;
  int64_t effective_cache_size_bytes = 0;
  int64_t work_mem_bytes = 0;
  int64_t shared_buffers_bytes = 0;
  int default_statistics_target = 100;
  int max_connections = 0;
};

//! What the collector knows about a table beyond analyzer::TableInfo (whose `kind` says what it is).
struct TableDetails {
  int64_t total_bytes = 0;                  //!< heap, TOAST heap and indexes (main forks)
  int64_t seq_tuples_read = 0;              //!< pg_stat_all_tables.seq_tup_read
  int64_t heap_blocks_hit = 0;              //!< pg_statio_all_tables.heap_blks_hit
  int64_t heap_blocks_read = 0;             //!< pg_statio_all_tables.heap_blks_read
  std::optional<std::string> last_analyze;  //!< latest of last_analyze and last_autoanalyze, ISO 8601 UTC
};

struct ViewInfo {
  std::string schema;
  std::string name;
  bool materialized = false;
  bool populated = true;  //!< a materialized view created WITH NO DATA is not
  int64_t size_bytes = 0;
  std::string definition;  //!< pg_get_viewdef()
};

//! How much of pg_stats to keep: enough for selectivity estimates without megabytes of text.
struct CatalogOptions {
  int max_values = 101;  //!< values kept per column: all of them at the default statistics target (100, 101 bounds)
  int max_value_length = 200;  //!< characters kept of each value (a long text only needs its prefix)
};

struct CatalogSnapshot {
  pg::DatabaseIdentity server;  //!< who the snapshot was taken of; same server when their key() is equal
  std::string taken_at;         //!< the server's clock at the start of the snapshot's transaction, ISO 8601 UTC
  analyzer::Catalog catalog;
  std::vector<TableDetails> table_details;  //!< one per catalog.tables() entry, same order
  std::vector<ViewInfo> views;
  PlannerSettings settings;
  int round_trips = 0;  //!< queries sent to the server for this snapshot

  //! The details of catalog.tables()[i] for `table`, which must be one of catalog.tables().
  const TableDetails& details_of(const analyzer::TableInfo& table) const;
};

//! The snapshot's REPEATABLE READ READ ONLY transaction: every query in it sees one state of the server. Rolled
//! back when left without end(), so that a failed snapshot leaves the connection usable.
class SnapshotTransaction {
 public:
  explicit SnapshotTransaction(pg::Connection& conn);  //!< BEGIN (sql/catalog/begin)
  SnapshotTransaction(const SnapshotTransaction&) = delete;
  SnapshotTransaction& operator=(const SnapshotTransaction&) = delete;
  SnapshotTransaction(SnapshotTransaction&&) = delete;
  SnapshotTransaction& operator=(SnapshotTransaction&&) = delete;
  ~SnapshotTransaction();
  void end();  //!< COMMIT (nothing was written: it only releases the snapshot)

 private:
  pg::Connection* conn_;
  bool open_ = true;
};

//! Reads the catalog within the caller's transaction (see take_catalog_snapshot for one of its own).
//! `round_trips` counts the queries sent. Throws pg::Error.
CatalogSnapshot read_catalog(pg::Connection& conn, const CatalogOptions& options, int& round_trips);

//! Reads the catalog in a transaction of its own (REPEATABLE READ READ ONLY). Throws pg::Error.
CatalogSnapshot take_catalog_snapshot(pg::Connection& conn, const CatalogOptions& options = {});

//! Elements of a one-dimensional PostgreSQL array literal ('{a,"b c",NULL}'); a NULL element is an empty
//! string. Throws std::invalid_argument on text that is not such a literal.
std::vector<std::string> parse_array_literal(std::string_view text);
//! The array literal PostgreSQL would print for these text elements (quoted where needed).
std::string format_array_literal(const std::vector<std::string>& elements);

}  // namespace pgadvisor::collector
