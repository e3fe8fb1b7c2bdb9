// Telling when two logs hold the same traffic: a server that logs to stderr, csvlog and jsonlog at once writes every
// statement three times, and ingesting two of those files would count each statement twice. Each file's first
// entries (time to the second, pid, level and the first line of the message: the same in every format) are
// sampled from its first batch; a file whose sample is mostly that of a file read before, in the time both cover,
// is the same traffic. Samples are kept in the store, so a later call that reads the csvlog of traffic already read
// from the stderr log is caught too. Sampling parses at most 128 KiB per file: nothing measurable on ingest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "collector/log_entry.hpp"
#include "collector/store.hpp"

namespace pgadvisor::collector {

//! The sampled entries of one log file.
struct TrafficSample {
  //! Per entry: a hash of (time to the second, pid, level, first line of the message), and the same without the
  //! pid (for a stderr log whose prefix has no %p). Sorted.
  std::vector<uint64_t> with_pid;
  std::vector<uint64_t> without_pid;
  std::string first_time;  //!< the earliest and latest entry time sampled, "YYYY-MM-DD HH:MM:SS"
  std::string last_time;
  bool has_pids = false;  //!< every sampled entry has a pid
};

//! Builds a TrafficSample from the primary entries of a file's first bytes.
class TrafficSampler {
 public:
  static constexpr size_t kMaxEntries = 512;
  static constexpr size_t kHeadBytes = size_t{128} << 10;

  //! The part of a first batch to sample: up to kHeadBytes, ending after a whole line.
  static std::string_view head(std::string_view data);
  //! Adds an entry (entries without a time, and the DETAIL/STATEMENT/… of an entry, are left out).
  void add(const LogEntry& e);
  bool full() const { return sample_.with_pid.size() >= kMaxEntries; }
  TrafficSample take();

 private:
  TrafficSample sample_;
  bool all_pids_ = true;
};

//! The sample of the head of a first batch, read with a copy of the file's parser (a std::variant of parsers).
template <typename ParserVariant>
TrafficSample sample_traffic(const ParserVariant& parser, std::string_view data) {
  TrafficSampler sampler;
  const std::string_view head = TrafficSampler::head(data);
  std::visit(
      [&](auto copy) {
        copy.parse(
            head, 1, [&](const LogEntry& e) { sampler.add(e); }, [](auto&&...) {});
      },
      parser);
  return sampler.take();
}

//! An earlier file with the same traffic.
struct DuplicateTraffic {
  std::string earlier;        //!< its path
  bool earlier_call = false;  //!< read by an earlier ingest (its sample is in the store), not this one
  size_t shared = 0;          //!< sampled entries found in both
  size_t compared = 0;        //!< the size of the smaller sample
};

//! Whether two samples are of the same traffic: their times overlap, and at least 8 entries and at least half of
//! the smaller sample are in both.
std::optional<DuplicateTraffic> same_traffic(const TrafficSample& earlier, const TrafficSample& later);

//! The files of ingest calls, by sample: this call's, and (with a store) earlier calls'.
class TrafficRegistry {
 public:
  //! `store`: where earlier calls' samples are, and this call's are kept; nullptr for this call only.
  explicit TrafficRegistry(Store* store) : store_(store) {}
  //! The earlier file (of this call first, then of earlier calls) whose traffic `path`'s sample repeats, if any;
  //! else the sample is registered and nullopt returned. A file is never compared with its own earlier sample.
  //! `from_start`: the sample is of the file's first entries, and is kept in the store (by absolute path) for later
  //! calls; the sample of a file resumed where an earlier ingest stopped is compared, not kept.
  std::optional<DuplicateTraffic> admit(const std::string& path, const TrafficSample& sample, bool from_start = true);

  //! Forgets the samples kept in the store (ingest --reset).
  static void forget(Store& store);

 private:
  Store* store_;
  std::vector<std::pair<std::string, TrafficSample>> files_;
};

}  // namespace pgadvisor::collector
