// One server's traffic in several formats (stderr + csvlog + jsonlog, as log_destination = 'stderr,csvlog,jsonlog'
// writes it) given to ingest: read once, the other files skipped with a warning naming both; also across calls.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using nlohmann::json;
using pgadvisor::test::run_pgadvisor;
using pgadvisor::test::TempDir;

namespace {

struct Logs {
  std::string stderr_log, csv_log, json_log;
};

//! 60 statements of one server in the three formats; `pid_base` makes another server's.
Logs same_traffic(int pid_base = 4000) {
  Logs l;
  for (int i = 0; i < 60; ++i) {
    const std::string time = fmt::format("2026-11-22 04:46:{:02}.{:03} UTC", i / 4, i * 13 % 1000);
    const int pid = pid_base + i % 3;
    const std::string message =
        fmt::format("duration: 1.{:03} ms  statement: SELECT {} FROM t WHERE a = {}", i, i % 4, i);
    l.stderr_log += fmt::format("{} [{}] u@d app=a LOG:  {}\n", time, pid, message);
    l.csv_log += fmt::format(
        "{},\"u\",\"d\",{},\"[local]\",6b0284.{},1,\"SELECT\",2026-11-22 04:00:00 UTC,3/0,0,LOG,00000,\"{}\",,,,,,,,,"
        "\"a\",\"client backend\",,0\n",
        time, pid, pid, message);
    l.json_log += fmt::format(
        R"({{"timestamp":"{}","user":"u","dbname":"d","pid":{},"session_id":"6b0284.{}","error_severity":"LOG",)"
        R"("message":"{}","application_name":"a","backend_type":"client backend"}})"
        "\n",
        time, pid, pid, message);
  }
  return l;
}

std::string write(const TempDir& tmp, const std::string& name, const std::string& text) {
  const auto path = tmp.path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

//! A file's "duplicate_of" in ingest's JSON ("absent" when there is no such key).
json duplicate_of(const json& file) { return file.contains("duplicate_of") ? file["duplicate_of"] : json("absent"); }

}  // namespace

TEST_CASE("ingest of one server's stderr, csvlog and jsonlog in one call reads the traffic once",
          "[cli][ingest][duplicate]") {
  TempDir tmp;
  const Logs logs = same_traffic();
  const auto log = write(tmp, "postgresql.log", logs.stderr_log);
  const auto csv = write(tmp, "postgresql.csv", logs.csv_log);
  const auto jsonlog = write(tmp, "postgresql.json", logs.json_log);
  const auto other = write(tmp, "other.csv", same_traffic(9000).csv_log);  // another server: read
  const auto store = (tmp.path() / "s.db").string();
  auto r = run_pgadvisor({"ingest", "--final", log, csv, jsonlog, other, "--store", store, "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json summary = json::parse(r.out);
  CHECK(summary["totals"]["calls"] == 120);  // 60 of the server, 60 of the other one; not 240
  REQUIRE(summary["files"].size() == 4);
  CHECK(duplicate_of(summary["files"][0]).is_null());
  CHECK(duplicate_of(summary["files"][1]) == log);
  CHECK(duplicate_of(summary["files"][2]) == log);
  CHECK(duplicate_of(summary["files"][3]).is_null());
  CHECK(summary["files"][1]["counters"]["calls"] == 0);
  CHECK_THAT(r.err, Catch::Contains("warning: " + csv + ": skipped: the same traffic as " + log));
  CHECK_THAT(r.err, Catch::Contains("warning: " + jsonlog + ": skipped: the same traffic as " + log));
  CHECK_THAT(r.err, Catch::Contains("--allow-duplicate-traffic"));

  // Asked for: every file is read.
  auto all = run_pgadvisor({"ingest", "--final", log, csv, "--store", (tmp.path() / "all.db").string(), "--format",
                            "json", "--allow-duplicate-traffic"});
  REQUIRE(all.exit_code == 0);
  CHECK(json::parse(all.out)["totals"]["calls"] == 120);
}

TEST_CASE("a later ingest of another format of traffic already read is skipped, until --reset",
          "[cli][ingest][duplicate]") {
  TempDir tmp;
  const Logs logs = same_traffic();
  const auto log = write(tmp, "postgresql.log", logs.stderr_log);
  const auto csv = write(tmp, "postgresql.csv", logs.csv_log);
  const auto store = (tmp.path() / "s.db").string();
  auto first = run_pgadvisor({"ingest", "--final", log, "--store", store, "--format", "json"});
  REQUIRE(first.exit_code == 0);
  CHECK(json::parse(first.out)["totals"]["calls"] == 60);
  auto later = run_pgadvisor({"ingest", "--final", csv, "--store", store, "--format", "json"});
  INFO(later.err);
  REQUIRE(later.exit_code == 0);
  CHECK(json::parse(later.out)["totals"]["calls"] == 0);
  CHECK_THAT(later.err, Catch::Contains(csv + ": skipped: the same traffic as " + log + ", read by an earlier ingest"));
  // Re-reading the same file is progress's business (nothing new), not a duplicate.
  auto again = run_pgadvisor({"ingest", "--final", log, "--store", store});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, !Catch::Contains("skipped"));
  auto reset = run_pgadvisor({"ingest", "--final", csv, "--store", store, "--format", "json", "--reset"});
  REQUIRE(reset.exit_code == 0);
  CHECK(json::parse(reset.out)["totals"]["calls"] == 60);
}
