// Message shapes of PostgreSQL 15's src/backend/tcop/postgres.c (exec_simple_query, exec_parse_message,
// exec_bind_message, exec_execute_message, check_log_duration) and contrib/auto_explain.
#include "collector/log_message.hpp"

#include <string>

namespace pgadvisor::collector {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

//! "NAME: SQL" after "execute ", "parse " or "bind ": the SQL. Names are <unnamed>, identifiers, or
//! "fetch from NAME/PORTAL".
bool after_name(std::string_view rest, std::string_view& sql) {
  size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) return false;
  sql = rest.substr(colon + 2);
  return true;
}

//! "statement: …", "execute …: …", "parse …: …", "bind …: …" (what follows a duration or stands alone).
bool statement_shape(std::string_view s, LogMessage& m) {
  if (starts_with(s, "statement: ")) {
    m.kind = MessageKind::Statement;
    m.text = s.substr(11);
    return true;
  }
  if (starts_with(s, "execute ")) {
    m.kind = MessageKind::Execute;
    return after_name(s.substr(8), m.text);
  }
  if (starts_with(s, "parse ")) {
    m.kind = MessageKind::Parse;
    return after_name(s.substr(6), m.text);
  }
  if (starts_with(s, "bind ")) {
    m.kind = MessageKind::Bind;
    return after_name(s.substr(5), m.text);
  }
  return false;
}

}  // namespace

LogMessage parse_log_message(std::string_view level, std::string_view message, bool* malformed) {
  LogMessage m;
  if (level == "LOG") {
    if (starts_with(message, "duration: ")) {
      size_t p = 10;
      int64_t whole = 0;
      size_t start = p;
      while (p < message.size() && message[p] >= '0' && message[p] <= '9' && p - start < 15) {
        whole = whole * 10 + (message[p++] - '0');
      }
      if (p == start) {
        if (malformed != nullptr) *malformed = true;
        return m;
      }
      int64_t frac = 0;
      int frac_digits = 0;
      if (p < message.size() && message[p] == '.') {
        ++p;
        while (p < message.size() && message[p] >= '0' && message[p] <= '9') {
          if (frac_digits < 3) {
            frac = frac * 10 + (message[p] - '0');
            ++frac_digits;
          } else if (frac_digits == 3 && message[p] >= '5') {
            ++frac;  // round half up at the microsecond
            ++frac_digits;
          }
          ++p;
        }
      }
      while (frac_digits < 3) {
        frac *= 10;
        ++frac_digits;
      }
      if (message.substr(p, 3) != " ms") {
        if (malformed != nullptr) *malformed = true;
        return m;
      }
      p += 3;
      m.has_duration = true;
      m.duration_us = whole * 1000 + frac;
      std::string_view rest = message.substr(p);
      if (rest.empty()) {
        m.kind = MessageKind::Duration;
        return m;
      }
      if (starts_with(rest, "  ")) rest.remove_prefix(2);
      if (starts_with(rest, "plan:")) {
        m.kind = MessageKind::Plan;
        m.text = rest.substr(5);
        return m;
      }
      if (!statement_shape(rest, m)) {
        m.kind = MessageKind::Other;
        if (malformed != nullptr) *malformed = true;
      }
      return m;
    }
    if (!statement_shape(message, m)) m.kind = MessageKind::Other;
    return m;
  }
  if (level == "DETAIL") {
    if (starts_with(message, "parameters: ")) {
      m.kind = MessageKind::Parameters;
      m.text = message.substr(12);
    }
    return m;
  }
  if (level == "STATEMENT") {
    m.kind = MessageKind::ErrorStatement;
    m.text = message;
    return m;
  }
  if (level == "ERROR" || level == "FATAL" || level == "PANIC") {
    m.kind = MessageKind::Error;
    m.text = message;
  }
  return m;
}

std::string_view plan_query_text(std::string_view plan, std::string& scratch) {
  size_t json = plan.find(R"("Query Text": ")");
  if (json != std::string_view::npos) {
    size_t p = json + 15;
    scratch.clear();
    while (p < plan.size() && plan[p] != '"') {
      char c = plan[p];
      if (c == '\\' && p + 1 < plan.size()) {
        char e = plan[++p];
        switch (e) {
          case 'n':
            scratch.push_back('\n');
            break;
          case 't':
            scratch.push_back('\t');
            break;
          case 'r':
            scratch.push_back('\r');
            break;
          case 'u':
            scratch.push_back(' ');
            p += 4;
            break;  // rare in SQL; a space keeps the statement parseable
          default:
            scratch.push_back(e);
            break;
        }
        ++p;
        continue;
      }
      // Continuation lines of a JSON plan carry the log's tab.
      if (c == '\n' && p + 1 < plan.size() && plan[p + 1] == '\t') ++p;
      scratch.push_back(c);
      ++p;
    }
    return scratch;
  }
  size_t text = plan.find("Query Text: ");
  if (text == std::string_view::npos) return {};
  size_t start = text + 12;
  // The query text runs until the first plan node line (it carries a cost or an actual time).
  size_t end = start;
  for (;;) {
    size_t nl = plan.find('\n', end);
    if (nl == std::string_view::npos) return plan.substr(start);
    std::string_view next = plan.substr(nl + 1, plan.find('\n', nl + 1) - nl - 1);
    if (next.find("(cost=") != std::string_view::npos || next.find("(actual ") != std::string_view::npos ||
        next.find("(never executed)") != std::string_view::npos) {
      return plan.substr(start, nl - start);
    }
    end = nl + 1;
  }
}

std::string strip_continuation_tabs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out.push_back(text[i]);
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\t') ++i;
  }
  return out;
}

}  // namespace pgadvisor::collector
