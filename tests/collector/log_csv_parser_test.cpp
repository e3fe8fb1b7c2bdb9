// The csvlog parser on records as PostgreSQL 15 writes them: quoted newlines, doubled quotes, DETAIL parameters and
// the failing statement as fields of the same record.
#include "collector/log_csv_parser.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "collector/ingest_accumulator.hpp"

using namespace pgadvisor::collector;

TEST_CASE("csvlog records: quoted newlines, doubled quotes, detail and query fields", "[collector][log][csv]") {
  const std::string log =
      "2026-11-22 05:58:33.296 UTC,\"postgres\",\"shop\",18221,\"[local]\",6b028489.472d,1,\"SELECT\","
      "2026-11-22 05:58:33 UTC,3/0,0,LOG,00000,\"duration: 0.283 ms  statement: SELECT 'a''b\"\"c' AS x,\n"
      "  2 AS y\",,,,,,,,,\"psql\",\"client backend\",,-4968760124234517581\n"
      "2026-11-22 05:58:33.300 UTC,\"postgres\",\"shop\",18222,\"[local]\",6b028489.472e,3,\"SELECT\","
      "2026-11-22 05:58:33 UTC,4/5,0,LOG,00000,\"duration: 0.050 ms  execute <unnamed>: SELECT abalance FROM a "
      "WHERE aid = $1\",\"parameters: $1 = '42'\",,,,,,,,\"pgbench\",\"client backend\",,0\n"
      "2026-11-22 05:58:33.301 UTC,\"postgres\",\"shop\",18221,\"[local]\",6b028489.472d,2,\"SELECT\","
      "2026-11-22 05:58:33 UTC,3/360,0,ERROR,42P01,\"relation \"\"nope\"\" does not exist\",,,,,,"
      "\"select * from nope\",15,,\"psql\",\"client backend\",,0\n"
      "not,a,record\n";
  CsvLogParser parser;
  IngestAccumulator acc;
  std::vector<std::string> messages;
  const uint64_t lines = parser.parse(
      log, 1,
      [&](const LogEntry& e) {
        messages.emplace_back(e.message);
        acc.add(e);
      },
      [&](uint64_t line, std::string_view t) { acc.bad_line(line, t); });
  acc.finish();
  CHECK(lines == 5);
  REQUIRE(messages.size() == 3);
  CHECK(messages[0] == "duration: 0.283 ms  statement: SELECT 'a''b\"c' AS x,\n  2 AS y");
  CHECK(messages[2] == "relation \"nope\" does not exist");
  auto& c = acc.counters();
  CHECK(c.calls == 2);
  CHECK(c.total_us == 333);
  CHECK(c.parameter_sets == 1);
  CHECK(c.errors == 1);
  CHECK(c.unattributed_errors == 0);
  CHECK(c.bad_lines == 1);
  REQUIRE(acc.problems().size() == 1);
  CHECK(acc.problems()[0].line == 5);
  CHECK(acc.classes().size() == 3);
  CHECK(parser.next_primary_entry(log, log.find("  2 AS y")) == log.find("2026-11-22 05:58:33.300"));
}
