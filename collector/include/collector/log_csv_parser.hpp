// The csvlog parser (PostgreSQL 15's csvlog.c): one CSV record per entry, quoted fields may hold newlines and
// doubled quotes. DETAIL and the failing statement are fields of the same record rather than entries of their own.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "collector/log_entry.hpp"

namespace pgadvisor::collector {

class CsvLogParser {
 public:
  //! Fields of a PostgreSQL 15 csvlog record, in order (26; 13 and 14 write fewer, which is accepted).
  enum Field : uint8_t {
    kLogTime,
    kUser,
    kDatabase,
    kPid,
    kConnectionFrom,
    kSessionId,
    kSessionLine,
    kCommandTag,
    kSessionStart,
    kVirtualXid,
    kXid,
    kSeverity,
    kSqlState,
    kMessage,
    kDetail,
    kHint,
    kInternalQuery,
    kInternalQueryPos,
    kContext,
    kQuery,
    kQueryPos,
    kLocation,
    kApplication,
    kBackendType,
    kLeaderPid,
    kQueryId,
    kFieldCount
  };

  //! Same contract as StderrLogParser::parse; an entry's views are valid during on_entry only.
  template <typename OnEntry, typename OnBad>
  uint64_t parse(std::string_view data, uint64_t first_line, OnEntry&& on_entry, OnBad&& on_bad) {
    size_t pos = 0;
    uint64_t line = first_line;
    while (pos < data.size()) {
      const uint64_t start_line = line;
      size_t end = 0;
      int fields = split(data, pos, end, line);
      std::string_view record = data.substr(pos, end - pos);
      pos = end < data.size() ? end + 1 : end;
      ++line;
      if (record.empty()) continue;
      if (fields < kApplication + 1) {
        on_bad(start_line, record);
        continue;
      }
      LogEntry e;
      e.timestamp = fields_[kLogTime];
      e.user = fields_[kUser];
      e.database = fields_[kDatabase];
      e.session = fields_[kSessionId];
      e.application = fields_[kApplication];
      for (char c : fields_[kPid]) e.pid = e.pid * 10 + static_cast<uint64_t>(c >= '0' && c <= '9' ? c - '0' : 0);
      e.level = fields_[kSeverity];
      e.message = fields_[kMessage];
      e.detail = fields_[kDetail];
      e.statement = fields_[kQuery];
      e.line = start_line;
      on_entry(static_cast<const LogEntry&>(e));
    }
    return line - first_line;
  }

  //! The first line start at or after `from` (a line start) that begins a record: it opens with a timestamp.
  static size_t next_primary_entry(std::string_view data, size_t from);

 private:
  //! Splits the record at `pos` into fields_ (unquoted into scratch_ when needed); `end` is its newline (or the
  //! data's end); `line` advances over newlines inside quotes. Returns the number of fields.
  int split(std::string_view data, size_t pos, size_t& end, uint64_t& line);

  std::array<std::string_view, kFieldCount> fields_{};
  std::array<std::string, kFieldCount> scratch_{};
};

}  // namespace pgadvisor::collector
