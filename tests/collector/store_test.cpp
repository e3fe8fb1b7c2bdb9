// The store: migrations on open, WAL mode, transactions that roll back unless committed, clear errors
// for files that are not stores or are newer than this program.
#include "collector/store.hpp"

#include <fstream>

#include <catch2/catch.hpp>

#include "test_support.hpp"

using pgadvisor::collector::Store;
using pgadvisor::collector::StoreError;

TEST_CASE("a new store is migrated to the latest schema, in WAL mode", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  auto store = Store::open(tmp.path() / "a.db");
  CHECK(store.schema_version() == Store::latest_schema_version());
  CHECK(store.schema_version() >= 1);
  auto mode = store.prepare("PRAGMA journal_mode");
  REQUIRE(mode.step());
  CHECK(mode.get_text(0) == "wal");
  // Opening again applies nothing twice.
  auto again = Store::open(tmp.path() / "a.db");
  CHECK(again.schema_version() == Store::latest_schema_version());
}

TEST_CASE("transactions roll back unless committed", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  auto store = Store::open(tmp.path() / "t.db");
  auto insert = [&](const char* fp) {
    store.prepare("INSERT INTO query_classes (fingerprint, normalized, kind) VALUES (?1, ?2, 'select')")
        .bind(1, fp)
        .bind(2, "SELECT $1")
        .run();
  };
  {
    auto tx = store.begin();
    insert("aaaaaaaaaaaaaaaa");
  }  // not committed
  {
    auto tx = store.begin();
    insert("bbbbbbbbbbbbbbbb");
    tx.commit();
  }
  auto count = store.prepare("SELECT group_concat(fingerprint) FROM query_classes");
  REQUIRE(count.step());
  CHECK(count.get_text(0) == "bbbbbbbbbbbbbbbb");
}

TEST_CASE("a file that is not a store, or a newer store, is a clear error", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  auto junk = tmp.path() / "junk.db";
  std::ofstream(junk) << "this is not an SQLite database, but it is long enough to look like a header......";
  CHECK_THROWS_WITH(Store::open(junk), Catch::Contains("junk.db is not a pgadvisor store"));

  auto newer = tmp.path() / "newer.db";
  {
    auto store = Store::open(newer);
    store.execute("PRAGMA user_version = 9999");
  }
  CHECK_THROWS_WITH(Store::open(newer), Catch::Contains("newer than this pgadvisor knows"));
}
