// One log entry, as any log format yields it: the prefix's fields (who, where, when) and the message, with views
// into the reader's buffer, so that parsing allocates nothing. Valid until the buffer moves on.
#pragma once

#include <cstdint>
#include <string_view>

namespace pgadvisor::collector {

struct LogEntry {
  std::string_view timestamp;    //!< as written (%m, %t, %n or %s; csv/json log_time)
  std::string_view user;         //!< %u
  std::string_view database;     //!< %d
  std::string_view application;  //!< %a
  std::string_view session;      //!< %c, the session id, when the format has one
  uint64_t pid = 0;              //!< %p, 0 when unknown
  std::string_view level;        //!< LOG, ERROR, DETAIL, STATEMENT, …
  std::string_view message;      //!< after "LEVEL:  ", continuation lines included ("\n\t" between lines)
  std::string_view detail;       //!< csv/json only: the DETAIL field (stderr writes it as an entry of its own)
  std::string_view statement;    //!< csv/json only: the statement field of an ERROR (STATEMENT: in stderr)
  uint64_t line = 0;             //!< 1-based line number of its first line in the file
  //! stderr: every continuation line starts with a tab that is not part of the text (csv/json carry the text as is)
  bool tabbed = false;
  //! What pairs an entry with the next entries of the same backend: the session id when known, else the pid.
  uint64_t session_key() const;
};

}  // namespace pgadvisor::collector
