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
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "shadow/bench_stats.hpp"
#include "pg/connection.hpp"

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

struct BenchPlan {
  std::vector<BenchStep> steps;
  bool indexes_only = true;  //!< every step is a CREATE INDEX: build once, hide for "before"
  std::vector<BenchClass> classes;
  std::vector<std::string> skipped;  //!< classes not measured, with the reason
};

//! Builds the plan from the advice JSON of `pgadvisor advise --format json`: its indexes, and the classes of its
//! "workload.classes" (or of `queries`, the text of a --queries file, when given) that an index is meant to help
//! or that write to an indexed table. Throws std::invalid_argument naming what is wrong.
BenchPlan plan_from_advice(const std::string& advice_json, const std::optional<std::string>& queries,
                           size_t max_instances);

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
  std::string plan;  //!< summary of the first measured run's plan
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

struct BenchResult {
  std::string shadow;  //!< redacted
  std::string mode;    //!< "indexes" or "script"
  std::vector<ClassResult> classes;
  std::vector<IndexBuild> indexes;
  std::vector<std::string> skipped;
  std::string catalog_before;
  std::string catalog_after;
  bool kept = false;
  double seconds = 0;
  bool schema_unchanged() const { return catalog_before == catalog_after; }
  bool any_result_changed() const;
};

//! Runs the plan on `shadow` (which check_shadow has accepted). Throws pg::Error when the setup fails (the shadow
//! is left as it was).
BenchResult run_bench(pg::Connection& shadow, const BenchPlan& plan, const BenchOptions& options);

//! The shadow's schema as an md5 over relations, columns, indexes, constraints and triggers.
std::string catalog_fingerprint(pg::Connection& conn);

}  // namespace pgadvisor::shadow
