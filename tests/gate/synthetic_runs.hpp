// Synthetic run times for the gate's decision tests: a seeded SplitMix64 and Box–Muller, so that every standard
// library draws the same samples (std::normal_distribution's output is not specified).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace gate_test {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  //! Uniform in (0, 1).
  double uniform() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (static_cast<double>(z >> 11) + 0.5) / 9007199254740992.0;
  }

  double normal() { return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); }

  //! `n` run times whose median is `median_ms`, with a log-normal spread `sigma` (0.15: about ±15 %).
  std::vector<double> lognormal_runs(int n, double median_ms, double sigma) {
    std::vector<double> runs;
    for (int i = 0; i < n; ++i) runs.push_back(median_ms * std::exp(sigma * normal()));
    return runs;
  }

 private:
  uint64_t state_;
};

}  // namespace gate_test
