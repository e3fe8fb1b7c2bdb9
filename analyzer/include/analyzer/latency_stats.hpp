// Latency statistics of one query class: count, total, min, max, mean, standard deviation and quantiles.
// Mergeable, so that files and threads are summarized separately and combined exactly.
#pragma once

#include <cstdint>

#include "analyzer/latency_sketch.hpp"

namespace pgadvisor::analyzer {

//! Moments by Welford's update, merged with Chan, Golub and LeVeque's parallel formula ("Updating formulae and a
//! pairwise algorithm for computing sample variances", 1979); quantiles from a LatencySketch (1 % relative error).
class LatencyStats {
 public:
  explicit LatencyStats(double relative_error = LatencySketch::kDefaultRelativeError) : sketch_(relative_error) {}

  //! One execution's duration, in milliseconds.
  void add(double ms);
  void merge(const LatencyStats& other);

  uint64_t count() const { return count_; }
  double total() const { return total_; }
  double min() const { return count_ == 0 ? 0 : min_; }
  double max() const { return count_ == 0 ? 0 : max_; }
  double mean() const { return mean_; }
  //! Population variance and standard deviation (as pg_stat_statements' stddev_exec_time).
  double variance() const { return count_ == 0 ? 0 : m2_ / static_cast<double>(count_); }
  double stddev() const;
  //! The q-quantile within the sketch's relative error, clamped to [min, max].
  double quantile(double q) const;
  double p50() const { return quantile(0.50); }
  double p95() const { return quantile(0.95); }
  double p99() const { return quantile(0.99); }
  const LatencySketch& sketch() const { return sketch_; }

 private:
  uint64_t count_ = 0;
  double total_ = 0;
  double min_ = 0;
  double max_ = 0;
  double mean_ = 0;
  double m2_ = 0;  //!< sum of squared deviations from the mean
  LatencySketch sketch_;
};

}  // namespace pgadvisor::analyzer
