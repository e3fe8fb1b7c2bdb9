// IngestStore's file progress: files known by the hash of their first bytes, commits that are a compare-and-set of
// the file's row (so that concurrent ingests never count a batch twice), and progress kept per set of filters.
#include "collector/ingest_store.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace pgadvisor;
using collector::FileCommit;
using collector::FileHead;
using collector::IngestStore;

namespace {

const std::string kHead = "2026-11-22 04:46:52.100 UTC [1] u@d app=a LOG:  duration: 1.500 ms  statement: SELECT 1\n";

FileCommit file_at(const std::string& path, uint64_t inode, uint64_t offset) {
  FileCommit f;
  f.path = path;
  f.identity = {1, inode, offset};
  f.head = FileHead::of(kHead);
  f.format = "stderr";
  f.prefix = "%m [%p] %q%u@%d app=%a ";
  f.progress.offset = offset;
  f.progress.lines = offset / 10;
  return f;
}

int64_t total(IngestStore& store, const std::string& name) {
  for (const auto& [n, v] : store.totals()) {
    if (n == name) return v;
  }
  return 0;
}

}  // namespace

TEST_CASE("a batch commits only if no other ingest committed the file since its progress was read",
          "[collector][ingest]") {
  test::TempDir tmp;
  auto db = collector::Store::open(tmp.path() / "s.db");
  IngestStore store(db);
  collector::IngestCounters batch;
  batch.calls = 5;

  // Two ingests read the new file at once: the first commit creates its row, the second finds it taken.
  FileCommit a = file_at("/logs/a.log", 7, 100);
  FileCommit b = file_at("/logs/a.log", 7, 100);
  CHECK(store.commit({}, batch, &a));
  CHECK(a.id > 0);
  CHECK_FALSE(store.commit({}, batch, &b));
  CHECK(b.id == 0);
  CHECK(total(store, "calls") == 5);

  // Both read the stored progress; the first moves it on, the second's compare-and-set fails, nothing is added.
  auto found = store.find_file("/logs/a.log", {1, 7, 200}, kHead + "more");
  REQUIRE(found);
  CHECK(found->id == a.id);
  CHECK(found->progress.offset == 100);
  CHECK(found->format == "stderr");
  FileCommit first = file_at("/logs/a.log", 7, 200), second = file_at("/logs/a.log", 7, 200);
  first.id = second.id = found->id;
  first.generation = second.generation = found->generation;
  CHECK(store.commit({}, batch, &first));
  CHECK(first.generation == found->generation + 1);
  CHECK_FALSE(store.commit({}, batch, &second));
  CHECK(total(store, "calls") == 10);
  CHECK(store.find_file("/logs/a.log", {1, 7, 200}, kHead)->progress.offset == 200);
}

TEST_CASE("a file is found by its first bytes under any name, and per set of filters", "[collector][ingest]") {
  test::TempDir tmp;
  auto db = collector::Store::open(tmp.path() / "s.db");
  IngestStore store(db);
  FileCommit a = file_at("/logs/postgresql.log", 7, 100);
  a.head = FileHead::of(kHead.substr(0, 50));  // read when it had 50 bytes
  REQUIRE(store.commit({}, {}, &a));
  // Grown and renamed (same inode), or copied (another inode, the same bytes): the same file. Other first bytes:
  // another file; and a longer file of another inode is not taken for a file read with only 50 bytes.
  CHECK(store.find_file("/logs/postgresql.log.1", {1, 7, 500}, kHead)->id == a.id);
  CHECK(store.find_file("/copy/postgresql.log", {2, 9, 50}, kHead.substr(0, 50))->id == a.id);
  CHECK_FALSE(store.find_file("/copy/postgresql.log", {2, 9, 500}, kHead));
  CHECK_FALSE(store.find_file("/logs/postgresql.log", {1, 7, 500}, "2026-11-23" + kHead));
  CHECK_FALSE(store.find_file("/logs/postgresql.log", {1, 7, 500}, kHead.substr(0, 49)));
  // Read with 8 KiB: a longer copy of it is that file.
  std::string long_head;
  while (long_head.size() < 8192) long_head += kHead;
  FileCommit b = file_at("/logs/big.log", 8, 8192);
  b.head = FileHead::of(long_head.substr(0, 8192));
  REQUIRE(store.commit({}, {}, &b));
  CHECK(store.find_file("/copy/big.log", {2, 10, 20000}, long_head + long_head)->id == b.id);

  // A pass with filters keeps its own progress; one without filters past it makes it unneeded.
  FileCommit filtered = file_at("/logs/postgresql.log", 7, 300);
  filtered.id = a.id;
  filtered.generation = a.generation;
  filtered.filter.since = "2026-11-22 04:00";
  REQUIRE(store.commit({}, {}, &filtered));
  auto found = store.find_file("/logs/postgresql.log", {1, 7, 500}, kHead);
  REQUIRE(found);
  CHECK(found->progress.offset == 100);
  REQUIRE(found->passes.size() == 1);
  CHECK(found->passes[0].filter == filtered.filter);
  CHECK(found->passes[0].offset == 300);
  FileCommit all = file_at("/logs/postgresql.log", 7, 300);
  all.id = a.id;
  all.generation = found->generation;
  REQUIRE(store.commit({}, {}, &all));
  CHECK(store.find_file("/logs/postgresql.log", {1, 7, 500}, kHead)->passes.empty());
}

TEST_CASE("a file stored before heads were kept is found by its path, device and inode, then by its head",
          "[collector][ingest]") {
  test::TempDir tmp;
  auto db = collector::Store::open(tmp.path() / "s.db");
  // As migration 0055 keeps a row of the earlier log_files.
  db.execute(
      "INSERT INTO log_files (path, device, inode, size, offset, lines, generation, updated_at) "
      "VALUES ('/logs/old.log', 1, 7, 100, 100, 1, 0, '2026-11-22T00:00:00Z')");
  IngestStore store(db);
  auto found = store.find_file("/logs/old.log", {1, 7, 300}, kHead);
  REQUIRE(found);
  CHECK(found->legacy);
  CHECK(found->progress.offset == 100);
  CHECK_FALSE(store.find_file("/logs/other.log", {1, 7, 300}, kHead));
  CHECK_FALSE(store.find_file("/logs/old.log", {1, 8, 300}, kHead));
  FileCommit next = file_at("/logs/old.log", 7, 300);
  next.id = found->id;
  next.generation = found->generation;
  REQUIRE(store.commit({}, {}, &next));
  auto renamed = store.find_file("/logs/old.log.1", {1, 7, 300}, kHead);
  REQUIRE(renamed);
  CHECK_FALSE(renamed->legacy);
  CHECK(renamed->progress.offset == 300);
}
