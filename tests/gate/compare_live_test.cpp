// `gate compare` on the sandbox: a migration that drops the index a guarded query uses is measured before and after
// with the bench's alternation: slower with an interval above the noise, more buffers, the index gone from the plan
// after; the database ends as it started (the index is still there, the catalog unchanged).
#include <catch2/catch.hpp>

#include "gate/compare.hpp"
#include "gate/measure.hpp"
#include "gate/plan_shape.hpp"
#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::gate;

namespace {

std::string sandbox_dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }
std::string compare_dsn() { return pg::dsn_with_database(sandbox_dsn(), "gate_compare"); }

void make_database() {
  auto admin = pg::Connection::open(sandbox_dsn());
  admin.query("DROP DATABASE IF EXISTS gate_compare WITH (FORCE)");
  admin.query("CREATE DATABASE gate_compare");
  auto db = pg::Connection::open(compare_dsn());
  db.query("CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL)");
  db.query("INSERT INTO orders SELECT g, g % 2000, 'new' FROM generate_series(1, 40000) AS g");
  db.query("CREATE INDEX orders_customer_idx ON orders (customer_id)");
  db.query("ANALYZE orders");
}

}  // namespace

TEST_CASE("gate: compare catches a migration that drops a used index", "[gate][live]") {
  make_database();
  auto conn = pg::Connection::open(compare_dsn(), measure_session(std::chrono::seconds(30)));
  GuardedQuery q;
  q.name = "orders_of_customer";
  q.sql = "SELECT id, status FROM orders WHERE customer_id = $1";
  q.params = {{"5"}, {"17"}};
  GuardedQuery w;
  w.name = "touch";
  w.sql = "UPDATE orders SET status = 'seen' WHERE id = $1";
  w.params = {{"3"}};
  CompareOptions options;
  options.runs = 4;
  options.rounds = 2;
  options.warmup = 1;
  auto before_catalog = shadow::catalog_fingerprint(conn);
  auto result = compare_migration(conn, {q, w}, "BEGIN;\nDROP INDEX orders_customer_idx;\nCOMMIT;\n", options);
  REQUIRE(result.queries.size() == 2);
  CHECK(result.steps.size() == 1);
  CHECK(result.schema_unchanged);
  const auto& c = result.queries[0];
  INFO(c.bench.error);
  CHECK(c.before.error.empty());
  CHECK(c.after.error.empty());
  CHECK(c.before.execution_ms.size() == 8);  // 4 runs per parameter set
  CHECK(c.after.execution_ms.size() == 8);
  CHECK(c.bench.verdict == shadow::Verdict::Slower);
  CHECK(shadow::median(c.after.buffers) > 5 * shadow::median(c.before.buffers));
  CHECK(has_node(c.before.plan, "Bitmap Index Scan") + has_node(c.before.plan, "Index Scan") > 0);
  CHECK(has_node(c.after.plan, "Seq Scan", "orders"));
  auto diff = plan_diff(c.before.plan, c.after.plan);
  bool names_index = false;
  for (const auto& l : diff)
    names_index = names_index || (l.rfind("- ", 0) == 0 && l.find("orders_customer_idx") != std::string::npos);
  CHECK(names_index);
  CHECK_FALSE(c.bench.result_changed);
  CHECK(result.queries[1].after.error.empty());
  // Nothing committed: the index and the rows are as they were.
  CHECK(shadow::catalog_fingerprint(conn) == before_catalog);
  CHECK(conn.query("SELECT count(*) FROM orders WHERE status = 'seen'").get<int64_t>(0, 0) == 0);

  // A migration that does not apply is a pg::Error naming the statement; nothing is left behind either.
  CHECK_THROWS_WITH(compare_migration(conn, {q}, "ALTER TABLE orders DROP COLUMN nope;", options),
                    Catch::Contains("the migration fails at") && Catch::Contains("nope"));
  CHECK_THROWS_AS(compare_migration(conn, {q}, "ALTER TABLE orders DROPP;", options), std::invalid_argument);
  CHECK(shadow::catalog_fingerprint(conn) == before_catalog);
}
