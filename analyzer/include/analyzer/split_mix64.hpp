// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator, the same on every platform (unlike std::
// distributions), so that seeded results repeat everywhere: the bench's bootstrap intervals, the benchmarks' and
// tests' generated statements.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pgadvisor::analyzer {

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
  bool chance(unsigned percent) { return below(100) < percent; }
  template <typename T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  uint64_t state_;
};

}  // namespace pgadvisor::analyzer
