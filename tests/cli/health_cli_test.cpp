// `pgadvisor health` end to end: a live server in text, Markdown and JSON; the store's snapshots; an empty
// store (exit 3) and contradictory options (exit 2).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;

TEST_CASE("health of the sandbox in every format", "[cli][health][live]") {
  auto dsn = pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn();
  auto text = run_pgadvisor({"health", "--dsn", dsn});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("pgadvisor health: ") && Catch::Contains("cache hit ratio") &&
                           Catch::Contains("Tables read most by sequential scans") && Catch::Contains("\nIndexes\n"));
  auto md = run_pgadvisor({"health", "--dsn", dsn, "--format", "markdown"});
  CHECK(md.exit_code == 0);
  CHECK_THAT(md.out, Catch::StartsWith("# pgadvisor health") && Catch::Contains("## Indexes"));
  auto js = run_pgadvisor({"health", "--dsn", dsn, "--format", "json", "--top", "2"});
  REQUIRE(js.exit_code == 0);
  auto doc = nlohmann::json::parse(js.out);
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["window"]["from"].is_null());
  CHECK(doc["database"]["max_connections"].get<int>() > 0);
  CHECK(doc["tables"].size() <= 2);
  CHECK(doc["indexes"].is_array());
}

TEST_CASE("health from the store's snapshots", "[cli][health][live]") {
  pgadvisor::test::TempDir tmp;
  auto store = (tmp.path() / "store.db").string();
  auto dsn = pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn();
  auto empty = run_pgadvisor({"health", "--store", store});
  CHECK(empty.exit_code == 3);
  // A read-only command: a missing store is not created.
  CHECK_THAT(empty.err, Catch::Contains("no such store") && Catch::Contains("pgadvisor snapshot"));
  CHECK_FALSE(std::filesystem::exists(store));
  REQUIRE(run_pgadvisor({"snapshot", "--dsn", dsn, "--store", store, "--count", "2", "--interval", "1"}).exit_code ==
          0);
  auto js = run_pgadvisor({"health", "--store", store, "--format", "json"});
  REQUIRE(js.exit_code == 0);
  auto doc = nlohmann::json::parse(js.out);
  CHECK(doc["window"]["from"].is_string());
  CHECK(doc["window"]["from"].get<std::string>() < doc["window"]["to"].get<std::string>());
}

TEST_CASE("health refuses --dsn with --store", "[cli][health]") {
  CHECK(run_pgadvisor({"health", "--dsn", "x", "--store", "y"}).exit_code == 2);
  CHECK(run_pgadvisor({"health", "--since", "2026-01-01"}).exit_code == 2);  // --since needs --store
  CHECK(run_pgadvisor({"health", "--format", "html"}).exit_code == 2);
}
