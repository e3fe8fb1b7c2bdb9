// The analyzer's only door to libpg_query: every call into it goes through here, and no other file
// includes pg_query.h. Results own their memory; errors come back as values with a cursor position.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::analyzer::pg_query_adapter {

struct ParseError {
  std::string message;  //!< the parser's message, e.g. "syntax error at or near \"0x1F\""
  int position = 0;     //!< 1-based character offset into the statement text, 0 when unknown
};

//! A value or the parse error that prevented it.
template <typename T>
struct Outcome {
  std::optional<T> value;
  std::optional<ParseError> error;
  explicit operator bool() const { return value.has_value(); }
};

struct Fingerprint {
  uint64_t value = 0;
  std::string hex;  //!< 16 lower-case hex digits, exactly as libpg_query prints it
};

//! A statement's place in a multi-statement string: byte offset and length, as libpg_query reports it.
struct StatementSpan {
  int location = 0;
  int length = 0;
};

// The text passed in must not contain NUL bytes; callers pass std::string so that it is NUL-terminated.
Outcome<Fingerprint> fingerprint(const std::string& text);
//! The fingerprint's value only (the statement analyzer's hot path): pg_query_fingerprint's own steps, without
//! its hex string (asprintf, 6 % of a fingerprint) nor the warnings it formats and drops for every literal (8 %).
//! Same value, error message and position (tested).
Outcome<uint64_t> fingerprint_value(const char* text);
Outcome<std::string> normalize(const std::string& text);
//! The parse tree as libpg_query's JSON (pg_query_parse).
Outcome<std::string> parse_json(const std::string& text);
//! Statement spans found by the scanner: tolerates statements the parser rejects, fails on unscannable input.
Outcome<std::vector<StatementSpan>> split_with_scanner(const std::string& text);
//! Statement spans found by the parser: exact, but fails when any statement does not parse.
Outcome<std::vector<StatementSpan>> split_with_parser(const std::string& text);

}  // namespace pgadvisor::analyzer::pg_query_adapter
