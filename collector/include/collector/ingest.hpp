// `ingest`'s engine: reads log files in batches of bounded size, splits each batch at entry boundaries across
// worker threads, merges their per-class statistics and commits each batch with the file's progress.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "collector/ingest_accumulator.hpp"
#include "collector/store.hpp"

namespace pgadvisor::collector {

enum class LogFormat : uint8_t { Auto, Stderr, Csvlog, Jsonlog, Syslog };

struct IngestOptions {
  std::vector<std::string> files;  //!< paths; "-" is stdin
  LogFormat format = LogFormat::Auto;
  std::string prefix;  //!< log_line_prefix for stderr logs; empty: detected
  unsigned jobs = 1;   //!< worker threads
  IngestFilter filter;
  size_t batch_bytes = size_t{64} << 20;  //!< read and committed at a time; bounds memory (× 1, not × jobs)
  //! The buffer grows for an entry larger than a batch up to this size. A longer line (binary garbage, a NUL-filled
  //! region left by a crash) is skipped as one bad line; a longer multi-line entry is cut at a line.
  size_t max_entry_bytes = size_t{256} << 20;
  //! A file whose first entries are those of a file read before (in this call, or kept in the store by an earlier
  //! one) is the same traffic in another format (stderr + csvlog + jsonlog of one server): skipped, with a note,
  //! unless this is set (traffic_overlap.hpp).
  bool allow_duplicate_traffic = false;
  //! Keep each file's traffic sample in the store, for later calls (false for a store that lives for one run).
  bool keep_traffic_samples = true;
  //! A file's last entry may still be being written (its continuation lines, its DETAIL or STATEMENT): it is held
  //! back, uncounted, until the file grows past it, unless the file is final: `final_files` (the caller says no
  //! file will grow: its unterminated last line is read too), stdin, a compressed file whose stream ends properly, a
  //! file renamed since it was read (rotated: its old path is another file now), or one not modified for
  //! `settle_seconds`.
  bool final_files = false;
  int64_t settle_seconds = 60;
  //! Called after each committed batch with (path, bytes read so far, file size or 0 when unknown).
  std::function<void(const std::string&, uint64_t, uint64_t)> on_progress;
};

struct FileSummary {
  std::string path;
  std::string format;         //!< "stderr", "csvlog", "jsonlog", "syslog"
  std::string prefix;         //!< the log_line_prefix used (stderr, syslog)
  uint64_t start_offset = 0;  //!< where this run started reading (after earlier runs)
  uint64_t end_offset = 0;
  std::string note;          //!< "unchanged since the last ingest", "replaced since the last ingest: read again", …
  std::string error;         //!< why the file could not be read (nothing of it was stored)
  std::string duplicate_of;  //!< skipped: the earlier file whose traffic this one repeats
  IngestCounters counters;
  std::vector<InputProblem> problems;
};

struct IngestSummary {
  std::vector<FileSummary> files;
  IngestCounters totals;
  uint64_t classes = 0;  //!< classes touched
  uint64_t bytes = 0;    //!< decompressed bytes read by this run
  double seconds = 0;
  bool has_errors() const;
};

//! Ingests the files into the store. Never throws for a bad file: its FileSummary carries the error.
IngestSummary run_ingest(Store& store, const IngestOptions& options);

}  // namespace pgadvisor::collector
