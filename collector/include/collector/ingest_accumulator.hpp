// Log entries in, per-class statistics out: pairs each backend's entries (a statement and its DETAIL parameters
// or its later duration, an error and its STATEMENT) by session, fingerprints statements through the analyzer's
// shape cache, and counts every input it cannot use, with examples. One per thread; results merge.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/shape_cache.hpp"
#include "analyzer/unparsed_class.hpp"
#include "collector/class_stats.hpp"
#include "collector/log_entry.hpp"

namespace pgadvisor::collector {

//! Which entries to keep (empty: all). Times compare as text, "YYYY-MM-DD HH:MM:SS" (the log's time zone).
struct IngestFilter {
  std::string database;
  std::string user;
  std::string application;
  std::string since;
  std::string until;
  bool empty() const {
    return database.empty() && user.empty() && application.empty() && since.empty() && until.empty();
  }
  bool matches(const LogEntry& e) const;
  bool operator==(const IngestFilter&) const = default;
};

struct IngestCounters {
  uint64_t lines = 0;
  uint64_t entries = 0;
  uint64_t calls = 0;  //!< statement: and execute entries (pgBadger's "queries")
  uint64_t timed_calls = 0;
  int64_t total_us = 0;   //!< of the calls
  uint64_t prepares = 0;  //!< parse and bind entries
  uint64_t plans = 0;     //!< auto_explain plans
  uint64_t parameter_sets = 0;
  uint64_t errors = 0;               //!< ERROR, FATAL, PANIC entries
  uint64_t unattributed_errors = 0;  //!< errors without a STATEMENT (connection errors, …)
  uint64_t filtered = 0;             //!< entries left out by the filter
  uint64_t bad_lines = 0;            //!< lines that match no known shape
  uint64_t malformed = 0;            //!< entries of a known shape with a broken value (a duration without a number)
  uint64_t unparsable = 0;           //!< statements that libpg_query does not parse (each in an unparsed class)
  void merge(const IngestCounters& o);
};

//! A bad input example: what, where (line in its file), and the start of the text.
struct InputProblem {
  std::string kind;  //!< "unknown line", "invalid JSON", "malformed entry", "unparsable statement"
  uint64_t line = 0;
  std::string text;  //!< the first 120 bytes, control characters shown as '?'

  static InputProblem of(std::string kind, uint64_t line, std::string_view text);
};

class IngestAccumulator {
 public:
  static constexpr size_t kExamplesPerKind = 3;

  explicit IngestAccumulator(IngestFilter filter = {});

  void add(const LogEntry& entry);
  //! A line that neither matches the format nor continues an entry ("unknown line"), or another `kind` of bad line
  //! ("invalid JSON").
  void bad_line(uint64_t line, std::string_view text, const char* kind = "unknown line");
  //! Entries that match one of `filters` are left out uncounted: ingests with those filters counted them before.
  void set_counted(std::vector<IngestFilter> filters) { counted_ = std::move(filters); }
  //! Closes what is still waiting for a later entry (an error without its STATEMENT yet), and normalizes each
  //! class's example (`ClassStats::normalized`), here in the worker thread rather than in the store's transaction.
  void finish();

  ClassStatsMap& classes() { return classes_; }
  IngestCounters& counters() { return counters_; }
  std::vector<InputProblem>& problems() { return problems_; }

 private:
  //! What a backend's last entry still waits for.
  struct Pending {
    enum class Kind : uint8_t { None, Call, Execute, Error } kind = Kind::None;
    ClassStats* stats = nullptr;
    bool awaiting_duration = false;  //!< logged by log_statement: its "duration: X ms" comes later
    bool secret_parameters = false;  //!< its parameters may hold a secret (`password = $1`): values are hidden
  };
  //! The class of a statement's text; one that does not parse is counted, with an example, and gets an unparsed
  //! class (analyzer/unparsed_class.hpp). Never nullptr.
  ClassStats* classify(std::string_view sql, uint64_t line);
  void problem(const char* kind, uint64_t line, std::string_view text);
  void close(Pending& p);

  //! A direct-mapped memo of exact statement texts to their fingerprint: statements that repeat byte for byte
  //! (prepared and extended-protocol ones, mostly) skip the tokenizer and the shape cache.
  struct MemoSlot {
    uint64_t hash = 0;
    uint64_t fingerprint = 0;  //!< 0: empty
    bool unparsed = false;     //!< an unparsed class's token fingerprint
    std::string text;
  };
  static constexpr size_t kMemoSlots = size_t{1} << 14;
  static constexpr size_t kMemoMaxText = 4096;

  IngestFilter filter_;
  std::vector<IngestFilter> counted_;
  std::vector<MemoSlot> memo_;
  analyzer::ShapeCache shapes_;
  ClassStatsMap classes_;
  //! The example each class had at the last finish() (its key) and its normalized text: a class whose example
  //! did not change (a statement that repeats byte for byte) is not normalized again.
  std::unordered_map<ClassKey, std::pair<uint64_t, std::string>, ClassKeyHash> normalized_;
  std::unordered_map<uint64_t, Pending> pending_;
  IngestCounters counters_;
  std::vector<InputProblem> problems_;
  std::string scratch_;             //!< a plan's query text, unescaped
  std::string stripped_;            //!< a statement without its continuation tabs
  std::string redacted_;            //!< a statement without its secrets
  bool secret_parameters_ = false;  //!< the statement classify() saw last has a secret parameter
  bool tabbed_ = false;  //!< the entry being added is a stderr one: "\n\t" in its text is a continuation line
};

}  // namespace pgadvisor::collector
