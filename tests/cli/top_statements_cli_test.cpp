// `pgadvisor top --source statements` on real snapshots: traffic between two snapshots is ranked by its deltas.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;

TEST_CASE("top --source statements ranks the deltas between snapshots", "[cli][top][live]") {
  pgadvisor::pg::Sandbox box(pgadvisor::test::sandbox_dir());
  pgadvisor::test::TempDir tmp;
  auto store = (tmp.path() / "s.db").string();
  REQUIRE(run_pgadvisor({"snapshot", "--dsn", box.dsn(), "--store", store}).exit_code == 0);
  {
    auto conn = pgadvisor::pg::Connection::open(box.dsn());
    for (int i = 0; i < 7; ++i) conn.query("SELECT pg_sleep(0.01), $1::int AS top_statements_probe", i);
  }
  REQUIRE(run_pgadvisor({"snapshot", "--dsn", box.dsn(), "--store", store}).exit_code == 0);
  auto r = run_pgadvisor({"top", "--source", "statements", "--store", store, "--format", "json", "--limit", "1000"});
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["source"] == "statements");
  CHECK(doc["snapshots"] == 2);
  bool found = false;
  for (const auto& c : doc["classes"]) {
    if (c["normalized"].get<std::string>().find("top_statements_probe") == std::string::npos) continue;
    found = true;
    CHECK(c["calls"] == 7);
    CHECK(c["total_ms"].get<double>() >= 70.0);
    CHECK(c["fingerprint"].get<std::string>().size() == 16);
  }
  CHECK(found);
  auto text = run_pgadvisor({"top", "--source", "statements", "--store", store, "--by", "calls", "--since", "1h"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("2 snapshot(s)"));
}
