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

//! What an ingest with filters has counted of a file: the entries before `offset` that match `filter`.
struct FilePass {
  IngestFilter filter;
  uint64_t offset = 0;
  uint64_t lines = 0;
};

//! A log file as the store knows it: by the hash of its first bytes (its content, whatever its path or inode).
struct StoredFile {
  int64_t id = 0;
  int64_t generation = 0;  //!< the compare-and-set of commits: grows with each
  std::string path;        //!< where it was read last
  FileIdentity identity;   //!< device, inode and size when it was read last
  bool legacy = false;     //!< stored before heads were kept: found by path, device and inode
  std::string format;      //!< as read first ("" when unknown)
  std::string prefix;
  FileProgress progress;  //!< of ingests without filters
  std::vector<FilePass> passes;
};

//! The hash of a file's first bytes (up to kHeadBytes, decompressed): what tells one log file from another.
struct FileHead {
  static constexpr size_t kHeadBytes = size_t{64} << 10;
  //! A file whose first bytes are those of a shorter stored file is that file grown only if it has the same inode,
  //! or if the stored head has at least these many bytes (a few whole log lines).
  static constexpr size_t kMinPrefixBytes = size_t{4} << 10;
  uint64_t bytes = 0;
  uint64_t hash = 0;
  static FileHead of(std::string_view head);
};

//! Where a batch's statistics come from: the file (`id` 0 until its first commit) and the progress of this run's
//! filters in it.
struct FileCommit {
  int64_t id = 0;
  int64_t generation = 0;
  std::string path;
  FileIdentity identity;
  FileHead head;
  std::string format;
  std::string prefix;
  IngestFilter filter;
  FileProgress progress;
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

  //! The stored file with the same content as the one at `path` whose first bytes are `head` (a rotated, linked or
  //! copied file: the longest stored head that `head` starts with), or a file stored before heads were kept with
  //! the same path, device and inode.
  std::optional<StoredFile> find_file(const std::string& path, const FileIdentity& identity, std::string_view head);
  //! Merges `classes` and `counters` into the store and moves the file's progress, in one transaction, if the file
  //! is unchanged since `file->generation` (or still unknown when `file->id` is 0); then updates `file`. False when
  //! another ingest committed the file in between: nothing is stored. `file` null (stdin): no progress is kept.
  bool commit(const ClassStatsMap& classes, const IngestCounters& counters, FileCommit* file);
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
