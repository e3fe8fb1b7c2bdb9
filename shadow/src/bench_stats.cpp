// Quantiles and the stratified bootstrap of the speedup (see bench_stats.hpp for the method).
#include "shadow/bench_stats.hpp"

#include <algorithm>
#include <cmath>

#include "analyzer/split_mix64.hpp"

namespace pgadvisor::shadow {
namespace {

using analyzer::SplitMix64;

constexpr double kResolutionMs = 0.001;  // EXPLAIN ANALYZE prints three decimals

double ratio(double before, double after) { return std::max(before, kResolutionMs) / std::max(after, kResolutionMs); }

// Runs by group, then by round: runs[group][round] holds that group's times in that round.
using ByRound = std::vector<std::vector<std::vector<double>>>;

ByRound by_round(const std::vector<std::vector<TimedRun>>& groups, int rounds) {
  ByRound out(groups.size(), std::vector<std::vector<double>>(static_cast<size_t>(rounds)));
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const auto& run : groups[g]) out[g][static_cast<size_t>(run.round)].push_back(run.ms);
  }
  return out;
}

std::vector<double> pooled(const ByRound& groups) {
  std::vector<double> all;
  for (const auto& g : groups) {
    for (const auto& r : g) all.insert(all.end(), r.begin(), r.end());
  }
  return all;
}

// One replicate of one state: the drawn rounds' runs of every group, each run drawn with replacement.
void resample(const ByRound& groups, const std::vector<size_t>& rounds, SplitMix64& rng, std::vector<double>& out) {
  out.clear();
  for (const auto& g : groups) {
    for (size_t r : rounds) {
      const auto& runs = g[r];
      for (size_t i = 0; i < runs.size(); ++i) out.push_back(runs[rng.below(runs.size())]);
    }
  }
}

}  // namespace

double quantile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double h = (static_cast<double>(values.size()) - 1) * std::clamp(p, 0.0, 1.0);
  auto lo = static_cast<size_t>(std::floor(h));
  size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

SpeedupEstimate bootstrap_speedup(const std::vector<std::vector<TimedRun>>& before,
                                  const std::vector<std::vector<TimedRun>>& after, int resamples, uint64_t seed) {
  int rounds = 1;
  for (const auto* state : {&before, &after}) {
    for (const auto& g : *state) {
      for (const auto& run : g) rounds = std::max(rounds, run.round + 1);
    }
  }
  auto b_runs = by_round(before, rounds);
  auto a_runs = by_round(after, rounds);
  SpeedupEstimate e;
  auto b = pooled(b_runs);
  auto a = pooled(a_runs);
  if (b.empty() || a.empty()) return e;
  e.speedup = ratio(median(b), median(a));
  SplitMix64 rng(seed);
  std::vector<double> ratios;
  ratios.reserve(static_cast<size_t>(std::max(resamples, 1)));
  std::vector<size_t> drawn(static_cast<size_t>(rounds));
  std::vector<double> rb;
  std::vector<double> ra;
  for (int i = 0; i < resamples; ++i) {
    for (auto& r : drawn) r = rng.below(static_cast<size_t>(rounds));
    resample(b_runs, drawn, rng, rb);
    resample(a_runs, drawn, rng, ra);
    if (rb.empty() || ra.empty()) continue;  // the drawn rounds hold no run of a state: no replicate
    ratios.push_back(ratio(median(rb), median(ra)));
  }
  e.ci_low = quantile(ratios, 0.025);
  e.ci_high = quantile(ratios, 0.975);
  return e;
}

SpeedupEstimate bootstrap_speedup(const std::vector<std::vector<double>>& before,
                                  const std::vector<std::vector<double>>& after, int resamples, uint64_t seed) {
  auto one_round = [](const std::vector<std::vector<double>>& groups) {
    std::vector<std::vector<TimedRun>> out;
    for (const auto& g : groups) {
      auto& runs = out.emplace_back();
      for (double ms : g) runs.push_back({ms, 0});
    }
    return out;
  };
  return bootstrap_speedup(one_round(before), one_round(after), resamples, seed);
}

Verdict verdict_of(const SpeedupEstimate& e) {
  if (e.ci_low > 1) return Verdict::Faster;
  if (e.ci_high < 1) return Verdict::Slower;
  return Verdict::Unchanged;
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::Faster:
      return "faster";
    case Verdict::Slower:
      return "slower";
    case Verdict::Unchanged:
      return "unchanged";
    case Verdict::Error:
      return "error";
  }
  return "error";
}

}  // namespace pgadvisor::shadow
