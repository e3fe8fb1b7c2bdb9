// The catalog snapshot against the sandbox: purpose-built tables, indexes, views and statistics land in the
// analyzer's Catalog; a fixed number of round trips; the store keeps it whole; array literals round-trip.
#include "collector/catalog_snapshot.hpp"

#include <catch2/catch.hpp>

#include "collector/snapshot.hpp"
#include "collector/snapshot_store.hpp"
#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;

namespace {

const analyzer::TableInfo& table(const collector::CatalogSnapshot& snap, const std::string& schema,
                                 const std::string& name) {
  const auto* t = snap.catalog.find_table({schema, name, false});
  REQUIRE(t != nullptr);
  return *t;
}

const analyzer::IndexInfo& index(const analyzer::TableInfo& t, const std::string& name) {
  for (const auto& x : t.indexes) {
    if (x.name == name) return x;
  }
  FAIL("no index " << name);
  throw std::logic_error("unreachable");
}

// PostgreSQL 15 flushes a backend's activity counters at most once a second; force it for exact figures.
void flush_statistics(pg::Connection& conn) {
  conn.query("SELECT pg_stat_force_next_flush()");
  conn.query("SELECT 1");
}

void create_catalog_fixture(pg::Connection& admin) {
  admin.query("DROP SCHEMA IF EXISTS snap_cat CASCADE");
  admin.query("CREATE SCHEMA snap_cat");
  admin.query(
      "CREATE TABLE snap_cat.orders (id bigint PRIMARY KEY, status text NOT NULL, "
      "email varchar(80), created_at timestamptz, note text, CONSTRAINT orders_email_key UNIQUE (email))");
  admin.query(
      "INSERT INTO snap_cat.orders SELECT g, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'done' END, "
      "'u' || g || '@x', now(), NULL FROM generate_series(1, 2000) g");
  admin.query("CREATE INDEX orders_pending ON snap_cat.orders (created_at) INCLUDE (status) WHERE status = 'pending'");
  admin.query("CREATE INDEX orders_lower_email ON snap_cat.orders (lower(email), id)");
  admin.query("CREATE VIEW snap_cat.pending AS SELECT id FROM snap_cat.orders WHERE status = 'pending'");
  admin.query(
      "CREATE MATERIALIZED VIEW snap_cat.totals AS SELECT status, count(*) AS n FROM snap_cat.orders "
      "GROUP BY status");
  flush_statistics(admin);  // before ANALYZE, which sets the live tuple count itself
  admin.query("ANALYZE snap_cat.orders");
  flush_statistics(admin);
}

}  // namespace

TEST_CASE("array literals round-trip", "[collector][catalog_snapshot]") {
  using collector::format_array_literal;
  using collector::parse_array_literal;
  CHECK(parse_array_literal("{}").empty());
  CHECK(parse_array_literal("{a,b}") == std::vector<std::string>{"a", "b"});
  CHECK(parse_array_literal(R"({"a b","x,y","q\"r","s\\t",NULL,""})") ==
        std::vector<std::string>{"a b", "x,y", "q\"r", "s\\t", "", ""});
  std::vector<std::string> values{"plain", "with space", "{brace}", "quote\"d", "back\\slash", "", "NULL"};
  CHECK(parse_array_literal(format_array_literal(values)) == values);  // a quoted "NULL" is the text NULL
  CHECK_THROWS_AS(parse_array_literal("a,b"), std::invalid_argument);
  CHECK_THROWS_AS(parse_array_literal(R"({"open)"), std::invalid_argument);
}

TEST_CASE("the catalog snapshot fills the Catalog model", "[collector][catalog_snapshot][live]") {
  auto dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(dsn);
  create_catalog_fixture(admin);

  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source());
  auto snap = collector::take_catalog_snapshot(conn);
  CHECK(snap.round_trips == 8);  // BEGIN, server, settings, tables, columns, indexes, views, COMMIT
  CHECK(snap.server.database == "pgadvisor");
  CHECK(snap.server.version_num >= 130000);
  CHECK(snap.server.system_identifier.has_value());
  CHECK_THAT(snap.taken_at, Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)"));
  CHECK(snap.settings.random_page_cost == 4.0);
  CHECK(snap.settings.work_mem_bytes == 4 * 1024 * 1024);
  CHECK(snap.settings.shared_buffers_bytes > 0);
  CHECK(snap.settings.default_statistics_target == 100);
  CHECK(snap.settings.max_connections > 0);

  const auto& orders = table(snap, "snap_cat", "orders");
  CHECK(orders.reltuples == 2000.0);
  CHECK(orders.relpages > 0);
  CHECK(orders.size_bytes == orders.relpages * 8192);
  CHECK(orders.activity.inserts == 2000);
  CHECK(orders.activity.live_tuples == 2000);
  const auto& details = snap.details_of(orders);
  CHECK(orders.kind == analyzer::TableKind::Table);
  CHECK_FALSE(orders.partition_of.has_value());
  CHECK(details.total_bytes > orders.size_bytes);
  CHECK(details.last_analyze.has_value());

  REQUIRE(orders.columns.size() == 5);
  const auto* status = orders.find_column("status");
  REQUIRE(status != nullptr);
  CHECK(status->type == "text");
  CHECK(status->not_null);
  REQUIRE(status->statistics.has_value());
  CHECK(status->statistics->n_distinct == 2.0);
  CHECK(status->statistics->most_common_values == std::vector<std::string>{"done", "pending"});
  REQUIRE(status->statistics->most_common_frequencies.size() == 2);
  CHECK(status->statistics->most_common_frequencies[0] == Approx(0.9));
  const auto* email = orders.find_column("email");
  REQUIRE(email != nullptr);
  CHECK(email->type == "character varying(80)");
  CHECK_FALSE(email->not_null);
  CHECK(email->statistics->n_distinct == -1.0);
  CHECK(email->statistics->histogram_bounds.size() == 101);
  CHECK(orders.find_column("note")->statistics->null_frac == 1.0);

  REQUIRE(orders.indexes.size() == 4);
  const auto& pkey = index(orders, "orders_pkey");
  CHECK(pkey.primary);
  CHECK(pkey.unique);
  CHECK(pkey.keys == std::vector<std::string>{"id"});
  CHECK(pkey.definition == "CREATE UNIQUE INDEX orders_pkey ON snap_cat.orders USING btree (id)");
  const auto& email_key = index(orders, "orders_email_key");
  CHECK(email_key.unique);
  CHECK_FALSE(email_key.primary);
  const auto& pending = index(orders, "orders_pending");
  CHECK(pending.keys == std::vector<std::string>{"created_at"});
  CHECK(pending.included == std::vector<std::string>{"status"});
  CHECK(pending.predicate == "status = 'pending'::text");
  CHECK(pending.method == "btree");
  CHECK(pending.valid);
  CHECK(pending.size_bytes > 0);
  CHECK(index(orders, "orders_lower_email").keys == std::vector<std::string>{"lower(email::text)", "id"});
  // Constraint flags and readiness, per index.
  for (size_t i = 0; i < orders.indexes.size(); ++i) {
    bool constraint = orders.indexes[i].name == "orders_pkey" || orders.indexes[i].name == "orders_email_key";
    CHECK(orders.indexes[i].constraint == constraint);
    CHECK(orders.indexes[i].ready);
  }

  const auto& totals = table(snap, "snap_cat", "totals");
  CHECK(totals.kind == analyzer::TableKind::MaterializedView);
  int views = 0;
  for (const auto& v : snap.views) {
    if (v.schema != "snap_cat") continue;
    ++views;
    CHECK(v.materialized == (v.name == "totals"));
    CHECK_THAT(v.definition, Catch::Contains("snap_cat.orders"));
  }
  CHECK(views == 2);
}

TEST_CASE("the catalog snapshot knows partitions, their partitioned tables and foreign tables",
          "[collector][catalog_snapshot][live]") {
  auto dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(dsn);
  admin.query("DROP SCHEMA IF EXISTS snap_part CASCADE");
  admin.query("CREATE SCHEMA snap_part");
  // events by range of day; its 2024 partition by hash of id, in another schema to be sure the parent is found by
  // oid, not by a name in the partition's own schema.
  admin.query("DROP SCHEMA IF EXISTS snap_part_2 CASCADE");
  admin.query("CREATE SCHEMA snap_part_2");
  admin.query("CREATE TABLE snap_part.events (id int NOT NULL, day date NOT NULL, kind text) PARTITION BY RANGE (day)");
  admin.query(
      "CREATE TABLE snap_part_2.events_2024 PARTITION OF snap_part.events FOR VALUES FROM ('2024-01-01') TO "
      "('2025-01-01') PARTITION BY HASH (id)");
  admin.query(
      "CREATE TABLE snap_part.events_2024_0 PARTITION OF snap_part_2.events_2024 FOR VALUES WITH (MODULUS 2, "
      "REMAINDER 0)");
  admin.query(
      "CREATE TABLE snap_part.events_2024_1 PARTITION OF snap_part_2.events_2024 FOR VALUES WITH (MODULUS 2, "
      "REMAINDER 1)");
  admin.query(
      "CREATE TABLE snap_part.events_2025 PARTITION OF snap_part.events FOR VALUES FROM ('2025-01-01') TO "
      "('2026-01-01')");
  admin.query(
      "INSERT INTO snap_part.events SELECT g, date '2024-01-01' + g % 700, 'k' || g % 3 "
      "FROM generate_series(1, 7000) AS g");
  admin.query("CREATE INDEX events_day_idx ON snap_part.events (day)");
  admin.query("CREATE EXTENSION IF NOT EXISTS file_fdw");
  admin.query("CREATE SERVER IF NOT EXISTS snap_part_files FOREIGN DATA WRAPPER file_fdw");
  admin.query(
      "CREATE FOREIGN TABLE snap_part.remote (id int, note text) SERVER snap_part_files "
      "OPTIONS (filename '/dev/null', format 'csv')");
  flush_statistics(admin);
  // Only the leaves are analyzed, as autovacuum would: the partitioned tables keep reltuples -1.
  for (const char* leaf : {"events_2024_0", "events_2024_1", "events_2025"}) {
    admin.query(std::string("ANALYZE snap_part.") + leaf);
  }
  flush_statistics(admin);

  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source());
  auto snap = collector::take_catalog_snapshot(conn);
  CHECK(snap.round_trips == 8);
  const auto& events = table(snap, "snap_part", "events");
  const auto& events_2024 = table(snap, "snap_part_2", "events_2024");
  const auto& leaf = table(snap, "snap_part", "events_2024_0");
  CHECK(events.kind == analyzer::TableKind::Partitioned);
  CHECK_FALSE(events.partition_of.has_value());
  CHECK(events_2024.kind == analyzer::TableKind::Partitioned);
  CHECK(events_2024.partition_of == analyzer::TableName{"snap_part", "events", false});
  CHECK(leaf.kind == analyzer::TableKind::Table);
  CHECK(leaf.partition_of == analyzer::TableName{"snap_part_2", "events_2024", false});
  const auto& catalog = snap.catalog;
  CHECK(catalog.parent(leaf) == &events_2024);
  auto children = catalog.partitions(events);
  REQUIRE(children.size() == 2);
  CHECK(children[0]->name == "events_2025");  // by schema, then name: snap_part before snap_part_2
  CHECK(children[1] == &events_2024);
  CHECK(catalog.all_partitions(events).size() == 4);
  CHECK(catalog.shares_rows(leaf, events));
  CHECK_FALSE(catalog.shares_rows(leaf, table(snap, "snap_part", "events_2025")));

  // A partitioned table's rows, pages and activity are its leaves'.
  double leaf_rows = 0;
  int64_t leaf_inserts = 0;
  for (const auto* p : catalog.all_partitions(events)) {
    if (p->partitioned()) continue;
    leaf_rows += p->reltuples;
    leaf_inserts += p->activity.inserts;
  }
  CHECK(leaf_rows == 7000);
  CHECK(events.reltuples == leaf_rows);
  CHECK(events.relpages > 0);
  CHECK(events.activity.inserts == 7000);
  CHECK(leaf_inserts == 7000);
  CHECK(events_2024.reltuples == Approx(7000.0 * 366 / 700).epsilon(0.01));

  // Its index: no storage of its own, the size and scans of its partitions' indexes, which are attached to it.
  const auto& day = index(events, "events_day_idx");
  CHECK(day.size_bytes > 0);
  CHECK(day.attached_to.empty());
  int64_t leaf_index_bytes = 0;
  for (const auto* p : catalog.all_partitions(events)) {
    REQUIRE(p->indexes.size() == 1);
    CHECK_FALSE(p->indexes[0].attached_to.empty());
    if (!p->partitioned()) leaf_index_bytes += p->indexes[0].size_bytes;
  }
  CHECK(day.size_bytes == leaf_index_bytes);
  CHECK(index(events_2024, events_2024.indexes[0].name).attached_to == "events_day_idx");

  const auto& remote = table(snap, "snap_part", "remote");
  CHECK(remote.kind == analyzer::TableKind::Foreign);
  CHECK(remote.columns.size() == 2);
  CHECK(remote.indexes.empty());
  admin.query("DROP SCHEMA snap_part CASCADE");
  admin.query("DROP SCHEMA snap_part_2 CASCADE");
}

TEST_CASE("the catalog snapshot needs the same round trips for 1 or 300 more tables",
          "[collector][catalog_snapshot][live]") {
  auto dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(dsn);
  admin.query("DROP SCHEMA IF EXISTS snap_many CASCADE");
  admin.query("CREATE SCHEMA snap_many");
  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source());
  auto before = collector::take_catalog_snapshot(conn);
  admin.query(
      "DO $$ BEGIN FOR i IN 1..300 LOOP EXECUTE format('CREATE TABLE snap_many.t%s (id int PRIMARY KEY, "
      "v text)', i); END LOOP; END $$");
  auto after = collector::take_catalog_snapshot(conn);
  CHECK(after.catalog.tables().size() == before.catalog.tables().size() + 300);
  CHECK(after.round_trips == before.round_trips);
  admin.query("DROP SCHEMA snap_many CASCADE");
}

TEST_CASE("a failed snapshot leaves the connection usable", "[collector][catalog_snapshot][live]") {
  auto dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source(std::chrono::milliseconds(1)));
  // A 1 ms statement timeout fails one of the catalog queries, inside the snapshot's transaction.
  CHECK_THROWS_AS(collector::take_catalog_snapshot(conn), pg::Error);
  // Without the rollback the SET would fail with "current transaction is aborted". On a busy machine the 1 ms
  // timeout may cancel the SET itself: that is no failure of the snapshot, and it is tried again.
  for (int attempt = 0;; ++attempt) {
    try {
      conn.query("SET statement_timeout = 0");
      break;
    } catch (const pg::Error& e) {
      REQUIRE(std::string(e.what()).find("current transaction is aborted") == std::string::npos);
      REQUIRE(attempt < 5);
    }
  }
  CHECK(collector::take_catalog_snapshot(conn).catalog.tables().size() > 0);
}

TEST_CASE("a stored catalog snapshot loads back the same", "[collector][catalog_snapshot][live]") {
  auto dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(dsn);
  create_catalog_fixture(admin);
  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source());
  auto snap = collector::take_snapshot(conn);
  test::TempDir tmp;
  auto store = collector::Store::open(tmp.path() / "store.db");
  auto id = collector::save_snapshot(store, snap);
  auto loaded = collector::load_snapshot(store, id);

  CHECK(loaded.catalog.server.key() == snap.catalog.server.key());
  CHECK(loaded.catalog.taken_at == snap.catalog.taken_at);
  CHECK(loaded.catalog.settings.work_mem_bytes == snap.catalog.settings.work_mem_bytes);
  CHECK(loaded.catalog.catalog.search_path() == snap.catalog.catalog.search_path());
  CHECK(loaded.catalog.catalog.search_path() == std::vector<std::string>{"public"});
  auto latest = collector::load_latest_catalog(store);
  REQUIRE(latest.has_value());
  CHECK(latest->taken_at == snap.catalog.taken_at);
  CHECK(latest->catalog.find_table({"", "orders", false}) == nullptr);  // snap_cat is not on the search path
  CHECK(latest->catalog.find_table({"snap_cat", "orders", false}) != nullptr);
  CHECK_FALSE(collector::load_latest_catalog(store, "no such server").has_value());
  REQUIRE(loaded.catalog.catalog.tables().size() == snap.catalog.catalog.tables().size());
  const auto& a = table(snap.catalog, "snap_cat", "orders");
  const auto& b = table(loaded.catalog, "snap_cat", "orders");
  CHECK(b.reltuples == a.reltuples);
  CHECK(b.activity.inserts == a.activity.inserts);
  REQUIRE(b.columns.size() == a.columns.size());
  for (size_t i = 0; i < a.columns.size(); ++i) {
    CHECK(b.columns[i].name == a.columns[i].name);
    CHECK(b.columns[i].type == a.columns[i].type);
    CHECK(b.columns[i].statistics.has_value() == a.columns[i].statistics.has_value());
    if (a.columns[i].statistics) {
      CHECK(b.columns[i].statistics->most_common_values == a.columns[i].statistics->most_common_values);
      CHECK(b.columns[i].statistics->most_common_frequencies == a.columns[i].statistics->most_common_frequencies);
      CHECK(b.columns[i].statistics->histogram_bounds == a.columns[i].statistics->histogram_bounds);
      CHECK(b.columns[i].statistics->correlation == a.columns[i].statistics->correlation);
    }
  }
  REQUIRE(b.indexes.size() == a.indexes.size());
  for (size_t i = 0; i < a.indexes.size(); ++i) {
    CHECK(b.indexes[i].name == a.indexes[i].name);
    CHECK(b.indexes[i].keys == a.indexes[i].keys);
    CHECK(b.indexes[i].included == a.indexes[i].included);
    CHECK(b.indexes[i].predicate == a.indexes[i].predicate);
    CHECK(b.indexes[i].definition == a.indexes[i].definition);
    CHECK(b.indexes[i].constraint == a.indexes[i].constraint);
    CHECK(b.indexes[i].ready == a.indexes[i].ready);
  }
}
