// The gate's detection power against its noise on real measurements (bench/gate/run.sh): a baseline and N later
// measurements of the same unchanged database (taken while another process loads the machine), each compared with
// the baseline by the gate's rule (gate/decision.hpp: buffers, or a one-sided Mann–Whitney U test with minimum
// effects) and by a plain "fail when the mean is 10 % slower" rule. Unchanged, every failure is a false one; then
// each measurement's times are multiplied by a slowdown factor (buffers untouched: the time rule alone) to find the
// smallest slowdown each rule detects in at least 95 % of the comparisons.
//   bench_gate_noise BASELINE.json RUN.json...
#include <algorithm>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "gate/baseline.hpp"
#include "gate/decision.hpp"

using namespace pgadvisor::gate;

namespace {

Baseline read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return baseline_from_json(text.str(), path);
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// The gate's verdict on time (and buffers, unchanged when scaled): a regression.
bool gate_regressed(const Measurement& base, const Measurement& now, const DecisionOptions& options) {
  const auto d = decide(&base, now, {}, options);
  return std::ranges::find(d.statuses, Status::Regressed) != d.statuses.end();
}

bool mean_rule_regressed(const Measurement& base, const Measurement& now) {
  return mean(now.execution_ms) > 1.10 * mean(base.execution_ms);
}

Measurement slowed(Measurement m, double factor) {
  for (auto& ms : m.execution_ms) ms *= factor;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench_gate_noise BASELINE.json RUN.json...\n";
    return 2;
  }
  try {
    const Baseline baseline = read(argv[1]);
    std::vector<Baseline> runs;
    for (int i = 2; i < argc; ++i) runs.push_back(read(argv[i]));
    DecisionOptions options;
    options.bootstrap_resamples = 0;  // the interval is evidence only; it does not decide
    const std::vector<double> factors{1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.4, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0};
    fmt::print("{:<24} {:>9} {:>7} {:>7}  {:>12} {:>12}\n", "query", "median ms", "gate", "mean+10%", "gate 95% at",
               "mean+10% at");
    int gate_false = 0;
    int mean_false = 0;
    int comparisons = 0;
    for (const auto& base : baseline.queries) {
      std::vector<const Measurement*> now;
      for (const auto& run : runs) {
        for (const auto& m : run.queries) {
          if (m.name == base.name && m.error.empty()) now.push_back(&m);
        }
      }
      if (now.empty() || !base.error.empty()) continue;
      int g = 0;
      int n = 0;
      for (const auto* m : now) {
        g += gate_regressed(base, *m, options) ? 1 : 0;
        n += mean_rule_regressed(base, *m) ? 1 : 0;
      }
      gate_false += g;
      mean_false += n;
      comparisons += static_cast<int>(now.size());
      // The smallest factor whose slowdown each rule flags in ≥ 95 % of the runs.
      auto detected_at = [&](auto&& rule) -> std::string {
        for (double f : factors) {
          int hits = 0;
          for (const auto* m : now) hits += rule(slowed(*m, f)) ? 1 : 0;
          if (hits >= 0.95 * static_cast<double>(now.size())) return fmt::format("×{:.2f}", f);
        }
        return "> ×4";
      };
      std::vector<double> sorted = base.execution_ms;
      std::ranges::sort(sorted);
      fmt::print("{:<24} {:>9.3f} {:>3}/{:<3} {:>3}/{:<3}  {:>12} {:>12}\n", base.name.substr(0, 24),
                 sorted.empty() ? 0 : sorted[sorted.size() / 2], g, now.size(), n, now.size(),
                 detected_at([&](const Measurement& m) { return gate_regressed(base, m, options); }),
                 detected_at([&](const Measurement& m) { return mean_rule_regressed(base, m); }));
    }
    fmt::print("\nfalse failures over {} unchanged comparisons: gate {} ({:.1f} %), mean +10 % rule {} ({:.1f} %)\n",
               comparisons, gate_false, comparisons ? 100.0 * gate_false / comparisons : 0.0, mean_false,
               comparisons ? 100.0 * mean_false / comparisons : 0.0);
  } catch (const std::exception& e) {
    std::cerr << "bench_gate_noise: " << e.what() << "\n";
    return 3;
  }
  return 0;
}
