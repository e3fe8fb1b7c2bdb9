// libFuzzer target for the log parsers of every format (stderr with any log_line_prefix, syslog, csvlog, jsonlog), the
// prefix compiler and detector, message shapes, plan query texts, and the accumulator's pairing, on any bytes. Nothing
// may crash, hang or read out of bounds, and a batch cut where ingest cuts it must give the same entries as a whole.
#include <cstdint>
#include <string>
#include <string_view>

#include "collector/ingest_accumulator.hpp"
#include "collector/log_csv_parser.hpp"
#include "collector/log_json_parser.hpp"
#include "collector/log_message.hpp"
#include "collector/log_parser.hpp"
#include "collector/log_prefix.hpp"
#include "collector/log_syslog_parser.hpp"

using namespace pgadvisor::collector;

namespace {

//! Parses `log` whole and cut at the first entry boundary after its middle (as ingest cuts a batch for --jobs);
//! returns (entries whole, entries of both parts).
template <typename Parser>
std::pair<uint64_t, uint64_t> parse_whole_and_cut(Parser& parser, std::string_view log) {
  // One accumulator for the whole run: its memo and shape cache are large to build and change no result; what
  // one input leaves in it (classes, counters, problems, pending entries) is cleared.
  static IngestAccumulator accumulator;
  accumulator.classes().clear();
  accumulator.counters() = IngestCounters{};
  accumulator.problems().clear();
  uint64_t whole = 0;
  uint64_t cut = 0;
  auto on_bad = [&](uint64_t line, std::string_view text, auto... kind) { accumulator.bad_line(line, text, kind...); };
  const uint64_t lines = parser.parse(
      log, 1,
      [&](const LogEntry& e) {
        ++whole;
        accumulator.add(e);
      },
      on_bad);
  accumulator.finish();
  if (lines > log.size() + 1) __builtin_trap();
  size_t middle = log.find('\n', log.size() / 2);
  middle = middle == std::string_view::npos ? log.size() : middle + 1;
  const size_t boundary = parser.next_primary_entry(log, middle);
  if (boundary < middle || boundary > log.size()) __builtin_trap();
  if (boundary < log.size() && log[boundary - 1] != '\n') __builtin_trap();
  for (std::string_view part : {log.substr(0, boundary), log.substr(boundary)}) {
    parser.parse(
        part, 1, [&](const LogEntry&) { ++cut; }, [](uint64_t, std::string_view, auto...) {});
  }
  return {whole, cut};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte chooses the format ('0' stderr, '1' csvlog, '2' jsonlog, '3' syslog in the seeds); the rest is
  // the log.
  const int format = data[0] % 4;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  if (format == 0) {
    // The first line, when short, is a prefix specification to compile.
    const size_t nl = input.find('\n');
    const bool has_spec = nl != std::string_view::npos && nl < 64;
    std::string_view spec = has_spec ? input.substr(0, nl) : "%m [%p] %q%u@%d app=%a ";
    std::string_view log = has_spec ? input.substr(nl + 1) : input;
    std::string error;
    auto prefix = LogPrefix::compile(spec, &error);
    if (!prefix) prefix = LogPrefix::compile("%m [%p] %q%u@%d app=%a ");
    (void)detect_prefix(log);
    StderrLogParser parser(std::move(*prefix));
    auto [whole, cut] = parse_whole_and_cut(parser, log);
    if (whole != cut) __builtin_trap();
    std::string scratch;
    (void)plan_query_text(log, scratch);
    (void)parse_log_message("LOG", log);
    (void)strip_continuation_tabs(log);
  } else if (format == 1) {
    // A quoted field may hold a newline followed by what looks like a record start: cuts may differ there, so only
    // safety is checked.
    CsvLogParser parser;
    (void)parse_whole_and_cut(parser, input);
  } else if (format == 3) {
    // Chunks of a message may be joined across a cut (other backends' messages in between): safety only.
    SyslogLogParser parser(*LogPrefix::compile("user=%u,db=%d,app=%a,client=%h "));
    (void)parse_whole_and_cut(parser, input);
    SyslogLine line;
    (void)parse_syslog_line(input.substr(0, input.find('\n')), line);
  } else {
    JsonLogParser parser;
    auto [whole, cut] = parse_whole_and_cut(parser, input);
    if (whole != cut) __builtin_trap();
  }
  return 0;
}
