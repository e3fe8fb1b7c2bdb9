// The stderr log parser: log_line_prefix matching and detection, message shapes, pairing of interleaved
// backends, bad lines; small inline snippets written the way PostgreSQL 15 writes them.
#include "collector/log_parser.hpp"

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzer/unparsed_class.hpp"
#include "collector/ingest_accumulator.hpp"
#include "collector/log_message.hpp"
#include "collector/log_prefix.hpp"

using namespace pgadvisor::collector;
namespace analyzer = pgadvisor::analyzer;

namespace {

struct Parsed {
  std::unique_ptr<std::string> log;  //!< what the entries' views point into
  std::vector<LogEntry> entries;
  std::vector<uint64_t> bad;
};

Parsed parse(const std::string& log, const std::string& prefix = "%m [%p] %q%u@%d app=%a ") {
  StderrLogParser parser(*LogPrefix::compile(prefix));
  Parsed out;
  out.log = std::make_unique<std::string>(log);
  parser.parse(
      *out.log, 1, [&](const LogEntry& e) { out.entries.push_back(e); },
      [&](uint64_t line, std::string_view) { out.bad.push_back(line); });
  return out;
}

IngestAccumulator accumulate(const std::string& log, const std::string& prefix = "%m [%p] %q%u@%d app=%a ") {
  StderrLogParser parser(*LogPrefix::compile(prefix));
  IngestAccumulator acc;
  acc.counters().lines = parser.parse(
      log, 1, [&](const LogEntry& e) { acc.add(e); },
      [&](uint64_t line, std::string_view t) { acc.bad_line(line, t); });
  acc.finish();
  return acc;
}

}  // namespace

TEST_CASE("the sandbox prefix gives every field, and %q stops it for background processes", "[collector][log]") {
  auto p = parse(
      "2026-11-22 04:46:52.123 UTC [1234] alice@shop app=psql LOG:  duration: 0.512 ms  statement: SELECT 1\n"
      "2026-11-22 04:46:53.000 UTC [99] LOG:  checkpoint starting: time\n");
  REQUIRE(p.entries.size() == 2);
  CHECK(p.bad.empty());
  const LogEntry& e = p.entries[0];
  CHECK(e.timestamp == "2026-11-22 04:46:52.123 UTC");
  CHECK(e.pid == 1234);
  CHECK(e.user == "alice");
  CHECK(e.database == "shop");
  CHECK(e.application == "psql");
  CHECK(e.level == "LOG");
  CHECK(e.message == "duration: 0.512 ms  statement: SELECT 1");
  CHECK(p.entries[1].pid == 99);
  CHECK(p.entries[1].user.empty());
  CHECK(p.entries[1].message == "checkpoint starting: time");
}

TEST_CASE("free-text fields may contain the literal that follows them", "[collector][log]") {
  auto p = parse("2026-11-22 04:46:52.123 UTC [7] bob@db app=my app LOG:  statement: SELECT 2\n");
  REQUIRE(p.entries.size() == 1);
  CHECK(p.entries[0].application == "my app");
  CHECK(p.entries[0].message == "statement: SELECT 2");
}

TEST_CASE("other prefixes compile and match", "[collector][log]") {
  auto p = parse("2026-11-22 04:46:52 UTC [42]: [3-1] user=u,db=d,app=a,client=127.0.0.1 LOG:  statement: SELECT 1\n",
                 "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ");
  REQUIRE(p.entries.size() == 1);
  CHECK(p.entries[0].pid == 42);
  CHECK(p.entries[0].database == "d");
  auto c = parse("1700000000.123 [5] 6565a1b2.1f3 0 3/7 42P01 SELECT ERROR:  boom\n", "%n [%p] %c %x %v %e %i ");
  REQUIRE(c.entries.size() == 1);
  CHECK(c.entries[0].session == "6565a1b2.1f3");
  CHECK(c.entries[0].level == "ERROR");
  std::string error;
  CHECK_FALSE(LogPrefix::compile("%m %Z", &error));
  CHECK(error == "unknown log_line_prefix escape %Z");
}

TEST_CASE("the prefix is detected from the first lines", "[collector][log]") {
  auto sandbox = detect_prefix(
      "2026-11-22 04:46:52.123 UTC [1234] alice@shop app=psql LOG:  statement: SELECT 1\n"
      "2026-11-22 04:46:53.000 UTC [99] LOG:  checkpoint starting: time\n");
  REQUIRE(sandbox);
  CHECK(sandbox->spec() == "%m [%p] %q%u@%d app=%a ");
  auto debian = detect_prefix("2026-11-22 04:46:52.123 UTC [1234] alice@shop LOG:  statement: SELECT 1\n");
  REQUIRE(debian);
  CHECK(debian->spec() == "%m [%p] %q%u@%d ");
  CHECK_FALSE(detect_prefix("this is not a log\nneither is this\n"));
}

TEST_CASE("a prefix none of the well-known ones fits is inferred from the lines", "[collector][log]") {
  struct Case {
    const char* spec;  //!< what the server was set to: the inferred prefix must read the lines as it does
    std::string lines;
    const char* user;
    const char* database;
    uint64_t pid;
  };
  const std::vector<Case> cases = {
      // Google Cloud SQL's default; a background process writes empty values.
      {"%m [%p]: [%l-1] db=%d,user=%u ",
       "2026-11-22 04:46:52.123 UTC [1234]: [3-1] db=shop,user=alice LOG:  duration: 1.000 ms  statement: SELECT 1\n"
       "2026-11-22 04:46:53.000 UTC [99]: [1-1] db=,user= LOG:  checkpoint starting: time\n",
       "alice", "shop", 1234},
      // Azure Database for PostgreSQL's default: the session id follows the zone after a dash.
      {"%t-%c-",
       "2026-11-22 04:46:52 UTC-6565a1b2.4d2-LOG:  duration: 1.000 ms  statement: SELECT 1\n"
       "2026-11-22 04:46:53 UTC-6565a1b3.63-LOG:  checkpoint starting: time\n",
       "", "", 0},
      {"< %m > %q%u@%d ",
       "< 2026-11-22 04:46:52.123 CET > alice@shop LOG:  duration: 1.000 ms  statement: SELECT 1\n"
       "< 2026-11-22 04:46:53.000 CET > LOG:  checkpoint starting: time\n",
       "alice", "shop", 0},
      {"%m [%p-%l] %quser=%u db=%d app=%a client=%h ",
       "2026-11-22 04:46:52.123 +03 [1234-7] user=alice db=shop app=psql client=10.0.0.5 LOG:  duration: 1.000 ms  "
       "statement: SELECT 1\n"
       "2026-11-22 04:46:53.000 +03 [99-1] LOG:  checkpoint starting: time\n",
       "alice", "shop", 1234},
      {"[%p] %n %q%u@%d ", "[1234] 1700000000.123 alice@shop LOG:  duration: 1.000 ms  statement: SELECT 1\n", "alice",
       "shop", 1234},
      // A SQLSTATE is a field, not the text most lines share.
      {"%m [%p] %q%u@%d %e ",
       "2026-11-22 04:46:52.123 UTC [1234] alice@shop 00000 LOG:  duration: 1.000 ms  statement: SELECT 1\n"
       "2026-11-22 04:46:52.124 UTC [1234] alice@shop 00000 LOG:  duration: 1.000 ms  statement: SELECT 2\n"
       "2026-11-22 04:46:52.125 UTC [1234] alice@shop 42P01 ERROR:  relation \"nope\" does not exist\n"
       "2026-11-22 04:46:52.125 UTC [1234] alice@shop 42P01 STATEMENT:  SELECT * FROM nope\n",
       "alice", "shop", 1234},
      // Amazon RDS: no space before the level; a client address with its port.
      {"%t:%r:%u@%d:[%p]:",
       "2026-11-22 04:46:52 UTC:10.0.0.5(51234):alice@shop:[1234]:LOG:  duration: 1.000 ms  statement: SELECT 1\n",
       "alice", "shop", 1234},
      // The same with a custom separator: inferred, the address as %r.
      {"%t|%r|%u@%d|%p|",
       "2026-11-22 04:46:52 UTC|10.0.0.5(51234)|alice@shop|1234|LOG:  duration: 1.000 ms  statement: SELECT 1\n",
       "alice", "shop", 1234},
      // A well-known one with more fields wins over one whose free-text user would swallow them.
      {"%m [%p] %q[%c] %u@%d ",
       "2026-11-22 04:46:52.123 UTC [1234] [6630a7d0.4d2] alice@shop LOG:  duration: 1.000 ms  statement: SELECT 1\n"
       "2026-11-22 04:46:53.000 UTC [99] LOG:  checkpoint starting: time\n",
       "alice", "shop", 1234},
      // Older tzdata's names for fixed offsets.
      {"%m [%p] %q%u@%d ",
       "2026-11-22 04:46:52.123 GMT+3 [1234] alice@shop LOG:  duration: 1.000 ms  statement: SELECT 1\n", "alice",
       "shop", 1234},
  };
  for (const auto& c : cases) {
    INFO(c.spec);
    auto detected = detect_prefix(c.lines);
    REQUIRE(detected);
    INFO("inferred: " << detected->spec());
    StderrLogParser server(*LogPrefix::compile(c.spec));
    StderrLogParser ours(*detected);
    std::vector<LogEntry> want, got;
    server.parse(
        c.lines, 1, [&](const LogEntry& e) { want.push_back(e); }, [](uint64_t, std::string_view) {});
    ours.parse(
        c.lines, 1, [&](const LogEntry& e) { got.push_back(e); }, [](uint64_t, std::string_view) {});
    REQUIRE(got.size() == want.size());
    REQUIRE(!got.empty());
    for (size_t k = 0; k < got.size(); ++k) {
      CHECK(got[k].timestamp == want[k].timestamp);
      CHECK(got[k].pid == want[k].pid);
      CHECK(got[k].session == want[k].session);
      CHECK(got[k].user == want[k].user);
      CHECK(got[k].database == want[k].database);
      CHECK(got[k].application == want[k].application);
      CHECK(got[k].message == want[k].message);
    }
    CHECK(got[0].user == c.user);
    CHECK(got[0].database == c.database);
    CHECK(got[0].pid == c.pid);
  }
  // A value taken for literal text would drop every line with another value: a command tag that changes is no fit.
  CHECK_FALSE(
      detect_prefix("2026-11-22 04:46:52.123 UTC [1] SELECT LOG:  statement: SELECT 1\n"
                    "2026-11-22 04:46:52.124 UTC [1] SELECT LOG:  statement: SELECT 2\n"
                    "2026-11-22 04:46:52.125 UTC [1] UPDATE LOG:  statement: UPDATE t SET a = 1\n"));
  // A server's prefix has each escape once: lines that repeat a key (hostile, or a message that looks like one) infer
  // nothing, which also keeps matching linear (each free-text field multiplies the ways a line can match).
  std::string repeated;
  for (int i = 0; i < 30; ++i)
    repeated += "2026-11-22 04:46:52.123 UTC [1] user=a user=b user=c user=d user=e LOG:  x\n";
  auto detected = detect_prefix(repeated);
  CHECK((!detected || detected->spec().find("user=%u user=%u") == std::string::npos));
  // A prefix with names in it and no key says nothing that can be told apart from literal text.
  CHECK_FALSE(
      detect_prefix("2026-11-22 04:46:52.123 UTC alice shop LOG:  statement: SELECT 1\n"
                    "2026-11-22 04:46:53.123 UTC bob web LOG:  statement: SELECT 1\n"
                    "2026-11-22 04:46:54.123 UTC carol crm LOG:  statement: SELECT 1\n"));
}

TEST_CASE("message shapes", "[collector][log]") {
  auto m = parse_log_message("LOG", "duration: 12.3456 ms  execute <unnamed>: SELECT $1");
  CHECK(m.kind == MessageKind::Execute);
  CHECK(m.duration_us == 12346);
  CHECK(m.text == "SELECT $1");
  CHECK(parse_log_message("LOG", "duration: 1 ms  parse s1: SELECT 1").kind == MessageKind::Parse);
  CHECK(parse_log_message("LOG", "duration: 0.010 ms  bind <unnamed>: SELECT 1").kind == MessageKind::Bind);
  CHECK(parse_log_message("LOG", "duration: 0.010 ms").kind == MessageKind::Duration);
  CHECK(parse_log_message("LOG", "duration: 0.010 ms  plan:\n\tQuery Text: SELECT 1").kind == MessageKind::Plan);
  auto fetch = parse_log_message("LOG", "execute fetch from <unnamed>/C_1: SELECT * FROM t");
  CHECK(fetch.kind == MessageKind::Execute);
  CHECK_FALSE(fetch.has_duration);
  CHECK(fetch.text == "SELECT * FROM t");
  CHECK(parse_log_message("DETAIL", "parameters: $1 = '1'").text == "$1 = '1'");
  bool malformed = false;
  CHECK(parse_log_message("LOG", "duration: abc ms  statement: SELECT 1", &malformed).kind == MessageKind::Other);
  CHECK(malformed);
  std::string scratch;
  CHECK(plan_query_text("\n\tQuery Text: SELECT *\n\t  FROM t\n\tSeq Scan on t  (cost=0.00..1.01 rows=1 width=4)",
                        scratch) == "SELECT *\n\t  FROM t");
  CHECK(plan_query_text("\n\t{\n\t  \"Query Text\": \"SELECT \\\"a\\\" FROM t\",\n\t  \"Plan\": {}", scratch) ==
        "SELECT \"a\" FROM t");
}

TEST_CASE("calls, durations, parameters, preparation and errors per class", "[collector][log][ingest]") {
  auto acc = accumulate(
      "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 0.100 ms  parse <unnamed>: SELECT * FROM t WHERE id = "
      "$1\n"
      "2026-11-22 04:46:52.101 UTC [1] u@d app=a LOG:  duration: 0.020 ms  bind <unnamed>: SELECT * FROM t WHERE id = "
      "$1\n"
      "2026-11-22 04:46:52.101 UTC [1] u@d app=a DETAIL:  parameters: $1 = '7'\n"
      "2026-11-22 04:46:52.102 UTC [2] u@d app=b LOG:  duration: 5.000 ms  statement: SELECT *\n"
      "\t  FROM t WHERE id = 3\n"
      "2026-11-22 04:46:52.103 UTC [1] u@d app=a LOG:  duration: 1.500 ms  execute <unnamed>: SELECT * FROM t WHERE id "
      "= $1\n"
      "2026-11-22 04:46:52.104 UTC [2] u@d app=b LOG:  duration: 0.001 ms  statement: BEGIN\n"
      "2026-11-22 04:46:52.104 UTC [1] u@d app=a DETAIL:  parameters: $1 = '7'\n"
      "2026-11-22 04:46:52.105 UTC [1] u@d app=a ERROR:  relation \"nope\" does not exist at character 15\n"
      "2026-11-22 04:46:52.106 UTC [2] u@d app=b LOG:  statement: SELECT * FROM t WHERE id = 9\n"
      "2026-11-22 04:46:52.106 UTC [1] u@d app=a STATEMENT:  SELECT * FROM nope\n"
      "2026-11-22 04:46:52.107 UTC [2] u@d app=b LOG:  duration: 2.000 ms\n");
  auto& c = acc.counters();
  CHECK(c.lines == 12);
  CHECK(c.calls == 4);  // two statements on t, one execute, BEGIN
  CHECK(c.timed_calls == 4);
  CHECK(c.total_us == 5000 + 1500 + 1 + 2000);
  CHECK(c.prepares == 2);
  CHECK(c.parameter_sets == 1);
  CHECK(c.errors == 1);
  CHECK(c.unattributed_errors == 0);
  CHECK(c.bad_lines == 0);
  REQUIRE(acc.classes().size() == 3);  // t by id, BEGIN, the failing statement
  const ClassStats* by_id = nullptr;
  const ClassStats* nope = nullptr;
  for (auto& [fp, s] : acc.classes()) {
    if (s.example.find("WHERE id") != std::string::npos) by_id = &s;
    if (s.example.find("nope") != std::string::npos) nope = &s;
  }
  REQUIRE(by_id != nullptr);
  CHECK(by_id->calls == 3);
  CHECK(by_id->timed_calls == 3);
  CHECK(by_id->total_us == 8500);
  CHECK(by_id->min_us == 1500);
  CHECK(by_id->max_us == 5000);
  CHECK(by_id->prepare_count == 2);
  CHECK(by_id->prepare_us == 120);
  CHECK(by_id->by_application.map().at("a").calls == 1);
  CHECK(by_id->by_application.map().at("b").calls == 2);
  CHECK(by_id->by_application.map().at("b").total_us == 7000);
  CHECK(by_id->first_seen == "2026-11-22 04:46:52.102 UTC");
  CHECK(by_id->last_seen == "2026-11-22 04:46:52.106 UTC");
  REQUIRE(by_id->parameters.samples().size() == 1);
  CHECK(by_id->parameters.samples()[0].text == "$1 = '7'");
  REQUIRE(nope != nullptr);
  CHECK(nope->errors == 1);
  CHECK(nope->calls == 0);
}

TEST_CASE("bad input is counted with examples, never fatal", "[collector][log][ingest]") {
  auto acc = accumulate(std::string("garbage \x01\x02 line\n") +
                        "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.000 ms  statement: SELEC 1\n"
                        "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: x ms  statement: SELECT 1\n"
                        "\torphan continuation\n"
                        "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.000 ms  statement: SELECT 1\n"
                        "2026-11-22 04:46:52.100 UTC [1] u@d app=a ERROR:  connection lost\n"
                        "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.000 ms  statement: SELECT 1\n"
                        "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.000 ms  statement: SELECT 1");
  auto& c = acc.counters();
  CHECK(c.bad_lines == 1);  // the orphan continuation belongs to the malformed entry before it
  CHECK(c.unparsable == 1);
  CHECK(c.malformed == 1);
  CHECK(c.calls == 4);
  CHECK(c.unattributed_errors == 1);
  // SELECT 1, and SELEC 1 in an unparsed class of its own.
  REQUIRE(acc.classes().size() == 2);
  const ClassStats& s = acc.classes().at(ClassKey{analyzer::describe_statement("SELECT 1").fingerprint, false});
  CHECK(s.calls == 3);
  REQUIRE(acc.problems().size() == 3);
  CHECK(acc.problems()[0].kind == "unknown line");
  CHECK(acc.problems()[0].line == 1);
  CHECK(acc.problems()[0].text == "garbage ?? line");
  CHECK(acc.problems()[1].kind == "unparsable statement");
  CHECK(acc.problems()[1].line == 2);
}

TEST_CASE("a statement libpg_query cannot parse keeps its calls and time in an unparsed class",
          "[collector][log][ingest][unparsed]") {
  // PostgreSQL 16's hexadecimal integers, a 5 s one and a 1 ms one with another constant; a cursor fragment.
  auto acc = accumulate(
      "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 5000.000 ms  statement: SELECT 0x1F FROM t\n"
      "2026-11-22 04:46:52.200 UTC [2] u@d app=a LOG:  duration: 1.000 ms  statement: select 0x2A\n"
      "\tFROM t\n"
      "2026-11-22 04:46:52.300 UTC [1] u@d app=a LOG:  duration: 2.000 ms  statement: DECLARE c CURSOR FOR\n"
      "2026-11-22 04:46:52.400 UTC [1] u@d app=a LOG:  duration: 3.000 ms  statement: SELECT 1\n"
      "2026-11-22 04:46:52.500 UTC [1] u@d app=a LOG:  duration: 4.000 ms  statement: SELECT 0x10 FROM t\n");
  auto& c = acc.counters();
  CHECK(c.calls == 5);
  CHECK(c.unparsable == 4);
  CHECK(c.total_us == 5'000'000 + 1'000 + 2'000 + 3'000 + 4'000);
  REQUIRE(acc.classes().size() == 3);
  int64_t classes_total = 0;
  for (const auto& [key, stats] : acc.classes()) {
    classes_total += stats.total_us;
    CHECK(key.unparsed == stats.unparsed);
    CHECK(key.fingerprint == stats.fingerprint);
  }
  CHECK(classes_total == c.total_us);  // nothing lost
  const auto hex = analyzer::unparsed_class("SELECT 0x1F FROM t").fingerprint;
  const ClassStats& hexadecimal = acc.classes().at(ClassKey{hex, true});
  CHECK(hexadecimal.unparsed);
  CHECK(hexadecimal.kind_text() == "unparsed");
  CHECK(hexadecimal.calls == 3);
  CHECK(hexadecimal.total_us == 5'004'000 + 1'000);
  CHECK(hexadecimal.max_us == 5'000'000);
  const ClassStats& cursor =
      acc.classes().at(ClassKey{analyzer::unparsed_class("DECLARE c CURSOR FOR").fingerprint, true});
  CHECK(cursor.total_us == 2'000);
  CHECK(ClassKey{hex, true}.text() == analyzer::unparsed_fingerprint_hex(hex));
  CHECK(ClassKey{hex, true}.text() != ClassKey{hex, false}.text());
}

TEST_CASE("chunk boundaries move to the next primary entry", "[collector][log]") {
  StderrLogParser parser(*LogPrefix::compile("%m [%p] %q%u@%d app=%a "));
  std::string log =
      "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.000 ms  execute s: SELECT $1\n"
      "\tcontinued\n"
      "2026-11-22 04:46:52.100 UTC [1] u@d app=a DETAIL:  parameters: $1 = '1'\n"
      "2026-11-22 04:46:52.100 UTC [2] u@d app=a LOG:  duration: 1.000 ms  statement: SELECT 1\n";
  size_t second = log.find("\tcontinued");
  CHECK(parser.next_primary_entry(log, second) == log.find("2026-11-22 04:46:52.100 UTC [2]"));
  CHECK(parser.next_primary_entry(log, 0) == 0);
}
