// Synthetic run times for the gate's decision tests: the analyzer's seeded SplitMix64 and Box–Muller, so that every
// standard library draws the same samples (std::normal_distribution's output is not specified).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "analyzer/split_mix64.hpp"

namespace gate_test {

class Rng {
 public:
  explicit Rng(uint64_t seed) : bits_(seed) {}

  //! Uniform in (0, 1).
  double uniform() { return (static_cast<double>(bits_.next() >> 11) + 0.5) / 9007199254740992.0; }

  double normal() { return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); }

  //! `n` run times whose median is `median_ms`, with a log-normal spread `sigma` (0.15: about ±15 %).
  std::vector<double> lognormal_runs(int n, double median_ms, double sigma) {
    std::vector<double> runs;
    for (int i = 0; i < n; ++i) runs.push_back(median_ms * std::exp(sigma * normal()));
    return runs;
  }

 private:
  pgadvisor::analyzer::SplitMix64 bits_;
};

}  // namespace gate_test
