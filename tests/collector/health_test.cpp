// Health against the sandbox, on purpose-built tables: duplicate, redundant, unused and invalid indexes,
// per-table cache and index usage over a window of stored snapshots; and the pure rules on hand-made catalogs.
#include "collector/health.hpp"

#include <catch2/catch.hpp>

#include "collector/snapshot_store.hpp"
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
    if (f.problem == problem && f.schema == "snap_health")
      out.push_back(f.index + (f.covered_by.empty() ? "" : ">" + f.covered_by));
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
  admin.query("CREATE INDEX t_a_again ON snap_health.t (a)");                  // duplicate of t_a
  admin.query("CREATE INDEX t_a_b ON snap_health.t (a, b)");                   // makes t_a redundant
  admin.query("CREATE INDEX t_b ON snap_health.t (b)");                        // unused until scanned
  admin.query("CREATE INDEX t_b_partial ON snap_health.t (b) WHERE c = 'x'");  // another predicate: not redundant
  admin.query("CREATE UNIQUE INDEX t_c_again ON snap_health.t (c)");           // duplicate of a constraint's index
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

  CHECK(findings(report, IndexProblem::Invalid) == std::vector<std::string>{"dups_v"});
  CHECK(findings(report, IndexProblem::Duplicate) == std::vector<std::string>{"t_a_again>t_a", "t_c_again>t_c_key"});
  CHECK(findings(report, IndexProblem::Redundant) == std::vector<std::string>{"t_a>t_a_b"});
  // Never a primary key, unique or constraint index; the others have never been scanned.
  CHECK(findings(report, IndexProblem::Unused) == std::vector<std::string>{"t_a_b", "t_b", "t_b_partial"});
  for (const auto& f : report.indexes) {
    if (f.index == "t_a_again") CHECK(f.fix == "DROP INDEX CONCURRENTLY snap_health.t_a_again;");
  }
  CHECK(report.indexes.front().problem == IndexProblem::Invalid);  // the most urgent first
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
  CHECK(findings(report, IndexProblem::Unused) == std::vector<std::string>{"t_a_b", "t_b", "t_b_partial"});

  auto whole = collector::health_from_server(conn, {.top_tables = 0});
  CHECK(findings(whole, IndexProblem::Unused) == std::vector<std::string>{"t_a_b", "t_b_partial"});
}

TEST_CASE("health rules on a hand-made snapshot", "[collector][health]") {
  collector::ServerSnapshot later;
  later.catalog.server.database = "db";
  later.catalog.taken_at = "2026-01-01T00:10:00Z";
  later.database = {900, 100, 5, 100};
  analyzer::TableInfo t;
  t.schema = "s";
  t.name = "t";
  t.activity.seq_scans = 10;
  t.activity.index_scans = 30;
  auto index = [](std::string name, std::vector<std::string> keys, bool unique = false, std::string predicate = "") {
    analyzer::IndexInfo x;
    x.name = std::move(name);
    x.keys = std::move(keys);
    x.unique = unique;
    x.predicate = std::move(predicate);
    x.scans = 1;
    return x;
  };
  t.indexes = {index("ab", {"a", "b"}), index("a_unique", {"a"}, true), index("b", {"b"}), index("b_gin", {"b"}),
               index("b_part", {"b"}, false, "b > 0")};
  t.indexes[3].method = "gin";  // another method: not a duplicate of "b"
  t.indexes[2].scans = 0;
  collector::TableDetails d;
  d.seq_tuples_read = 500;
  d.heap_blocks_hit = 75;
  d.heap_blocks_read = 25;
  later.catalog.catalog.add_table(t);
  later.catalog.table_details.push_back(d);

  auto r = collector::compute_health(later, nullptr);
  CHECK(r.cache_hit_ratio == Approx(0.9));
  CHECK(r.connections == 5);
  REQUIRE(r.tables.size() == 1);
  CHECK(r.tables[0].index_usage_ratio == Approx(0.75));
  CHECK(r.tables[0].cache_hit_ratio == Approx(0.75));
  // A unique index is never redundant, whatever its keys; "b" is only unused.
  REQUIRE(r.indexes.size() == 1);
  CHECK(r.indexes[0].problem == IndexProblem::Unused);
  CHECK(r.indexes[0].index == "b");
  CHECK(r.indexes[0].fix == "DROP INDEX CONCURRENTLY s.b;");

  // Over a window, counters are differenced; one that went backwards (a reset) counts from zero.
  auto earlier = later;
  earlier.database = {800, 50, 3, 100};
  auto et = t;
  et.activity.seq_scans = 4;
  et.activity.index_scans = 60;  // more than later: the counters were reset in between
  earlier.catalog.catalog = analyzer::Catalog();
  earlier.catalog.catalog.add_table(et);  // every index had 1 scan already: none in the window
  auto w = collector::compute_health(later, &earlier);
  CHECK(w.blocks_hit == 100);
  CHECK(w.blocks_read == 50);
  CHECK(w.tables[0].seq_scans == 6);
  CHECK(w.tables[0].index_scans == 30);
  CHECK(w.indexes.size() == 4);  // every non-unique index is unused in the window: ab, b, b_gin, b_part
}
