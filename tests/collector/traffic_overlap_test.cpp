// Telling logs of the same traffic apart from logs of other traffic: the stderr, csvlog and jsonlog a server
// writes at once share their entries' time, pid, level and message; another server's or another hour's do not.
#include "collector/traffic_overlap.hpp"

#include <string>
#include <variant>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "collector/log_csv_parser.hpp"
#include "collector/log_json_parser.hpp"
#include "collector/log_parser.hpp"
#include "test_support.hpp"

using namespace pgadvisor::collector;

namespace {

using AnyParser = std::variant<StderrLogParser, CsvLogParser, JsonLogParser>;

struct Traffic {
  std::string stderr_log, csv_log, json_log;
};

//! `n` statements of one server in the three formats; `pid_base` and `minute` make other traffic.
Traffic traffic(int n, int pid_base = 1000, int minute = 46) {
  Traffic t;
  for (int i = 0; i < n; ++i) {
    const std::string time = fmt::format("2026-11-22 04:{:02}:{:02}.{:03} UTC", minute, i / 10, i * 7 % 1000);
    const int pid = pid_base + i % 4;
    const std::string message =
        fmt::format("duration: {}.250 ms  statement: SELECT {} FROM t WHERE a = {}", i % 9, i % 3, i);
    t.stderr_log += fmt::format("{} [{}] u@d app=a LOG:  {}\n", time, pid, message);
    if (i % 5 == 0) t.stderr_log += fmt::format("{} [{}] u@d app=a DETAIL:  parameters: $1 = '{}'\n", time, pid, i);
    t.csv_log += fmt::format(
        "{},\"u\",\"d\",{},\"[local]\",6b0284.{},1,\"SELECT\",2026-11-22 04:00:00 UTC,3/0,0,LOG,00000,\"{}\",,,,,,,,,"
        "\"a\",\"client backend\",,0\n",
        time, pid, pid, message);
    t.json_log += fmt::format(
        R"({{"timestamp":"{}","user":"u","dbname":"d","pid":{},"session_id":"6b0284.{}","error_severity":"LOG",)"
        R"("message":"{}","application_name":"a","backend_type":"client backend"}})"
        "\n",
        time, pid, pid, message);
  }
  return t;
}

TrafficSample sample_of(const std::string& log, const AnyParser& parser) { return sample_traffic(parser, log); }

AnyParser stderr_parser(const char* prefix = "%m [%p] %q%u@%d app=%a ") {
  return AnyParser(StderrLogParser(*LogPrefix::compile(prefix)));
}

}  // namespace

TEST_CASE("the stderr, csvlog and jsonlog of one traffic are the same traffic", "[collector][traffic]") {
  const Traffic t = traffic(120);
  const TrafficSample s = sample_of(t.stderr_log, stderr_parser());
  const TrafficSample c = sample_of(t.csv_log, AnyParser(CsvLogParser()));
  const TrafficSample j = sample_of(t.json_log, AnyParser(JsonLogParser()));
  CHECK(s.with_pid.size() == 120);  // DETAIL entries are not sampled: csv and json carry them inside the entry
  CHECK(s.has_pids);
  CHECK(s.first_time == "2026-11-22 04:46:00");
  CHECK(s.last_time == "2026-11-22 04:46:11");
  for (const auto* later : {&c, &j}) {
    auto same = same_traffic(s, *later);
    REQUIRE(same);
    CHECK(same->shared == 120);
  }
  CHECK(same_traffic(c, j));
  // A prefix without %p or milliseconds (%t): time to the second and message still tell.
  std::string no_pid;
  for (size_t pos = 0; pos < t.stderr_log.size();) {
    const size_t nl = t.stderr_log.find('\n', pos);
    std::string line = t.stderr_log.substr(pos, nl - pos);
    line = line.substr(0, 19) + " UTC" + line.substr(line.find(']') + 1);
    no_pid += line + "\n";
    pos = nl + 1;
  }
  const TrafficSample n = sample_of(no_pid, stderr_parser("%t %q%u@%d app=%a "));
  CHECK_FALSE(n.has_pids);
  CHECK(same_traffic(n, c));
}

TEST_CASE("logs of other traffic are not the same traffic", "[collector][traffic]") {
  const TrafficSample base = sample_of(traffic(120).csv_log, AnyParser(CsvLogParser()));
  // Another server running the same statements at the same moments: other pids.
  CHECK_FALSE(same_traffic(base, sample_of(traffic(120, 5000).csv_log, AnyParser(CsvLogParser()))));
  // The same server an hour later, or a log with too few entries to tell.
  CHECK_FALSE(same_traffic(base, sample_of(traffic(120, 1000, 47).csv_log, AnyParser(CsvLogParser()))));
  CHECK_FALSE(same_traffic(base, sample_of(traffic(5).csv_log, AnyParser(CsvLogParser()))));
  // The next log of a rotation overlaps by a second at most.
  const Traffic t = traffic(120);
  const size_t half = t.csv_log.find("04:46:06");
  CHECK_FALSE(same_traffic(sample_of(t.csv_log.substr(0, half), AnyParser(CsvLogParser())),
                           sample_of(t.csv_log.substr(half), AnyParser(CsvLogParser()))));
}

TEST_CASE("samples kept in the store catch the same traffic in a later call, and --reset forgets them",
          "[collector][traffic]") {
  pgadvisor::test::TempDir tmp;
  auto store = Store::open(tmp.path() / "s.db");
  const Traffic t = traffic(60);
  const auto log = (tmp.path() / "postgresql.log").string();
  const auto csv = (tmp.path() / "postgresql.csv").string();
  {
    TrafficRegistry first(&store);
    CHECK_FALSE(first.admit(log, sample_of(t.stderr_log, stderr_parser())));
    CHECK_FALSE(
        first.admit((tmp.path() / "other.log").string(), sample_of(traffic(60, 7000).stderr_log, stderr_parser())));
  }
  {
    // The same file again (a grown or re-read log) is never its own duplicate.
    TrafficRegistry again(&store);
    CHECK_FALSE(again.admit(log, sample_of(t.stderr_log, stderr_parser())));
  }
  TrafficRegistry later(&store);
  auto same = later.admit(csv, sample_of(t.csv_log, AnyParser(CsvLogParser())));
  REQUIRE(same);
  CHECK(same->earlier == log);
  CHECK(same->earlier_call);
  TrafficRegistry::forget(store);
  TrafficRegistry after_reset(&store);
  CHECK_FALSE(after_reset.admit(csv, sample_of(t.csv_log, AnyParser(CsvLogParser()))));
}
