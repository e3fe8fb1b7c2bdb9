// Tests of LatencyStats, LatencySketch and Reservoir: exact moments, the 1 % quantile guarantee, merges equal
// to the statistics of the union, and sample frequencies (fixed seeds throughout).
#include "analyzer/latency_stats.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzer/reservoir.hpp"

using namespace pgadvisor::analyzer;

namespace {

// Log-normal latencies, milliseconds, from a fixed seed.
std::vector<double> latencies(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> out;
  for (size_t k = 0; k < n; ++k) {
    // Box-Muller on raw bits (std:: distributions differ between standard libraries).
    const double u1 = (static_cast<double>(rng() >> 11) + 1) * 0x1.0p-53;
    const double u2 = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
    out.push_back(std::exp(1.0 + 1.5 * z));
  }
  return out;
}

double exact_quantile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))];
}

}  // namespace

TEST_CASE("latency moments are exact and merge exactly", "[analyzer][latency_stats]") {
  const std::vector<double> data = latencies(20000, 1);
  LatencyStats whole;
  std::vector<LatencyStats> parts(4);
  for (size_t k = 0; k < data.size(); ++k) {
    whole.add(data[k]);
    parts[k % 7 == 0 ? 0 : k % 3 + 1].add(data[k]);  // unequal parts
  }
  double sum = 0;
  for (const double x : data) sum += x;
  const double mean = sum / static_cast<double>(data.size());
  double squares = 0;
  for (const double x : data) squares += (x - mean) * (x - mean);
  const double stddev = std::sqrt(squares / static_cast<double>(data.size()));

  LatencyStats merged;
  for (const LatencyStats& p : parts) merged.merge(p);
  for (const LatencyStats* s : {&whole, &merged}) {
    CHECK(s->count() == data.size());
    CHECK(s->total() == Approx(sum).epsilon(1e-12));
    CHECK(s->mean() == Approx(mean).epsilon(1e-12));
    CHECK(s->stddev() == Approx(stddev).epsilon(1e-9));
    CHECK(s->min() == *std::min_element(data.begin(), data.end()));
    CHECK(s->max() == *std::max_element(data.begin(), data.end()));
  }
  for (const double q : {0.0, 0.5, 0.95, 0.99, 1.0}) CHECK(merged.quantile(q) == whole.quantile(q));
}

TEST_CASE("sketch quantiles are within 1 % of the exact ones", "[analyzer][latency_stats]") {
  const std::vector<double> data = latencies(100000, 2);
  LatencySketch sketch;
  for (const double x : data) sketch.add(x);
  for (const double q : {0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    CAPTURE(q);
    const double exact = exact_quantile(data, q);
    CHECK(std::abs(sketch.quantile(q) - exact) <= 0.01 * exact);
  }
}

TEST_CASE("latency statistics edge cases", "[analyzer][latency_stats]") {
  LatencyStats empty;
  CHECK(empty.count() == 0);
  CHECK(empty.p99() == 0);
  CHECK(empty.stddev() == 0);
  LatencyStats one;
  one.add(12.5);
  CHECK(one.p50() == 12.5);  // clamped to [min, max]
  CHECK(one.stddev() == 0);
  one.merge(empty);
  CHECK(one.count() == 1);
  empty.merge(one);
  CHECK(empty.mean() == 12.5);
  LatencyStats zeros;
  for (int k = 0; k < 10; ++k) zeros.add(k < 5 ? 0.0 : 1.0);
  CHECK(zeros.p50() == 0.0);
  CHECK(zeros.p99() == Approx(1.0).epsilon(0.01));
}

TEST_CASE("reservoir samples are uniform and merge into a sample of the union", "[analyzer][reservoir]") {
  constexpr int kTrials = 4000;
  std::vector<int> picked(100, 0);
  int from_small_half = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    Reservoir<int> whole(5, 1000 + trial);
    for (int k = 0; k < 100; ++k) whole.add(k);
    REQUIRE(whole.size() == 5);
    for (const int item : whole.items()) ++picked[static_cast<size_t>(item)];

    Reservoir<int> small(5, 2 * trial + 1);
    Reservoir<int> large(5, 2 * trial + 2);
    for (int k = 0; k < 10; ++k) small.add(k);
    for (int k = 10; k < 100; ++k) large.add(k);
    small.merge(large);
    CHECK(small.seen() == 100);
    for (const int item : small.items()) from_small_half += item < 10 ? 1 : 0;
  }
  // Each item is expected 4000 * 5 / 100 = 200 times; binomial standard deviation about 14.
  CHECK(*std::min_element(picked.begin(), picked.end()) > 140);
  CHECK(*std::max_element(picked.begin(), picked.end()) < 260);
  // The first stream holds 10 % of the items: 10 % of the merged samples should come from it (2,000 expected).
  CHECK(from_small_half > 1800);
  CHECK(from_small_half < 2200);
}

TEST_CASE("weighted reservoir favours heavy items and is reproducible", "[analyzer][reservoir]") {
  int heavy = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    Reservoir<int> r(1, static_cast<uint64_t>(trial));
    for (int k = 0; k < 10; ++k) r.add(k, k == 0 ? 9.0 : 1.0);  // item 0 holds half the total weight
    heavy += r.items().front() == 0 ? 1 : 0;
  }
  CHECK(heavy > 900);
  CHECK(heavy < 1100);
  Reservoir<int> a(3, 42);
  Reservoir<int> b(3, 42);
  for (int k = 0; k < 50; ++k) {
    a.add(k);
    b.add(k);
  }
  CHECK(a.items() == b.items());
  Reservoir<int> none(0, 1);
  none.add(1);
  CHECK(none.size() == 0);
  CHECK(none.seen() == 1);
}

TEST_CASE("a sketch's text form round-trips exactly and merges as the sketch did", "[analyzer][latency_stats]") {
  LatencySketch a;
  LatencySketch b;
  for (int i = 0; i < 1000; ++i) a.add(0.05 * (i % 97) + 0.001 * i);
  a.add(0, 3);
  for (int i = 0; i < 500; ++i) b.add(1000.0 / (i + 1));
  const std::string text = a.serialize();
  CHECK(text.rfind("4;", 0) == 0);  // 3 zeros and 0.05 * 0 + 0.001 * 0
  const LatencySketch back = LatencySketch::parse(text);
  CHECK(back.serialize() == text);
  CHECK(back.count() == a.count());
  for (double q : {0.0, 0.5, 0.95, 0.99, 1.0}) CHECK(back.quantile(q) == a.quantile(q));
  LatencySketch merged = LatencySketch::parse(text);
  merged.merge(LatencySketch::parse(b.serialize()));
  a.merge(b);
  CHECK(merged.serialize() == a.serialize());
  CHECK(LatencySketch::parse("").count() == 0);
  CHECK(LatencySketch::parse("2;-3:4,7:x").count() == 6);  // stops at the malformed bucket
  CHECK(LatencySketch::parse("0;5:2,9:1").serialize() == "0;5:2,9:1");
}
