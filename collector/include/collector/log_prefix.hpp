// log_line_prefix (postgresql.conf syntax) compiled into a matcher for stderr log lines, and its detection from
// the first lines of a log. No regular expressions: each escape knows the shape of its value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/log_entry.hpp"

namespace pgadvisor::collector {

class LogPrefix {
 public:
  //! Compiles a log_line_prefix such as "%m [%p] %q%u@%d app=%a "; nullopt and *error when an escape is unknown.
  static std::optional<LogPrefix> compile(std::string_view spec, std::string* error = nullptr);

  //! When `line` (no newline) is prefix + "LEVEL:  message": fills the entry's fields, level and message.
  bool match(std::string_view line, LogEntry& entry) const;

  const std::string& spec() const { return spec_; }
  //! The number of escapes carrying a value (more is a more specific prefix, used to rank detections).
  int field_count() const { return field_count_; }

 private:
  enum class Item : uint8_t {
    Literal,
    Timestamp,
    TimestampMs,
    Epoch,
    Pid,
    LineNumber,
    User,
    Database,
    Application,
    Host,
    HostPort,
    Session,
    Xid,
    VirtualXid,
    SqlState,
    CommandTag,
    Quiet
  };
  struct Part {
    Item item;
    std::string literal;  //!< for Literal
  };
  //! The item of an escape's letter (what follows the %), or nullopt for a letter log_line_prefix does not have.
  static std::optional<Item> escape_item(char letter);
  bool match_from(size_t part, std::string_view line, size_t pos, LogEntry& entry, int depth) const;

  std::string spec_;
  std::vector<Part> parts_;
  int field_count_ = 0;
};

//! The prefix that matches the most of `lines` (complete lines of the start of a log; at least half must match):
//! one of the well-known ones (and the sandbox's), else one inferred from the lines (timestamps, pids, session ids,
//! "key=value" pairs with keys such as user, db, app, client, and "user@db"); nullopt when none fits.
std::optional<LogPrefix> detect_prefix(std::string_view lines);

//! Parses "LEVEL:  message" at the start of text: the level when it is a known PostgreSQL level.
bool parse_level(std::string_view text, std::string_view& level, std::string_view& message);

}  // namespace pgadvisor::collector
