// Health against the sandbox, on purpose-built tables: duplicate, redundant, unused and invalid indexes,
// per-table cache and index usage over a window of stored snapshots; and the pure rules on hand-made catalogs.
#include <catch2/catch.hpp>

#include "collector/health.hpp"
#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using collector::IndexProblem;

namespace {

void flush_statistics(pg::Connection& conn) {
  conn.query("SELECT pg_stat_force_next_flush()");
  conn.query("SELECT 1");
}

std::vector<std::string> findings(const collector::HealthReport& r, IndexProblem problem) {
  std::vector<std::string> out;
  for (const auto& f : r.indexes) {
    if (f.problem == problem && f.schema == "snap_health") out.push_back(f.index + (f.covered_by.empty() ? "" : ">" + f.covered_by));
  }
  std::sort(out.begin(), out.end());
  return out;
}

const collector::TableHealth* table(const collector::HealthReport& r, const std::string& name) {
  for (const auto& t : r.tables) {
    if (t.schema == "snap_health" && t.name == name) return &t;
  }
  return nullptr;
}

void create_health_fixture(pg::Connection& admin) {
  admin.query("DROP SCHEMA IF EXISTS snap_health CASCADE");
  admin.query("CREATE SCHEMA snap_health");
  admin.query("CREATE TABLE snap_health.t (id int PRIMARY KEY, a int, b int, c text, CONSTRAINT t_c_key UNIQUE (c))");
  admin.query("INSERT INTO snap_health.t SELECT g, g % 50, g % 7, 'c' || g FROM generate_series(1, 1000) g");
  admin.query("CREATE TABLE snap_health.dups (v int)");
  admin.query("INSERT INTO snap_health.dups SELECT g % 3 FROM generate_series(1, 30) g");
  admin.query("CREATE INDEX t_a ON snap_health.t (a)");
  admin.query("CREATE INDEX t_a_again ON snap_health.t (a)");          // duplicate of t_a
  admin.query("CREATE INDEX t_a_b ON snap_health.t (a, b)");           // makes t_a redundant
  admin.query("CREATE INDEX t_b ON snap_health.t (b)");                // unused until scanned
  admin.query("CREATE INDEX t_b_partial ON snap_health.t (b) WHERE c = 'x'");  // another predicate: not redundant
  admin.query("CREATE UNIQUE INDEX t_c_again ON snap_health.t (c)");  // duplicate of a constraint's index
  // A unique index built concurrently over duplicates fails and stays behind, invalid.
  CHECK_THROWS_AS(admin.query("CREATE UNIQUE INDEX CONCURRENTLY dups_v ON snap_health.dups (v)"), pg::Error);
  admin.query("ANALYZE snap_health.t");
  flush_statistics(admin);
}

}  // namespace

TEST_CASE("health finds duplicate, redundant, unused and invalid indexes", "[collector][health][live]") {
  auto dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(dsn);
  create_health_fixture(admin);
  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source());
  auto report = collector::health_from_server(conn, {.top_tables = 0});

  CHECK(findings(report, IndexProblem::invalid) == std::vector<std::string>{"dups_v"});
  CHECK(findings(report, IndexProblem::duplicate) == std::vector<std::string>{"t_a_again>t_a", "t_c_again>t_c_key"});
  CHECK(findings(report, IndexProblem::redundant) == std::vector<std::string>{"t_a>t_a_b"});
  // Never a primary key, unique or constraint index; the others have never been scanned.
  CHECK(findings(report, IndexProblem::unused) == std::vector<std::string>{"t_a_b", "t_b", "t_b_partial"});
  for (const auto& f : report.indexes) {
    if (f.index == "t_a_again") CHECK(f.fix == "DROP INDEX CONCURRENTLY snap_health.t_a_again;");
  }
  CHECK(report.indexes.front().problem == IndexProblem::invalid);  // the most urgent first
  CHECK(report.max_connections > 0);
  CHECK(report.connections >= 2);
  REQUIRE(report.cache_hit_ratio.has_value());
  CHECK(*report.cache_hit_ratio > 0.5);
  CHECK(report.from.empty());
}

TEST_CASE("health over a window of stored snapshots uses the deltas", "[collector][health][live]") {
  auto dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(dsn);
  create_health_fixture(admin);
  test::TempDir tmp;
  auto store = collector::Store::open(tmp.path() / "store.db");
  CHECK_THROWS_AS(collector::health_from_store(store), collector::StoreError);
  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source());
  auto snapshot = [&] { return collector::save_snapshot(store, collector::take_snapshot(conn)); };

  for (int i = 0; i < 3; ++i) admin.query("SELECT count(*) FROM snap_health.t WHERE c LIKE '%9'");
  admin.query("SET enable_seqscan = off");
  admin.query("SELECT count(*) FROM snap_health.t WHERE b = 3");  // t_b is used before the window
  admin.query("RESET enable_seqscan");
  flush_statistics(admin);
  snapshot();
  auto window_start = collector::list_snapshots(store).back().taken_at;
  for (int i = 0; i < 2; ++i) admin.query("SELECT count(*) FROM snap_health.t WHERE c LIKE '%8'");
  admin.query("SELECT a FROM snap_health.t WHERE id = 5");
  flush_statistics(admin);
  snapshot();

  auto report = collector::health_from_store(store, "", window_start, {.top_tables = 0});
  CHECK(report.from == window_start);
  const auto* t = table(report, "t");
  REQUIRE(t != nullptr);
  CHECK(t->seq_scans == 2);
  CHECK(t->seq_tuples_read == 2000);
  CHECK(t->index_scans == 1);
  REQUIRE(t->index_usage_ratio.has_value());
  CHECK(*t->index_usage_ratio == Approx(1.0 / 3.0));
  REQUIRE(t->cache_hit_ratio.has_value());
  CHECK(*t->cache_hit_ratio > 0.0);
  // t_b was scanned, but before the window: unused within it.
  CHECK(findings(report, IndexProblem::unused) == std::vector<std::string>{"t_a_b", "t_b", "t_b_partial"});

  auto whole = collector::health_from_server(conn, {.top_tables = 0});
  CHECK(findings(whole, IndexProblem::unused) == std::vector<std::string>{"t_a_b", "t_b_partial"});
}
