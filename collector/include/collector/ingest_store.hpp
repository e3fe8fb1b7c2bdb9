// Log ingest's side of the store: each file's progress, and per-class statistics merged into what is stored,
// committed in one transaction with the progress that produced them; and reading the classes back for `top`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collector/class_stats.hpp"
#include "collector/ingest_accumulator.hpp"
#include "collector/log_source.hpp"
#include "collector/store.hpp"

namespace pgadvisor::collector {

//! How far a file has been read.
struct FileProgress {
  FileIdentity identity;
  uint64_t offset = 0;  //!< decompressed bytes, at an entry boundary
  uint64_t lines = 0;
};

//! A stored query class as `top` shows it.
struct LoggedClass {
  std::string fingerprint;
  std::string normalized;
  std::string kind;
  uint64_t calls = 0;
  uint64_t timed_calls = 0;
  double total_ms = 0;
  double min_ms = 0;
  double max_ms = 0;
  double mean_ms = 0;
  double stddev_ms = 0;
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  uint64_t prepare_count = 0;
  double prepare_ms = 0;
  uint64_t errors = 0;
  std::string first_seen;
  std::string last_seen;
};

class IngestStore {
 public:
  static constexpr size_t kSamplesPerClass = 5;

  explicit IngestStore(Store& store) : store_(store) {}

  std::optional<FileProgress> progress(const std::string& path);
  //! Merges `classes` and `counters` into the store and sets the file's progress, in one transaction.
  //! `path` empty (stdin): no progress is kept.
  void commit(const ClassStatsMap& classes, const IngestCounters& counters, const std::string& path,
              const FileProgress& progress);
  //! Forgets every log statistic and every file's progress (the shared query classes stay).
  void reset();
  //! Every class with log statistics, optionally only those seen in `database`.
  std::vector<LoggedClass> classes(const std::optional<std::string>& database);
  //! The bottom-k samples of a class: raw statements, and the parameter lists logged with them ("$1 = '…'").
  struct Samples {
    std::vector<std::string> statements;
    std::vector<std::string> parameters;
  };
  Samples samples(const std::string& fingerprint);
  //! Calls and time of a class per database, user and application, each by total time, most first.
  struct BreakdownRow {
    std::string value;
    uint64_t calls = 0;
    double total_ms = 0;
  };
  struct Breakdown {
    std::vector<BreakdownRow> databases, users, applications;
  };
  Breakdown breakdown(const std::string& fingerprint);
  //! Totals over every ingest ("calls", "errors", "unparsable", …).
  std::vector<std::pair<std::string, int64_t>> totals();

 private:
  Store& store_;
};

}  // namespace pgadvisor::collector
