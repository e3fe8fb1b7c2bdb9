// What a log message says about statements: "duration: X ms  statement: …", execute/parse/bind with a name,
// log_statement's "statement: …", DETAIL parameters, auto_explain's "plan:", errors. Pure, allocation-free.
#pragma once

#include <cstdint>
#include <string_view>

namespace pgadvisor::collector {

enum class MessageKind : uint8_t {
  Statement,       //!< "statement: SQL" (simple protocol), with or without a duration
  Execute,         //!< "execute NAME: SQL" or "execute fetch from NAME/PORTAL: SQL" (extended protocol)
  Parse,           //!< "parse NAME: SQL"
  Bind,            //!< "bind NAME: SQL"
  Duration,        //!< "duration: X ms" alone: the duration of the statement the backend logged before
  Plan,            //!< auto_explain's "duration: X ms  plan:" followed by the plan
  Parameters,      //!< DETAIL "parameters: $1 = '…', …"
  Error,           //!< ERROR, FATAL or PANIC
  ErrorStatement,  //!< STATEMENT: the statement of the error before it
  Other,           //!< anything else (connections, checkpoints, HINT, CONTEXT, …)
};

struct LogMessage {
  MessageKind kind = MessageKind::Other;
  bool has_duration = false;
  int64_t duration_us = 0;  //!< microseconds ("duration: 1.234 ms" gives 1234; PostgreSQL prints 3 decimals)
  std::string_view text;    //!< the SQL, the parameters, the plan or the error message
};

//! Classifies one entry's message, given its level. Never fails: unknown shapes are MessageKind::Other, and a
//! "duration:" whose number does not parse is `malformed`.
LogMessage parse_log_message(std::string_view level, std::string_view message, bool* malformed = nullptr);

//! The SQL text of an auto_explain plan (text or JSON format), from its "Query Text" field; empty when absent.
//! JSON escapes are undone into `scratch` when there are any.
std::string_view plan_query_text(std::string_view plan, std::string& scratch);

//! Removes the tab PostgreSQL puts at the start of every continuation line ("\n\t" becomes "\n").
std::string strip_continuation_tabs(std::string_view text);

}  // namespace pgadvisor::collector
