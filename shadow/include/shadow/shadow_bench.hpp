// The shadow benchmark: the workload's query classes run on a shadow database before and after the advice (or a
// hand-written script), with warm-up, interleaved before/after blocks, server and client times, buffers, plans,
// result checks for reads, and a verdict per class from a bootstrap confidence interval. Leaves no trace.
//
// How "before" and "after" are reached (one transaction per measurement block, always rolled back):
// - indexes only (the advice): each index is built once, for real, timed and measured (pg_relation_size); an
//   "after" block runs with them, a "before" block first drops them inside its transaction (instant, and undone
//   by the rollback). At the end the indexes are dropped (the advice's rollback) unless --keep.
// - any other script: a "before" block runs as is, an "after" block first runs the script inside its transaction.
// Blocks alternate in the order B A A B B A A B …, so that drift (caches, autovacuum, a noisy neighbour) falls on
// both sides alike. Each run of a write runs inside a savepoint that is rolled back.
//
// Materialized views of the advice are proven after that, one at a time, with the advised indexes still built:
// the view is created for real (timed), with its unique index and the index of its filter, analyzed and sized;
// every execution of every class it serves runs as the original and as the rewritten query and must return the
// same rows (shadow/view_check.hpp), else the view is rejected and not timed; then the original ("before") and the
// rewritten query ("after") alternate in blocks as above, REFRESH MATERIALIZED VIEW CONCURRENTLY is timed, and the
// view is dropped with its indexes.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pg/connection.hpp"
#include "shadow/bench_stats.hpp"

namespace pgadvisor::advisor {
struct ViewAdvice;
}

namespace pgadvisor::shadow {

//! One concrete execution of a class: a statement and the values of its $n parameters (text, NULL as nullopt).
struct BenchInstance {
  std::string text;
  std::vector<pg::Param> params;
};

//! A query class to measure.
struct BenchClass {
  std::string fingerprint;
  std::string text;  //!< normalized or first sample, for display
  std::string kind;  //!< select, insert, update, delete, merge
  bool writes = false;
  std::vector<std::string> reads;          //!< schema.table
  std::vector<std::string> writes_tables;  //!< schema.table
  std::string why;                         //!< why it is measured ("helped by …", "writes to …", "in --queries")
  std::vector<BenchInstance> instances;    //!< sampled parameter sets / samples, at least one
};

//! One statement of the setup (an advised CREATE INDEX, or a statement of a hand-written script).
struct BenchStep {
  std::string sql;
  std::vector<std::string> helps;  //!< fingerprints the advice meant this index for
};

//! One execution of a class a view serves: the statement as it ran and the same rewritten against the view, with
//! the values of their $n.
struct ViewExecution {
  std::string original;
  std::string rewritten;
  std::vector<pg::Param> params;
};

//! A class a materialized view serves.
struct ViewBenchClass {
  std::string fingerprint;
  std::string text;                       //!< for display
  std::vector<ViewExecution> executions;  //!< every sample and parameter set: all are checked
  size_t timed = 0;                       //!< the first `timed` executions are measured
};

//! A materialized view of the advice, to prove on the shadow.
struct BenchView {
  std::string schema;
  std::string name;
  std::string select;                       //!< CREATE MATERIALIZED VIEW schema.name AS select
  std::vector<std::string> unique_key;      //!< unquoted columns
  std::vector<std::string> filter_columns;  //!< unquoted columns; indexed apart unless a prefix of unique_key
  std::vector<ViewBenchClass> classes;
};

struct BenchPlan {
  std::vector<BenchStep> steps;
  bool indexes_only = true;  //!< every step is a CREATE INDEX: build once, hide for "before"
  std::vector<BenchClass> classes;
  std::vector<BenchView> views;      //!< proven after the classes, with the steps' indexes built
  std::vector<std::string> skipped;  //!< classes not measured, with the reason
};

//! Builds the plan from the advice JSON of `pgadvisor advise --format json`: its indexes, and the classes of its
//! "workload.classes" (or of `queries`, the text of a --queries file, when given) that an index is meant to help
//! or that write to an indexed table; and its materialized views (bench_views). Throws std::invalid_argument
//! naming what is wrong.
BenchPlan plan_from_advice(const std::string& advice_json, const std::optional<std::string>& queries,
                           size_t max_instances);

//! The views of an advice as the bench proves them: every sample of each class served (with its rewritten sample)
//! and its text with each parameter set (with the rewritten text); executions with $n but no values are left out.
//! The first `max_timed` executions of each class are measured.
std::vector<BenchView> bench_views(const std::vector<advisor::ViewAdvice>& views, size_t max_timed);

//! A hand-written script (its statements; BEGIN/COMMIT and CONCURRENTLY are dropped, since each block is one
//! transaction) and every class of `queries`.
BenchPlan plan_from_script(const std::string& script, const std::string& queries, size_t max_instances);

struct BenchOptions {
  int runs = 20;    //!< measured runs per class and state
  int warmup = 1;   //!< discarded runs per class at the start of each block
  int rounds = 10;  //!< before/after block pairs (runs are spread over them)
  int resamples = 2000;
  uint64_t seed = 20261201;
  bool keep = false;                                 //!< keep the indexes (or commit the script) at the end
  std::function<void(const std::string&)> progress;  //!< one line per step, for a terminal; may be empty
};

struct StateSummary {
  double median_ms = 0;  //!< server execution time (EXPLAIN ANALYZE)
  double p95_ms = 0;
  double planning_median_ms = 0;
  double client_median_ms = 0;  //!< the statement itself, timed by the client
  double client_p95_ms = 0;
  double shared_hit_median = 0;  //!< shared buffers hit/read by one run (median)
  double shared_read_median = 0;
  std::string plan;             //!< summary of the first measured run's plan
  std::vector<double> runs_ms;  //!< every measured run's server execution time (`gate compare` checks budgets on it)
  std::vector<double> buffers;  //!< every measured run's shared hit + read
};

struct ClassResult {
  std::string fingerprint;
  std::string text;
  std::string kind;
  std::string why;
  size_t instances = 0;
  int runs = 0;  //!< measured runs per state
  StateSummary before;
  StateSummary after;
  SpeedupEstimate speedup;
  Verdict verdict = Verdict::Unchanged;
  bool result_changed = false;
  std::string result_detail;  //!< "rows 100 -> 50" etc.
  std::string error;          //!< a run that failed (the class is then not measured further)
};

struct IndexBuild {
  std::string definition;  //!< the step as given
  std::string name;        //!< schema.index as built
  std::string table;
  double build_ms = 0;
  int64_t size_bytes = 0;
  std::vector<std::string> helps;
};

//! The result check of a view: every execution of its classes, original against rewritten.
struct ViewCheck {
  bool passed = false;
  size_t executions = 0;  //!< executions compared (all of them when passed)
  // When rejected: the execution, and its first differing row.
  std::string fingerprint;
  size_t execution = 0;   //!< which execution of that class (1-based)
  std::string original;   //!< the statement as it ran
  std::string rewritten;  //!< the same against the view
  std::vector<pg::Param> params;
  std::string detail;  //!< "row 1 differs", "the rewritten query returns 8 rows, the original 7", an error
  size_t row = 0;      //!< 1-based position of the differing row in the original's result (0 when none)
  std::optional<std::string> original_row;  //!< ('2026-10-01 00:00:00+00', '412', NULL)
  std::optional<std::string> rewritten_row;
};

//! A materialized view proven (or refuted) on the shadow.
struct ViewResult {
  std::string name;  //!< schema.view
  std::string select;
  double build_ms = 0;              //!< CREATE MATERIALIZED VIEW
  std::vector<IndexBuild> indexes;  //!< its unique index and its filter's, as built (named by PostgreSQL)
  double index_build_ms = 0;        //!< its indexes, together
  int64_t size_bytes = 0;           //!< pg_total_relation_size: heap, indexes and TOAST
  int64_t rows = 0;
  double refresh_ms = 0;  //!< REFRESH MATERIALIZED VIEW CONCURRENTLY (unchanged base tables); 0 when not run
  ViewCheck check;
  std::vector<ClassResult> classes;  //!< original before against rewritten after; empty when rejected
  std::string error;                 //!< a statement that failed (build, check, refresh); the view is then unproven
  bool kept = false;
  bool proven() const { return error.empty() && check.passed; }
};

struct BenchResult {
  std::string shadow;  //!< redacted
  std::string mode;    //!< "indexes" or "script"
  std::vector<ClassResult> classes;
  std::vector<IndexBuild> indexes;
  std::vector<ViewResult> views;
  std::vector<std::string> skipped;
  std::string catalog_before;
  std::string catalog_after;
  bool kept = false;
  double seconds = 0;
  bool schema_unchanged() const { return catalog_before == catalog_after; }
  bool any_result_changed() const;
  //! A view whose rewritten queries returned other rows than the originals, or that could not be proven.
  bool any_view_unproven() const;
};

//! Runs the plan on `shadow` (which check_shadow has accepted). Throws pg::Error when the setup fails (the shadow
//! is left as it was).
BenchResult run_bench(pg::Connection& shadow, const BenchPlan& plan, const BenchOptions& options);

//! The shadow's schema as an md5 over relations, columns, indexes, constraints and triggers.
std::string catalog_fingerprint(pg::Connection& conn);

}  // namespace pgadvisor::shadow
