// Advice end to end on the sandbox: the right index where selectivity says so and none where it does not, a
// partial index for a stable selective constant, generic plans for $n statements, unplannable statements
// reported, and scripts that apply and roll back with psql -v ON_ERROR_STOP=1, hostile names included. What
// advise() does with a model's answers (selection, evidence, budget, drops, write overhead): advice_fake_test.cpp.
#include "advisor/advice.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "advisor/ddl_script.hpp"
#include "advisor/hypopg_cost_model.hpp"
#include "collector/catalog_snapshot.hpp"
#include "live_advice.hpp"
#include "pg/connection.hpp"
#include "pg/quote.hpp"
#include "pg/sandbox.hpp"
#include "sandbox_psql.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using test::advise_on;
using test::definitions;

namespace {

std::string dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }

void make_schema() {
  auto admin = pg::Connection::open(dsn());
  admin.query("DROP SCHEMA IF EXISTS advice_test CASCADE");
  admin.query("CREATE SCHEMA advice_test");
  admin.query(
      "CREATE TABLE advice_test.orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL,"
      " created_at timestamptz NOT NULL, total numeric)");
  // 7 statuses, 'pending' 1 in 7 ... 'shipped' 3 in 7; 20,000 customers.
  admin.query(
      "INSERT INTO advice_test.orders SELECT g, (g::bigint * 7919) % 20000 + 1, "
      "(ARRAY['shipped','shipped','shipped','paid','paid','pending','cancelled'])[1 + g % 7], "
      "now() - (g % 100000) * interval '1 minute', g % 500 FROM generate_series(1, 200000) AS g");
  admin.query("CREATE TABLE advice_test.\"Order Items\" (\"select\" int NOT NULL, \"Qty\" int)");
  admin.query("INSERT INTO advice_test.\"Order Items\" SELECT g % 100000, 1 FROM generate_series(1, 200000) AS g");
  admin.query("CREATE TABLE advice_test.tiny (id int, code text)");
  admin.query("INSERT INTO advice_test.tiny SELECT g, 'c' || g FROM generate_series(1, 20) AS g");
  admin.query("ANALYZE advice_test.orders");
  admin.query("ANALYZE advice_test.\"Order Items\"");
  admin.query("ANALYZE advice_test.tiny");
}

}  // namespace

TEST_CASE("advice picks selective indexes and skips useless ones", "[advisor][advice][live]") {
  make_schema();
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  auto advice = advise_on({"SELECT * FROM advice_test.orders WHERE customer_id = 42 ORDER BY created_at DESC LIMIT 20;"
                           "SELECT * FROM advice_test.orders WHERE customer_id = 77 ORDER BY created_at DESC LIMIT 20;"
                           // low selectivity: 3 in 7 rows; no index helps a count of them
                           "SELECT count(*) FROM advice_test.orders WHERE status = 'shipped';"
                           // a tiny table: a sequential scan is best
                           "SELECT * FROM advice_test.tiny WHERE code = 'c7';"
                           // a $n statement: generic plan
                           "SELECT id FROM advice_test.orders WHERE customer_id = $1;"
                           "BEGIN"},
                          session);
  auto defs = definitions(advice);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(defs));
  REQUIRE_FALSE(advice.indexes.empty());
  // About 10 orders per customer: whether created_at joins the key is the cost model's call (sorting 10 rows is
  // cheap); the customer column must lead.
  CHECK_THAT(defs.front(), Catch::StartsWith("ON advice_test.orders USING btree (customer_id"));
  for (const auto& d : defs) {
    CHECK(d.find("tiny") == std::string::npos);
    CHECK(d.find("(status)") == std::string::npos);
  }
  // The generic-plan statement is among the queries the customer index helps.
  bool generic_helped = false;
  for (const auto& q : advice.indexes.front().queries)
    generic_helped |= q.plan_after.find("Index") != std::string::npos;
  CHECK(generic_helped);
  CHECK(advice.cost_after < advice.cost_before / 2);
  REQUIRE(advice.unplanned.size() == 1);  // BEGIN
  CHECK_THAT(advice.unplanned[0].reason, Catch::Contains("transaction"));
  CHECK(advice.requests.cache_hits > 0);
  CHECK(advice.requests.inner_requests() < advice.requests.requests);
}

TEST_CASE("a stable selective constant gives a partial index, a varying one does not", "[advisor][advice][live]") {
  make_schema();
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  std::string hot =
      "SELECT * FROM advice_test.orders WHERE customer_id = {} AND status = '{}' "
      "ORDER BY created_at DESC LIMIT 20;";
  auto q = [&](int customer, const char* status) {
    std::string s = hot;
    s.replace(s.find("{}"), 2, std::to_string(customer));
    s.replace(s.find("{}"), 2, status);
    return s;
  };
  auto stable = advise_on({q(1, "pending"), q(2, "pending"), q(3, "pending")}, session);
  REQUIRE_FALSE(stable.indexes.empty());
  CHECK(stable.indexes.front().index.predicate == "status = 'pending'");

  auto varying = advise_on({q(1, "pending"), q(2, "shipped"), q(3, "paid")}, session);
  for (const auto& i : varying.indexes) CHECK(i.index.predicate.empty());
}

TEST_CASE("advice scripts apply and roll back cleanly, hostile names included", "[advisor][advice][live]") {
  make_schema();
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  auto advice = advise_on({"SELECT \"Qty\" FROM advice_test.\"Order Items\" WHERE \"select\" = 5;"
                           "SELECT * FROM advice_test.orders WHERE customer_id = 9"},
                          session);
  REQUIRE(advice.indexes.size() >= 2);
  test::TempDir tmp;
  ScriptHeader header{session.describe(), "2026-01-01T00:00:00Z"};
  std::ofstream(tmp.path() / "advice.sql") << advice_script(advice, header);
  std::ofstream(tmp.path() / "rollback.sql") << rollback_script(advice, header);

  auto admin = pg::Connection::open(dsn());
  auto index_count = [&] {
    return admin.query("SELECT count(*) FROM pg_indexes WHERE schemaname = 'advice_test'").get<int64_t>(0, 0);
  };
  int64_t before = index_count();
  CHECK(test::psql_file((tmp.path() / "advice.sql").string()) == 0);
  CHECK(index_count() == before + static_cast<int64_t>(advice.indexes.size()));
  // No IF NOT EXISTS: a second run stops at its names check, before building anything.
  CHECK(test::psql_file((tmp.path() / "advice.sql").string()) != 0);
  CHECK(index_count() == before + static_cast<int64_t>(advice.indexes.size()));
  CHECK(test::psql_file((tmp.path() / "rollback.sql").string()) == 0);
  CHECK(index_count() == before);
}

namespace {

// Tables and indexes whose names have broken scripts: a newline that ends a comment, two tables whose names give
// the same index name, and an index on another table that already has the name the advice would derive.
const std::string kHostileTable = "nl\nDROP TABLE script_test.victim; --";
const std::string kHostileIndex = "ix\nDROP TABLE script_test.victim; --";

void make_hostile_schema() {
  auto admin = pg::Connection::open(dsn());
  admin.query("DROP SCHEMA IF EXISTS script_test CASCADE");
  admin.query("CREATE SCHEMA script_test");
  admin.query("CREATE TABLE script_test.victim (id int)");
  for (const std::string& table :
       std::vector<std::string>{"\"we ird\"", "\"we-ird\"", pg::quote_identifier(kHostileTable)}) {
    admin.query("CREATE TABLE script_test." + table + " (a int NOT NULL, b int)");
    admin.query("INSERT INTO script_test." + table + " SELECT g, g FROM generate_series(1, 50000) AS g");
    admin.query("ANALYZE script_test." + table);
  }
  admin.query("CREATE TABLE script_test.other (a int)");
  admin.query("CREATE INDEX we_ird_a_idx ON script_test.other (a)");  // the name both "we ird" tables would derive
  admin.query("CREATE INDEX " + pg::quote_identifier(kHostileIndex) + " ON script_test.other (a)");  // drop advice
}

// Two constants per table, so that no partial index is advised: both "we ird" tables derive "we_ird_a_idx".
std::vector<std::string> hostile_workload() {
  std::vector<std::string> out;
  for (const std::string& table :
       {std::string("\"we ird\""), std::string("\"we-ird\""), pg::quote_identifier(kHostileTable)}) {
    for (int a : {5, 7}) out.push_back("SELECT b FROM script_test." + table + " WHERE a = " + std::to_string(a) + ";");
  }
  return out;
}

// Every relation of the schema with its kind and, for an index, its definition: what must survive.
std::set<std::string> relations(pg::Connection& admin) {
  auto r = admin.query(
      "SELECT c.relname || ' ' || c.relkind::text || ' ' || coalesce(pg_get_indexdef(c.oid), '') FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'script_test'");
  std::set<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.insert(r.get<std::string>(i, 0));
  return out;
}

struct Scripts {
  Advice advice;
  test::TempDir dir;
  std::string advice_sql() const { return (dir.path() / "advice.sql").string(); }
  std::string rollback_sql() const { return (dir.path() / "advice.rollback.sql").string(); }
};

void write_scripts(Scripts& s, pg::Connection& session) {
  ScriptHeader header{session.describe(), "2026-12-03T12:00:00Z"};
  std::ofstream(s.advice_sql()) << advice_script(s.advice, header);
  std::ofstream(s.rollback_sql()) << rollback_script(s.advice, header);
}

}  // namespace

TEST_CASE("hostile names: the scripts create only the advice and the rollback drops only that",
          "[advisor][advice][live]") {
  make_hostile_schema();
  auto admin = pg::Connection::open(dsn());
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  Scripts s;
  s.advice = advise_on(hostile_workload(), session);
  std::set<std::string> names;
  for (const auto& i : s.advice.indexes) names.insert(i.index.name());
  INFO(Catch::StringMaker<std::set<std::string>>::convert(names));
  REQUIRE(s.advice.indexes.size() == 3);
  CHECK(names.size() == 3);  // "we ird" and "we-ird" get different names
  CHECK(names.count("we_ird_a_idx") == 0);
  CHECK(names.count("we_ird_a_2_idx") == 1);  // the first free one for each
  CHECK(names.count("we_ird_a_3_idx") == 1);  // taken by the index on script_test.other
  bool drop_advised = std::any_of(s.advice.drops.begin(), s.advice.drops.end(),
                                  [](const DropAdvice& d) { return d.finding.index == kHostileIndex; });
  CHECK(drop_advised);  // its drop is in the script, commented out
  write_scripts(s, session);

  auto before = relations(admin);
  CHECK(test::psql_file(s.advice_sql()) == 0);
  auto applied = relations(admin);
  CHECK(applied.size() == before.size() + 3);
  for (const auto& r : before) CHECK(applied.count(r) == 1);  // the victim, the other indexes: all still there
  CHECK(test::psql_file(s.rollback_sql()) == 0);
  CHECK(relations(admin) == before);
}

TEST_CASE("a name taken after the advice stops advice.sql, and its rollback does not drop that index",
          "[advisor][advice][live]") {
  make_hostile_schema();
  auto admin = pg::Connection::open(dsn());
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  Scripts s;
  s.advice = advise_on(hostile_workload(), session);
  REQUIRE_FALSE(s.advice.indexes.empty());
  write_scripts(s, session);
  // Someone takes the last advised name, on another table, between the advice and the run.
  admin.query("CREATE INDEX " + pg::quote_identifier(s.advice.indexes.back().index.name()) +
              " ON script_test.other (a)");
  auto before = relations(admin);
  CHECK(test::psql_file(s.advice_sql()) != 0);    // loudly, at the names check
  CHECK(relations(admin) == before);              // nothing built
  CHECK(test::psql_file(s.rollback_sql()) != 0);  // not its index: stops rather than drop it
  CHECK(relations(admin) == before);

  SECTION("an index created by another advice is not dropped either") {
    admin.query("DROP INDEX script_test." + pg::quote_identifier(s.advice.indexes.back().index.name()));
    auto clean = relations(admin);
    CHECK(test::psql_file(s.advice_sql()) == 0);
    auto applied = relations(admin);
    Scripts later;
    later.advice = s.advice;
    ScriptHeader header{session.describe(), "2026-12-03T13:00:00Z"};  // another run: another marker
    std::ofstream(later.rollback_sql()) << rollback_script(later.advice, header);
    CHECK(test::psql_file(later.rollback_sql()) != 0);
    CHECK(relations(admin) == applied);
    CHECK(test::psql_file(s.rollback_sql()) == 0);  // its own rollback does
    CHECK(relations(admin) == clean);
  }
}

TEST_CASE("an expression index is costed with its column's statistics, not HypoPG's blind guess",
          "[advisor][advice][live]") {
  make_schema();
  auto admin = pg::Connection::open(dsn());
  admin.query("CREATE TABLE advice_test.users (id int PRIMARY KEY, email text NOT NULL)");
  admin.query(
      "INSERT INTO advice_test.users SELECT g, 'User' || g || '@example.com' FROM generate_series(1, 200000) g");
  admin.query("ANALYZE advice_test.users");
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  auto advice = advise_on({"SELECT id FROM advice_test.users WHERE lower(email) = 'user42@example.com'"}, session);
  REQUIRE_FALSE(advice.indexes.empty());
  CHECK(advice.indexes.front().index.definition_body() == "ON advice_test.users USING btree ((lower(email)))");
  REQUIRE(advice.indexes.front().queries.size() == 1);
  const auto& q = advice.indexes.front().queries.front();
  // One row of 200,000 through an index: a few pages, as a real index with statistics would be costed (HypoPG
  // alone estimates 0.5 % of the rows, 1,000, and costs the lookup in the thousands).
  INFO("cost " << q.cost_before << " -> " << q.cost_after);
  CHECK(q.cost_after < 50);
  CHECK_THAT(q.plan_after, Catch::Contains(advice.indexes.front().index.name()));
}

// The view advice with the server's own estimates, and its rewrites checked against the server: the view created as
// designed, every sample's rewritten query returns the original's rows in the original's order. (The bench proves
// views on a shadow; this checks what advise() writes on the source's own data.)
TEST_CASE("a daily report over whole days gets a view whose rewrites return the original rows",
          "[advisor][advice][matviews][live]") {
  make_schema();
  auto session = pg::Connection::open(dsn());
  auto days_ago = [&](int days) {
    return session.query("SELECT (current_date - $1::int)::text", static_cast<int64_t>(days)).get<std::string>(0, 0);
  };
  std::vector<std::string> statements;
  for (const auto& [from, to] : std::vector<std::pair<int, int>>{{40, 33}, {20, 6}, {60, 30}}) {
    statements.push_back(
        fmt::format("SELECT date_trunc('day', created_at) AS day, count(*), sum(total) FROM advice_test.orders "
                    "WHERE status <> 'cancelled' AND created_at >= '{}' AND created_at < '{}' GROUP BY 1 ORDER BY 1",
                    days_ago(from), days_ago(to)));
  }
  std::vector<std::string> workload;
  for (int i = 0; i < 20; ++i) workload.push_back(statements[static_cast<size_t>(i) % statements.size()]);
  const auto advice = advise_on(workload, session);
  INFO((advice.refused_views.empty() ? std::string("(none refused)") : advice.refused_views[0].reason));
  REQUIRE(advice.views.size() == 1);
  const ViewAdvice& view = advice.views[0];
  CHECK(view.schema == "advice_test");
  CHECK(view.name == "orders_day_mv");
  CHECK(view.estimated_rows > 0);
  CHECK(view.estimated_rows < 200);  // about 70 days of data
  CHECK(view.refresh_cost > 0);
  REQUIRE(view.classes.size() == 1);
  CHECK(view.classes[0].cost_before > view.classes[0].cost_after);
  REQUIRE(view.classes[0].rewritten_samples.size() == 3);

  auto admin = pg::Connection::open(dsn());
  const std::string name = pg::quote_qualified(view.schema, view.name);
  admin.query("CREATE MATERIALIZED VIEW " + name + " AS " + view.select);
  auto rows = [&](const std::string& sql) {
    auto r = admin.query(sql);
    std::vector<std::string> out;
    for (int row = 0; row < r.rows(); ++row) {
      std::string line;
      for (int column = 0; column < r.columns(); ++column) {
        line += (r.is_null(row, column) ? std::string("NULL") : "'" + r.get<std::string>(row, column) + "'") + "|";
      }
      out.push_back(line);
    }
    return out;
  };
  for (size_t i = 0; i < view.classes[0].samples.size(); ++i) {
    INFO(view.classes[0].rewritten_samples[i]);
    const auto original = rows(view.classes[0].samples[i]);
    CHECK(original.size() > 5);
    CHECK(rows(view.classes[0].rewritten_samples[i]) == original);
  }
  admin.query("DROP MATERIALIZED VIEW " + name);
}

namespace {

// A table whose name and filter column would end a comment, a quote and a dollar quote, for a count per category
// filtered on the column: the view groups by both (a unique index on them, a filter index on the column).
const std::string kViewTable = "mv'; DROP TABLE advice_test.tiny; --\n*/ $$";
const std::string kViewColumn = "k'\n$$";

void make_view_table(pg::Connection& admin) {
  const std::string table = "advice_test." + pg::quote_identifier(kViewTable);
  admin.query("CREATE TABLE " + table + " (" + pg::quote_identifier(kViewColumn) + " int NOT NULL, c int, v int)");
  admin.query("INSERT INTO " + table + " SELECT g % 50, g % 10, g FROM generate_series(1, 50000) AS g");
  admin.query("ANALYZE " + table);
}

// A dashboard: the same count for 20 values of the column.
std::vector<std::string> view_workload() {
  std::vector<std::string> out;
  for (int k = 1; k <= 20; ++k) {
    out.push_back("SELECT c, count(*) AS n, sum(v) AS total FROM advice_test." + pg::quote_identifier(kViewTable) +
                  " WHERE " + pg::quote_identifier(kViewColumn) + " = " + std::to_string(k) + " GROUP BY c;");
  }
  return out;
}

// A query's rows as sorted lines (the class has no ORDER BY: order does not count).
std::vector<std::string> rows_of(pg::Connection& conn, const std::string& sql) {
  auto r = conn.query(sql);
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) {
    std::string line;
    for (int c = 0; c < r.columns(); ++c) line += (r.is_null(i, c) ? "NULL" : r.get<std::string>(i, c)) + "|";
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("advice.sql builds its materialized views with psql, hostile names included, and the rollback drops them",
          "[advisor][advice][views][live]") {
  make_schema();
  auto admin = pg::Connection::open(dsn());
  make_view_table(admin);
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  Scripts s;
  s.advice = advise_on(view_workload(), session);
  INFO((s.advice.refused_views.empty() ? "" : s.advice.refused_views[0].reason));
  REQUIRE(s.advice.views.size() == 1);
  const auto& view = s.advice.views[0];
  CHECK(view.unique_key.size() == 2);
  CHECK_FALSE(view.filter_index.empty());
  write_scripts(s, session);
  std::ifstream in(s.advice_sql());
  const std::string script((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  INFO(script);
  auto relations_of_schema = [&] {
    auto r = admin.query(
        "SELECT string_agg(c.relname || ' ' || c.relkind::text, ' | ' ORDER BY c.relname) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'advice_test'");
    return r.get<std::string>(0, 0);
  };
  const auto before = relations_of_schema();

  REQUIRE(test::psql_file(s.advice_sql()) == 0);
  const std::string qualified = pg::quote_qualified(view.schema, view.name);
  CHECK(
      admin.query("SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)", qualified).get<std::string>(0, 0) ==
      "m");
  CHECK(admin.query("SELECT count(*) FROM pg_index WHERE indrelid = to_regclass($1)", qualified).get<int64_t>(0, 0) ==
        2);
  // Each sampled execution rewritten against the view returns its rows.
  for (const auto& c : view.classes) {
    REQUIRE(c.samples.size() == c.rewritten_samples.size());
    for (size_t i = 0; i < c.samples.size(); ++i) {
      INFO(c.samples[i] << "\n" << c.rewritten_samples[i]);
      CHECK(rows_of(admin, c.rewritten_samples[i]) == rows_of(admin, c.samples[i]));
    }
  }
  // The refresh the script proposes runs as written (the unique index allows CONCURRENTLY).
  admin.query("REFRESH MATERIALIZED VIEW CONCURRENTLY " + qualified);
  // Run again, it stops at the names check, before building anything.
  const auto applied = relations_of_schema();
  CHECK(test::psql_file(s.advice_sql()) != 0);
  CHECK(relations_of_schema() == applied);

  CHECK(test::psql_file(s.rollback_sql()) == 0);
  CHECK(relations_of_schema() == before);
  CHECK(admin.query("SELECT count(*) FROM advice_test.tiny").get<int64_t>(0, 0) == 20);
}
