// The syslog-style parser on what PostgreSQL's write_syslog sends as rsyslog writes it: "[seq]" and "[seq-chunk]"
// tags, continuation lines as later chunks (with rsyslog's "#011" for the tab), a long line cut into pieces, other
// backends' messages in between, RFC 3164 and RFC 3339 headers; and lines that are not syslog or not PostgreSQL.
#include "collector/log_syslog_parser.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "collector/ingest_accumulator.hpp"

using namespace pgadvisor::collector;

TEST_CASE("syslog headers and sequence tags", "[collector][log][syslog]") {
  SyslogLine s;
  REQUIRE(parse_syslog_line("Dec  1 10:51:13 db1 postgres[25120]: [3] user=a LOG:  x", s));
  CHECK(s.timestamp == "Dec  1 10:51:13");
  CHECK(s.pid == 25120);
  CHECK(s.chunk == 0);
  CHECK(s.content == "user=a LOG:  x");
  CHECK_FALSE(s.continuation());
  REQUIRE(parse_syslog_line("2026-12-01T10:51:14.123456+00:00 db1 postgres[7]: [10-2] #011FROM t", s));
  CHECK(s.timestamp == "2026-12-01T10:51:14.123456+00:00");
  CHECK(s.pid == 7);
  CHECK(s.chunk == 2);
  CHECK(s.content == "#011FROM t");
  CHECK(s.continuation());
  REQUIRE(parse_syslog_line("Dec 11 10:51:13 db1 postgres[8]: \tFROM t", s));  // syslog_sequence_numbers = off
  CHECK(s.chunk == 0);
  CHECK(s.continuation());
  CHECK_FALSE(parse_syslog_line("2026-12-01 10:51:13.706 UTC [1] u@d app=a LOG:  x", s));
  CHECK_FALSE(parse_syslog_line("Dec  1 10:51:13 db1 postgres: no pid", s));
  CHECK_FALSE(parse_syslog_line("", s));
}

TEST_CASE("syslog entries: chunks joined per backend, bad lines counted", "[collector][log][syslog]") {
  const std::string p = "user=app,db=shop,app=psql,client=[local] ";
  const std::string log =
      "Dec  1 10:51:13 db1 postgres[25120]: [3] " + p + "LOG:  duration: 0.283 ms  statement: SELECT 1\n" +
      "Dec  1 10:51:13 db1 postgres[25121]: [4-1] " + p + "LOG:  duration: 1.000 ms  statement: SELECT a,\n" +
      "Dec  1 10:51:13 db1 postgres[25120]: [5] " + p +
      "LOG:  duration: 0.500 ms  execute <unnamed>: SELECT name FROM t WHERE id = $1\n" +
      "Dec  1 10:51:13 db1 postgres[25121]: [4-2] #011  b\n" +
      "Dec  1 10:51:13 db1 postgres[25121]: [4-3] #011FROM t#011WHERE x = 1\n" +
      "Dec  1 10:51:13 db1 postgres[25120]: [6] " + p + "DETAIL:  parameters: $1 = '7'\n" +
      "2026-12-01T10:51:14.123456+00:00 db1 postgres[25122]: [7-1] " + p +
      "LOG:  duration: 2.000 ms  statement: SELECT 'aaaa\n" +
      "2026-12-01T10:51:14.123456+00:00 db1 postgres[25122]: [7-2]  bbb' AS long_line\n" +
      "Dec  1 10:51:15 db1 postgres[25120]: [8] " + p + "ERROR:  relation \"nope\" does not exist at character 15\n" +
      "Dec  1 10:51:15 db1 postgres[25120]: [9] " + p + "STATEMENT:  select * from nope\n" +
      "Dec  1 10:51:15 db1 postgres[25123]: [10-2] #011orphan continuation\n" + "not a syslog line\n" +
      "Dec  1 10:51:16 db1 kernel[1]: [11] something else entirely\n";
  SyslogLogParser parser(*LogPrefix::compile("user=%u,db=%d,app=%a,client=%h "));
  IngestAccumulator acc;
  std::vector<std::string> messages;
  std::vector<std::string> times;
  std::vector<uint64_t> lines;
  std::vector<uint64_t> bad;
  const uint64_t n = parser.parse(
      log, 1,
      [&](const LogEntry& e) {
        messages.emplace_back(e.message);
        times.emplace_back(e.timestamp);
        lines.push_back(e.line);
        CHECK(e.database == "shop");
        CHECK(e.tabbed);
        acc.add(e);
      },
      [&](uint64_t line, std::string_view text) {
        bad.push_back(line);
        acc.bad_line(line, text);
      });
  acc.finish();
  CHECK(n == 13);
  CHECK(bad == std::vector<uint64_t>{11, 12, 13});
  REQUIRE(messages.size() == 7);
  CHECK(messages[0] == "duration: 0.283 ms  statement: SELECT 1");
  CHECK(lines[0] == 1);
  // 25121's message completes when the parse ends (no later message of its own); the others as their pid logs again.
  CHECK(std::find(messages.begin(), messages.end(),
                  "duration: 1.000 ms  statement: SELECT a,\n\t  b\n\tFROM t\tWHERE x = 1") != messages.end());
  CHECK(std::find(messages.begin(), messages.end(), "duration: 2.000 ms  statement: SELECT 'aaaa bbb' AS long_line") !=
        messages.end());
  CHECK(std::find(times.begin(), times.end(), "2026-12-01 10:51:14.123456+00:00") != times.end());
  CHECK(times[0] == "Dec  1 10:51:13");
  auto& c = acc.counters();
  CHECK(c.calls == 4);
  CHECK(c.total_us == 283 + 1000 + 500 + 2000);
  CHECK(c.parameter_sets == 1);
  CHECK(c.errors == 1);
  CHECK(c.unattributed_errors == 0);
  CHECK(c.bad_lines == 3);
  // From a continuation, past the DETAIL, to the next message.
  CHECK(parser.next_primary_entry(log, log.find("Dec  1 10:51:13 db1 postgres[25121]: [4-2]")) ==
        log.find("2026-12-01T10:51:14.123456+00:00 db1 postgres[25122]: [7-1]"));
}
