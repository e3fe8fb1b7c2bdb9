// run_ingest: a file is read into one buffer of options.batch_bytes; the batch ends at the last entry that starts
// in it (the rest moves to the next batch), and is cut into `jobs` parts at entry boundaries that are not a
// DETAIL/STATEMENT of the entry before (next_primary_entry of the stderr, csvlog or jsonlog parser), so that no
// statement is split and pairs stay together. Each worker keeps its accumulator (and shape cache) for the whole run.
#include "collector/ingest.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "collector/ingest_store.hpp"
#include "collector/log_csv_parser.hpp"
#include "collector/log_json_parser.hpp"
#include "collector/log_parser.hpp"
#include "collector/log_source.hpp"
#include "collector/log_syslog_parser.hpp"
#include "collector/traffic_overlap.hpp"

namespace pgadvisor::collector {

namespace {

//! How far back from a batch's end to look for the start of the last entry.
constexpr size_t kTailWindow = size_t{1} << 20;

//! A byte buffer that is not zeroed.
class Buffer {
 public:
  explicit Buffer(size_t size) : data_(new char[size]), size_(size) {}
  char* data() { return data_.get(); }
  size_t size() const { return size_; }
  //! Doubles the size, up to `limit` (when larger than now), keeping the first `used` bytes.
  void grow(size_t used, size_t limit) {
    const size_t bigger_size = std::max(size_ + 1, std::min(size_ * 2, limit));
    std::unique_ptr<char[]> bigger(new char[bigger_size]);
    std::memcpy(bigger.get(), data_.get(), used);
    data_ = std::move(bigger);
    size_ = bigger_size;
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_;
};

using Parser = std::variant<StderrLogParser, CsvLogParser, JsonLogParser, SyslogLogParser>;

struct Worker {
  Worker(const IngestFilter& filter, Parser p) : accumulator(filter), parser(std::move(p)) {}
  IngestAccumulator accumulator;
  Parser parser;  //!< its own copy: the csv and json parsers keep scratch buffers
  uint64_t lines = 0;
};

LogFormat sniff_format(std::string_view head) {
  if (!head.empty() && head[0] == '{') return LogFormat::Jsonlog;
  SyslogLine syslog;
  if (parse_syslog_line(head.substr(0, head.find('\n')), syslog)) return LogFormat::Syslog;
  // csvlog: "YYYY-MM-DD HH:MM:SS.mmm TZ," then a quoted user or an empty field.
  size_t comma = head.find(',');
  size_t nl = head.find('\n');
  if (comma != std::string_view::npos && comma < nl && comma >= 19 && comma < 40 && head[4] == '-' &&
      head.substr(0, comma).find(' ') == 10 && head.substr(0, comma).find(']') == std::string_view::npos) {
    return LogFormat::Csvlog;
  }
  return LogFormat::Stderr;
}

const char* format_name(LogFormat f) {
  switch (f) {
    case LogFormat::Csvlog:
      return "csvlog";
    case LogFormat::Jsonlog:
      return "jsonlog";
    case LogFormat::Syslog:
      return "syslog";
    default:
      return "stderr";
  }
}

//! The start of the line after `pos` (or data.size()).
size_t next_line(std::string_view data, size_t pos) {
  size_t nl = data.find('\n', pos);
  return nl == std::string_view::npos ? data.size() : nl + 1;
}

//! The lines to detect the log_line_prefix from: the first ones, and ones with statements further on, since a log
//! that starts with the server's startup and checkpoint messages (no user, no database) fits any prefix that stops
//! at %q. Syslog lines without their headers; no continuation lines.
std::string prefix_sample(std::string_view data, bool syslog) {
  constexpr size_t kFirstLines = 150;
  constexpr size_t kStatementLines = 100;
  constexpr size_t kHeadBytes = size_t{256} << 10;
  std::string out;
  auto add = [&](size_t pos) {
    std::string_view line = data.substr(pos, next_line(data, pos) - pos);
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    line = line.substr(0, 1024);  // a prefix and its level are short
    SyslogLine s;
    if (syslog && (!parse_syslog_line(line, s) || s.continuation())) return false;
    if (syslog) line = s.content;
    if (line.empty() || line[0] == '\t') return false;
    out.append(line).push_back('\n');
    return true;
  };
  size_t pos = 0;
  for (size_t added = 0; pos < data.size() && pos < kHeadBytes && added < kFirstLines; pos = next_line(data, pos)) {
    added += add(pos) ? 1 : 0;
  }
  // Statements as log_statement, log_min_duration_statement and the extended protocol write them.
  const size_t from = pos;
  for (std::string_view needle : {"statement: ", "duration: ", "execute "}) {
    size_t added = 0;
    for (size_t at = data.find(needle, from); at != std::string_view::npos && added < kStatementLines / 3;
         at = data.find(needle, next_line(data, at))) {
      const size_t start = data.rfind('\n', at);
      added += add(start == std::string_view::npos ? 0 : start + 1) ? 1 : 0;
    }
  }
  return out;
}

//! Whether the entry at the start of `data` ends before the data does: a later line is not part of it.
template <typename P>
bool first_entry_ends(std::string_view data) {
  if constexpr (std::is_same_v<P, JsonLogParser>) {
    return data.find('\n') != std::string_view::npos;  // one line per entry
  } else if constexpr (std::is_same_v<P, CsvLogParser>) {
    bool quoted = false;  // a record ends at a newline outside quotes ("" inside a field toggles twice)
    for (char c : data) {
      if (c == '"') quoted = !quoted;
      if (c == '\n' && !quoted) return true;
    }
    return false;
  } else {
    // stderr: continuation lines start with a tab; syslog: they are later chunks of the message. An incomplete last
    // line tells nothing (a syslog header cut in two parses as no chunk).
    const size_t complete = data.rfind('\n') + 1;  // 0 when there is no newline
    for (size_t pos = next_line(data, 0); pos < complete; pos = next_line(data, pos)) {
      if constexpr (std::is_same_v<P, SyslogLogParser>) {
        SyslogLine s;
        const size_t end = next_line(data, pos);
        std::string_view line = data.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
        if (!parse_syslog_line(line, s) || !s.continuation()) return true;
      } else if (data[pos] != '\t') {
        return true;
      }
    }
    return false;
  }
}

//! How much of the data at the end of the input a batch may take.
enum class Tail : uint8_t {
  More,      //!< more input follows: up to the last entry that the next read cannot continue
  HoldBack,  //!< the end of a file that may still grow: the same, its last entry may still be being written
  Lines,     //!< the end of a final file: up to the last newline
  All,       //!< the end of a file that will not grow (--final): everything
};

//! Whether `path` names the file `identity` (device and inode).
bool names_file(const std::string& path, const FileIdentity& identity) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_dev) == identity.device &&
         static_cast<uint64_t>(st.st_ino) == identity.inode;
}

class FileIngest {
 public:
  FileIngest(IngestStore& store, const IngestOptions& options, FileSummary& summary)
      : store_(store), options_(options), summary_(summary) {}

  //! Where files of the same traffic are told (none, the default: every file is read).
  void set_traffic(TrafficRegistry* traffic) { traffic_ = traffic; }
  //! The classes the file's batches stored.
  const std::vector<ClassKey>& touched() const { return touched_; }

  void run(const std::string& path) {
    LogSource source = LogSource::open(path);
    if (source.is_stdin() || source.identity().inode == 0) {  // a pipe (<(zcat …)) as stdin: no progress is kept
      read_batches(source, nullptr, FileProgress{});
      return;
    }
    FileCommit file;
    file.path = std::filesystem::absolute(path).lexically_normal().string();
    file.identity = source.identity();
    const std::string head = source.head(FileHead::kHeadBytes);
    file.head = FileHead::of(head);
    file.filter = options_.filter;
    FileProgress start;
    if (auto stored = store_.find_file(file.path, file.identity, head)) {
      file.id = stored->id;
      file.generation = stored->generation;
      file.format = stored->format;
      file.prefix = stored->prefix;
      start = start_of(*stored);
      if (stored->path != file.path) {
        // Rotated (renamed: its old path names another file now), linked or copied.
        rotated_ = stored->identity.device == file.identity.device && stored->identity.inode == file.identity.inode &&
                   !names_file(stored->path, file.identity);
        add_note(fmt::format("the file read before as {}{}", stored->path, start.offset > 0 ? ": read on" : ""));
      }
      if (start.offset > 0 && start.offset >= file.identity.size && source.compression() == Compression::None) {
        summary_.note = "unchanged since the last ingest";
        summary_.start_offset = summary_.end_offset = start.offset;
        return;
      }
    }
    start.identity = file.identity;
    summary_.start_offset = summary_.end_offset = start.offset;
    source.skip_to(start.offset);
    if (source.offset() != start.offset) {
      add_note("shorter than what was read before: nothing new");
      return;
    }
    read_batches(source, &file, start);
  }

 private:
  //! Where this run's filters start in a stored file: after what ingests without filters read, or after what
  //! earlier runs with the same filters read. Other filters' passes beyond it become boundaries: batches end at
  //! them, and the entries that a pass counted are left out of the batches before its end.
  FileProgress start_of(const StoredFile& stored) {
    FileProgress start = stored.progress;
    for (const FilePass& pass : stored.passes) {
      if (pass.filter == options_.filter && pass.offset > start.offset) start = {{}, pass.offset, pass.lines};
    }
    for (const FilePass& pass : stored.passes) {
      if (!(pass.filter == options_.filter) && pass.offset > start.offset) passes_.push_back(pass);
    }
    std::sort(passes_.begin(), passes_.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
    return start;
  }

  void add_note(const std::string& note) { summary_.note += (summary_.note.empty() ? "" : "; ") + note; }

  //! Whether the file will not grow any more, at the end of its input.
  bool final_at_end(const LogSource& source) const {
    if (options_.final_files || source.is_stdin() || rotated_) return true;
    if (source.compression() != Compression::None && !source.truncated()) return true;
    return source.seconds_since_modified() >= options_.settle_seconds;
  }

  void read_batches(LogSource& source, FileCommit* file, FileProgress progress) {
    // Not value-initialised: zeroing 64 MiB costs more than reading a small file.
    Buffer buffer(options_.batch_bytes);
    size_t filled = 0;
    bool eof = false;
    std::optional<Parser> parser;
    while (!eof || filled > 0) {
      while (!eof && filled < buffer.size()) {
        size_t n = source.read(buffer.data() + filled, buffer.size() - filled);
        if (n == 0) eof = true;
        filled += n;
      }
      if (!eof && std::memchr(buffer.data(), '\n', filled) == nullptr) {
        // Not one whole line in a full buffer: grow it for the line, up to max_entry_bytes, then skip the line.
        if (buffer.size() < options_.max_entry_bytes) {
          buffer.grow(filled, options_.max_entry_bytes);
        } else if (!skip_long_line(source, buffer, filled, eof, file, progress)) {
          break;
        }
        continue;
      }
      std::string_view data(buffer.data(), filled);
      if (!parser) {
        if (filled == 0) break;
        parser = make_parser(data, file);
        if (!parser) return;
        // A file read before (found by its head: renamed, linked, copied) is that file, not another's traffic.
        const bool new_file = file == nullptr || file->format.empty();
        if (traffic_ != nullptr && new_file &&
            skip_duplicate_traffic(*traffic_, sample_traffic(*parser, data), progress.offset == 0)) {
          summary_.end_offset = progress.offset;
          return;
        }
        if (file != nullptr && file->format.empty()) {
          file->format = summary_.format;
          file->prefix = summary_.prefix;
        }
      }
      const Tail tail = !eof                    ? Tail::More
                        : !final_at_end(source) ? Tail::HoldBack
                        : options_.final_files  ? Tail::All
                                                : Tail::Lines;
      size_t end = batch_end(*parser, data, tail);
      if (end == 0 && !eof) {
        // One entry fills the buffer: grow it for the entry; one longer than max_entry_bytes is cut at a line (its
        // rest counts as bad lines).
        if (buffer.size() < options_.max_entry_bytes) {
          buffer.grow(filled, options_.max_entry_bytes);
          continue;
        }
        end = data.rfind('\n') + 1;
      }
      if (end == 0) {
        // At the end: an entry that may still be being written, or an incomplete last line, left for a later run.
        add_note(tail == Tail::HoldBack
                     ? fmt::format("the last entry (from byte {}) may still be being written: held back until the "
                                   "file grows, is rotated or has not changed for {} s (or --final)",
                                   progress.offset, options_.settle_seconds)
                     : std::string("the last line is incomplete: left for the next ingest"));
        break;
      }
      // Another ingest's filters counted some entries up to a boundary: batches end there.
      for (const FilePass& pass : passes_) {
        if (pass.offset > progress.offset && pass.offset < progress.offset + end) {
          end = static_cast<size_t>(pass.offset - progress.offset);
          break;
        }
      }
      std::vector<IngestFilter> counted;  // filters whose entries this batch's bytes have already given
      for (const FilePass& pass : passes_) {
        if (pass.offset >= progress.offset + end) counted.push_back(pass.filter);
      }
      process(*parser, data.substr(0, end), progress.lines + 1, counted);
      if (progress.offset == 0 && batch_counters_.entries == 0 && batch_counters_.bad_lines > 0 &&
          !summary_.problems.empty()) {
        // Not one entry in a whole first batch: the wrong format (or prefix), not bad lines in a good log. Nothing
        // is committed, so that a run with the right --log-format reads the file from the start.
        summary_.error = fmt::format(
            "{}: nothing could be read: none of its first {} lines is a {} log entry (line {}: {}); check "
            "--log-format{}",
            summary_.path, batch_counters_.lines, summary_.format, summary_.problems.front().line,
            summary_.problems.front().kind, summary_.format == "stderr" ? " and --prefix" : "");
        return;
      }
      if (!commit(file, progress, end, source.identity(), !counted.empty())) break;
      if (options_.on_progress) options_.on_progress(summary_.path, progress.offset, source.identity().size);
      std::memmove(buffer.data(), buffer.data() + end, filled - end);
      filled -= end;
    }
    summary_.end_offset = progress.offset;
    if (eof && source.trailing_data())
      add_note("data after the end of the gzip stream was ignored (zero padding or garbage)");
    if (eof && source.truncated()) {
      add_note(fmt::format("the {} stream ends early (a truncated file, or one still being written): read up to there",
                           source.compression() == Compression::Gzip ? "gzip" : "zstd"));
    }
  }

  //! True (with the summary's note and duplicate_of set) when the file repeats traffic read before.
  bool skip_duplicate_traffic(TrafficRegistry& registry, const TrafficSample& sample, bool from_start) {
    auto same = registry.admit(summary_.path, sample, from_start);
    if (!same) return false;
    summary_.duplicate_of = same->earlier;
    summary_.note = fmt::format(
        "skipped: the same traffic as {}{} ({} of {} sampled entries in both: one server logging to several "
        "destinations?); nothing of it was read; --allow-duplicate-traffic reads it anyway",
        same->earlier, same->earlier_call ? ", read by an earlier ingest" : "", same->shared, same->compared);
    return true;
  }

  //! The buffer holds the start of one line longer than max_entry_bytes: reads on to its end, counts it as one bad
  //! line and commits the progress past it. False when the input ends first: like any incomplete last line, it is
  //! left for the next ingest.
  bool skip_long_line(LogSource& source, Buffer& buffer, size_t& filled, bool& eof, FileCommit* file,
                      FileProgress& progress) {
    const std::string example(buffer.data(), std::min<size_t>(filled, 120));  // InputProblem shows as much
    uint64_t skipped = 0;
    for (;;) {
      const void* nl = std::memchr(buffer.data(), '\n', filled);
      if (nl != nullptr) {
        const auto rest = static_cast<size_t>(static_cast<const char*>(nl) - buffer.data()) + 1;
        skipped += rest;
        std::memmove(buffer.data(), buffer.data() + rest, filled - rest);
        filled -= rest;
        break;
      }
      skipped += filled;
      filled = source.read(buffer.data(), buffer.size());
      if (filled == 0) {
        eof = true;
        add_note(fmt::format("the last line is incomplete and longer than {} MiB: left for the next ingest",
                             options_.max_entry_bytes >> 20));
        return false;
      }
    }
    std::vector<InputProblem> problem{InputProblem::of(
        fmt::format("line longer than {} MiB, skipped", options_.max_entry_bytes >> 20), progress.lines + 1, example)};
    add_problems(problem, 0);
    batch_counters_.bad_lines = 1;
    batch_counters_.lines = 1;
    bool covered = false;
    for (const FilePass& pass : passes_) covered = covered || pass.offset >= progress.offset + skipped;
    return commit(file, progress, skipped, source.identity(), covered);
  }

  //! Adds bad-input examples, at most kExamplesPerKind of each kind per file; `line_offset` makes their line
  //! numbers file line numbers.
  void add_problems(std::vector<InputProblem>& problems, uint64_t line_offset) {
    for (auto& p : problems) {
      size_t same = 0;
      for (const auto& q : summary_.problems) same += q.kind == p.kind ? 1 : 0;
      if (same < IngestAccumulator::kExamplesPerKind) {
        p.line += line_offset;
        summary_.problems.push_back(std::move(p));
      }
    }
  }

  //! The parser of the file's format and prefix: as the options say, else as stored at the file's first read (a
  //! later part of a file may not show them), else detected from `head`.
  std::optional<Parser> make_parser(std::string_view head, const FileCommit* file) {
    LogFormat format = options_.format;
    if (format == LogFormat::Auto && file != nullptr && !file->format.empty()) {
      for (LogFormat f : {LogFormat::Stderr, LogFormat::Csvlog, LogFormat::Jsonlog, LogFormat::Syslog}) {
        if (file->format == format_name(f)) format = f;
      }
    }
    if (format == LogFormat::Auto) format = sniff_format(head);
    // stderr text behind a syslog header is the syslog format.
    if (format == LogFormat::Stderr && sniff_format(head) == LogFormat::Syslog) format = LogFormat::Syslog;
    summary_.format = format_name(format);
    if (format == LogFormat::Csvlog) return Parser(CsvLogParser());
    if (format == LogFormat::Jsonlog) return Parser(JsonLogParser());
    std::optional<LogPrefix> prefix;
    if (!options_.prefix.empty()) {
      std::string error;
      prefix = LogPrefix::compile(options_.prefix, &error);
      if (!prefix) {
        summary_.error = fmt::format("--prefix: {}", error);
        return std::nullopt;
      }
    } else if (file != nullptr && !file->prefix.empty() && file->format == summary_.format) {
      prefix = LogPrefix::compile(file->prefix);
    }
    if (!prefix) {
      const std::string lines = prefix_sample(head, format == LogFormat::Syslog);
      prefix = detect_prefix(lines);
      if (!prefix) {
        summary_.error = fmt::format(
            "{}: no known log_line_prefix fits its first lines; give the server's with --prefix "
            "(SHOW log_line_prefix), or choose --log-format",
            summary_.path);
        return std::nullopt;
      }
    }
    summary_.prefix = prefix->spec();
    if (format == LogFormat::Syslog) return Parser(SyslogLogParser(std::move(*prefix)));
    return Parser(StderrLogParser(std::move(*prefix)));
  }

  //! Where this batch ends: at the last primary entry's start (what follows may continue in the next read, or, at
  //! the end of a file that may grow, in the file's next bytes), or at the end of a final file, after the last
  //! complete line (or everything). 0 when nothing can be processed yet.
  static size_t batch_end(const Parser& p, std::string_view data, Tail tail) {
    return std::visit([&](const auto& parser) { return batch_end_of(parser, data, tail); }, p);
  }

  template <typename P>
  static size_t batch_end_of(const P& parser, std::string_view data, Tail tail) {
    const size_t last_nl = data.rfind('\n');
    const size_t after_last_line = last_nl == std::string_view::npos ? 0 : last_nl + 1;
    if (tail == Tail::All) return data.size();
    if (tail == Tail::Lines) return after_last_line;
    // The last primary entry start followed by a whole line, searched in a tail window that doubles until one is
    // found: an entry larger than the window (a long multi-line statement) must not be cut.
    for (size_t window = kTailWindow;; window *= 2) {
      const size_t from = data.size() > window ? next_line(data, data.size() - window) : 0;
      size_t last = std::string_view::npos;
      for (size_t pos = parser.next_primary_entry(data, from); pos < data.size();
           pos = parser.next_primary_entry(data, next_line(data, pos))) {
        // The last line may be incomplete, unless it ends the file: then it is an entry that may still continue.
        if (next_line(data, pos) >= data.size() && (tail != Tail::HoldBack || data.back() != '\n')) break;
        last = pos;
      }
      if (last != std::string_view::npos && last > 0) return last;
      if (from == 0) {
        // One entry that has not ended yet fills the data: 0 asks for more. Otherwise lines that are no entry (other
        // programs' lines, another format) follow it, or there is no entry start at all: all of it goes.
        if (last == 0 && (tail == Tail::HoldBack || !first_entry_ends<P>(data))) return 0;
        return after_last_line;
      }
    }
  }

  //! `counted`: the filters of the earlier ingests that counted this batch's entries that match them.
  void process(const Parser& master, std::string_view batch, uint64_t first_line,
               const std::vector<IngestFilter>& counted) {
    const unsigned jobs = std::max(1U, options_.jobs);
    while (workers_.size() < jobs) workers_.push_back(std::make_unique<Worker>(options_.filter, master));
    for (auto& w : workers_) w->accumulator.set_counted(counted);
    auto next_primary_entry = [&](std::string_view data, size_t from) {
      return std::visit([&](const auto& parser) { return parser.next_primary_entry(data, from); }, master);
    };
    // Cut points: the first primary entry after each even share.
    std::vector<size_t> cuts{0};
    for (unsigned j = 1; j < jobs; ++j) {
      size_t target = batch.size() * j / jobs;
      size_t cut = target <= cuts.back() ? cuts.back() : next_primary_entry(batch, next_line(batch, target));
      cuts.push_back(std::max(cut, cuts.back()));
    }
    cuts.push_back(batch.size());
    auto work = [&](unsigned j) {
      Worker& w = *workers_[j];
      std::string_view part = batch.substr(cuts[j], cuts[j + 1] - cuts[j]);
      w.lines = std::visit(
          [&](auto& parser) {
            return parser.parse(
                part, 1, [&](const LogEntry& e) { w.accumulator.add(e); },
                [&](uint64_t line, std::string_view text, auto... kind) {
                  w.accumulator.bad_line(line, text, kind...);
                });
          },
          w.parser);
      w.accumulator.finish();
    };
    if (jobs == 1) {
      work(0);
    } else {
      std::vector<std::thread> threads;
      for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(work, j);
      for (auto& t : threads) t.join();
    }
    // Merge in part order; line numbers of problems become file line numbers.
    uint64_t line = first_line;
    for (auto& w : workers_) {
      IngestAccumulator& acc = w->accumulator;
      acc.counters().lines = w->lines;
      batch_counters_.merge(acc.counters());
      add_problems(acc.problems(), line - 1);
      merge_into(batch_classes_, std::move(acc.classes()));
      line += w->lines;
      acc.classes().clear();
      acc.counters() = IngestCounters{};
      acc.problems().clear();
      w->lines = 0;
    }
  }

  //! Commits the batch, its first `bytes` bytes, with the file's progress. `covered`: an ingest with other filters
  //! read these bytes before, so their lines and entries are not counted again, only the calls and errors that it
  //! left out. False when another ingest committed this file in the meantime: the batch is dropped, the rest of the
  //! file left to it.
  bool commit(FileCommit* file, FileProgress& progress, uint64_t bytes, const FileIdentity& identity, bool covered) {
    IngestCounters added = batch_counters_;
    if (covered) added.lines = added.entries = added.bad_lines = added.filtered = 0;
    const FileProgress next{identity, progress.offset + bytes, progress.lines + batch_counters_.lines};
    if (file != nullptr) {
      file->identity = identity;
      file->progress = next;
    }
    const bool stored = store_.commit(batch_classes_, added, file);
    if (stored) {
      progress = next;
      summary_.counters.merge(added);
      for (const auto& [fp, s] : batch_classes_) touched_.push_back(fp);
    } else {
      add_note(fmt::format("another ingest read this file at the same time: left to it from byte {}", progress.offset));
    }
    batch_classes_.clear();
    batch_counters_ = IngestCounters{};
    return stored;
  }

  std::vector<ClassKey> touched_;
  TrafficRegistry* traffic_ = nullptr;
  IngestStore& store_;
  const IngestOptions& options_;
  FileSummary& summary_;
  std::vector<std::unique_ptr<Worker>> workers_;
  ClassStatsMap batch_classes_;
  IngestCounters batch_counters_;
  std::vector<FilePass> passes_;  //!< other filters' progress beyond where this run starts, by offset
  bool rotated_ = false;          //!< renamed since it was read: its old path names another file now
};

}  // namespace

bool IngestSummary::has_errors() const {
  return std::ranges::any_of(files, [](const FileSummary& f) { return !f.error.empty(); });
}

IngestSummary run_ingest(Store& store, const IngestOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  IngestStore ingest_store(store);
  IngestSummary summary;
  std::vector<ClassKey> touched;
  TrafficRegistry traffic(options.keep_traffic_samples ? &store : nullptr);
  for (const std::string& path : options.files) {
    FileSummary& file = summary.files.emplace_back();
    file.path = path;
    FileIngest ingest(ingest_store, options, file);
    if (!options.allow_duplicate_traffic) ingest.set_traffic(&traffic);
    try {
      ingest.run(path);
    } catch (const LogSourceError& e) {
      file.error = e.what();
    }
    summary.totals.merge(file.counters);
    summary.bytes += file.end_offset > file.start_offset ? file.end_offset - file.start_offset : 0;
    touched.insert(touched.end(), ingest.touched().begin(), ingest.touched().end());
  }
  std::sort(touched.begin(), touched.end());
  summary.classes = static_cast<uint64_t>(std::unique(touched.begin(), touched.end()) - touched.begin());
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace pgadvisor::collector
