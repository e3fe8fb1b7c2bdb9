// Per-query-class statistics of a log: calls, exact duration totals in microseconds, a mergeable duration
// histogram (the analyzer's DDSketch), breakdowns by database/user/application, samples and a plan.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/latency_sketch.hpp"
#include "analyzer/statement.hpp"

namespace pgadvisor::collector {

__extension__ using Uint128 = unsigned __int128;  // GCC/Clang extension; -Wpedantic accepts it this way

//! Decimal text of a 128-bit integer and back (SQLite has no 128-bit type).
std::string to_decimal(Uint128 value);
Uint128 parse_decimal(std::string_view text);

//! A deterministic bottom-k sample: the k distinct texts with the smallest hashes. Unlike a random reservoir it
//! merges exactly and gives the same sample whether a file is read in one run or resumed after a crash.
class SampleSet {
 public:
  explicit SampleSet(size_t capacity = 5) : capacity_(capacity) {}
  //! Offers a text (copied only when kept).
  void add(std::string_view text) { add(key_of(text), text); }
  //! Offers a text whose key_of() is known.
  void add(uint64_t key, std::string_view text);
  void merge(const SampleSet& other);
  struct Sample {
    uint64_t key;
    std::string text;
  };
  const std::vector<Sample>& samples() const { return samples_; }  //!< ascending keys
  //! libstdc++'s std::hash (MurmurHash2, 64-bit): fast, and the same from one run of pgadvisor to the next.
  static uint64_t key_of(std::string_view text) { return std::hash<std::string_view>{}(text); }

 private:
  size_t capacity_;
  std::vector<Sample> samples_;
};

//! Calls and total duration for one database, user or application.
struct Breakdown {
  uint64_t calls = 0;
  int64_t total_us = 0;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using BreakdownMap = std::unordered_map<std::string, Breakdown, StringHash, std::equal_to<>>;

//! A breakdown map with a one-entry memo: a log's calls mostly repeat the last database, user or application,
//! so most lookups are one short comparison instead of a hash.
class BreakdownCounter {
 public:
  BreakdownCounter() = default;
  ~BreakdownCounter() = default;
  // Copies and moves start without a memo (it points into the map it came from).
  BreakdownCounter(const BreakdownCounter& o) : map_(o.map_) {}
  BreakdownCounter(BreakdownCounter&& o) noexcept : map_(std::move(o.map_)) { o.clear(); }
  BreakdownCounter& operator=(const BreakdownCounter& o) {
    if (this != &o) {
      map_ = o.map_;
      last_key_ = nullptr;
      last_ = nullptr;
    }
    return *this;
  }
  BreakdownCounter& operator=(BreakdownCounter&& o) noexcept {
    map_ = std::move(o.map_);
    last_key_ = nullptr;
    last_ = nullptr;
    o.clear();
    return *this;
  }
  void add(std::string_view key, uint64_t calls, int64_t us);
  void merge(const BreakdownCounter& other);
  const BreakdownMap& map() const { return map_; }
  void clear();

 private:
  BreakdownMap map_;
  const std::string* last_key_ = nullptr;
  Breakdown* last_ = nullptr;
};

//! A class's identity: libpg_query's fingerprint, or for a statement it cannot parse the fingerprint of its tokens
//! (analyzer/unparsed_class.hpp). The flag keeps the two apart: a token fingerprint never merges with a parsed one.
struct ClassKey {
  uint64_t fingerprint = 0;
  bool unparsed = false;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the literal 0 of the defaulted <=>'s own comparisons
  auto operator<=>(const ClassKey&) const = default;
  //! As stored and shown: 16 hex digits, or "u" and 15 hex digits for an unparsed class.
  std::string text() const;
};

struct ClassKeyHash {
  size_t operator()(const ClassKey& k) const {
    return std::hash<uint64_t>{}(k.fingerprint) ^ (k.unparsed ? 0x9e3779b97f4a7c15ULL : 0);
  }
};

struct ClassStats {
  uint64_t fingerprint = 0;
  bool unparsed = false;  //!< a class of statements libpg_query cannot parse; kind is then Invalid
  analyzer::StatementKind kind = analyzer::StatementKind::Invalid;
  uint64_t calls = 0;        //!< statement: and execute entries
  uint64_t timed_calls = 0;  //!< calls with a duration (log_statement alone logs none)
  int64_t total_us = 0;
  int64_t min_us = 0;
  int64_t max_us = 0;
  //! Σ us², exact (128 bits) so that every batching of a file gives the same standard deviation.
  Uint128 sum_squares_us2 = 0;
  analyzer::LatencySketch histogram;  //!< stored with serialize(): merges exactly
  uint64_t prepare_count = 0;         //!< parse and bind entries: preparation, not calls
  int64_t prepare_us = 0;
  uint64_t errors = 0;
  std::string first_seen;
  std::string last_seen;
  BreakdownCounter by_database;
  BreakdownCounter by_user;
  BreakdownCounter by_application;
  SampleSet statements;
  SampleSet parameters;
  std::string plan;  //!< the slowest auto_explain plan seen
  int64_t plan_duration_us = -1;
  //! One statement of the class, to normalize when it is new to the store: the one with the smallest key, so that
  //! the choice depends neither on the order of entries nor on how a batch is split across --jobs.
  std::string example;
  uint64_t example_key = 0;
  //! `example` normalized (constants as $n; an unparsed class's token text): the class's text when the store takes
  //! it. Set by IngestAccumulator::finish; merge keeps it with the example it belongs to.
  std::string normalized;

  void offer_example(uint64_t key, std::string_view text) {
    if (example.empty() || key < example_key) {
      example.assign(text);
      example_key = key;
    }
  }

  //! Counts a call by (database, user, application) at `timestamp`, with its duration when us >= 0.
  void add_call(std::string_view timestamp, std::string_view database, std::string_view user,
                std::string_view application, int64_t us = -1);
  //! The duration of a call already counted (log_statement's entry, then its duration entry).
  void add_duration(int64_t us, std::string_view database, std::string_view user, std::string_view application);
  //! An error of this class: it counts, and the class shows under the database, user and application.
  void add_error(std::string_view timestamp, std::string_view database, std::string_view user,
                 std::string_view application);
  void see(std::string_view timestamp);
  void merge(const ClassStats& other);
  //! The moments and histogram part of a duration.
  void add_time(int64_t us);
  double mean_ms() const {
    return timed_calls == 0 ? 0 : static_cast<double>(total_us) / 1000.0 / static_cast<double>(timed_calls);
  }
  //! The kind as stored: analyzer::to_string(kind), or "unparsed".
  std::string_view kind_text() const;
};

//! Classes by fingerprint.
using ClassStatsMap = std::unordered_map<ClassKey, ClassStats, ClassKeyHash>;
void merge_into(ClassStatsMap& into, ClassStatsMap&& from);

}  // namespace pgadvisor::collector
