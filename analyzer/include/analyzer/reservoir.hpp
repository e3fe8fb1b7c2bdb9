// A fixed-size, mergeable random sample of a stream (concrete statements, parameter sets) kept per query class
// for EXPLAIN and benchmarks. Weighted sampling without replacement, A-Res (Efraimidis and Spirakis, 2006).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace pgadvisor::analyzer {

//! Each item gets the key log(u) / w, u uniform in (0, 1], w its weight; the sample is the `capacity` items with
//! the largest keys. With unit weights this is a uniform sample, distributed as Algorithm R's (Vitter 1985);
//! unlike Algorithm R, two samples merge into an exact sample of the union: keep the largest keys of both.
//! The generator is seeded explicitly, so a run is reproducible.
template <typename T>
class Reservoir {
 public:
  Reservoir(size_t capacity, uint64_t seed) : capacity_(capacity), rng_(seed) {}

  //! Offers an item with weight > 0 (e.g. its duration, to favour the slow executions).
  void add(T item, double weight = 1.0) {
    ++seen_;
    if (capacity_ == 0 || !(weight > 0)) return;
    const double u = static_cast<double>((rng_() >> 11) + 1) * 0x1.0p-53;  // uniform in (0, 1]
    offer(std::log(u) / weight, std::move(item));
  }

  //! Merges another sample into this one: the result is a sample of both streams together.
  void merge(const Reservoir& other) {
    seen_ += other.seen_;
    for (const Entry& e : other.heap_) offer(e.key, e.item);
  }

  //! The sampled items, in no particular order.
  std::vector<T> items() const {
    std::vector<T> out;
    out.reserve(heap_.size());
    for (const Entry& e : heap_) out.push_back(e.item);
    return out;
  }
  size_t size() const { return heap_.size(); }
  size_t capacity() const { return capacity_; }
  uint64_t seen() const { return seen_; }  //!< items offered so far, merged ones included

 private:
  struct Entry {
    double key;
    T item;
  };
  static bool smaller_key_first(const Entry& a, const Entry& b) { return a.key > b.key; }  // min-heap on key

  void offer(double key, T item) {
    if (heap_.size() < capacity_) {
      heap_.push_back(Entry{key, std::move(item)});
      std::push_heap(heap_.begin(), heap_.end(), smaller_key_first);
    } else if (key > heap_.front().key) {
      std::pop_heap(heap_.begin(), heap_.end(), smaller_key_first);
      heap_.back() = Entry{key, std::move(item)};
      std::push_heap(heap_.begin(), heap_.end(), smaller_key_first);
    }
  }

  size_t capacity_;
  std::mt19937_64 rng_;  //!< its output sequence is fixed by the standard, unlike std:: distributions
  std::vector<Entry> heap_;
  uint64_t seen_ = 0;
};

}  // namespace pgadvisor::analyzer
