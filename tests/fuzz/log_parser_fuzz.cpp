// libFuzzer target for the log line parsers: log_line_prefix compilation and matching, prefix detection, message
// shapes, plan query texts, and the accumulator's pairing on any bytes. Nothing may crash, hang or read out of bounds.
#include <cstdint>
#include <string>
#include <string_view>

#include "collector/ingest_accumulator.hpp"
#include "collector/log_message.hpp"
#include "collector/log_parser.hpp"
#include "collector/log_prefix.hpp"

using namespace pgadvisor::collector;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first line, when short, is a prefix specification to compile; the rest is the log.
  const size_t nl = input.find('\n');
  std::string_view spec = nl != std::string_view::npos && nl < 64 ? input.substr(0, nl) : "%m [%p] %q%u@%d app=%a ";
  std::string_view log = nl != std::string_view::npos && nl < 64 ? input.substr(nl + 1) : input;
  std::string error;
  auto prefix = LogPrefix::compile(spec, &error);
  if (!prefix) prefix = LogPrefix::compile("%m [%p] %q%u@%d app=%a ");
  (void)detect_prefix(log);
  StderrLogParser parser(std::move(*prefix));
  IngestAccumulator accumulator;
  parser.parse(
      log, 1, [&](const LogEntry& e) { accumulator.add(e); },
      [&](uint64_t line, std::string_view text) { accumulator.bad_line(line, text); });
  accumulator.finish();
  if (!log.empty()) (void)parser.next_primary_entry(log, 0);
  std::string scratch;
  (void)plan_query_text(log, scratch);
  (void)parse_log_message("LOG", log);
  return 0;
}
