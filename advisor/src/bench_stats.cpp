// Quantiles and the stratified bootstrap of the speedup (see bench_stats.hpp for the method).
#include "advisor/bench_stats.hpp"

#include <algorithm>
#include <cmath>

namespace pgadvisor::advisor {
namespace {

// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and identical on every platform, unlike std's distributions.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  //! Uniform in [0, n) up to a modulo bias below 2^-40 for the sizes used here.
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }

 private:
  uint64_t state_;
};

constexpr double kResolutionMs = 0.001;  // EXPLAIN ANALYZE prints three decimals

std::vector<double> pooled(const std::vector<std::vector<double>>& groups) {
  std::vector<double> all;
  for (const auto& g : groups) all.insert(all.end(), g.begin(), g.end());
  return all;
}

double ratio(double before, double after) { return std::max(before, kResolutionMs) / std::max(after, kResolutionMs); }

void resample(const std::vector<std::vector<double>>& groups, SplitMix64& rng, std::vector<double>& out) {
  out.clear();
  for (const auto& g : groups) {
    for (size_t i = 0; i < g.size(); ++i) out.push_back(g[rng.below(g.size())]);
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

SpeedupEstimate bootstrap_speedup(const std::vector<std::vector<double>>& before,
                                  const std::vector<std::vector<double>>& after, int resamples, uint64_t seed) {
  SpeedupEstimate e;
  auto b = pooled(before);
  auto a = pooled(after);
  if (b.empty() || a.empty()) return e;
  e.speedup = ratio(median(b), median(a));
  SplitMix64 rng(seed);
  std::vector<double> ratios;
  ratios.reserve(static_cast<size_t>(std::max(resamples, 1)));
  std::vector<double> rb;
  std::vector<double> ra;
  for (int i = 0; i < resamples; ++i) {
    resample(before, rng, rb);
    resample(after, rng, ra);
    ratios.push_back(ratio(median(rb), median(ra)));
  }
  e.ci_low = quantile(ratios, 0.025);
  e.ci_high = quantile(ratios, 0.975);
  return e;
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

}  // namespace pgadvisor::advisor
