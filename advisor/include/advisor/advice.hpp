// Advice for a workload: query classes built from statements, candidates, what-if selection, and for each chosen
// index the evidence (the queries it helps, cost and plan before and after). Asks a WhatIfModel (HypoPG on a
// server, or a fake in tests) through its cache; never touches libpq itself.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "advisor/candidate_generator.hpp"
#include "advisor/index_selection.hpp"
#include "advisor/view_advice.hpp"
#include "advisor/what_if_model.hpp"
#include "analyzer/catalog.hpp"
#include "analyzer/index_findings.hpp"

namespace pgadvisor::advisor {

//! Samples and parameter sets kept per class (what the JSON carries for `pgadvisor bench`).
inline constexpr size_t kMaxSamplesPerClass = 5;

//! A table the workload reads or writes that no index can be built on (not_indexable_reason), and the classes
//! that touch it.
struct NotIndexable {
  std::string table;  //!< "schema.name"
  std::string reason;
  std::vector<std::string> fingerprints;
  bool operator==(const NotIndexable&) const = default;
};

//! The classes of a workload, ready to advise on, and what could not be.
struct WorkloadClasses {
  std::vector<ClassFacts> classes;
  //! Parse errors, statements no index can serve, and classes whose every table is not indexable (a foreign
  //! table), with the reason.
  std::vector<UnplannedQuery> skipped;
  std::vector<NotIndexable> not_indexable = {};  //!< by table, in the order first met
  double window_seconds = 0;                     //!< analyzer::Workload::window_seconds
};

//! Query classes from a workload of any source: grouped by fingerprint, weighted by their calls, facts from
//! the samples (else the class's text) resolved against the catalog, constants that are the same in every
//! sample kept as partial-index material, and what to plan chosen (plan_values.hpp).
WorkloadClasses classes_from_workload(const analyzer::Workload& workload, const analyzer::Catalog& catalog);

//! A file of queries as a workload: every statement one call of its class.
analyzer::Workload workload_from_statements(std::span<const std::string> texts);
WorkloadClasses classes_from_statements(std::span<const std::string> statements, const analyzer::Catalog& catalog);

//! How one query's cost and plan change with an index.
struct QueryEvidence {
  std::string fingerprint;
  double weight = 0;
  double cost_before = 0;  //!< with the other chosen indexes, without this one
  double cost_after = 0;   //!< with all chosen indexes
  //! The plans without and with it: given for the kPlannedQueriesPerIndex queries it saves most, empty for the
  //! others (each plan is a planner call of its own).
  std::string plan_before;
  std::string plan_after;
  //! The values its cost was measured over (planned_values(): sampled parameters, pg_stats values, literals).
  std::string values = {};
};

//! How many of the queries an index serves have their plans in its QueryEvidence (those it saves most).
inline constexpr size_t kPlannedQueriesPerIndex = 10;
//! The index advice.sql builds on one partition for an index of a partitioned table: CREATE INDEX CONCURRENTLY cannot
//! run on a partitioned table, so its index is made on it alone (ON ONLY), then on each partition, and attached.
struct PartitionIndex {
  analyzer::TableName table;  //!< the partition
  std::string name;           //!< its index's name, free in the partition's schema (unique_index_names)
  //! The partitioned index it is attached to: the position of its partitioned partition's entry in
  //! IndexAdvice::partitions, or -1 for the advised index itself.
  int parent = -1;
  //! A partition that is itself partitioned: its index too is made ON ONLY, and its own partitions follow.
  bool partitioned = false;
  bool operator==(const PartitionIndex&) const = default;
};

struct IndexAdvice {
  IndexCandidate index;
  int64_t size_bytes = 0;     //!< HypoPG's estimate (about 1.9x a real build, docs/ARCHITECTURE.md, measured facts)
  double write_overhead = 0;  //!< cost units added to the workload's writes
  std::vector<QueryEvidence> queries;  //!< the queries it makes cheaper, most helped first
  //! The CREATE INDEX as an advice document gave it (advice_from_json, for the bench to run as written); advise()
  //! leaves it empty: create_index_statement() then derives it from `index`.
  std::string definition = {};
  //! Why this index, in sentences (explain_index(): each key's role and order, partial or full, covering, writes).
  std::vector<std::string> rationale = {};
  //! On a partitioned table, the index of each partition at any depth, in pre-order (a partitioned partition
  //! before its own); empty for any other table. A partitioned table without partitions has none.
  std::vector<PartitionIndex> partitions = {};
  //! Whether index.table is a partitioned table (then advice.sql builds it partition by partition).
  bool on_partitioned_table = false;
};

//! The partition indexes (names not yet assigned) an index on `table` needs, as IndexAdvice::partitions orders
//! them; empty unless `table` is a partitioned table of the catalog.
std::vector<PartitionIndex> partition_indexes(const analyzer::TableName& table, const analyzer::Catalog& catalog);

//! An existing index to drop, with the evidence. Never a unique, primary-key or constraint index.
struct DropAdvice {
  analyzer::IndexFinding finding;  //!< problem, index, its table, size, scans, the index that covers it
  std::string evidence;            //!< why, in words, including what the workload's plans say
};

//! Which query classes are costed at all (Dexter's `--min-calls`, `--min-time`, `--min-cost`); the others are left
//! out before any candidate is made from them, and listed in Advice::filtered with the reason. A class whose tables
//! CandidateOptions::tables all refuses (`--include`/`--exclude`) is left out too.
struct ClassFilter {
  double min_calls = 0;     //!< executions in the workload
  double min_total_ms = 0;  //!< measured time of all its executions; a class without one (--queries) is kept
  double min_cost = 0;      //!< the planner's estimate for one execution without new indexes
};

struct AdviceOptions {
  CandidateOptions candidates;
  ClassFilter classes;
  SelectionOptions selection;
  ViewOptions views;  //!< materialized views for aggregate classes (`--no-views` turns them off)
  //! Cost of maintaining one index entry for a written row, in planner cost units (about one random page).
  double index_maintenance_cost = 4.0;
};

//! One query class of the workload as it was advised on: for `pgadvisor bench` and for the report.
struct AdvisedClass {
  std::string fingerprint;
  std::string text;
  std::string kind;  //!< select, insert, update, delete, merge
  double calls = 0;
  std::vector<std::string> reads;  //!< "schema.table"
  std::vector<std::string> writes;
  std::vector<std::string> samples;
  std::vector<analyzer::ParameterSet> parameter_sets;
  PlanSource plan_source = PlanSource::Literals;
  std::string plan_note;  //!< why sampled or drawn values were not used, when they were refused
  bool planned = true;
  double cost_before = 0;  //!< one execution, without new indexes
  double cost_after = 0;   //!< with every chosen index
};

struct Advice {
  std::vector<IndexAdvice> indexes;
  std::vector<AdvisedClass> classes_advised;
  std::vector<DropAdvice> drops;
  //! Materialized views for aggregate classes, after the indexes: each class's cost_before is its cost with them.
  std::vector<ViewAdvice> views;
  std::vector<RefusedView> refused_views;            //!< aggregate classes no view is advised for, with the reason
  std::vector<RefusedCandidate> refused_candidates;  //!< what HypoPG would not create (never chosen)
  std::vector<UnplannedQuery> unplanned;
  std::vector<NotIndexable> not_indexable;  //!< tables the workload touches that no index can be built on
  //! Classes left out by the options (ClassFilter, the table filter), with the reason; never costed.
  std::vector<UnplannedQuery> filtered;
  double cost_before = 0;  //!< the workload's weighted estimated cost without new indexes
  double cost_after = 0;
  size_t classes = 0;         //!< query classes considered (those in `filtered` not counted)
  size_t candidates = 0;      //!< candidates generated
  CostRequestStats requests;  //!< every cost and plan request of the advice, and the planner calls among them
  SelectionMethod selection;  //!< which design was kept (greedy or integer program) and both objectives
};

//! Advises on the classes of `requested` with the what-if `model` (HypoPGCostModel: a read-only session of the
//! workload's database). Every cost and plan goes through a CachingWhatIfModel in front of `model`.
Advice advise(const WorkloadClasses& requested, const analyzer::Catalog& catalog, WhatIfModel& model,
              const AdviceOptions& options = {});

//! Cost units `index` adds to the workload's writes: `cost_per_row` for each row a write class touches in it
//! (index_writes(): the INSERTs, DELETEs and MERGEs into its table, and the UPDATEs there that are not HOT).
double index_write_overhead(std::span<const ClassFacts> classes, const analyzer::Catalog& catalog,
                            const IndexCandidate& index, double cost_per_row);

}  // namespace pgadvisor::advisor
