// Candidate generation: from each query class's facts and the catalog's statistics, the indexes that could
// serve it: single-column and composite (equality columns most selective first, then one range column, then
// ORDER BY when that removes a sort), expression keys, partial indexes on stable selective constants, covering
// indexes, and join columns; minus what an existing index already serves (on the table or, for a partition, on a
// partitioned table above it), and nothing on a table no index can be built on (not_indexable_reason).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "advisor/cost_model.hpp"
#include "advisor/index_candidate.hpp"
#include "analyzer/catalog.hpp"
#include "analyzer/query_facts.hpp"
#include "analyzer/workload.hpp"

namespace pgadvisor::advisor {

//! A query class with what candidate generation needs to know about it.
struct ClassFacts {
  WorkloadQuery query;
  analyzer::QueryFacts facts;  //!< ambiguous columns already resolved against the catalog where possible
  //! Constant predicates that are the same in every sampled execution (analyzer::stable_constant_predicates):
  //! the only ones a partial index may be built on, and a literal only with enough evidence (CandidateOptions).
  std::vector<analyzer::Predicate> stable_constants;
  std::vector<std::string> samples;  //!< concrete statements of the class, as executed
  //! The class's $n text (the workload's normalized text) when it has parameters, else empty: with a concrete
  //! sample it gives the literals' values, so heavy values can be costed for classes planned with literals.
  std::string normalized_text = {};
  std::vector<analyzer::ParameterSet> parameter_sets;  //!< sampled values of the $n of `query.text`
  //! Measured execution time of its calls (logs, pg_stat_statements); 0 when unknown (a file of queries).
  double total_ms = 0;
};

//! Which tables may get indexes (`--include` / `--exclude`, as in Dexter): each name is "table" (in any schema) or
//! "schema.table", matched exactly against the catalog's names (no case folding, no quotes).
struct TableFilter {
  std::vector<std::string> include;  //!< empty: every table may, unless excluded
  std::vector<std::string> exclude;  //!< never these, even when included

  //! Whether `schema`.`name` may get an index.
  bool allows(std::string_view schema, std::string_view name) const;
  bool empty() const { return include.empty() && exclude.empty(); }
};

//! The names of `filter` (include and exclude) that name no table of the catalog: a typo, or a table of another
//! database; worth a warning, since an include that matches nothing leaves nothing to advise on.
std::vector<std::string> unmatched_table_names(const TableFilter& filter, const analyzer::Catalog& catalog);

struct CandidateOptions {
  //! Only the tables it allows get candidates (`advise()` also leaves out the classes touching no other table).
  TableFilter tables;
  size_t max_columns = 3;             //!< key columns per index
  double partial_max_fraction = 0.2;  //!< a partial index's predicate must keep at most this share of rows
  //! A literal in one statement is a parameter of its class: a partial index on `col = literal` only when the
  //! column is few-valued (pg_stats n_distinct at most this, as for a status the application fixes) ...
  double partial_max_distinct = 100;
  //! ... and the class was executed at least this many times with the literal unchanged (its kept samples all
  //! agree). Null tests and boolean tests are part of the statement's text, so they need no such evidence.
  double partial_min_calls = 3;
  size_t covering_max_include = 3;        //!< INCLUDE at most this many columns
  double covering_max_write_share = 0.2;  //!< no covering index when writes exceed this share of row activity
  //! No expression key for an equality whose base column keeps more than this share of rows per value: HypoPG
  //! costs an expression index without statistics (a default selectivity of 0.5 %, docs/ARCHITECTURE.md, measured
  //! facts), so the planner would find even `lower(flag) = 'a'` on a two-valued column selective. The base column is
  //! the proxy.
  double expression_max_fraction = 0.1;
  //! No index that only filters on equality columns keeping together more than this share of rows (by pg_stats;
  //! ORDER BY, range and join keys are not judged this way).
  double key_max_fraction = 0.2;
};

//! Distinct values of a column as the planner sees them (n_distinct, negative meaning a fraction of rows);
//! 0 when unknown.
double distinct_values(const analyzer::ColumnInfo& column, const analyzer::TableInfo& table);

//! The share of a table's activity that writes it (pg_stat_user_tables: rows written against scans), the rows it
//! holds not counted as writes (its load); covering indexes are proposed only below covering_max_write_share.
double write_share(const analyzer::TableInfo& table);

//! The share of rows a constant predicate keeps, from pg_stats (MCVs, null_frac); nullopt when unknown.
std::optional<double> predicate_fraction(const analyzer::Predicate& predicate, const analyzer::TableInfo& table);

//! The predicate as SQL for a partial index's WHERE clause, e.g. "status = 'pending'", "deleted_at IS NULL",
//! "NOT archived"; empty when it cannot be one.
std::string partial_predicate_sql(const analyzer::Predicate& predicate);

//! Whether a partial index may state a class's constant predicate, and why or why not, in words a DBA can check.
struct PartialEvidence {
  bool allowed = false;
  std::string reason;  //!< e.g. "status has 4 distinct values and the literal was the same in all 5 samples"
};

//! The rule of CandidateOptions (partial_max_distinct, partial_min_calls) for `predicate` of class `c` on `table`:
//! the same in every sample, expressible, and for a literal, a few-valued column and enough executions.
PartialEvidence partial_evidence(const analyzer::Predicate& predicate, const ClassFacts& c,
                                 const analyzer::TableInfo& table, const CandidateOptions& options);

//! True when an existing valid index of `table` already serves the candidate: same method and predicate, the
//! candidate's keys a prefix of the index's keys, its INCLUDE columns among the index's columns.
bool served_by_existing(const IndexCandidate& candidate, const analyzer::TableInfo& table);
//! The same, counting the indexes of every partitioned table `table` is a partition of (at any depth): a
//! partitioned table's index exists on each of its partitions.
bool served_by_existing(const IndexCandidate& candidate, const analyzer::TableInfo& table,
                        const analyzer::Catalog& catalog);

//! Why no index can be built on `table`, in words for the DBA; empty when one can. A foreign table takes none;
//! nor, partition by partition, does a partitioned table with a foreign table among its partitions (at any depth):
//! its index would stay invalid (advice.sql builds it partition by partition, ddl_script.hpp).
std::string not_indexable_reason(const analyzer::TableInfo& table, const analyzer::Catalog& catalog);

//! The columns a query's facts name, by stored table of the catalog (an ambiguous column under each table it may
//! belong to), searched or only read, `*` for a select list that reads them all; for CachingCostModel's relevance
//! rule.
std::vector<ColumnRef> referenced_columns(const analyzer::QueryFacts& facts, const analyzer::Catalog& catalog);

//! Every candidate for the classes, deduplicated, in a deterministic order.
std::vector<IndexCandidate> generate_candidates(std::span<const ClassFacts> classes, const analyzer::Catalog& catalog,
                                                const CandidateOptions& options = {});

}  // namespace pgadvisor::advisor
