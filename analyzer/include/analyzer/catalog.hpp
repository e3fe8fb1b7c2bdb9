// The Catalog model: tables (plain, partitioned, materialized views, foreign) with their partitions, columns with
// planner statistics, indexes and write activity of one database, in the vocabulary the collector fills and the
// advisor reads; and the resolution of ambiguous facts against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/query_facts.hpp"

namespace pgadvisor::analyzer {

//! A column's planner statistics, as pg_stats shows them after ANALYZE.
struct ColumnStatistics {
  double null_frac = 0.0;    //!< fraction of rows where the column is NULL
  double n_distinct = 0.0;   //!< > 0: number of distinct values; < 0: minus that number divided by the row count
  double correlation = 0.0;  //!< -1…1: how closely physical row order follows the column's order
  int average_width = 0;     //!< average width in bytes of non-null values
  std::vector<std::string> most_common_values;  //!< pg_stats.most_common_vals, each value as text
  std::vector<double> most_common_frequencies;  //!< one frequency per most common value
  std::vector<std::string> histogram_bounds;    //!< pg_stats.histogram_bounds, as text
};

struct ColumnInfo {
  std::string name;
  std::string type;  //!< format_type(): "integer", "timestamp with time zone", "character varying(80)"
  bool not_null = false;
  std::optional<ColumnStatistics> statistics;  //!< absent until the table has been analyzed
};

struct IndexInfo {
  std::string name;
  std::string definition;             //!< pg_get_indexdef(): the CREATE INDEX statement
  std::string method = "btree";       //!< access method: btree, hash, gin, gist, brin, spgist
  std::vector<std::string> keys;      //!< key columns or expressions in order: "email", "lower(email)"
  std::vector<std::string> included;  //!< INCLUDE columns
  std::string predicate;              //!< a partial index's WHERE condition; empty for a full index
  bool unique = false;
  bool primary = false;
  bool valid = true;        //!< false for an index left invalid by a failed CREATE INDEX CONCURRENTLY
  bool ready = true;        //!< pg_index.indisready: false while (or after a failed) CREATE INDEX CONCURRENTLY
  bool constraint = false;  //!< backs a PRIMARY KEY, UNIQUE or EXCLUDE constraint: never to be dropped
  int64_t size_bytes = 0;
  int64_t scans = 0;  //!< pg_stat_user_indexes.idx_scan since the statistics were reset
  //! The partitioned table's index this partition's index is attached to (pg_inherits), in the partitioned table's
  //! schema; empty when it is attached to none. It is dropped only with that index (which drops it).
  std::string attached_to = {};
};

//! Cumulative counters of pg_stat_user_tables (since the last statistics reset).
struct TableActivity {
  int64_t live_tuples = 0;
  int64_t dead_tuples = 0;
  int64_t seq_scans = 0;
  int64_t index_scans = 0;
  int64_t inserts = 0;
  int64_t updates = 0;
  int64_t deletes = 0;
  int64_t hot_updates = 0;  //!< updates that changed no indexed column and found room on the page
};

//! Rows written per second, from two activity snapshots: what every extra index makes more expensive.
struct WriteRates {
  double inserts_per_second = 0.0;
  double updates_per_second = 0.0;
  double deletes_per_second = 0.0;
  double hot_updates_per_second = 0.0;
  bool operator==(const WriteRates&) const = default;
};

//! What a relation of the catalog is (pg_class.relkind).
enum class TableKind : char {
  Table = 'r',             //!< a plain table, or a leaf partition
  Partitioned = 'p',       //!< a partitioned table: its rows are in its partitions
  MaterializedView = 'm',  //!< indexed like a table; REFRESH rewrites it
  Foreign = 'f',           //!< a foreign table: PostgreSQL cannot index it
};

struct TableInfo {
  std::string schema = "public";
  std::string name;
  TableKind kind = TableKind::Table;
  //! The partitioned table this one is a partition of (pg_inherits, for pg_class.relispartition), schema and name.
  std::optional<TableName> partition_of = std::nullopt;
  //! The planner's row estimate (pg_class.reltuples; -1 if never analyzed). For a partitioned table, the sum over
  //! its leaf partitions (its own stays -1 until it is ANALYZEd itself: autovacuum never does).
  double reltuples = 0.0;
  int64_t relpages = 0;    //!< pages of the heap (pg_class.relpages); for a partitioned table, its leaves'
  int64_t size_bytes = 0;  //!< heap size, without indexes or TOAST (0 for a partitioned table: it has no heap)
  TableActivity activity;  //!< for a partitioned table, summed over its leaf partitions (which count it)
  std::optional<WriteRates> write_rates;  //!< known when activity was sampled twice
  std::vector<ColumnInfo> columns;
  std::vector<IndexInfo> indexes;

  //! The column of that name, or nullptr.
  const ColumnInfo* find_column(std::string_view column) const;
  bool partitioned() const { return kind == TableKind::Partitioned; }
  bool foreign() const { return kind == TableKind::Foreign; }
  //! The table as a statement's name for it: schema-qualified, not derived.
  TableName table_name() const { return TableName{schema, name, false}; }
};

//! A view's query, analyzed once when the catalog is filled: a statement that names the view reads its base tables
//! through it (resolve_facts).
struct ViewDefinition {
  std::string schema;
  std::string name;
  std::optional<QueryFacts> facts;  //!< the facts of its SELECT; absent when the definition could not be analyzed
  std::string unanalyzable;         //!< then why
};
//! "table", "partitioned table", "materialized view", "foreign table".
std::string_view to_string(TableKind kind);

//! Write rates between two snapshots of one table's activity taken `seconds` apart (counters that went
//! backwards, after a statistics reset, count from zero).
WriteRates write_rates_between(const TableActivity& earlier, const TableActivity& later, double seconds);

//! The tables and views of one database, found by name the way PostgreSQL resolves a statement's relation names.
class Catalog {
 public:
  explicit Catalog(std::vector<std::string> search_path = {"public"});

  //! Adds a table, replacing any with the same schema and name.
  void add_table(TableInfo table);
  //! Adds a (plain, not materialized) view from its definition as pg_get_viewdef prints it, replacing any with the
  //! same schema and name. The definition is hostile text like any read from a server: it is only ever parsed
  //! (libpg_query), once, here; never sent anywhere.
  void add_view(std::string schema, std::string name, std::string_view definition);
  const std::vector<TableInfo>& tables() const { return tables_; }
  const std::vector<ViewDefinition>& views() const { return views_; }
  const std::vector<std::string>& search_path() const { return search_path_; }

  //! The table a statement's name refers to: exact when schema-qualified, else the first schema of the
  //! search path that holds a table or view of that name; nullptr when unknown, a view, or a derived relation.
  const TableInfo* find_table(const TableName& table) const;
  //! The view a statement's name refers to, by the same rules; nullptr when unknown, a table, or derived.
  const ViewDefinition* find_view(const TableName& view) const;

  //! The partitioned table `table` is a partition of, when the catalog has it; else nullptr.
  const TableInfo* parent(const TableInfo& table) const;
  //! The partitions of a partitioned table (its direct children) by schema and name; empty for any other table.
  std::vector<const TableInfo*> partitions(const TableInfo& table) const;
  //! Every partition under `table`, at any depth, in pre-order (a sub-partitioned partition before its own).
  std::vector<const TableInfo*> all_partitions(const TableInfo& table) const;
  //! Whether a row of one is a row of the other: the same table, or one a partition (at any depth) of the other.
  bool shares_rows(const TableInfo& a, const TableInfo& b) const;

 private:
  //! The first schema, in the order a name is resolved, that holds a table or view of that name: the table's or
  //! view's position (one of them SIZE_MAX).
  struct Found {
    size_t table = SIZE_MAX;
    size_t view = SIZE_MAX;
  };
  Found find(const TableName& name) const;

  std::vector<TableInfo> tables_;
  std::unordered_map<std::string, std::vector<size_t>> by_name_;  //!< table name → positions in tables_
  std::vector<ViewDefinition> views_;
  std::unordered_map<std::string, std::vector<size_t>> views_by_name_;  //!< view name → positions in views_
  //! "schema\0name" of a partitioned table → positions of its partitions in tables_
  std::unordered_map<std::string, std::vector<size_t>> partitions_;
  std::vector<std::string> search_path_;
};

//! Attributes each ambiguous column of facts (filters, joins, select list, GROUP BY, ORDER BY, a derived relation's
//! outputs) to the one candidate relation that has a column of that name: a table by the catalog, a CTE or subquery
//! by its outputs. A name found in several candidates or in none, or a candidate whose columns are unknown (not in
//! the catalog, a function, a set operation), leaves the column ambiguous with the reason in ColumnUse::ambiguity.
//! Returns how many column uses were attributed.
size_t resolve_ambiguous_columns(QueryFacts& facts, const Catalog& catalog);

//! What resolve_facts did.
struct FactsResolution {
  size_t views = 0;       //!< views whose query was added to the facts
  size_t positions = 0;   //!< ORDER BY / GROUP BY n over `*` found
  size_t attributed = 0;  //!< ambiguous columns attributed
  size_t traced = 0;      //!< column uses of derived relations traced to a stored table's column
  size_t merged = 0;      //!< conditions of merged derived relations added to the blocks reading them
};

//! Resolves facts against a catalog, as PostgreSQL's rewriter and planner would see the statement:
//! 1. each view named is expanded: its query's blocks are added to the facts and it becomes a derived relation
//!    (its base tables are read, a view written through is its one base table);
//! 2. ORDER BY n / GROUP BY n behind a `*` find their column (the catalog's column order);
//! 3. ambiguous columns are attributed (resolve_ambiguous_columns);
//! 4. column uses of derived relations (CTE, subquery in FROM, view) are traced down to the stored table's column
//!    they pass on, where PostgreSQL lets the condition reach it: a filter when the relation is inlined and
//!    conditions can be pushed into it; a join, ORDER BY, GROUP BY or select-list column only when it is merged
//!    too. A use that cannot be traced stays on the derived relation with the reason in ColumnUse::untraced;
//! 5. the filters and joins of a merged derived relation's query are added to each block that reads it (the
//!    planner scans its tables there, under the conditions of both).
FactsResolution resolve_facts(QueryFacts& facts, const Catalog& catalog);

}  // namespace pgadvisor::analyzer
