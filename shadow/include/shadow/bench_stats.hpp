// Statistics of the shadow benchmark: median and p95 of run times, and the speedup (ratio of medians before/after)
// with a bootstrap 95 % confidence interval (percentile method, Efron & Tibshirani 1993, ch. 13) that resamples
// within each parameter set, so that a mix of cheap and expensive parameter sets cannot masquerade as a change,
// and in two stages: first the rounds (a before block and an after block run back to back), then the runs within
// them, so that drift between rounds (caches, other load) widens the interval instead of passing for a change.
// The random stream is a fixed-seed SplitMix64: the same samples always give the same interval.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace pgadvisor::shadow {

//! The p-quantile (0..1) of `values` with linear interpolation between order statistics (type 7); 0 when empty.
double quantile(std::vector<double> values, double p);
inline double median(std::vector<double> values) { return quantile(std::move(values), 0.5); }

struct SpeedupEstimate {
  double speedup = 1;  //!< median(before) / median(after): 2 means twice as fast
  double ci_low = 1;   //!< 95 % bootstrap interval of the speedup
  double ci_high = 1;
};

//! One measured run: its time and the round it ran in.
struct TimedRun {
  double ms = 0;
  int round = 0;
};

//! Groups are the runs of one parameter set (the same index in `before` and `after`); `resamples` bootstrap
//! replicates, each drawing as many rounds as were run, with replacement (the same ones for before and after),
//! then every group's runs of those rounds with replacement. Times of zero count as the timer's resolution.
SpeedupEstimate bootstrap_speedup(const std::vector<std::vector<TimedRun>>& before,
                                  const std::vector<std::vector<TimedRun>>& after, int resamples = 2000,
                                  uint64_t seed = 20261201);
//! The same with every run in one round.
SpeedupEstimate bootstrap_speedup(const std::vector<std::vector<double>>& before,
                                  const std::vector<std::vector<double>>& after, int resamples = 2000,
                                  uint64_t seed = 20261201);

enum class Verdict { Faster, Slower, Unchanged, Error };

//! Faster when the whole interval is above 1, slower when it is below 1, otherwise unchanged.
Verdict verdict_of(const SpeedupEstimate& estimate);
std::string_view to_string(Verdict verdict);

}  // namespace pgadvisor::shadow
