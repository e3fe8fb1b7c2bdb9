// pg_stat_statements snapshots and their deltas against the sandbox: exact deltas from real traffic, a stats
// reset and a single entry's eviction in between, classes merged by fingerprint and ranked over a window.
#include "collector/statement_deltas.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

#include "analyzer/statement.hpp"
#include "collector/snapshot.hpp"
#include "collector/snapshot_store.hpp"
#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;

namespace {

struct Fixture {
  std::string dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  pg::Connection admin = pg::Connection::open(dsn);
  pg::Connection source = pg::Connection::open(dsn, pg::SessionOptions::source());

  Fixture() {
    admin.query("DROP SCHEMA IF EXISTS snap_delta CASCADE");
    admin.query("CREATE SCHEMA snap_delta");
    admin.query("CREATE TABLE snap_delta.items (id int PRIMARY KEY, sku text)");
    admin.query("INSERT INTO snap_delta.items SELECT g, 'sku' || g FROM generate_series(1, 100) g");
  }

  // Runs the lookup `times` times, one row each, with a bound parameter.
  void lookups(int times) {
    for (int i = 1; i <= times; ++i) admin.query("SELECT sku FROM snap_delta.items WHERE id = $1", i);
  }
  void scans(int times) {
    for (int i = 0; i < times; ++i) admin.query("SELECT count(*) FROM snap_delta.items WHERE sku LIKE 'sku1%'");
  }
};

const std::string kLookupFingerprint = analyzer::fingerprint_hex(
    analyzer::describe_statement("SELECT sku FROM snap_delta.items WHERE id = 42").fingerprint);

std::string fmt_fingerprint(int64_t n) { return analyzer::fingerprint_hex(static_cast<uint64_t>(n)); }

const collector::StatementDelta* find(const collector::SnapshotDelta& d, const std::string& fingerprint) {
  for (const auto& s : d.statements) {
    if (s.fingerprint == fingerprint && s.user_name == "postgres") return &s;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a snapshot reads every pg_stat_statements column and fingerprints the texts",
          "[collector][snapshot][live]") {
  Fixture f;
  f.lookups(2);
  auto snap = collector::take_snapshot(f.source);
  CHECK(snap.warnings.empty());
  REQUIRE(snap.statements.available);
  CHECK(snap.statements.version == "1.10");
  CHECK(snap.statements.columns.size() == 43);  // PostgreSQL 15, pg_stat_statements 1.10
  CHECK(snap.statements.stats_reset.has_value());
  CHECK(snap.statements.dealloc.has_value());
  CHECK(snap.statements.hidden_entries == 0);
  CHECK(snap.duration_ms > 0.0);
  CHECK(snap.round_trips == 13);
  const collector::StatementEntry* lookup = nullptr;
  for (const auto& e : snap.statements.entries) {
    if (e.fingerprint == kLookupFingerprint) lookup = &e;
  }
  REQUIRE(lookup != nullptr);
  CHECK(lookup->query == "SELECT sku FROM snap_delta.items WHERE id = $1");
  CHECK(lookup->kind == "select");
  CHECK(lookup->user_name == "postgres");
  CHECK(lookup->database_name == "pgadvisor");
  CHECK(lookup->counters.calls >= 2);
  // Columns outside the delta counters are kept by name (WAL, JIT, min/max times…).
  bool has_wal = false;
  for (const auto& [name, value] : lookup->other_columns) has_wal |= name == "wal_bytes";
  CHECK(has_wal);
}

TEST_CASE("deltas between two snapshots are exact", "[collector][statement_deltas][live]") {
  Fixture f;
  f.lookups(5);
  f.scans(1);
  auto first = collector::take_snapshot(f.source);
  f.lookups(3);
  f.scans(2);
  auto second = collector::take_snapshot(f.source);

  auto delta = collector::statement_delta(first, second);
  CHECK_FALSE(delta.stats_reset);
  CHECK(delta.seconds > 0.0);
  const auto* lookup = find(delta, kLookupFingerprint);
  REQUIRE(lookup != nullptr);
  CHECK(lookup->change == collector::EntryChange::Continued);
  CHECK(lookup->delta.calls == 3);
  CHECK(lookup->delta.rows == 3);
  CHECK(lookup->delta.shared_blks_hit + lookup->delta.shared_blks_read == 6);  // index page + heap page each
  CHECK(lookup->delta.temp_blks_written == 0);
  auto scan_fp = analyzer::fingerprint_hex(
      analyzer::describe_statement("SELECT count(*) FROM snap_delta.items WHERE sku LIKE 'x'").fingerprint);
  const auto* scan = find(delta, scan_fp);
  REQUIRE(scan != nullptr);
  CHECK(scan->delta.calls == 2);
  CHECK(scan->delta.rows == 2);
  CHECK(scan->delta.total_exec_time_ms > 0.0);
  CHECK_THROWS_AS(collector::statement_delta(first,
                                             [&] {
                                               auto other = second;
                                               other.catalog.server.database = "elsewhere";
                                               return other;
                                             }()),
                  std::invalid_argument);
}

TEST_CASE("a pg_stat_statements reset between snapshots counts from zero", "[collector][statement_deltas][live]") {
  Fixture f;
  f.lookups(5);
  auto first = collector::take_snapshot(f.source);
  f.admin.query("SELECT pg_stat_statements_reset()");
  f.lookups(2);
  auto second = collector::take_snapshot(f.source);
  auto delta = collector::statement_delta(first, second);
  CHECK(delta.stats_reset);
  CHECK(delta.evicted_entries == 0);  // nothing is "evicted" by a reset
  const auto* lookup = find(delta, kLookupFingerprint);
  REQUIRE(lookup != nullptr);
  CHECK(lookup->change == collector::EntryChange::Reset);
  CHECK(lookup->delta.calls == 2);
  CHECK(lookup->delta.rows == 2);
}

TEST_CASE("an entry evicted between snapshots is counted, and comes back as a new entry",
          "[collector][statement_deltas][live]") {
  Fixture f;
  // Earlier tests left entries of the same fingerprint (another table oid, another queryid): start clean.
  f.admin.query("SELECT pg_stat_statements_reset()");
  f.lookups(4);
  auto first = collector::take_snapshot(f.source);
  // Removing one entry is what eviction at pg_stat_statements.max does to it; stats_reset stays.
  int64_t queryid = 0;
  for (const auto& e : first.statements.entries) {
    if (e.fingerprint == kLookupFingerprint && e.user_name == "postgres") queryid = e.key.queryid;
  }
  REQUIRE(queryid != 0);
  f.admin.query("SELECT pg_stat_statements_reset(0, 0, $1::bigint)", queryid);
  auto second = collector::take_snapshot(f.source);
  f.lookups(3);
  auto third = collector::take_snapshot(f.source);

  auto gone = collector::statement_delta(first, second);
  CHECK_FALSE(gone.stats_reset);
  CHECK(gone.evicted_entries >= 1);
  CHECK(find(gone, kLookupFingerprint) == nullptr);
  auto back = collector::statement_delta(second, third);
  const auto* lookup = find(back, kLookupFingerprint);
  REQUIRE(lookup != nullptr);
  CHECK(lookup->change == collector::EntryChange::Appeared);
  CHECK(lookup->delta.calls == 3);
  CHECK(back.new_entries >= 1);
}

TEST_CASE("statement classes are stored, merged by fingerprint and ranked over a window",
          "[collector][statement_deltas][live]") {
  Fixture f;
  test::TempDir tmp;
  auto store = collector::Store::open(tmp.path() / "store.db");
  auto rank = [&](const collector::RankingOptions& o = {}) { return collector::rank_statement_classes(store, o); };
  CHECK(rank().warnings.size() == 1);  // no snapshot yet

  f.lookups(10);
  auto first_id = collector::save_snapshot(store, collector::take_snapshot(f.source));
  {
    // One snapshot: the counters since pg_stat_statements' last reset stand for the workload, and it says so.
    auto one = rank({.server_key = "", .since = "", .until = "", .by = collector::RankBy::Calls, .limit = 0});
    CHECK(one.snapshots == 1);
    REQUIRE(one.warnings.size() == 1);
    CHECK_THAT(one.warnings[0], Catch::Contains("since pg_stat_statements was last reset"));
    auto it = std::find_if(one.classes.begin(), one.classes.end(),
                           [](const auto& c) { return c.fingerprint == kLookupFingerprint; });
    REQUIRE(it != one.classes.end());
    CHECK(it->delta.calls >= 10);
  }
  f.lookups(4);
  f.scans(3);
  collector::save_snapshot(store, collector::take_snapshot(f.source));
  f.admin.query("SELECT pg_stat_statements_reset()");
  f.lookups(2);
  auto last = collector::take_snapshot(f.source);
  collector::save_snapshot(store, last);

  auto ranking = rank({.server_key = "", .since = "", .until = "", .by = collector::RankBy::Calls, .limit = 0});
  CHECK(ranking.server_key == last.catalog.server.key());
  CHECK(ranking.snapshots == 3);
  CHECK(ranking.stats_resets == 1);
  CHECK(ranking.from < ranking.to);
  const collector::StatementClassRank* lookup = nullptr;
  for (const auto& c : ranking.classes) {
    if (c.fingerprint == kLookupFingerprint) lookup = &c;
  }
  REQUIRE(lookup != nullptr);
  CHECK(lookup->delta.calls == 6);  // 4 + 2 across the reset; the 10 before the window's start do not count
  CHECK(lookup->query == "SELECT sku FROM snap_delta.items WHERE id = $1");
  CHECK(lookup->mean_time_ms == Approx(lookup->total_time_ms / 6));
  CHECK(lookup->share_of_time > 0.0);
  for (size_t i = 1; i < ranking.classes.size(); ++i) {
    CHECK(ranking.classes[i - 1].delta.calls >= ranking.classes[i].delta.calls);
  }

  // A window starting after the second snapshot only holds the last pair.
  auto since = collector::list_snapshots(store)[1].taken_at;
  auto recent = rank({.server_key = "", .since = since, .until = "", .by = collector::RankBy::TotalTime, .limit = 3});
  CHECK(recent.snapshots == 2);
  CHECK(recent.classes.size() <= 3);

  // The class is in the shared query_classes table, under the same key as a log-based class would be.
  auto q = store.prepare("SELECT normalized, kind FROM query_classes WHERE fingerprint = :fingerprint");
  q.bind("fingerprint", kLookupFingerprint);
  REQUIRE(q.step());
  CHECK(q.get_text("normalized") == "SELECT sku FROM snap_delta.items WHERE id = $1");
  CHECK(q.get_text("kind") == "select");
  CHECK(collector::load_snapshot(store, first_id, false).catalog.catalog.tables().empty());
}

TEST_CASE("deltas on hand-made snapshots: continued, appeared, reset, evicted", "[collector][statement_deltas]") {
  auto entry = [](int64_t queryid, int64_t calls, double ms) {
    collector::StatementEntry e;
    e.key = {queryid, 10, 1, true};
    e.fingerprint = fmt_fingerprint(queryid);
    e.counters.calls = calls;
    e.counters.total_exec_time_ms = ms;
    e.counters.rows = calls;
    return e;
  };
  collector::ServerSnapshot a;
  a.catalog.server.system_identifier = "42";
  a.catalog.server.database = "db";
  a.catalog.taken_at = "2026-01-01T00:00:00.000000Z";
  a.statements.stats_reset = "2025-12-31T00:00:00.000000Z";
  a.statements.dealloc = 3;
  a.statements.entries = {entry(1, 10, 100.0), entry(2, 5, 50.0), entry(3, 7, 70.0)};
  auto b = a;
  b.catalog.taken_at = "2026-01-01T00:01:30.500000Z";
  b.statements.dealloc = 4;
  b.statements.entries = {entry(1, 14, 140.0), entry(2, 2, 20.0), entry(4, 1, 1.0)};  // 2 went down, 3 gone, 4 new
  auto d = collector::statement_delta(a, b);
  CHECK(d.seconds == Approx(90.5));
  CHECK_FALSE(d.stats_reset);
  CHECK(d.dealloc == 1);
  CHECK(d.evicted_entries == 1);
  CHECK(d.new_entries == 1);
  CHECK(d.reset_entries == 1);
  REQUIRE(d.statements.size() == 3);
  CHECK(d.statements[0].change == collector::EntryChange::Continued);
  CHECK(d.statements[0].delta.calls == 4);
  CHECK(d.statements[0].delta.total_exec_time_ms == Approx(40.0));
  CHECK(d.statements[1].change == collector::EntryChange::Reset);
  CHECK(d.statements[1].delta.calls == 2);
  CHECK(d.statements[2].change == collector::EntryChange::Appeared);

  b.statements.stats_reset = "2026-01-01T00:01:00.000000Z";  // a full reset in between
  auto r = collector::statement_delta(a, b);
  CHECK(r.stats_reset);
  CHECK(r.evicted_entries == 0);
  CHECK_FALSE(r.dealloc.has_value());
  CHECK(r.statements[0].delta.calls == 14);
  CHECK(r.statements[0].change == collector::EntryChange::Reset);
}
