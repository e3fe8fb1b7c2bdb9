// The syslog-style log parser: what PostgreSQL sends to syslog (log_destination = 'syslog'), as rsyslog or syslog-ng
// write it: a syslog header ("Nov 22 04:46:52 host postgres[1234]: " or an RFC 3339 time), PostgreSQL's sequence
// tag ("[seq]", or "[seq-chunk]" for a message sent in several chunks), then log_line_prefix and the message.
// A message's lines and the 900-byte pieces of a long line arrive as chunks 2, 3, … (elog.c, write_syslog), which
// other backends' messages may interleave: chunks are joined per pid.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "collector/log_entry.hpp"
#include "collector/log_prefix.hpp"

namespace pgadvisor::collector {

//! One syslog line taken apart.
struct SyslogLine {
  std::string_view timestamp;  //!< the syslog header's time
  uint64_t pid = 0;            //!< from "ident[pid]:"
  uint64_t chunk = 0;          //!< 0: a message in one piece ("[seq]" or no tag); 1, 2, …: "[seq-chunk]"
  std::string_view content;    //!< after the sequence tag: log_line_prefix + message, or a continuation
  //! A later piece of the message before it from this pid (chunk > 1, or a tab/"#011" when there is no tag).
  bool continuation() const {
    return chunk > 1 || (chunk == 0 && (content.substr(0, 1) == "\t" || content.substr(0, 4) == "#011"));
  }
};

//! Splits a syslog line (RFC 3164 "Mmm dd hh:mm:ss host ident[pid]: " or RFC 3339 "YYYY-MM-DDThh:mm:ss… host
//! ident[pid]: "); false when it has no such header.
bool parse_syslog_line(std::string_view line, SyslogLine& out);

class SyslogLogParser {
 public:
  explicit SyslogLogParser(LogPrefix prefix) : prefix_(std::move(prefix)) {}

  //! Same contract as StderrLogParser::parse. Entries of different backends come out in the order they complete.
  template <typename OnEntry, typename OnBad>
  uint64_t parse(std::string_view data, uint64_t first_line, OnEntry&& on_entry, OnBad&& on_bad) {
    for (Open& o : open_) o.active = false;
    size_t pos = 0;
    uint64_t line_no = first_line;
    while (pos < data.size()) {
      const char* nl = static_cast<const char*>(std::memchr(data.data() + pos, '\n', data.size() - pos));
      const size_t end = nl == nullptr ? data.size() : static_cast<size_t>(nl - data.data());
      std::string_view line = data.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) {
        SyslogLine s;
        if (!parse_syslog_line(line, s)) {
          on_bad(line_no, line);
        } else if (s.continuation()) {
          Open* o = find(s.pid);
          if (o != nullptr) {
            append(*o, s.content);
          } else {
            on_bad(line_no, line);
          }
        } else {
          if (Open* o = find(s.pid)) emit(*o, on_entry);
          Open& o = slot(on_entry);
          o.entry = LogEntry{};
          if (prefix_.match(s.content, o.entry)) {
            o.active = true;
            o.pid = s.pid;
            o.joined = false;
            o.entry.line = line_no;
            o.entry.tabbed = true;
            if (o.entry.pid == 0) o.entry.pid = s.pid;
            if (o.entry.timestamp.empty()) {
              // An RFC 3339 time with a space for its 'T', so that --since and --until compare it like %m's.
              o.time.assign(s.timestamp);
              if (o.time.size() > 10 && o.time[10] == 'T') o.time[10] = ' ';
              o.entry.timestamp = o.time;
            }
            if (o.entry.message.find("#011") != std::string_view::npos) append(o, {});
          } else {
            on_bad(line_no, line);
          }
        }
      }
      ++line_no;
      pos = end + 1;
    }
    // What is still open, oldest first.
    for (;;) {
      Open* oldest = nullptr;
      for (Open& o : open_) {
        if (o.active && (oldest == nullptr || o.entry.line < oldest->entry.line)) oldest = &o;
      }
      if (oldest == nullptr) break;
      emit(*oldest, on_entry);
    }
    return line_no - first_line;
  }

  //! The first line at or after `from` (a line start) that begins a message in one piece or its first chunk, matches
  //! the prefix and is not a DETAIL, STATEMENT, … of the entry before.
  size_t next_primary_entry(std::string_view data, size_t from) const;

  const LogPrefix& prefix() const { return prefix_; }

 private:
  //! An entry whose later chunks may still come. Few at a time: a backend sends a message's chunks back to back.
  struct Open {
    bool active = false;
    bool joined = false;  //!< the message is in `text` (chunks joined, "#011" undone)
    uint64_t pid = 0;
    LogEntry entry;
    std::string text;
    std::string time;  //!< the header's time, when the prefix has none
  };
  static constexpr size_t kOpen = 8;

  Open* find(uint64_t pid) {
    for (Open& o : open_) {
      if (o.active && o.pid == pid) return &o;
    }
    return nullptr;
  }
  //! A free slot; when all are taken, the oldest entry is emitted to make room.
  template <typename OnEntry>
  Open& slot(OnEntry& on_entry) {
    Open* oldest = open_.data();
    for (Open& o : open_) {
      if (!o.active) return o;
      if (o.entry.line < oldest->entry.line) oldest = &o;
    }
    emit(*oldest, on_entry);
    return *oldest;
  }
  template <typename OnEntry>
  void emit(Open& o, OnEntry& on_entry) {
    if (o.joined) o.entry.message = o.text;
    on_entry(static_cast<const LogEntry&>(o.entry));
    o.active = false;
  }
  //! Joins a later chunk to the message: a chunk that starts a new line of the message begins with the tab
  //! PostgreSQL puts after each newline (which syslog drops) or rsyslog's "#011" for it; a piece of a long line
  //! continues it as is.
  static void append(Open& o, std::string_view chunk);

  LogPrefix prefix_;
  std::array<Open, kOpen> open_{};
};

}  // namespace pgadvisor::collector
