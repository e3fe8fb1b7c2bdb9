// The gate's live measurement on the sandbox: EXPLAIN ANALYZE runs per parameter set with buffers and the plan's
// shape, rows and an order-insensitive checksum, writes rolled back, a failing or hung statement recorded as the
// query's error while the next query is still measured, and the environment of a baseline.
#include <catch2/catch.hpp>

#include "gate/measure.hpp"
#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::gate;

namespace {

std::string sandbox_dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }
std::string measure_dsn() { return pg::dsn_with_database(sandbox_dsn(), "gate_measure"); }

void make_database() {
  static bool made = false;
  if (made) return;
  auto admin = pg::Connection::open(sandbox_dsn());
  admin.query("DROP DATABASE IF EXISTS gate_measure WITH (FORCE)");
  admin.query("CREATE DATABASE gate_measure");
  auto db = pg::Connection::open(measure_dsn());
  db.query("CREATE TABLE items (id int PRIMARY KEY, code text NOT NULL)");
  db.query("INSERT INTO items SELECT g, 'c' || g FROM generate_series(1, 5000) AS g");
  db.query("ANALYZE items");
  made = true;
}

GuardedQuery query(std::string name, std::string sql, std::vector<std::vector<pg::Param>> params = {}) {
  GuardedQuery q;
  q.name = std::move(name);
  q.sql = std::move(sql);
  q.params = std::move(params);
  return q;
}

bool has_line(const PlanShape& plan, const std::string& text) {
  for (const auto& l : plan.lines) {
    if (l.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("gate: measure runs EXPLAIN ANALYZE per parameter set", "[gate][live]") {
  make_database();
  auto conn = pg::Connection::open(measure_dsn(), measure_session(std::chrono::seconds(10)));
  MeasureOptions options;
  options.runs = 3;
  options.warmup = 1;
  auto m = measure(conn, query("by_id", "SELECT id, code FROM items WHERE id = $1;", {{"5"}, {"7"}}), options);
  INFO(m.error);
  REQUIRE(m.error.empty());
  CHECK(m.name == "by_id");
  CHECK(m.sql_hash.size() == 16);
  CHECK(m.execution_ms.size() == 6);
  CHECK(m.planning_ms.size() == 6);
  REQUIRE(m.buffers.size() == 6);
  CHECK(m.buffers[0] > 0);
  CHECK(m.shared_read.size() == 6);
  CHECK(has_line(m.plan, "Index Scan using items_pkey on items"));
  CHECK(m.plan.fingerprint.size() == 16);
  CHECK(m.rows == 2);
  CHECK(m.result_checksum.size() == 16);

  // The same rows in another order give the same checksum; other rows another one; other params another hash.
  auto sorted = measure(conn, query("a", "SELECT id, code FROM items WHERE id IN (5, 7) ORDER BY id"), options);
  auto reversed = measure(conn, query("b", "SELECT id, code FROM items WHERE id IN (5, 7) ORDER BY id DESC"), options);
  auto other = measure(conn, query("c", "SELECT id, code FROM items WHERE id IN (5, 8)"), options);
  CHECK(sorted.result_checksum == reversed.result_checksum);
  CHECK(sorted.result_checksum != other.result_checksum);
  auto again = measure(conn, query("by_id", "SELECT id, code FROM items WHERE id = $1", {{"5"}, {"8"}}), options);
  CHECK(again.sql_hash != m.sql_hash);
}

TEST_CASE("gate: a write is measured and rolled back", "[gate][live]") {
  make_database();
  auto conn = pg::Connection::open(measure_dsn(), measure_session(std::chrono::seconds(10)));
  MeasureOptions options;
  options.runs = 2;
  options.warmup = 1;
  auto m = measure(conn, query("rename", "UPDATE items SET code = 'x' WHERE id < $1", {{"11"}}), options);
  INFO(m.error);
  REQUIRE(m.error.empty());
  CHECK(m.rows == 10);  // the rows it wrote: no RETURNING
  CHECK(m.execution_ms.size() == 2);
  CHECK(conn.query("SELECT count(*) FROM items WHERE code = 'x'").get<int64_t>(0, 0) == 0);
  auto ins = measure(conn, query("add", "INSERT INTO items VALUES (100000, 'new') RETURNING id"), options);
  INFO(ins.error);
  CHECK(ins.error.empty());
  CHECK(ins.rows == 1);  // each run saw the same table: the key was free every time
  CHECK(conn.query("SELECT count(*) FROM items WHERE id = 100000").get<int64_t>(0, 0) == 0);
}

TEST_CASE("gate: a failing or hung query is an error and the next one is measured", "[gate][live]") {
  make_database();
  auto conn = pg::Connection::open(measure_dsn(), measure_session(std::chrono::milliseconds(300)));
  MeasureOptions options;
  options.runs = 2;
  options.warmup = 0;
  auto all = measure_all(conn,
                         {query("missing_table", "SELECT * FROM no_such_table"), query("hung", "SELECT pg_sleep(5)"),
                          query("fine", "SELECT count(*) FROM items")},
                         options);
  REQUIRE(all.size() == 3);
  CHECK_THAT(all[0].error, Catch::Contains("42P01") && Catch::Contains("no_such_table"));
  CHECK(all[0].execution_ms.empty());
  CHECK(all[0].sql_hash.size() == 16);
  CHECK_THAT(all[1].error, Catch::Contains("57014"));  // statement_timeout
  CHECK(all[2].error.empty());
  CHECK(all[2].rows == 1);
}

TEST_CASE("gate: the environment of a baseline", "[gate][live]") {
  make_database();
  auto conn = pg::Connection::open(measure_dsn(), measure_session(std::chrono::seconds(10)));
  auto env = read_environment(conn);
  CHECK(env.server_version_num >= 100000);
  CHECK_FALSE(env.server_version.empty());
  CHECK(env.settings.count("work_mem") == 1);
  CHECK(env.settings.count("random_page_cost") == 1);
  CHECK(env.settings.count("enable_seqscan") == 0);  // on: only those switched off are listed
  CHECK(env.database_bytes > 0);
  CHECK_THAT(env.machine, Catch::Contains("cores"));
  CHECK(env.taken_at.size() == 20);
  CHECK(env.taken_at.back() == 'Z');
  conn.query("SET enable_seqscan = off");
  CHECK(read_environment(conn).settings.at("enable_seqscan") == "off");
}
