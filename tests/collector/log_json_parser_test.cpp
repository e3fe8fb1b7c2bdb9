// The jsonlog parser on lines as PostgreSQL 15 writes them (escaped newlines and quotes, DETAIL parameters and the
// failing statement as keys of the same object), and on truncated, garbage and non-log lines.
#include "collector/log_json_parser.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "collector/ingest_accumulator.hpp"

using namespace pgadvisor::collector;

namespace {

const std::string kStatement =
    R"({"timestamp":"2026-11-22 05:58:33.296 UTC","user":"postgres","dbname":"shop","pid":18221,)"
    R"("remote_host":"[local]","session_id":"6b028489.472d","line_num":1,"ps":"SELECT",)"
    R"("session_start":"2026-11-22 05:58:33 UTC","vxid":"3/0","txid":0,"error_severity":"LOG",)"
    R"("message":"duration: 0.283 ms  statement: SELECT 'a''b\"c' AS x,\n  2 AS \u0079",)"
    R"("application_name":"psql","backend_type":"client backend","query_id":-4968760124234517581})";
const std::string kExecute =
    R"({"timestamp":"2026-11-22 05:58:33.300 UTC","user":"app","dbname":"shop","pid":18222,)"
    R"("remote_host":"127.0.0.1","remote_port":51234,"session_id":"6b028489.472e","line_num":3,"ps":"SELECT",)"
    R"("session_start":"2026-11-22 05:58:33 UTC","vxid":"4/5","txid":0,"error_severity":"LOG",)"
    R"("message":"duration: 0.050 ms  execute <unnamed>: SELECT abalance FROM a WHERE aid = $1",)"
    R"("detail":"parameters: $1 = '42'","application_name":"pgbench","backend_type":"client backend",)"
    R"("query_id":0})";
const std::string kError =
    R"({"timestamp":"2026-11-22 05:58:33.301 UTC","user":"postgres","dbname":"shop","pid":18221,)"
    R"("remote_host":"[local]","session_id":"6b028489.472d","line_num":2,"ps":"SELECT",)"
    R"("session_start":"2026-11-22 05:58:33 UTC","vxid":"3/360","txid":0,"error_severity":"ERROR",)"
    R"("state_code":"42P01","message":"relation \"nope\" does not exist","statement":"select * from nope",)"
    R"("cursor_position":15,"application_name":"psql","backend_type":"client backend","query_id":0})";

//! An entry's fields, copied (the views die with the next line).
struct Owned {
  std::string timestamp, user, database, application, level;
  uint64_t pid = 0, line = 0, session_key = 0;
};

struct Parsed {
  std::vector<Owned> entries;
  std::vector<std::string> messages, details, statements;
  std::vector<std::pair<uint64_t, std::string>> bad;
  uint64_t lines = 0;
};

Parsed parse(JsonLogParser& parser, std::string_view log, IngestAccumulator* acc = nullptr) {
  Parsed p;
  p.lines = parser.parse(
      log, 1,
      [&](const LogEntry& e) {
        p.entries.push_back({std::string(e.timestamp), std::string(e.user), std::string(e.database),
                             std::string(e.application), std::string(e.level), e.pid, e.line, e.session_key()});
        p.messages.emplace_back(e.message);
        p.details.emplace_back(e.detail);
        p.statements.emplace_back(e.statement);
        if (acc != nullptr) acc->add(e);
      },
      [&](uint64_t line, std::string_view text, const char* kind) {
        p.bad.emplace_back(line, kind);
        if (acc != nullptr) acc->bad_line(line, text, kind);
      });
  return p;
}

}  // namespace

TEST_CASE("jsonlog entries: escapes, detail and statement keys, session", "[collector][log][json]") {
  const std::string log = kStatement + "\n" + kExecute + "\n\n" + kError + "\n";
  JsonLogParser parser;
  IngestAccumulator acc;
  Parsed p = parse(parser, log, &acc);
  acc.finish();
  CHECK(p.lines == 4);
  CHECK(p.bad.empty());
  REQUIRE(p.messages.size() == 3);
  CHECK(p.messages[0] == "duration: 0.283 ms  statement: SELECT 'a''b\"c' AS x,\n  2 AS y");
  CHECK(p.details[1] == "parameters: $1 = '42'");
  CHECK(p.messages[2] == "relation \"nope\" does not exist");
  CHECK(p.statements[2] == "select * from nope");
  CHECK(p.entries[0].line == 1);
  CHECK(p.entries[2].line == 4);
  CHECK(p.entries[0].pid == 18221);
  CHECK(p.entries[1].pid == 18222);
  CHECK(p.entries[1].user == "app");
  CHECK(p.entries[1].database == "shop");
  CHECK(p.entries[1].application == "pgbench");
  CHECK(p.entries[1].level == "LOG");
  CHECK(p.entries[2].level == "ERROR");
  CHECK(p.entries[0].timestamp == "2026-11-22 05:58:33.296 UTC");
  CHECK(p.entries[0].session_key == p.entries[2].session_key);
  CHECK(p.entries[0].session_key != p.entries[1].session_key);
  auto& c = acc.counters();
  CHECK(c.calls == 2);
  CHECK(c.total_us == 333);
  CHECK(c.parameter_sets == 1);
  CHECK(c.errors == 1);
  CHECK(c.unattributed_errors == 0);
  CHECK(c.bad_lines == 0);
  CHECK(acc.classes().size() == 3);
  CHECK(parser.next_primary_entry(log, 0) == 0);
  CHECK(parser.next_primary_entry(log, kStatement.size() + 1) == kStatement.size() + 1);
  CHECK(parser.next_primary_entry(log, log.size()) == log.size());
}

TEST_CASE("jsonlog bad lines (truncated, garbage, not an entry) are counted and the rest is read",
          "[collector][log][json]") {
  const std::string truncated = kExecute.substr(0, kExecute.size() / 2);
  const std::string log = kStatement + "\n" + truncated + "\n" + "\x01\x02\xff garbage\n" + R"({"foo": 1})" + "\n" +
                          "[1, 2]\n" + kStatement + "} trailing\n" + kError;  // the last line lacks its newline
  JsonLogParser parser;
  IngestAccumulator acc;
  Parsed p = parse(parser, log, &acc);
  acc.finish();
  CHECK(p.lines == 7);
  REQUIRE(p.messages.size() == 2);
  CHECK(p.statements[1] == "select * from nope");
  CHECK(p.entries[1].line == 7);
  REQUIRE(p.bad.size() == 5);
  CHECK(p.bad[0] == std::pair<uint64_t, std::string>{2, "invalid JSON"});
  CHECK(p.bad[1] == std::pair<uint64_t, std::string>{3, "invalid JSON"});
  CHECK(p.bad[2] == std::pair<uint64_t, std::string>{4, "unknown line"});
  CHECK(p.bad[3] == std::pair<uint64_t, std::string>{5, "unknown line"});
  CHECK(p.bad[4] == std::pair<uint64_t, std::string>{6, "invalid JSON"});
  CHECK(acc.counters().bad_lines == 5);
  CHECK(acc.counters().calls == 1);
  CHECK(acc.counters().errors == 1);
  // Examples are kept per kind, with their line.
  REQUIRE(acc.problems().size() == 5);
  CHECK(acc.problems()[0].kind == "invalid JSON");
  CHECK(acc.problems()[0].line == 2);

  // A copy parses on its own (each worker thread has one), and the same parser reads the same input again.
  JsonLogParser copy(parser);
  CHECK(parse(copy, log).messages == p.messages);
  CHECK(parse(parser, log).messages == p.messages);
}

TEST_CASE("a jsonlog line with Latin-1 bytes is kept, each stray byte read as U+FFFD", "[collector][log][json]") {
  // A LATIN1 database writes its bytes into the JSON strings as they are: not valid UTF-8, so not valid JSON.
  const std::string latin1 =
      "{\"timestamp\":\"2026-11-22 05:58:33.296 UTC\",\"user\":\"b\xF6"
      "b\",\"dbname\":\"shop\",\"pid\":18221,"
      "\"session_id\":\"6b028489.472d\",\"error_severity\":\"LOG\","
      "\"message\":\"duration: 0.283 ms  statement: SELECT * FROM t WHERE name = 'caf\xE9'\","
      "\"application_name\":\"caf\xE9\"}";
  const std::string log = latin1 + "\n" + kStatement + "\n" + latin1;  // the last one near the end (padded copy)
  JsonLogParser parser;
  IngestAccumulator acc;
  Parsed p = parse(parser, log, &acc);
  acc.finish();
  CHECK(p.bad.empty());
  REQUIRE(p.messages.size() == 3);
  CHECK(p.messages[0] == "duration: 0.283 ms  statement: SELECT * FROM t WHERE name = 'caf\xEF\xBF\xBD'");
  CHECK(p.entries[0].user ==
        "b\xEF\xBF\xBD"
        "b");
  CHECK(p.entries[0].application == "caf\xEF\xBF\xBD");
  CHECK(p.entries[0].pid == 18221);
  CHECK(p.messages[2] == p.messages[0]);
  CHECK(acc.counters().calls == 3);
  CHECK(acc.counters().bad_lines == 0);
}
