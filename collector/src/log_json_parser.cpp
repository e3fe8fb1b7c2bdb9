// JsonLogParser: each line is parsed with simdjson's DOM parser, which picks the best SIMD kernel for the CPU at run
// time (its On-Demand API is bound at compile time, and a generic x86-64 build would get the slow fallback kernel).
// It validates the whole line, so truncated and garbage lines are rejected rather than half read. Strings are
// unescaped into the parser's buffer, which lives until the next line. A line that is not valid UTF-8 is read with
// its stray bytes replaced by U+FFFD.
#include "collector/log_json_parser.hpp"

#include <string>

#include <simdjson.h>

#include "analyzer/utf8.hpp"

namespace pgadvisor::collector {

struct JsonLogParser::Impl {
  simdjson::dom::parser parser;
  std::string padded;     //!< a copy of a line too near the end of the data to be read in place
  std::string sanitized;  //!< a copy of a line that is not valid UTF-8, with its stray bytes replaced
};

JsonLogParser::JsonLogParser() : impl_(std::make_unique<Impl>()) {}
JsonLogParser::~JsonLogParser() = default;
JsonLogParser::JsonLogParser(const JsonLogParser& /*other*/) : impl_(std::make_unique<Impl>()) {}
JsonLogParser& JsonLogParser::operator=(const JsonLogParser& other) {
  if (this != &other) impl_ = std::make_unique<Impl>();
  return *this;
}
JsonLogParser::JsonLogParser(JsonLogParser&&) noexcept = default;
JsonLogParser& JsonLogParser::operator=(JsonLogParser&&) noexcept = default;

const char* JsonLogParser::read_entry(std::string_view line, size_t readable, LogEntry& e) {
  const char* buf = line.data();
  if (readable < line.size() + simdjson::SIMDJSON_PADDING) {
    impl_->padded.assign(line);
    impl_->padded.append(simdjson::SIMDJSON_PADDING, '\0');
    buf = impl_->padded.data();
  }
  simdjson::dom::element root;
  auto error = impl_->parser.parse(buf, line.size(), false).get(root);
  if (error == simdjson::UTF8_ERROR) {
    // A server whose database encoding is not UTF8 (LATIN1, SQL_ASCII) writes its bytes into jsonlog strings as
    // they are, which JSON parsers reject. The entry is kept: read again with each stray byte as U+FFFD.
    impl_->sanitized = analyzer::utf8_sanitize(line);
    const size_t size = impl_->sanitized.size();
    impl_->sanitized.append(simdjson::SIMDJSON_PADDING, '\0');
    error = impl_->parser.parse(impl_->sanitized.data(), size, false).get(root);
  }
  if (error != simdjson::SUCCESS) return "invalid JSON";
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return "unknown line";
  bool has_level = false;
  bool has_message = false;
  for (const simdjson::dom::key_value_pair field : object) {
    const std::string_view key = field.key;
    std::string_view* text = nullptr;
    // The keys this parser uses, in the order PostgreSQL writes them (jsonlog.c, write_jsonlog).
    if (key == "timestamp") {
      text = &e.timestamp;
    } else if (key == "user") {
      text = &e.user;
    } else if (key == "dbname") {
      text = &e.database;
    } else if (key == "pid") {
      uint64_t pid = 0;
      if (field.value.get_uint64().get(pid) == simdjson::SUCCESS) e.pid = pid;
      continue;
    } else if (key == "session_id") {
      text = &e.session;
    } else if (key == "error_severity") {
      text = &e.level;
      has_level = true;
    } else if (key == "message") {
      text = &e.message;
      has_message = true;
    } else if (key == "detail") {
      text = &e.detail;
    } else if (key == "statement") {
      text = &e.statement;
    } else if (key == "application_name") {
      text = &e.application;
    } else {
      continue;
    }
    if (field.value.get_string().get(*text) != simdjson::SUCCESS) return "unknown line";
  }
  if (!has_level || !has_message) return "unknown line";
  return nullptr;
}

size_t JsonLogParser::next_primary_entry(std::string_view data, size_t from) {
  size_t pos = from;
  while (pos < data.size()) {
    if (data[pos] == '{') return pos;
    const void* nl = std::memchr(data.data() + pos, '\n', data.size() - pos);
    if (nl == nullptr) break;
    pos = static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1;
  }
  return data.size();
}

}  // namespace pgadvisor::collector
