// The time rule against noise, over 1000 seeded trials of synthetic runs: how often it fails a query that did not
// change (false failures) and which slowdown it catches 95 % of the time (power), compared with a plain "fail when
// the mean is 10 % slower" rule on the same samples. Run with `-s` to read the rates (INFO).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "gate/decision.hpp"
#include "synthetic_runs.hpp"

using namespace pgadvisor::gate;

namespace {

constexpr int kTrials = 1000;
constexpr int kRuns = 20;

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

//! The rule of the gate (no bootstrap: it does not decide).
bool gate_rule_fails(const std::vector<double>& base, const std::vector<double>& now) {
  DecisionOptions o;
  o.bootstrap_resamples = 0;
  return compare_times(base, now, o).slower;
}

bool mean_rule_fails(const std::vector<double>& base, const std::vector<double>& now) {
  return mean(now) > 1.10 * mean(base);
}

//! How a shared CI runner disturbs a sample: the whole check runs on a machine a few percent faster or slower than
//! when the baseline was recorded (log-normal, `shift_sigma`), and `outliers` of the runs hit a busy moment and take
//! 1.5–3 times as long.
struct Noise {
  double sigma = 0.15;  //!< spread within a sample
  double shift_sigma = 0;
  double outliers = 0;
};

std::vector<double> sample(gate_test::Rng& rng, double median_ms, const Noise& noise) {
  auto runs = rng.lognormal_runs(kRuns, median_ms, noise.sigma);
  double shift = std::exp(noise.shift_sigma * rng.normal());
  for (auto& r : runs) {
    r *= shift;
    if (rng.uniform() < noise.outliers) r *= 1.5 + 1.5 * rng.uniform();
  }
  return runs;
}

struct Rates {
  double gate = 0;
  double mean = 0;
};

//! The share of trials each rule fails when the true slowdown is `factor` (1: no change).
Rates failure_rates(double factor, const Noise& noise, uint64_t seed) {
  gate_test::Rng rng(seed);
  int gate = 0;
  int mean = 0;
  for (int t = 0; t < kTrials; ++t) {
    auto base = sample(rng, 10, noise);
    auto now = sample(rng, 10 * factor, noise);
    gate += gate_rule_fails(base, now) ? 1 : 0;
    mean += mean_rule_fails(base, now) ? 1 : 0;
  }
  return {static_cast<double>(gate) / kTrials, static_cast<double>(mean) / kTrials};
}

//! The smallest slowdown (in steps of 5 %) that a rule catches in ≥ 95 % of the trials.
std::pair<double, double> smallest_detected(const Noise& noise) {
  double gate = 0;
  double mean = 0;
  for (int step = 1; step <= 30 && (gate == 0 || mean == 0); ++step) {
    double factor = 1 + 0.05 * step;
    auto r = failure_rates(factor, noise, 1000 + static_cast<uint64_t>(step));
    if (gate == 0 && r.gate >= 0.95) gate = factor;
    if (mean == 0 && r.mean >= 0.95) mean = factor;
  }
  return {gate, mean};
}

}  // namespace

TEST_CASE("gate: ±15 % noise on an unchanged query almost never fails the time rule", "[gate][decision][noise]") {
  Noise noise;  // two samples of one log-normal distribution, n = 20
  auto rates = failure_rates(1.0, noise, 42);
  INFO(fmt::format("false failures over {} trials, n = {}, ±15 %: gate rule {:.1f} %, mean +10 % rule {:.1f} %",
                   kTrials, kRuns, rates.gate * 100, rates.mean * 100));
  CHECK(rates.gate <= 0.01);
  CHECK(rates.gate < rates.mean);
}

TEST_CASE("gate: the time rule catches 2x always, and needs about +35 % for 95 % power", "[gate][decision][noise]") {
  Noise noise;
  auto doubled = failure_rates(2.0, noise, 7);
  CHECK(doubled.gate >= 0.999);
  auto [gate, mean] = smallest_detected(noise);
  INFO(
      fmt::format("smallest slowdown caught in ≥ 95 % of {} trials (±15 %): gate rule ×{:.2f}, mean +10 % rule "
                  "×{:.2f}",
                  kTrials, gate, mean));
  CHECK(gate > 1.2);  // the minimum effect keeps smaller changes from failing
  CHECK(gate <= 1.5);
  CHECK(mean < gate);  // the mean rule is more sensitive: the price is its false failures
}

TEST_CASE("gate: on a shared runner (machine shifts and outliers) the time rule stays quieter than the mean rule",
          "[gate][decision][noise]") {
  Noise noise{.sigma = 0.15, .shift_sigma = 0.05, .outliers = 0.05};
  auto rates = failure_rates(1.0, noise, 43);
  auto [gate, mean] = smallest_detected(noise);
  INFO(
      fmt::format("shared runner (±15 %, machine shift σ = 5 %, 5 % outliers ×1.5–3): false failures gate rule "
                  "{:.1f} %, mean +10 % rule {:.1f} %; 95 % power at gate ×{:.2f}, mean ×{:.2f}",
                  rates.gate * 100, rates.mean * 100, gate, mean));
  CHECK(rates.gate < rates.mean);
  CHECK(rates.gate <= 0.05);
}
