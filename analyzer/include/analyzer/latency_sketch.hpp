// A mergeable quantile sketch for latencies with a guaranteed relative error (DDSketch: Masson, Rim, Lee,
// "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with Relative-Error Guarantees", VLDB 2019).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::analyzer {

//! Log-bucketed histogram: value x > 0 goes to bucket ceil(log_gamma(x)), gamma = (1 + a) / (1 - a). Any quantile
//! it returns is within relative error a of the exact one (the value of rank floor(q * (count - 1)) in sorted
//! order), for values inside the indexable range. Merging two sketches gives exactly the sketch of the union.
class LatencySketch {
 public:
  static constexpr double kDefaultRelativeError = 0.01;
  //! Buckets kept at most; beyond, the lowest buckets are folded together (needs max/min > 1e35 at a = 1 %).
  static constexpr size_t kMaxBuckets = 4096;
  //! Values at or below this (including 0 and negative values) are counted as 0.
  static constexpr double kMinIndexable = 1e-9;

  explicit LatencySketch(double relative_error = kDefaultRelativeError);

  void add(double value, uint64_t count = 1);
  //! Adds other's counts; both must have the same relative error (asserted).
  void merge(const LatencySketch& other);
  //! The q-quantile, q in [0, 1]; 0 when empty.
  double quantile(double q) const;

  //! An exact text form, "zero;index:count,index:count,…" (non-empty buckets, ascending indexes), so that a stored
  //! sketch merges as if it had never left memory.
  std::string serialize() const;
  //! What serialize() wrote; parsing stops at the first malformed bucket.
  static LatencySketch parse(std::string_view text, double relative_error = kDefaultRelativeError);

  uint64_t count() const { return count_; }
  double relative_error() const { return relative_error_; }

 private:
  int index_of(double value) const;
  double value_of(int index) const;
  void ensure(int index);  //!< grows buckets_ to cover index

  double relative_error_;
  double gamma_;
  double log_gamma_;
  uint64_t zero_count_ = 0;  //!< values <= kMinIndexable
  uint64_t count_ = 0;
  int offset_ = 0;                 //!< bucket index of buckets_[0]
  std::vector<uint64_t> buckets_;  //!< counts, dense from offset_
};

}  // namespace pgadvisor::analyzer
