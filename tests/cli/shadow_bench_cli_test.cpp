// `pgadvisor shadow create` and `pgadvisor bench` end to end: refusals (exit 2) of the source as target or shadow,
// a copy and a benchmark in JSON with the results stored, and usage errors.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;

namespace {

std::string sandbox_dsn() { return pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn(); }

}  // namespace

TEST_CASE("shadow create and bench refuse the source", "[cli][shadow][live]") {
  auto dsn = sandbox_dsn();
  auto create = run_pgadvisor({"shadow", "create", "--from", dsn, "--target", dsn});
  CHECK(create.exit_code == 2);
  CHECK_THAT(create.err, Catch::Contains("is the source database itself"));

  pgadvisor::test::TempDir tmp;
  std::ofstream(tmp.path() / "script.sql") << "CREATE INDEX ON t (a);";
  std::ofstream(tmp.path() / "queries.sql") << "SELECT 1;";
  auto bench = run_pgadvisor({"bench", "--shadow", dsn, "--script", (tmp.path() / "script.sql").string(), "--queries",
                              (tmp.path() / "queries.sql").string(), "--no-store"});
  CHECK(bench.exit_code == 2);
  CHECK_THAT(bench.err, Catch::Contains("not a pgadvisor shadow"));

  CHECK(run_pgadvisor({"bench", "--shadow", dsn}).exit_code == 2);  // neither --advice nor --script
  CHECK(run_pgadvisor({"bench", "--shadow", dsn, "--script", "x.sql"}).exit_code == 2);  // --script needs --queries
}

TEST_CASE("shadow create then bench, in JSON, stored", "[cli][shadow][bench][live]") {
  {
    auto admin = pgadvisor::pg::Connection::open(sandbox_dsn());
    admin.query("DROP DATABASE IF EXISTS cli_shadow_src WITH (FORCE)");
    admin.query("CREATE DATABASE cli_shadow_src");
  }
  std::string source = sandbox_dsn() + " dbname=cli_shadow_src";
  std::string target = sandbox_dsn() + " dbname=cli_shadow_dst";
  {
    auto src = pgadvisor::pg::Connection::open(source);
    src.query("CREATE TABLE items (id int PRIMARY KEY, code text NOT NULL)");
    src.query("INSERT INTO items SELECT g, 'c' || g FROM generate_series(1, 100000) AS g");
  }
  auto created =
      run_pgadvisor({"shadow", "create", "--from", source, "--target", target, "--replace", "--format", "json"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  auto copy = nlohmann::json::parse(created.out);
  CHECK(copy["schema_version"] == 1);
  REQUIRE(copy["tables"].size() == 1);
  CHECK(copy["tables"][0]["rows"] == 100000);
  // A second create without --replace is refused: the shadow exists.
  CHECK(run_pgadvisor({"shadow", "create", "--from", source, "--target", target}).exit_code == 2);

  pgadvisor::test::TempDir tmp;
  auto script = (tmp.path() / "script.sql").string();
  auto queries = (tmp.path() / "queries.sql").string();
  std::ofstream(script) << "CREATE INDEX CONCURRENTLY items_code_idx ON items (code);\n";
  std::ofstream(queries) << "SELECT id FROM items WHERE code = 'c42';\nSELECT id FROM items WHERE code = 'c777';\n";
  auto store = (tmp.path() / "store.db").string();
  auto bench = run_pgadvisor({"bench", "--shadow", target, "--dsn", source, "--script", script, "--queries", queries,
                              "--runs", "6", "--rounds", "2", "--format", "json", "--store", store});
  INFO(bench.err);
  REQUIRE(bench.exit_code == 0);
  auto doc = nlohmann::json::parse(bench.out);
  CHECK(doc["schema_version"] == 1);
  REQUIRE(doc["classes"].size() == 1);
  const auto& c = doc["classes"][0];
  CHECK(c["runs"] == 6);
  CHECK(c["verdict"] == "faster");
  CHECK(c["ci95"][0].get<double>() > 1);
  CHECK(c["result_changed"] == false);
  CHECK(c["before_ms"].contains("p95"));
  REQUIRE(doc["indexes"].size() == 1);
  CHECK(doc["indexes"][0]["size_bytes"].get<int64_t>() > 0);
  CHECK(doc["schema_unchanged"] == true);
  CHECK(std::ifstream(store).good());

  auto text = run_pgadvisor({"bench", "--shadow", target, "--script", script, "--queries", queries, "--runs", "4",
                             "--rounds", "2", "--no-store"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("Shadow benchmark on") && Catch::Contains("shadow schema unchanged") &&
                           Catch::Contains("public.items_code_idx") && Catch::Contains("faster"));

  // A script that rewrites the codes the reads look for: exit 1, flagged in Markdown.
  auto bad = (tmp.path() / "bad.sql").string();
  std::ofstream(bad) << "UPDATE items SET code = upper(code) WHERE id < 1000;\n";
  auto md = run_pgadvisor({"bench", "--shadow", target, "--script", bad, "--queries", queries, "--runs", "2",
                           "--rounds", "1", "--warmup", "0", "--format", "markdown", "--no-store"});
  CHECK(md.exit_code == 1);
  CHECK_THAT(md.out, Catch::StartsWith("## pgadvisor shadow benchmark") && Catch::Contains("### Flagged") &&
                         Catch::Contains("ERROR: result changed"));
  CHECK_THAT(md.err, Catch::Contains("changed the results"));
}
