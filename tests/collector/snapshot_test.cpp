// Snapshots where pg_stat_statements is only partly or not at all readable: a role without pg_read_all_stats
// gets a clear warning and everything else; a server without the library gets doctor's advice and a catalog.
#include "collector/snapshot.hpp"

#include <catch2/catch.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;

TEST_CASE("a role without pg_read_all_stats is warned and the rest still works", "[collector][snapshot][live]") {
  auto dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(dsn);
  admin.query("DROP SCHEMA IF EXISTS snap_priv CASCADE");
  admin.query("CREATE SCHEMA snap_priv");
  admin.query("CREATE TABLE snap_priv.t (id int PRIMARY KEY)");
  admin.query("SELECT count(*) FROM snap_priv.t");  // an entry of another role (postgres)
  admin.query("DROP ROLE IF EXISTS snap_plain");
  admin.query("CREATE ROLE snap_plain LOGIN");

  auto conn = pg::Connection::open(dsn + " user=snap_plain", pg::SessionOptions::source());
  conn.query("SELECT 1");  // one entry of its own
  auto snap = collector::take_snapshot(conn);
  REQUIRE(snap.statements.available);
  CHECK(snap.statements.hidden_entries > 0);
  REQUIRE(snap.warnings.size() == 1);
  CHECK_THAT(snap.warnings[0], Catch::Contains("<insufficient privilege>") &&
                                   Catch::EndsWith("fix: GRANT pg_read_all_stats TO snap_plain;"));
  for (const auto& e : snap.statements.entries) CHECK(e.user_name == "snap_plain");
  CHECK_FALSE(snap.statements.entries.empty());
  // The catalog is complete: table names and sizes are not restricted.
  CHECK(snap.catalog.catalog.find_table({"snap_priv", "t", false}) != nullptr);
  CHECK(snap.database.max_connections > 0);
}

TEST_CASE("a server without pg_stat_statements gets doctor's advice and still a catalog",
          "[collector][snapshot][live]") {
  test::TempDir tmp;
  pg::Sandbox box(tmp.path() / "bare");
  pg::SandboxOptions options;
  options.port = -1;
  options.preload_pg_stat_statements = false;
  options.log_min_duration_ms = -1;
  box.up(options);
  auto admin = pg::Connection::open(box.dsn());
  admin.query("CREATE TABLE bare_t (id int)");
  auto conn = pg::Connection::open(box.dsn(), pg::SessionOptions::source());
  auto snap = collector::take_snapshot(conn);
  box.down();

  CHECK_FALSE(snap.statements.available);
  CHECK(snap.statements.entries.empty());
  REQUIRE_FALSE(snap.warnings.empty());
  CHECK_THAT(snap.warnings[0], Catch::StartsWith("pg_stat_statements.loaded: not in shared_preload_libraries") &&
                                   Catch::Contains("ALTER SYSTEM SET shared_preload_libraries = "
                                                   "'pg_stat_statements'; then restart the server"));
  CHECK(snap.catalog.catalog.find_table({"public", "bare_t", false}) != nullptr);
}
