// ClassStats and its parts. Totals are integer microseconds so that any grouping of a file into batches (a
// resumed run, more threads) sums to exactly the same figures.
#include "collector/class_stats.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "analyzer/unparsed_class.hpp"

namespace pgadvisor::collector {

std::string to_decimal(Uint128 value) {
  std::string out;
  do {
    out.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  std::ranges::reverse(out);  // the digits came least significant first
  return out;
}

Uint128 parse_decimal(std::string_view text) {
  Uint128 v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') break;
    v = v * 10 + static_cast<Uint128>(c - '0');
  }
  return v;
}

std::string ClassKey::text() const {
  return unparsed ? analyzer::unparsed_fingerprint_hex(fingerprint) : analyzer::fingerprint_hex(fingerprint);
}

std::string_view ClassStats::kind_text() const {
  return unparsed ? analyzer::kUnparsedKind : analyzer::to_string(kind);
}

void BreakdownCounter::add(std::string_view key, uint64_t calls, int64_t us) {
  if (last_ == nullptr || *last_key_ != key) {
    auto it = map_.find(key);
    if (it == map_.end()) it = map_.emplace(std::string(key), Breakdown{}).first;
    last_key_ = &it->first;  // node-based map: stable until erased
    last_ = &it->second;
  }
  last_->calls += calls;
  last_->total_us += us;
}

void BreakdownCounter::merge(const BreakdownCounter& other) {
  for (const auto& [k, v] : other.map_) add(k, v.calls, v.total_us);
}

void BreakdownCounter::clear() {
  map_.clear();
  last_key_ = nullptr;
  last_ = nullptr;
}

void SampleSet::add(uint64_t key, std::string_view text) {
  if (capacity_ == 0 || (samples_.size() >= capacity_ && key >= samples_.back().key)) return;
  auto it =
      std::lower_bound(samples_.begin(), samples_.end(), key, [](const Sample& s, uint64_t k) { return s.key < k; });
  if (it != samples_.end() && it->key == key) return;  // the same text
  if (samples_.size() >= capacity_ && it == samples_.end()) return;
  samples_.insert(it, Sample{key, std::string(text)});
  if (samples_.size() > capacity_) samples_.pop_back();
}

void SampleSet::merge(const SampleSet& other) {
  for (const Sample& s : other.samples_) add(s.key, s.text);
}

void ClassStats::see(std::string_view timestamp) {
  if (timestamp.empty()) return;
  if (first_seen.empty() || timestamp < first_seen) first_seen.assign(timestamp);
  if (last_seen.empty() || timestamp > last_seen) last_seen.assign(timestamp);
}

void ClassStats::add_call(std::string_view timestamp, std::string_view database, std::string_view user,
                          std::string_view application, int64_t us) {
  ++calls;
  see(timestamp);
  const int64_t counted = us >= 0 ? us : 0;
  by_database.add(database, 1, counted);
  by_user.add(user, 1, counted);
  by_application.add(application, 1, counted);
  if (us >= 0) add_time(us);
}

void ClassStats::add_time(int64_t us) {
  if (timed_calls == 0 || us < min_us) min_us = us;
  if (timed_calls == 0 || us > max_us) max_us = us;
  ++timed_calls;
  total_us += us;
  sum_squares_us2 += static_cast<Uint128>(us) * static_cast<Uint128>(us);
  histogram.add(static_cast<double>(us) / 1000.0);
}

void ClassStats::add_error(std::string_view timestamp, std::string_view database, std::string_view user,
                           std::string_view application) {
  ++errors;
  see(timestamp);
  by_database.add(database, 0, 0);
  by_user.add(user, 0, 0);
  by_application.add(application, 0, 0);
}

void ClassStats::add_duration(int64_t us, std::string_view database, std::string_view user,
                              std::string_view application) {
  add_time(us);
  by_database.add(database, 0, us);
  by_user.add(user, 0, us);
  by_application.add(application, 0, us);
}

void ClassStats::merge(const ClassStats& other) {
  if (kind == analyzer::StatementKind::Invalid) kind = other.kind;
  if (other.timed_calls > 0) {
    if (timed_calls == 0 || other.min_us < min_us) min_us = other.min_us;
    if (timed_calls == 0 || other.max_us > max_us) max_us = other.max_us;
  }
  calls += other.calls;
  timed_calls += other.timed_calls;
  total_us += other.total_us;
  sum_squares_us2 += other.sum_squares_us2;
  histogram.merge(other.histogram);
  prepare_count += other.prepare_count;
  prepare_us += other.prepare_us;
  errors += other.errors;
  see(other.first_seen);
  see(other.last_seen);
  by_database.merge(other.by_database);
  by_user.merge(other.by_user);
  by_application.merge(other.by_application);
  statements.merge(other.statements);
  parameters.merge(other.parameters);
  if (other.plan_duration_us > plan_duration_us) {
    plan = other.plan;
    plan_duration_us = other.plan_duration_us;
  }
  if (!other.example.empty() && (example.empty() || other.example_key < example_key)) {
    example = other.example;
    example_key = other.example_key;
    normalized = other.normalized;
  }
}

void merge_into(ClassStatsMap& into, ClassStatsMap&& from) {
  for (auto& [fp, stats] : from) {
    auto it = into.find(fp);
    if (it == into.end()) {
      into.emplace(fp, std::move(stats));
    } else {
      it->second.merge(stats);
    }
  }
}

}  // namespace pgadvisor::collector
