// The jsonlog parser (PostgreSQL 15's jsonlog.c): one JSON object per line, keys such as timestamp, user, dbname,
// pid, session_id, error_severity, message, detail, statement, application_name. Like csvlog, DETAIL and the failing
// statement are fields of the entry rather than entries of their own. simdjson does the JSON; it stays out of this
// header (only log_json_parser.cpp includes simdjson.h).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "collector/log_entry.hpp"

namespace pgadvisor::collector {

class JsonLogParser {
 public:
  JsonLogParser();
  ~JsonLogParser();
  //! A copy gets a parser of its own: the JSON parser's buffers are scratch state, never shared between threads.
  JsonLogParser(const JsonLogParser& other);
  JsonLogParser& operator=(const JsonLogParser& other);
  JsonLogParser(JsonLogParser&& other) noexcept;
  JsonLogParser& operator=(JsonLogParser&& other) noexcept;

  //! Same contract as StderrLogParser::parse, except that on_bad also gets the reason: on_bad(uint64_t line,
  //! std::string_view text, const char* kind), kind "invalid JSON" (truncated or garbage) or "unknown line" (JSON
  //! that is not a log entry). Blank lines are skipped. An entry's views are valid during on_entry only.
  template <typename OnEntry, typename OnBad>
  uint64_t parse(std::string_view data, uint64_t first_line, OnEntry&& on_entry, OnBad&& on_bad) {
    size_t pos = 0;
    uint64_t line = first_line;
    while (pos < data.size()) {
      const char* nl = static_cast<const char*>(std::memchr(data.data() + pos, '\n', data.size() - pos));
      const size_t end = nl == nullptr ? data.size() : static_cast<size_t>(nl - data.data());
      std::string_view text = data.substr(pos, end - pos);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (!text.empty()) {
        LogEntry e;
        if (const char* problem = read_entry(text, data.size() - pos, e); problem == nullptr) {
          e.line = line;
          on_entry(static_cast<const LogEntry&>(e));
        } else {
          on_bad(line, text, problem);
        }
      }
      ++line;
      pos = end + 1;
    }
    return line - first_line;
  }

  //! The first line start at or after `from` (a line start) that begins an entry: every line that opens with '{'.
  static size_t next_primary_entry(std::string_view data, size_t from);

 private:
  //! Parses one line into `e` (views into the JSON parser's string buffer or the line); `readable` is how many
  //! bytes from line.data() may be read (simdjson reads a little past the end: copied when there is too little).
  //! Returns nullptr, or why the line is not an entry.
  const char* read_entry(std::string_view line, size_t readable, LogEntry& e);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pgadvisor::collector
