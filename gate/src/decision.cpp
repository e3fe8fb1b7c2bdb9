// The gate's decision per query: time beyond the noise (Mann–Whitney U and effect sizes), buffers, plan shape,
// result, budgets and errors; and the environment checks of a baseline.
#include "gate/decision.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "gate/plan_shape.hpp"
#include "shadow/bench_stats.hpp"

namespace pgadvisor::gate {
namespace {

//! Milliseconds with three significant digits or so: 0.412, 2.35, 61.2, 1204.
std::string ms_text(double ms) {
  if (ms >= 100) return fmt::format("{:.0f}", ms);
  if (ms >= 10) return fmt::format("{:.1f}", ms);
  if (ms >= 1) return fmt::format("{:.2f}", ms);
  return fmt::format("{:.3f}", ms);
}

std::string ratio_text(double ratio) {
  return ratio >= 10 ? fmt::format("×{:.1f}", ratio) : fmt::format("×{:.2f}", ratio);
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// The timer's resolution (EXPLAIN ANALYZE prints microseconds): a median of 0 counts as this, so that ratios stay
// finite.
constexpr double kResolutionMs = 0.001;

}  // namespace

double mann_whitney_greater_p(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n1 = static_cast<double>(x.size());
  const auto n2 = static_cast<double>(y.size());
  if (x.empty() || y.empty()) return 1;
  std::vector<std::pair<double, int>> all;  // (value, 1 for x)
  all.reserve(x.size() + y.size());
  for (double v : x) all.emplace_back(v, 1);
  for (double v : y) all.emplace_back(v, 0);
  std::sort(all.begin(), all.end());
  double rank_sum_x = 0;
  double ties = 0;  // Σ (t³ − t) over groups of tied values
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) rank_sum_x += all[k].second * average_rank;
    auto t = static_cast<double>(j - i);
    ties += t * t * t - t;
    i = j;
  }
  const double n = n1 + n2;
  const double u = rank_sum_x - n1 * (n1 + 1) / 2;
  const double variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
  if (variance <= 0) return 1;
  const double z = (u - n1 * n2 / 2 - 0.5) / std::sqrt(variance);
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

namespace {

//! The bootstrap interval of now/base medians (bench's, whose speedup is base/now).
void add_interval(const std::vector<double>& base, const std::vector<double>& now, int resamples, TimeEvidence& t) {
  if (resamples <= 0) {
    t.ci_low = t.ci_high = t.ratio;
    return;
  }
  auto speedup = shadow::bootstrap_speedup(std::vector<std::vector<double>>{base},
                                           std::vector<std::vector<double>>{now}, resamples);
  t.ci_low = speedup.ci_high > 0 ? 1 / speedup.ci_high : t.ratio;
  t.ci_high = speedup.ci_low > 0 ? 1 / speedup.ci_low : t.ratio;
}

//! Why the time did or did not count, for TimeEvidence::summary.
std::string time_summary(const TimeEvidence& t, const DecisionOptions& o) {
  auto head = fmt::format("median {} → {} ms ({}, 95 % CI {}–{}), p = {:.2g}", ms_text(t.base_median_ms),
                          ms_text(t.now_median_ms), ratio_text(t.ratio), ratio_text(t.ci_low), ratio_text(t.ci_high),
                          t.p_value);
  if (t.slower) return head + ": slower beyond the noise";
  if (t.faster) return head + ": faster beyond the noise";
  double effect = std::max(t.ratio, 1 / t.ratio);
  double delta = std::abs(t.now_median_ms - t.base_median_ms);
  if (t.p_value >= o.alpha) return head + fmt::format(": within the noise (p ≥ {})", o.alpha);
  if (effect < o.min_effect_ratio) {
    return head + fmt::format(": within the noise (change < {:+.0f} %)", (o.min_effect_ratio - 1) * 100);
  }
  return head + fmt::format(": within the noise ({} ms < {} ms)", ms_text(delta), o.min_effect_ms);
}

}  // namespace

TimeEvidence compare_times(const std::vector<double>& base_ms, const std::vector<double>& now_ms,
                           const DecisionOptions& o) {
  TimeEvidence t;
  t.base_runs = static_cast<int>(base_ms.size());
  t.now_runs = static_cast<int>(now_ms.size());
  t.base_median_ms = shadow::median(base_ms);
  t.now_median_ms = shadow::median(now_ms);
  t.base_p95_ms = shadow::quantile(base_ms, 0.95);
  t.now_p95_ms = shadow::quantile(now_ms, 0.95);
  t.test = fmt::format("one-sided Mann-Whitney U, p < {}, median ≥ {:+.0f} % and ≥ {} ms", o.alpha,
                       (o.min_effect_ratio - 1) * 100, o.min_effect_ms);
  if (base_ms.empty() || now_ms.empty()) return t;
  t.ratio = std::max(t.now_median_ms, kResolutionMs) / std::max(t.base_median_ms, kResolutionMs);
  bool slower_side = t.ratio >= 1;
  t.p_value = slower_side ? mann_whitney_greater_p(now_ms, base_ms) : mann_whitney_greater_p(base_ms, now_ms);
  double delta = std::abs(t.now_median_ms - t.base_median_ms);
  double effect = slower_side ? t.ratio : 1 / t.ratio;
  t.beyond_noise = t.p_value < o.alpha && effect >= o.min_effect_ratio && delta >= o.min_effect_ms;
  t.slower = t.beyond_noise && slower_side;
  t.faster = t.beyond_noise && !slower_side;
  add_interval(base_ms, now_ms, o.bootstrap_resamples, t);
  t.summary = time_summary(t, o);
  return t;
}

// ---- Budgets ----------------------------------------------------------------------------------------------------

namespace {

//! The budget's statistic of the execution times: "median", "mean", "max" or "pNN".
double time_statistic(const std::vector<double>& ms, const std::string& statistic) {
  if (statistic == "mean") return mean(ms);
  if (statistic == "max") return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
  if (statistic == "median") return shadow::median(ms);
  return shadow::quantile(ms, std::stod(statistic.substr(1)) / 100);  // "p95"
}

std::string node_text(const Budget& b) { return b.node + (b.relation.empty() ? "" : " on " + b.relation); }

}  // namespace

std::vector<std::string> check_budgets(const Measurement& now, const std::vector<Budget>& budgets) {
  std::vector<std::string> failures;
  for (const auto& b : budgets) {
    switch (b.kind) {
      case Budget::Kind::Time: {
        double value = time_statistic(now.execution_ms, b.statistic);
        if (value >= b.limit)
          failures.push_back(fmt::format("{} {} ms ≥ budget {} ms", b.statistic, ms_text(value), b.limit));
        break;
      }
      case Budget::Kind::Buffers: {
        double value = shadow::median(now.buffers);
        if (value >= b.limit)
          failures.push_back(fmt::format("buffers {:.0f} ≥ budget {} (median per run)", value, b.limit));
        break;
      }
      case Budget::Kind::NoNode:
        if (has_node(now.plan, b.node, b.relation)) {
          failures.push_back(fmt::format("plan has {} (budget: no {})", node_text(b), node_text(b)));
        }
        break;
    }
  }
  return failures;
}

// ---- The decision -----------------------------------------------------------------------------------------------

namespace {

int severity(Status s) {
  switch (s) {
    case Status::Error:
      return 0;
    case Status::Missing:
      return 1;
    case Status::Regressed:
      return 2;
    case Status::ResultChanged:
      return 3;
    case Status::OverBudget:
      return 4;
    case Status::PlanChanged:
      return 5;
    case Status::Improved:
      return 6;
    case Status::Ok:
      return 7;
  }
  return 7;
}

//! Statuses most severe first, each once; {Ok} when empty. Sets `failed`.
void finish(QueryDecision& d, const DecisionOptions& o) {
  std::erase(d.statuses, Status::Ok);  // finish may run again after a status is added
  std::stable_sort(d.statuses.begin(), d.statuses.end(), [](Status a, Status b) { return severity(a) < severity(b); });
  d.statuses.erase(std::unique(d.statuses.begin(), d.statuses.end()), d.statuses.end());
  if (d.statuses.empty()) d.statuses.push_back(Status::Ok);
  d.failed = fails(d.statuses, o.fail_on);
}

//! The first changed lines of a plan diff, trimmed: "- Index Scan using … on orders; + Seq Scan on orders".
std::string diff_digest(const std::vector<std::string>& diff) {
  std::string out;
  int shown = 0;
  int changed = 0;
  for (const auto& line : diff) {
    if (line.starts_with("  ")) continue;
    ++changed;
    if (shown == 4) continue;
    auto body = line.substr(2);
    body.erase(0, body.find_first_not_of(' '));
    out += (out.empty() ? "" : "; ") + line.substr(0, 2) + body;
    ++shown;
  }
  return changed > shown ? out + fmt::format("; … ({} more changed lines)", changed - shown) : out;
}

void decide_buffers(const Measurement& base, const Measurement& now, const DecisionOptions& o, QueryDecision& d) {
  d.base_buffers = shadow::median(base.buffers);
  d.now_buffers = shadow::median(now.buffers);
  double up = d.now_buffers - d.base_buffers;
  auto text = fmt::format("buffers {:.0f} → {:.0f} per run (median, {})", d.base_buffers, d.now_buffers,
                          ratio_text(std::max(d.now_buffers, 1.0) / std::max(d.base_buffers, 1.0)));
  if (up >= o.min_buffer_delta && d.now_buffers >= d.base_buffers * o.buffer_ratio) {
    d.statuses.push_back(Status::Regressed);
    d.reasons.push_back("regressed: " + text);
  } else if (-up >= o.min_buffer_delta && d.base_buffers >= d.now_buffers * o.buffer_ratio) {
    d.statuses.push_back(Status::Improved);
    d.reasons.push_back("improved: " + text);
  }
}

// How much slower the machine ran now than when the baseline was taken: the ratio of the probes' medians (1 without
// probes on both sides), within [1/4, 4] (beyond that, something else changed too).
double machine_factor(const Measurement& base, const Measurement& now) {
  if (base.probe_ms.size() < 3 || now.probe_ms.size() < 3) return 1;
  const double before = shadow::median(base.probe_ms);
  const double after = shadow::median(now.probe_ms);
  if (before <= 0 || after <= 0) return 1;
  return std::clamp(after / before, 0.25, 4.0);
}

void decide_time(const Measurement& base, const Measurement& now, const DecisionOptions& o, QueryDecision& d) {
  // The baseline's times as they would be on the machine as it runs now (a loaded runner slows every query alike).
  const double machine = machine_factor(base, now);
  std::vector<double> adjusted = base.execution_ms;
  for (auto& ms : adjusted) ms *= machine;
  d.time = compare_times(adjusted, now.execution_ms, o);
  d.time.machine_factor = machine;
  if (machine != 1) {
    d.time.summary =
        fmt::format("{} (the baseline's times ×{:.2f}: the machine's probe {} → {} ms)", d.time.summary, machine,
                    ms_text(shadow::median(base.probe_ms)), ms_text(shadow::median(now.probe_ms)));
  }
  d.time.base_planning_ms = shadow::median(base.planning_ms);
  d.time.now_planning_ms = shadow::median(now.planning_ms);
  if (d.time.slower) {
    d.statuses.push_back(Status::Regressed);
    d.reasons.push_back("regressed: execution " + d.time.summary);
  } else if (d.time.faster) {
    d.statuses.push_back(Status::Improved);
    d.reasons.push_back("improved: execution " + d.time.summary);
  }
  // Below 8 runs a side the test cannot reach p < 0.01 for any change: say so rather than pass silently.
  if (std::min(d.time.base_runs, d.time.now_runs) < 8) {
    d.warnings.push_back(
        fmt::format("only {} runs: too few for the time test to find a change (record and check "
                    "with 20 or more); buffers, plan and budgets still decide",
                    std::min(d.time.base_runs, d.time.now_runs)));
  }
}

void decide_plan(const Measurement& base, const Measurement& now, QueryDecision& d) {
  if (base.plan.fingerprint.empty() || now.plan.fingerprint.empty()) return;
  if (base.plan.fingerprint == now.plan.fingerprint && base.plan.lines == now.plan.lines) return;
  d.plan_diff = plan_diff(base.plan, now.plan);
  if (d.plan_diff.empty()) return;  // same lines, fingerprint of another version: not a change
  d.statuses.push_back(Status::PlanChanged);
  d.reasons.push_back("plan changed: " + diff_digest(d.plan_diff));
}

void decide_result(const Measurement& base, const Measurement& now, QueryDecision& d) {
  if (base.rows != now.rows) {
    d.result_detail = fmt::format("{} rows → {} rows", base.rows, now.rows);
  } else if (!base.result_checksum.empty() && !now.result_checksum.empty() &&
             base.result_checksum != now.result_checksum) {
    d.result_detail = fmt::format("the same {} rows with other values (checksum {} → {})", now.rows,
                                  base.result_checksum, now.result_checksum);
  }
  if (d.result_detail.empty()) return;
  d.statuses.push_back(Status::ResultChanged);
  d.reasons.push_back("result changed: " + d.result_detail);
}

//! Everything that compares now with the baseline.
void compare_with_baseline(const Measurement& base, const Measurement& now, const DecisionOptions& o,
                           QueryDecision& d) {
  d.has_baseline = true;
  bool same_statement = base.sql_hash.empty() || now.sql_hash.empty() || base.sql_hash == now.sql_hash;
  if (!same_statement) {
    d.warnings.push_back(
        fmt::format("the statement or its parameters changed since the baseline (sql hash {} → "
                    "{}): the result is not compared; re-record the baseline when the change is "
                    "intended",
                    base.sql_hash, now.sql_hash));
  }
  decide_buffers(base, now, o, d);
  decide_time(base, now, o, d);
  decide_plan(base, now, d);
  if (same_statement) decide_result(base, now, d);
}

}  // namespace

QueryDecision decide(const Measurement* base, const Measurement& now, const std::vector<Budget>& budgets,
                     const DecisionOptions& o) {
  QueryDecision d;
  d.name = now.name;
  if (!now.error.empty()) {
    d.error = now.error;
    d.statuses.push_back(Status::Error);
    d.reasons.push_back("error: " + now.error);
    finish(d, o);
    return d;
  }
  if (base && !base->error.empty()) {
    d.warnings.push_back("the baseline recorded an error for this query (" + base->error +
                         "): only its budgets were checked; re-record the baseline");
    base = nullptr;
  }
  if (base) {
    compare_with_baseline(*base, now, o, d);
  } else {
    d.time = compare_times({}, now.execution_ms, o);
    d.time.now_planning_ms = shadow::median(now.planning_ms);
    d.time.summary =
        fmt::format("median {} ms, p95 {} ms (no baseline)", ms_text(d.time.now_median_ms), ms_text(d.time.now_p95_ms));
    d.now_buffers = shadow::median(now.buffers);
  }
  d.budget_failures = check_budgets(now, budgets);
  for (const auto& f : d.budget_failures) {
    d.statuses.push_back(Status::OverBudget);
    d.reasons.push_back("over budget: " + f);
  }
  finish(d, o);
  return d;
}

std::vector<QueryDecision> decide_all(const Baseline* baseline, const std::vector<GuardedQuery>& queries,
                                      const std::vector<Measurement>& now, const DecisionOptions& o) {
  std::map<std::string, const Measurement*> measured;
  for (const auto& m : now) measured.emplace(m.name, &m);
  std::map<std::string, const Measurement*> recorded;
  if (baseline) {
    for (const auto& m : baseline->queries) recorded.emplace(m.name, &m);
  }
  std::vector<QueryDecision> out;
  for (const auto& q : queries) {
    auto m = measured.find(q.name);
    if (m == measured.end()) {
      Measurement unmeasured;
      unmeasured.name = q.name;
      unmeasured.error = "not measured: no measurement was taken for this query";
      out.push_back(decide(nullptr, unmeasured, q.budgets, o));
      continue;
    }
    auto r = recorded.find(q.name);
    out.push_back(decide(r == recorded.end() ? nullptr : r->second, *m->second, q.budgets, o));
    if (baseline && r == recorded.end()) {
      auto& d = out.back();
      if (o.fail_on_new) {
        d.statuses.push_back(Status::Missing);
        d.reasons.emplace_back("missing: not in the baseline; record a new baseline with `pgadvisor gate record`");
        finish(d, o);
      } else {
        d.warnings.emplace_back(
            "not in the baseline: only its budgets were checked; record a new baseline with "
            "`pgadvisor gate record` to guard it");
      }
    }
  }
  if (baseline) {
    for (const auto& m : baseline->queries) {
      if (std::any_of(queries.begin(), queries.end(), [&](const GuardedQuery& q) { return q.name == m.name; }))
        continue;
      QueryDecision d;
      d.name = m.name;
      d.has_baseline = true;
      d.statuses.push_back(Status::Missing);
      d.reasons.emplace_back(
          "missing: in the baseline but no longer among the queries; re-record the baseline "
          "(`pgadvisor gate record`) if it was removed on purpose");
      finish(d, o);
      out.push_back(std::move(d));
    }
  }
  return out;
}

bool gate_fails(const std::vector<QueryDecision>& decisions) {
  return std::any_of(decisions.begin(), decisions.end(), [](const QueryDecision& d) { return d.failed; });
}

// ---- The environment --------------------------------------------------------------------------------------------

namespace {

//! 15 for 150005 or "15.5", 9 for 90624 (9.6's major is 9.6, but baselines from 9.x are refused anyway).
int major_version(const Environment& e) {
  if (e.server_version_num > 0) return e.server_version_num / 10000;
  int major = 0;
  for (char c : e.server_version) {
    if (c < '0' || c > '9') break;
    major = major * 10 + (c - '0');
  }
  return major;
}

std::string size_text(int64_t bytes) {
  auto b = static_cast<double>(bytes);
  if (b >= 1e9) return fmt::format("{:.1f} GB", b / 1e9);
  if (b >= 1e6) return fmt::format("{:.1f} MB", b / 1e6);
  return fmt::format("{:.0f} kB", b / 1e3);
}

void setting_warnings(const Environment& base, const Environment& now, std::vector<std::string>& out) {
  std::map<std::string, std::pair<std::string, std::string>> all;
  for (const auto& [k, v] : base.settings) all[k].first = v;
  for (const auto& [k, v] : now.settings) all[k].second = v;
  for (const auto& [k, v] : all) {
    if (v.first == v.second) continue;
    out.push_back(fmt::format("setting {}: {} → {}", k, base.settings.contains(k) ? v.first : "(not recorded)",
                              now.settings.contains(k) ? v.second : "(not reported)"));
  }
}

}  // namespace

std::vector<std::string> environment_warnings(const Environment& base, const Environment& now) {
  int base_major = major_version(base);
  int now_major = major_version(now);
  if (base_major != 0 && now_major != 0 && base_major != now_major) {
    throw EnvironmentMismatch(
        fmt::format("the baseline was recorded on PostgreSQL {}, this server runs {}: plans and "
                    "times do not compare across major versions; re-record the baseline on "
                    "this server with `pgadvisor gate record`",
                    base.server_version, now.server_version));
  }
  std::vector<std::string> out;
  if (base.server_version != now.server_version) {
    out.push_back(fmt::format("server {} → {} (a minor release: plans should not change)", base.server_version,
                              now.server_version));
  }
  setting_warnings(base, now, out);
  if (base.machine != now.machine) {
    out.push_back(fmt::format("machine {} → {}: times compare across machines less well than buffers and plans",
                              base.machine.empty() ? "(not recorded)" : base.machine, now.machine));
  }
  if (base.database_bytes > 0 && now.database_bytes > 0) {
    double growth = static_cast<double>(now.database_bytes) / static_cast<double>(base.database_bytes);
    if (growth >= 1.5 || growth <= 1 / 1.5) {
      out.push_back(fmt::format("database size {} → {} ({}): times and buffers follow the data",
                                size_text(base.database_bytes), size_text(now.database_bytes), ratio_text(growth)));
    }
  }
  return out;
}

}  // namespace pgadvisor::gate
