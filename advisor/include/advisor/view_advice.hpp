// Materialized-view advice: for query classes whose cost is aggregation over large tables, the view that answers
// them row for row (analyzer/aggregate_view.hpp), each class rewritten against it, its size, gain and refresh
// estimated on the source with the planner (a view cannot be hypothetical: these are estimates, which
// `pgadvisor bench` proves or refutes on a shadow), and the classes refused with the reason.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "advisor/candidate_generator.hpp"
#include "advisor/what_if_model.hpp"
#include "analyzer/catalog.hpp"
#include "analyzer/workload.hpp"

namespace pgadvisor::advisor {

//! A query class a view serves, and how.
struct ViewClass {
  std::string fingerprint;
  std::string text;                                    //!< the class's statement (literals, or $n with parameter_sets)
  std::string rewritten;                               //!< `text` against the view: same rows, same order (same $n)
  std::vector<std::string> samples;                    //!< executions as they ran (at most kMaxSamplesPerClass)
  std::vector<std::string> rewritten_samples;          //!< each sample against the view, in the same order
  std::vector<analyzer::ParameterSet> parameter_sets;  //!< values of the $n of text and rewritten
  double calls = 0;
  double cost_before = 0;  //!< one execution on the source, with the advised indexes (planner estimate)
  double cost_after = 0;   //!< one execution reading the view through its index (estimate: see estimate_view_read)
  bool operator==(const ViewClass&) const = default;
};

//! A materialized view to create, with the evidence.
struct ViewAdvice {
  std::string schema;                       //!< where it is created: its first base table's schema
  std::string name;                         //!< free in that schema (no relation of the catalog has it)
  std::string select;                       //!< its query: CREATE MATERIALIZED VIEW schema.name AS select
  std::vector<std::string> columns;         //!< its columns (unquoted)
  std::vector<std::string> unique_key;      //!< the unique index REFRESH … CONCURRENTLY needs (unquoted columns)
  std::string unique_index;                 //!< its name, free in `schema`; empty when unique_key is
  std::vector<std::string> filter_columns;  //!< the index the rewritten queries filter through; may be empty
  //! Its name, free in `schema`; empty when no index beyond the unique one is needed (no filter columns, or they are
  //! the unique key's leading columns: filter_index_needed()).
  std::string filter_index;
  std::vector<std::string> base_tables;  //!< "schema.table", the stored tables it reads
  std::vector<ViewClass> classes;        //!< the classes it serves
  double estimated_rows = 0;             //!< the planner's row estimate of its query
  double base_rows = 0;                  //!< rows of its largest base table (reltuples)
  int64_t estimated_bytes = 0;           //!< estimated_rows × (row width + tuple overhead)
  double refresh_cost = 0;               //!< planner cost of its query: one refresh (estimate)
  double base_writes = 0;                //!< executions of the workload's writes into its base tables
  //! Saving over the workload: Σ calls × (cost_before − cost_after), in planner cost units.
  double saving = 0;
  //! The proposal: refresh after every `refresh_every_calls` executions of the classes it serves, so that a refresh
  //! costs at most a quarter of what the view saved since the last one.
  double refresh_every_calls = 0;
  //! Staleness under the proposal: writes into its base tables between two refreshes (base_writes spread over the
  //! served executions).
  double stale_writes = 0;
  //! Saving minus the refreshes the proposal implies over the workload (a fraction of one when the workload is
  //! shorter than an interval; none without writes: the build is a one-off cost, like an index's).
  double net_saving = 0;
  //! At the workload's rate, when its window is known (else 0): the proposal as an interval, the net saving per hour.
  double refresh_every_seconds = 0;
  double net_saving_per_hour = 0;
  bool operator==(const ViewAdvice&) const = default;
};

//! An aggregate class for which no view is advised, and why.
struct RefusedView {
  std::string fingerprint;
  std::string text;
  std::string reason;
  bool operator==(const RefusedView&) const = default;
};

struct ViewOptions {
  bool enabled = true;
  double min_base_rows = 10000;   //!< smaller base tables do not need a view
  double max_view_share = 0.2;    //!< a view keeping more of its base table's rows saves too little
  double min_saving_ratio = 2.0;  //!< cost_before must be at least this many times cost_after
  //! A view whose base tables change by more than this share of their rows between two refreshes is too stale.
  double max_stale_share = 0.01;
  //! How long the workload took (WorkloadClasses::window_seconds; 0: unknown): the proposal in time, gains per hour.
  double workload_seconds = 0;
};

struct ViewAdviceResult {
  std::vector<ViewAdvice> views;
  std::vector<RefusedView> refused;
};

//! Whether the rewritten queries need an index on `filter_columns` beyond the unique index on `unique_key`: not when
//! there are none, nor when they are the unique key's leading columns in any order (a btree on those serves them).
bool filter_index_needed(std::span<const std::string> filter_columns, std::span<const std::string> unique_key);

//! Estimated cost of reading `rows` rows of `width` bytes from a view through an index on its filter columns:
//! PostgreSQL's default costs (random_page_cost 4, cpu_tuple_cost 0.01, cpu_index_tuple_cost 0.005) over the
//! index's descent and the heap pages those rows fill.
double estimate_view_read(double rows, double width);

//! The views for the aggregate classes of `classes`; `cost_with_indexes` gives each class's estimated cost with the
//! advised indexes (by position in `classes`). Estimates come from `model` (QueryEstimate of the view's query and of
//! each class's first sample). The names of the views and their indexes are free in their schema: no relation of the
//! catalog has them, nor any of `taken` (the advised indexes' names, those of their partitions included), nor another
//! view's; each within 63 bytes.
ViewAdviceResult advise_views(std::span<const ClassFacts> classes, std::span<const double> cost_with_indexes,
                              const analyzer::Catalog& catalog, WhatIfModel& model, const ViewOptions& options = {},
                              std::span<const analyzer::TableName> taken = {});

}  // namespace pgadvisor::advisor
