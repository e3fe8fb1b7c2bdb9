// DDSketch with a dense bucket array: a latency log spans a few thousand buckets at most (1 us to 1 h is about
// 1,100 buckets at 1 %), so an array beats a map; folding keeps memory bounded for absurd ranges.
#include "analyzer/latency_sketch.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>

namespace pgadvisor::analyzer {

LatencySketch::LatencySketch(double relative_error)
    : relative_error_(relative_error),
      gamma_((1 + relative_error) / (1 - relative_error)),
      log_gamma_(std::log(gamma_)) {
  assert(relative_error > 0 && relative_error < 1);
}

int LatencySketch::index_of(double value) const { return static_cast<int>(std::ceil(std::log(value) / log_gamma_)); }

// The bucket (gamma^(i-1), gamma^i] is represented by 2 gamma^i / (gamma + 1): every value of the bucket is
// within relative error (gamma - 1) / (gamma + 1) = a of it.
double LatencySketch::value_of(int index) const { return 2 * std::pow(gamma_, index) / (gamma_ + 1); }

void LatencySketch::ensure(int index) {
  if (buckets_.empty()) {
    offset_ = index;
    buckets_.assign(1, 0);
    return;
  }
  if (index < offset_) {
    buckets_.insert(buckets_.begin(), static_cast<size_t>(offset_ - index), 0);
    offset_ = index;
  } else if (index >= offset_ + static_cast<int>(buckets_.size())) {
    buckets_.resize(static_cast<size_t>(index - offset_) + 1, 0);
  }
  if (buckets_.size() > kMaxBuckets) {  // fold the lowest buckets into the lowest one kept
    const size_t excess = buckets_.size() - kMaxBuckets;
    uint64_t folded = 0;
    for (size_t k = 0; k <= excess; ++k) folded += buckets_[k];
    buckets_.erase(buckets_.begin(), buckets_.begin() + static_cast<std::ptrdiff_t>(excess));
    buckets_[0] = folded;
    offset_ += static_cast<int>(excess);
  }
}

void LatencySketch::add(double value, uint64_t count) {
  count_ += count;
  if (!(value > kMinIndexable)) {  // also catches NaN
    zero_count_ += count;
    return;
  }
  const int index = index_of(value);
  ensure(index);
  // Folding may have moved the lowest index above this value's: it then lands in the lowest bucket.
  buckets_[static_cast<size_t>(std::max(index, offset_) - offset_)] += count;
}

void LatencySketch::merge(const LatencySketch& other) {
  assert(other.relative_error_ == relative_error_);
  count_ += other.count_;
  zero_count_ += other.zero_count_;
  if (other.buckets_.empty()) return;
  ensure(other.offset_);
  ensure(other.offset_ + static_cast<int>(other.buckets_.size()) - 1);
  for (size_t k = 0; k < other.buckets_.size(); ++k) {
    const int index = std::max(other.offset_ + static_cast<int>(k), offset_);
    buckets_[static_cast<size_t>(index - offset_)] += other.buckets_[k];
  }
}

double LatencySketch::quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const auto rank = static_cast<uint64_t>(q * static_cast<double>(count_ - 1));
  uint64_t seen = zero_count_;
  if (rank < seen) return 0;
  for (size_t k = 0; k < buckets_.size(); ++k) {
    seen += buckets_[k];
    if (rank < seen) return value_of(offset_ + static_cast<int>(k));
  }
  return value_of(offset_ + static_cast<int>(buckets_.size()) - 1);
}

std::string LatencySketch::serialize() const {
  std::string out = std::to_string(zero_count_);
  out.push_back(';');
  bool first = true;
  for (size_t k = 0; k < buckets_.size(); ++k) {
    if (buckets_[k] == 0) continue;
    if (!first) out.push_back(',');
    first = false;
    out += std::to_string(offset_ + static_cast<int>(k));
    out.push_back(':');
    out += std::to_string(buckets_[k]);
  }
  return out;
}

LatencySketch LatencySketch::parse(std::string_view text, double relative_error) {
  LatencySketch sketch(relative_error);
  const char* p = text.data();
  const char* const end = p + text.size();
  uint64_t zero = 0;
  p = std::from_chars(p, end, zero).ptr;
  sketch.zero_count_ = zero;
  sketch.count_ = zero;
  if (p < end && *p == ';') ++p;
  while (p < end) {
    int index = 0;
    uint64_t count = 0;
    auto r = std::from_chars(p, end, index);
    if (r.ec != std::errc() || r.ptr >= end || *r.ptr != ':') break;
    r = std::from_chars(r.ptr + 1, end, count);
    if (r.ec != std::errc()) break;
    sketch.ensure(index);
    sketch.buckets_[static_cast<size_t>(std::max(index, sketch.offset_) - sketch.offset_)] += count;
    sketch.count_ += count;
    p = r.ptr;
    if (p < end && *p == ',') ++p;
  }
  return sketch;
}

}  // namespace pgadvisor::analyzer
