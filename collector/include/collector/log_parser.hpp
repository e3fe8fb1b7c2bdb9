// The stderr log parser: a buffer of complete lines in, LogEntry values out. Lines are found with memchr, a
// line starting with a tab continues the entry before it, and every other line must match the prefix.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "collector/log_entry.hpp"
#include "collector/log_prefix.hpp"

namespace pgadvisor::collector {

class StderrLogParser {
 public:
  explicit StderrLogParser(LogPrefix prefix) : prefix_(std::move(prefix)) {}

  //! Calls on_entry(const LogEntry&) for every entry that starts in `data` (complete lines; the last one may lack
  //! its newline) and on_bad(uint64_t line, std::string_view text) for lines that neither match the prefix nor
  //! continue an entry. `first_line` is the line number of data's first line. Returns the number of lines.
  template <typename OnEntry, typename OnBad>
  uint64_t parse(std::string_view data, uint64_t first_line, OnEntry&& on_entry, OnBad&& on_bad) const {
    const char* p = data.data();
    const char* const end = p + data.size();
    uint64_t line_no = first_line;
    LogEntry entry;
    bool open = false;
    const char* message_end = nullptr;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* line_end = nl == nullptr ? end : nl;
      if (*p == '\t') {
        if (open) {
          message_end = line_end;
        } else {
          on_bad(line_no, std::string_view(p, static_cast<size_t>(line_end - p)));
        }
      } else {
        if (open) {
          entry.message =
              std::string_view(entry.message.data(), static_cast<size_t>(message_end - entry.message.data()));
          on_entry(static_cast<const LogEntry&>(entry));
          open = false;
        }
        entry = LogEntry{};
        std::string_view line(p, static_cast<size_t>(line_end - p));
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (prefix_.match(line, entry)) {
          entry.line = line_no;
          entry.tabbed = true;
          open = true;
          message_end = entry.message.data() + entry.message.size();
        } else if (!line.empty()) {
          on_bad(line_no, line);
        }
      }
      ++line_no;
      p = line_end + 1;
    }
    if (open) {
      entry.message = std::string_view(entry.message.data(), static_cast<size_t>(message_end - entry.message.data()));
      on_entry(static_cast<const LogEntry&>(entry));
    }
    return line_no - first_line;
  }

  //! The offset of the first line at or after `from` that starts an entry a chunk may begin with: it matches the
  //! prefix and is not the DETAIL, STATEMENT, HINT, CONTEXT, QUERY or LOCATION of the entry before it. `from`
  //! must be a line start. data.size() when there is none.
  size_t next_primary_entry(std::string_view data, size_t from) const;

  const LogPrefix& prefix() const { return prefix_; }

 private:
  LogPrefix prefix_;
};

//! Whether an entry of this level belongs to the entry before it of the same backend.
bool is_secondary_level(std::string_view level);

}  // namespace pgadvisor::collector
