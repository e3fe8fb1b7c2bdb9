// The store: migrations on open, WAL mode, transactions that roll back unless committed, clear errors
// for files that are not stores or are newer than this program; named parameters and columns; a store of the schema
// before 0067 keeps its snapshots and traffic samples as JSON.
#include "collector/store.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#include <catch2/catch.hpp>

#include "collector/snapshot_store.hpp"
#include "sql/embedded.hpp"
#include "test_support.hpp"

using pgadvisor::collector::Store;
using pgadvisor::collector::StoreAccess;
using pgadvisor::collector::StoreError;

namespace {

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

//! Drops every table of `db`.
void drop_all_tables(Store& db) {
  db.execute("DROP TABLE IF EXISTS bench_results");
  for (int round = 0; round < 8; ++round) {  // tables go in reverse dependency order, whatever the names
    std::vector<std::string> tables;
    auto list = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (list.step()) tables.push_back(list.get_text("name"));
    for (const auto& t : tables) {
      try {
        db.execute("DROP TABLE \"" + t + "\"");
      } catch (const StoreError&) {  // NOLINT(bugprone-empty-catch): referenced by another, dropped next round
      }
    }
  }
}

//! A database of another program: SQLite in rollback-journal mode, with its own tables and no pgadvisor schema.
//! `application_id` 0 is what most programs leave.
void make_foreign_database(const std::filesystem::path& path, int64_t application_id) {
  {
    auto db = Store::open(path);
    drop_all_tables(db);
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'ann')");
    db.execute("PRAGMA user_version = 7; PRAGMA application_id = " + std::to_string(application_id));
    db.execute("PRAGMA journal_mode = DELETE");
  }
  REQUIRE_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

//! Runs `body` in a child process as the user nobody (when we are root: root may write anything, whatever the
//! permissions say); returns its exit code, or -1 when it died.
int as_nobody(const std::function<int()>& body) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(90);
    int code = 91;
    try {
      code = body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      code = 92;
    }
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("a new store is migrated to the latest schema, in WAL mode", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  auto store = Store::open(tmp.path() / "a.db");
  CHECK(store.schema_version() == Store::latest_schema_version());
  CHECK(store.schema_version() >= 1);
  auto mode = store.prepare("PRAGMA journal_mode");
  REQUIRE(mode.step());
  CHECK(mode.get_text("journal_mode") == "wal");
  // Opening again applies nothing twice.
  auto again = Store::open(tmp.path() / "a.db");
  CHECK(again.schema_version() == Store::latest_schema_version());
}

TEST_CASE("statements bind parameters and read columns by name, and refuse names they do not have",
          "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  auto store = Store::open(tmp.path() / "n.db");
  auto st = store.prepare("SELECT :b AS second, :a AS first, json_array_length(:list) AS n");
  st.bind("a", "one").bind("b", int64_t{2}).bind("list", std::vector<std::string>{"x", "y,z", ""});
  REQUIRE(st.step());
  CHECK(st.get_text("first") == "one");
  CHECK(st.get_int64("second") == 2);
  CHECK(st.get_int64("n") == 3);
  CHECK_THROWS_WITH(st.get_text("third"), Catch::Contains("has no column third"));
  CHECK_THROWS_WITH(st.bind("c", 1), Catch::Contains("has no parameter :c"));
  // Named statements come from sql/store/.
  auto totals = store.statement("ingest/totals");
  CHECK_FALSE(totals.step());
}

TEST_CASE("transactions roll back unless committed", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  auto store = Store::open(tmp.path() / "t.db");
  auto insert = [&](const char* fp) {
    store
        .prepare(
            "INSERT INTO query_classes (fingerprint, normalized, kind) VALUES (:fingerprint, :normalized, 'select')")
        .bind("fingerprint", fp)
        .bind("normalized", "SELECT $1")
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
  auto count = store.prepare("SELECT group_concat(fingerprint) AS fingerprints FROM query_classes");
  REQUIRE(count.step());
  CHECK(count.get_text("fingerprints") == "bbbbbbbbbbbbbbbb");
}

TEST_CASE("a file that is not a store, or a newer store, is a clear error", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  auto junk = tmp.path() / "junk.db";
  std::ofstream(junk) << "this is not an SQLite database, but it is long enough to look like a header......";
  CHECK_THROWS_WITH(Store::open(junk), Catch::Contains("junk.db: not a pgadvisor store (file is not a database)"));

  auto newer = tmp.path() / "newer.db";
  {
    auto store = Store::open(newer);
    store.execute("PRAGMA user_version = 9999");
  }
  CHECK_THROWS_WITH(Store::open(newer), Catch::Contains("newer than this pgadvisor knows"));
}

TEST_CASE("another program's SQLite database is refused and left exactly as it was", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  for (int64_t application_id : {int64_t{0}, int64_t{0x4750534B}}) {
    INFO(application_id);
    const auto other = tmp.path() / ("other" + std::to_string(application_id) + ".db");
    make_foreign_database(other, application_id);
    const std::string before = file_bytes(other);
    for (auto access : {StoreAccess::ReadWrite, StoreAccess::ReadOnly}) {
      CHECK_THROWS_WITH(Store::open(other, access),
                        Catch::Contains(other.string() + ": not a pgadvisor store (") &&
                            Catch::Contains("); choose another --store path") &&
                            Catch::Contains(application_id == 0 ? "tables users but without pgadvisor's schema"
                                                                : "application id is 0x4750534b"));
    }
    CHECK(file_bytes(other) == before);  // no pgadvisor table, not even WAL mode
    CHECK_FALSE(std::filesystem::exists(other.string() + "-wal"));
  }
}

TEST_CASE("a store carries pgadvisor's application id, and one made before it is recognised and marked",
          "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  const auto path = tmp.path() / "s.db";
  {
    auto store = Store::open(path);
    {
      auto id = store.prepare("PRAGMA application_id");
      REQUIRE(id.step());
      CHECK(id.get_int64("application_id") == Store::kApplicationId);
    }
    // As a store of the previous release: no application id, schema version 31 (without what later migrations
    // added), a class stored.
    store.execute(
        "PRAGMA application_id = 0; PRAGMA user_version = 31; DROP TABLE IF EXISTS log_traffic_samples; "
        "DROP TABLE IF EXISTS log_file_passes; ALTER TABLE table_snapshots DROP COLUMN partition_of_schema; "
        "ALTER TABLE table_snapshots DROP COLUMN partition_of; ALTER TABLE index_snapshots DROP COLUMN attached_to");
    store
        .prepare("INSERT INTO query_classes (fingerprint, normalized, kind) VALUES ('aaaaaaaaaaaaaaaa', 'x', 'select')")
        .run();
  }
  // A read-only command upgrades it when it may write (as root here, or its owner).
  auto store = Store::open(path, StoreAccess::ReadOnly);
  CHECK(store.read_only());
  CHECK(store.schema_version() == Store::latest_schema_version());
  auto id = store.prepare("PRAGMA application_id");
  REQUIRE(id.step());
  CHECK(id.get_int64("application_id") == Store::kApplicationId);
  auto kept = store.prepare("SELECT count(*) AS n FROM query_classes");
  REQUIRE(kept.step());
  CHECK(kept.get_int64("n") == 1);
}

TEST_CASE("read-only opening needs an existing store and no write access", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  const auto missing = tmp.path() / "missing.db";
  CHECK_THROWS_WITH(Store::open(missing, StoreAccess::ReadOnly),
                    Catch::Contains("missing.db: no such store; run `pgadvisor ingest` or `pgadvisor snapshot`"));
  CHECK_FALSE(std::filesystem::exists(missing));

  const auto dir = tmp.path() / "ro";
  std::filesystem::create_directory(dir);
  const auto path = dir / "s.db";
  {
    auto store = Store::open(path);
    store
        .prepare("INSERT INTO query_classes (fingerprint, normalized, kind) VALUES ('aaaaaaaaaaaaaaaa', 'x', 'select')")
        .run();
  }
  {
    auto store = Store::open(path, StoreAccess::ReadOnly);
    CHECK(store.read_only());
    CHECK_THROWS(store.execute("DELETE FROM query_classes"));
  }
  // The file and its directory read-only, opened by a user who may not write them (a WAL store whose -shm file
  // cannot be created).
  namespace fs = std::filesystem;
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  const std::string before = file_bytes(path);
  const int read = as_nobody([&] {
    auto store = Store::open(path, StoreAccess::ReadOnly);
    auto count = store.prepare("SELECT count(*) AS n FROM query_classes");
    return count.step() && count.get_int64("n") == 1 ? 0 : 1;
  });
  CHECK(read == 0);
  const int write = as_nobody([&] {
    try {
      Store::open(path);
    } catch (const StoreError& e) {
      return std::string(e.what()).find("s.db: cannot write the store (permission denied)") != std::string::npos ? 0
                                                                                                                 : 2;
    }
    return 1;
  });
  CHECK(write == 0);
  // An older store that such a user cannot upgrade: the message says what to run.
  fs::permissions(dir, fs::perms::owner_all);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  {
    auto store = Store::open(path);
    store.execute("PRAGMA user_version = 64; DROP TABLE IF EXISTS log_traffic_samples");
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  const int older = as_nobody([&] {
    try {
      Store::open(path, StoreAccess::ReadOnly);
    } catch (const StoreError& e) {
      const std::string m = e.what();
      return m.find("older than this pgadvisor's") != std::string::npos &&
                     m.find("run a writing command (pgadvisor ingest or snapshot)") != std::string::npos
                 ? 0
                 : 2;
    }
    return 1;
  });
  CHECK(older == 0);
  CHECK(file_bytes(path).size() == before.size());
  fs::permissions(dir, fs::perms::owner_all);
}

TEST_CASE("a store of the schema before 0067 keeps its snapshots and traffic samples", "[collector][store]") {
  pgadvisor::test::TempDir tmp;
  const auto path = tmp.path() / "old.db";
  {
    auto db = Store::open(path);
    drop_all_tables(db);
    db.execute("PRAGMA user_version = 0");
    // The schema of the previous release: every migration up to 0066.
    for (const auto& t : pgadvisor::sql::all()) {
      if (t.name.starts_with("store/migrations/") && t.name < "store/migrations/0067") db.execute(t.text);
    }
    db.execute("PRAGMA user_version = 66");
    // Rows as the previous release wrote them: array literals and "name=value" lines.
    db.execute(R"sql(
      INSERT INTO server_snapshots (id, server_key, host, port, database, server_version, server_version_num,
                                    taken_at, duration_ms, statements_version, hidden_entries, settings, search_path)
      VALUES (1, 'db1:5432/shop', 'db1', 5432, 'shop', '15.4', 150004, '2026-12-01T10:00:00Z', 12.5, '1.10', 0,
              'random_page_cost=1.1
seq_page_cost=1
effective_cache_size=4294967296
work_mem=4194304
shared_buffers=134217728
default_statistics_target=100
max_connections=200
', '{"$user",public,"a \"b\""}');
      INSERT INTO statement_entries VALUES (1, 42, 10, 16384, 1, 'app', 'shop', '0123456789abcdef',
        'SELECT sku FROM s.items WHERE id = $1', 5, 1.5, 0.25, 5, 10, 2, 0, 0, 0, 0, 0, 0, 0, 0,
        'wal_bytes=12
stats_since=2026-12-01 09:00:00+00
');
      INSERT INTO table_snapshots VALUES (1, 's', 'items', 'r', 1000, 10, 81920, 123456, 990, 10, 3, 5000, 40, 1000,
                                          20, 10, 5, 70, 3, '2026-11-30T00:00:00Z');
      INSERT INTO column_snapshots VALUES (1, 's', 'items', 0, 'id', 'integer', 1, 0, NULL, NULL, NULL, NULL, NULL,
                                           NULL, NULL);
      INSERT INTO column_snapshots VALUES (1, 's', 'items', 1, 'sku', 'text', 0, 1, 0.25, -1, 0.5, 4,
        '{a,"b,c","",NULL,"NULL","{x}","back\\slash \"q\""}', '{0.5,0.25,1e-05,0.3333333333333333}', '{}');
      INSERT INTO index_snapshots VALUES (1, 's', 'items', 'items_lower', 'btree', 'CREATE INDEX items_lower',
        '{lower(sku),id}', '{x,y}', 'sku <> ''''', 0, 0, 0, 1, 1, 8192, 3);
      INSERT INTO log_traffic_samples VALUES ('/logs/a.log', '2026-12-01 10:00:00', '2026-12-01 10:05:00', 1,
                                              '00000000000000ff,ffffffffffffffff', '');
    )sql");
  }
  auto store = Store::open(path);
  CHECK(store.schema_version() == Store::latest_schema_version());
  const auto snap = pgadvisor::collector::load_snapshot(store, 1);
  CHECK(snap.catalog.server.host == "db1");
  CHECK(snap.catalog.settings.random_page_cost == 1.1);
  CHECK(snap.catalog.settings.effective_cache_size_bytes == int64_t{4} << 30);
  CHECK(snap.catalog.settings.max_connections == 200);
  CHECK(snap.catalog.catalog.search_path() == std::vector<std::string>{"$user", "public", "a \"b\""});
  REQUIRE(snap.statements.entries.size() == 1);
  CHECK(snap.statements.entries[0].other_columns ==
        pgadvisor::collector::TextPairs{{"wal_bytes", "12"}, {"stats_since", "2026-12-01 09:00:00+00"}});
  REQUIRE(snap.catalog.catalog.tables().size() == 1);
  const auto& t = snap.catalog.catalog.tables()[0];
  REQUIRE(t.columns.size() == 2);
  CHECK_FALSE(t.columns[0].statistics);
  REQUIRE(t.columns[1].statistics);
  const auto& s = *t.columns[1].statistics;
  // An unquoted NULL element reads as "", as the array literal parser read it.
  CHECK(s.most_common_values == std::vector<std::string>{"a", "b,c", "", "", "NULL", "{x}", "back\\slash \"q\""});
  CHECK(s.most_common_frequencies == std::vector<double>{0.5, 0.25, 1e-05, 0.3333333333333333});
  CHECK(s.histogram_bounds.empty());
  REQUIRE(t.indexes.size() == 1);
  CHECK(t.indexes[0].keys == std::vector<std::string>{"lower(sku)", "id"});
  CHECK(t.indexes[0].included == std::vector<std::string>{"x", "y"});
  CHECK(t.indexes[0].predicate == "sku <> ''");
  auto traffic = store.prepare("SELECT with_pid, without_pid FROM log_traffic_samples");
  REQUIRE(traffic.step());
  CHECK(traffic.get_text_list("with_pid") == std::vector<std::string>{"00000000000000ff", "ffffffffffffffff"});
  CHECK(traffic.get_text_list("without_pid").empty());
}
