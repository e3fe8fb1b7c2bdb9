// Snapshots in the store without a server: what save_snapshot writes, load_snapshot reads back; lists and
// name/value sets are JSON (a store of the schema before 0067: store_test.cpp).
#include "collector/snapshot_store.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace pgadvisor;
using collector::Store;

namespace {

// A snapshot with the awkward values: quotes, commas, backslashes, braces, NULL and empty texts in lists.
collector::ServerSnapshot sample_snapshot() {
  collector::ServerSnapshot snap;
  auto& server = snap.catalog.server;
  server.host = "db1";
  server.port = 5432;
  server.database = "shop";
  server.version = "15.4";
  server.version_num = 150004;
  snap.catalog.taken_at = "2026-12-01T10:00:00Z";
  snap.catalog.settings = {1.1, 1.0, int64_t{4} << 30, int64_t{4} << 20, int64_t{128} << 20, 100, 200};
  snap.catalog.catalog = analyzer::Catalog({"$user", "public", "a \"b\""});
  // A partitioned table with one partition whose index is attached to the partitioned table's, before items (the
  // store gives tables back by schema and name), and a foreign table after it.
  analyzer::TableInfo events;
  events.schema = "s";
  events.name = "events";
  events.kind = analyzer::TableKind::Partitioned;
  analyzer::IndexInfo events_at;
  events_at.name = "events_at_idx";
  events_at.keys = {"at"};
  events.indexes = {events_at};
  analyzer::TableInfo events_2026 = events;
  events_2026.name = "events_2026";
  events_2026.kind = analyzer::TableKind::Table;
  events_2026.partition_of = analyzer::TableName{"s", "events", false};
  events_2026.indexes[0].name = "events_2026_at_idx";
  events_2026.indexes[0].attached_to = "events_at_idx";
  analyzer::TableInfo t;
  t.schema = "s";
  t.name = "items";
  t.reltuples = 1000;
  t.relpages = 10;
  t.size_bytes = 81920;
  t.activity = {990, 10, 3, 40, 1000, 20, 10, 5};
  analyzer::ColumnInfo id{"id", "integer", true, std::nullopt};
  analyzer::ColumnStatistics stats{
      0.25, -1, 0.5, 4, {"a", "b,c", "", "NULL", "{x}", "back\\slash \"q\""}, {0.5, 0.25, 1e-05, 0.1, 0.05, 1.0 / 3},
      {}};
  analyzer::ColumnInfo sku{"sku", "text", false, stats};
  t.columns = {id, sku};
  analyzer::IndexInfo pk;
  pk.name = "items_pkey";
  pk.definition = "CREATE UNIQUE INDEX items_pkey ON s.items USING btree (id)";
  pk.keys = {"id"};
  pk.unique = pk.primary = pk.constraint = true;
  pk.size_bytes = 16384;
  pk.scans = 7;
  analyzer::IndexInfo expr;
  expr.name = "items_lower";
  expr.definition = "CREATE INDEX items_lower ON s.items USING btree (lower(sku), id) INCLUDE (x, y)";
  expr.keys = {"lower(sku)", "id"};
  expr.included = {"x", "y"};
  expr.predicate = "sku <> ''";
  t.indexes = {expr, pk};  // as the store reads them back: by name
  analyzer::TableInfo remote;
  remote.schema = "s";
  remote.name = "remote";
  remote.kind = analyzer::TableKind::Foreign;
  for (auto* table : {&events, &events_2026, &t, &remote}) {
    snap.catalog.catalog.add_table(*table);
    snap.catalog.table_details.push_back({123456, 5000, 70, 3, "2026-11-30T00:00:00Z"});
  }
  auto& st = snap.statements;
  st.available = true;
  st.version = "1.10";
  st.dealloc = 2;
  collector::StatementEntry e;
  e.key = {42, 10, 16384, true};
  e.user_name = "app";
  e.database_name = "shop";
  e.query = "SELECT sku FROM s.items WHERE id = $1";
  e.fingerprint = "0123456789abcdef";
  e.kind = "select";
  e.counters = {5, 1.5, 0.25, 5, 10, 2, 0, 0, 0, 0, 0, 0, 0, 0};
  e.other_columns = {{"wal_bytes", "12"}, {"stats_since", "2026-12-01 09:00:00+00"}, {"a=b", "x\ny"}};
  st.entries.push_back(e);
  snap.duration_ms = 12.5;
  snap.database = {100, 5, 3, 200};
  return snap;
}

void check_same(const collector::ServerSnapshot& a, const collector::ServerSnapshot& b) {
  CHECK(a.catalog.server.key() == b.catalog.server.key());
  CHECK(a.catalog.taken_at == b.catalog.taken_at);
  CHECK(a.catalog.settings.random_page_cost == b.catalog.settings.random_page_cost);
  CHECK(a.catalog.settings.effective_cache_size_bytes == b.catalog.settings.effective_cache_size_bytes);
  CHECK(a.catalog.settings.max_connections == b.catalog.settings.max_connections);
  CHECK(a.catalog.catalog.search_path() == b.catalog.catalog.search_path());
  REQUIRE(a.catalog.catalog.tables().size() == b.catalog.catalog.tables().size());
  for (size_t i = 0; i < a.catalog.catalog.tables().size(); ++i) {
    const auto& x = a.catalog.catalog.tables()[i];
    const auto& y = b.catalog.catalog.tables()[i];
    CHECK(x.name == y.name);
    CHECK(x.kind == y.kind);
    CHECK(x.partition_of == y.partition_of);
    REQUIRE(x.columns.size() == y.columns.size());
    for (size_t k = 0; k < x.columns.size(); ++k) {
      CHECK(x.columns[k].name == y.columns[k].name);
      REQUIRE(x.columns[k].statistics.has_value() == y.columns[k].statistics.has_value());
      if (!x.columns[k].statistics) continue;
      CHECK(x.columns[k].statistics->most_common_values == y.columns[k].statistics->most_common_values);
      CHECK(x.columns[k].statistics->most_common_frequencies == y.columns[k].statistics->most_common_frequencies);
      CHECK(x.columns[k].statistics->histogram_bounds == y.columns[k].statistics->histogram_bounds);
    }
    REQUIRE(x.indexes.size() == y.indexes.size());
    for (size_t k = 0; k < x.indexes.size(); ++k) {
      CHECK(x.indexes[k].name == y.indexes[k].name);
      CHECK(x.indexes[k].keys == y.indexes[k].keys);
      CHECK(x.indexes[k].included == y.indexes[k].included);
      CHECK(x.indexes[k].predicate == y.indexes[k].predicate);
      CHECK(x.indexes[k].primary == y.indexes[k].primary);
      CHECK(x.indexes[k].attached_to == y.indexes[k].attached_to);
    }
  }
  REQUIRE(a.statements.entries.size() == b.statements.entries.size());
  for (size_t i = 0; i < a.statements.entries.size(); ++i) {
    CHECK(a.statements.entries[i].key == b.statements.entries[i].key);
    CHECK(a.statements.entries[i].counters == b.statements.entries[i].counters);
    CHECK(a.statements.entries[i].other_columns == b.statements.entries[i].other_columns);
  }
}

}  // namespace

TEST_CASE("a snapshot saved in the store loads with the same values, its lists as JSON", "[collector][store]") {
  test::TempDir tmp;
  auto store = Store::open(tmp.path() / "s.db");
  const auto snap = sample_snapshot();
  const int64_t id = collector::save_snapshot(store, snap);
  check_same(snap, collector::load_snapshot(store, id));

  // The texts are JSON that SQLite reads itself.
  auto q = store.prepare(
      "SELECT json_extract(settings, '$.work_mem') AS work_mem, json_array_length(search_path) AS paths "
      "FROM server_snapshots WHERE id = :id");
  q.bind("id", id);
  REQUIRE(q.step());
  CHECK(q.get_text("work_mem") == "4194304");
  CHECK(q.get_int64("paths") == 3);
  auto f = store.prepare(
      "SELECT json_extract(most_common_frequencies, '$[2]') AS f FROM column_snapshots "
      "WHERE name = 'sku'");
  REQUIRE(f.step());
  CHECK(f.get_double("f") == 1e-05);

  auto listed = collector::list_snapshots(store);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].statement_entries == 1);
}
