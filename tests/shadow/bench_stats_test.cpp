// The benchmark's statistics: quantiles, and verdicts only where the bootstrap interval excludes 1 (deterministic).
#include "shadow/bench_stats.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor::shadow;

TEST_CASE("quantiles interpolate between order statistics", "[shadow][bench_stats]") {
  CHECK(quantile({}, 0.5) == 0);
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 2, 3}) == Approx(2.5));
  CHECK(quantile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}, 0.95) == Approx(20));
}

TEST_CASE("the bootstrap interval decides the verdict, the same way every time", "[shadow][bench_stats]") {
  std::vector<std::vector<double>> slow{{10, 11, 12, 10.5, 11.5, 10.2}, {20, 21, 19, 22, 20.5, 19.5}};
  std::vector<std::vector<double>> fast{{1, 1.1, 0.9, 1.05, 0.95, 1.0}, {2, 2.1, 1.9, 2.05, 1.95, 2.0}};
  auto faster = bootstrap_speedup(slow, fast);
  CHECK(faster.speedup > 5);
  CHECK(faster.ci_low > 1);
  CHECK(verdict_of(faster) == Verdict::Faster);
  auto again = bootstrap_speedup(slow, fast);
  CHECK(again.ci_low == faster.ci_low);
  CHECK(again.ci_high == faster.ci_high);

  auto slower = bootstrap_speedup(fast, slow);
  CHECK(slower.ci_high < 1);
  CHECK(verdict_of(slower) == Verdict::Slower);

  // Overlapping noise: the interval contains 1.
  std::vector<std::vector<double>> a{{1.0, 1.2, 0.9, 1.1, 1.3, 0.8, 1.05, 0.95}};
  std::vector<std::vector<double>> b{{1.1, 0.9, 1.2, 1.0, 0.85, 1.25, 1.0, 0.97}};
  auto same = bootstrap_speedup(a, b);
  CHECK(same.ci_low <= 1);
  CHECK(same.ci_high >= 1);
  CHECK(verdict_of(same) == Verdict::Unchanged);
  CHECK(to_string(Verdict::Unchanged) == "unchanged");
}

TEST_CASE("drift between rounds widens the interval instead of passing for a change", "[shadow][bench_stats]") {
  // Four rounds; within each, before and after take the same time (plus a little noise), but the machine got
  // slower from round to round, and the after block ran first in the slow rounds: pooled, "before" looks slower.
  std::vector<std::vector<TimedRun>> before(1);
  std::vector<std::vector<TimedRun>> after(1);
  const double level[] = {1.0, 1.0, 3.0, 3.0};
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 6; ++i) {
      double noise = 0.01 * (i % 3);
      // before runs: 6 in the cheap rounds at level, 2 in the expensive ones; after the opposite.
      if (round < 2 || i < 2) before[0].push_back({level[round] + noise, round});
      if (round >= 2 || i < 2) after[0].push_back({level[round] + noise, round});
    }
  }
  // Without rounds (the runs as if independent) the interval may exclude 1.
  std::vector<std::vector<double>> flat_before(1);
  std::vector<std::vector<double>> flat_after(1);
  for (const auto& r : before[0]) flat_before[0].push_back(r.ms);
  for (const auto& r : after[0]) flat_after[0].push_back(r.ms);
  auto naive = bootstrap_speedup(flat_before, flat_after);
  CHECK(verdict_of(naive) != Verdict::Unchanged);
  // Resampling whole rounds keeps each round's before and after together: no change can be claimed.
  auto by_round = bootstrap_speedup(before, after);
  CHECK(by_round.ci_low <= 1);
  CHECK(by_round.ci_high >= 1);
  CHECK(verdict_of(by_round) == Verdict::Unchanged);

  // A real, steady speedup in every round survives the round-level resampling.
  std::vector<std::vector<TimedRun>> slow(1);
  std::vector<std::vector<TimedRun>> fast(1);
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 6; ++i) {
      slow[0].push_back({level[round] * 10 + 0.1 * i, round});
      fast[0].push_back({level[round] + 0.01 * i, round});
    }
  }
  CHECK(verdict_of(bootstrap_speedup(slow, fast)) == Verdict::Faster);
}
