// The gate's decision per query: a measurement now against its baseline (when there is one) and its budgets.
//
// A loaded machine slows every query alike: the baseline's times are first scaled by the ratio of the machine
// probe's medians (Measurement::probe_ms, now against then), so that only a change of the query itself remains.
// Buffers are the primary signal: shared hit + read of a run barely moves from run to run, so their median rising
// by ≥ 20 % and ≥ 10 buffers is a regression on its own (falling likewise: an improvement). Time alone fails a
// query only beyond the noise of a shared CI machine: a one-sided Mann–Whitney U test (ranks: robust to the
// outliers a busy runner produces) must give p < α = 0.01 AND the median must be ≥ 20 % AND ≥ 1 ms slower. The
// test alone would flag any systematic shift of a few percent between two CI runs; the effect sizes alone would
// flag the chance difference of two small samples; both together keep false failures near zero (see
// tests/gate/decision_noise_test.cpp for the rates). The bootstrap interval of the ratio of medians
// (shadow/bench_stats.hpp) is shown as evidence, not used to decide.
//
// Statuses, most severe first (statuses[0] is the headline): error, missing, regressed, result changed, over
// budget, plan changed, improved; `ok` when there is nothing else. A plan change is reported with or without a
// time/buffer change (the diff is the evidence for a regression too); it fails only with `--fail-on plan`.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "gate/gate.hpp"

namespace pgadvisor::gate {

struct DecisionOptions {
  double min_effect_ratio = 1.20;  //!< a time change counts when the medians differ by this factor…
  double min_effect_ms = 1.0;      //!< …and by this many milliseconds…
  double alpha = 0.01;             //!< …and the one-sided Mann–Whitney U test gives p < alpha
  double buffer_ratio = 1.20;      //!< a buffers change counts when the medians differ by this factor…
  double min_buffer_delta = 10;    //!< …and by this many buffers
  FailOn fail_on;
  //! A query absent from the baseline (added since it was recorded): false, a warning and its budgets are checked;
  //! true, it is `missing` too (failing under fail_on.missing). A baseline query absent now is always `missing`.
  bool fail_on_new = false;
  int bootstrap_resamples = 2000;  //!< for the interval shown as evidence; 0: no interval (ci = ratio)
};

//! The time evidence of one query: execution times (server side, EXPLAIN ANALYZE) before and now.
struct TimeEvidence {
  int base_runs = 0;
  int now_runs = 0;
  double base_median_ms = 0;
  double now_median_ms = 0;
  double base_p95_ms = 0;
  double now_p95_ms = 0;
  double base_planning_ms = 0;  //!< median planning time (shown, not decided on)
  double now_planning_ms = 0;
  double ratio = 1;   //!< now / base medians: 2 means twice as slow
  double ci_low = 1;  //!< 95 % bootstrap interval of the ratio
  double ci_high = 1;
  double p_value = 1;  //!< one-sided Mann–Whitney U in the direction of the change (slower when ratio ≥ 1)
  std::string test;    //!< the rule, e.g. "one-sided Mann-Whitney U, p < 0.01, median ≥ +20 % and ≥ +1 ms"
  //! The machine now against then (the probes' medians): the baseline's times were scaled by it before the test, and
  //! base_median_ms and base_p95_ms are the scaled ones. 1 when either side has no probe.
  double machine_factor = 1;
  bool beyond_noise = false;  //!< the test and both effect sizes agree
  bool slower = false;        //!< beyond_noise and slower
  bool faster = false;        //!< beyond_noise and faster
  std::string summary;  //!< "median 0.41 → 21.4 ms (×52.2, 95 % CI ×48.0–×55.1), p = 1.2e-08: slower beyond the noise"
};

//! The decision for one query, with the evidence a reviewer needs.
struct QueryDecision {
  std::string name;
  std::vector<Status> statuses;      //!< most severe first; {Ok} when nothing else
  std::vector<std::string> reasons;  //!< one sentence per finding: "regressed: buffers 3 → 5406 per run (×1802)"
  bool has_baseline = false;
  TimeEvidence time;
  double base_buffers = 0;  //!< median shared hit + read per run
  double now_buffers = 0;
  std::vector<std::string> plan_diff;        //!< full line diff (plan_shape.hpp); empty when the shape is the same
  std::vector<std::string> budget_failures;  //!< "p95 61.2 ms ≥ budget 50 ms"
  std::string result_detail;                 //!< "7 rows → 9 rows"; empty when the result is the same
  std::string error;                         //!< the query failed now
  std::vector<std::string> warnings;         //!< not failures: a changed statement, too few runs, a new query…
  bool failed = false;                       //!< fails(statuses, options.fail_on)

  Status headline() const { return statuses.empty() ? Status::Ok : statuses.front(); }
};

//! p of the one-sided Mann–Whitney U test that `x` tends to be larger than `y` (normal approximation with the tie
//! correction and a continuity correction; fine for 8–50 runs a side). 1 when a side is empty or all values tie.
double mann_whitney_greater_p(const std::vector<double>& x, const std::vector<double>& y);

//! The time evidence and verdict of `now_ms` against `base_ms`.
TimeEvidence compare_times(const std::vector<double>& base_ms, const std::vector<double>& now_ms,
                           const DecisionOptions& options);

//! The failed budgets of a measurement: "p95 61.2 ms ≥ budget 50 ms", "buffers 1204 ≥ budget 1000 (median per
//! run)", "plan has Seq Scan on orders (budget: no Seq Scan on orders)". A budget fails when the value reaches
//! its limit.
std::vector<std::string> check_budgets(const Measurement& now, const std::vector<Budget>& budgets);

//! The decision for one query; `base` is nullptr without a baseline (then only budgets and errors decide).
QueryDecision decide(const Measurement* base, const Measurement& now, const std::vector<Budget>& budgets,
                     const DecisionOptions& options);

//! Every query's decision, in the queries' order, then a `missing` decision for each baseline query no longer among
//! them. `now` holds the measurements by name (a query without one is an error: it was not measured).
std::vector<QueryDecision> decide_all(const Baseline* baseline, const std::vector<GuardedQuery>& queries,
                                      const std::vector<Measurement>& now, const DecisionOptions& options);

//! Whether any decision fails the gate.
bool gate_fails(const std::vector<QueryDecision>& decisions);

//! A baseline that cannot be compared with this server at all.
class EnvironmentMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! Differences that make a comparison less telling (minor server version, settings, machine, data size), one
//! sentence each. Throws EnvironmentMismatch for another major server version (plans and times do not compare
//! across major versions): the message says to re-record the baseline on this server.
std::vector<std::string> environment_warnings(const Environment& base, const Environment& now);

}  // namespace pgadvisor::gate
