// LatencyStats: Welford's running moments and their pairwise merge; the sketch holds the distribution.
// The merged mean and variance equal those of the concatenated data up to rounding.
#include "analyzer/latency_stats.hpp"

#include <algorithm>
#include <cmath>

namespace pgadvisor::analyzer {

void LatencyStats::add(double ms) {
  ms = std::max(ms, 0.0);
  if (count_ == 0) {
    min_ = max_ = ms;
  } else {
    min_ = std::min(min_, ms);
    max_ = std::max(max_, ms);
  }
  ++count_;
  total_ += ms;
  const double delta = ms - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (ms - mean_);
  sketch_.add(ms);
}

void LatencyStats::merge(const LatencyStats& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const auto na = static_cast<double>(count_);
  const auto nb = static_cast<double>(other.count_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * nb / n;
  m2_ += other.m2_ + delta * delta * na * nb / n;
  count_ += other.count_;
  total_ += other.total_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sketch_.merge(other.sketch_);
}

double LatencyStats::stddev() const { return std::sqrt(variance()); }

double LatencyStats::quantile(double q) const {
  if (count_ == 0) return 0;
  return std::clamp(sketch_.quantile(q), min_, max_);
}

}  // namespace pgadvisor::analyzer
