// Each kind of index the advisor proposes, on generated data where selectivity matters (a 1M-row table among
// them): a workload where that kind is the right answer and the advice has it, and a near twin where it is wrong
// and the advice does not (low selectivity, a sort of a few rows, a write-heavy table, a tiny table, a whole-table
// join); scripts with hostile names run for real. Budget and count at the advice level: advice_fake_test.cpp.
#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "advisor/advice.hpp"
#include "advisor/ddl_script.hpp"
#include "advisor/hypopg_cost_model.hpp"
#include "collector/catalog_snapshot.hpp"
#include "live_advice.hpp"
#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "sandbox_psql.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using test::advise_on_text;
using test::definitions;

namespace {

std::string dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }

// The data, made once per sandbox (each test case runs in its own process): the schema's comment says which
// version of this function made it.
constexpr const char* kDataVersion = "advice_kinds v3";

void ensure_data() {
  auto admin = pg::Connection::open(dsn());
  auto marker =
      admin.query("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = 'advice_kinds'");
  if (marker.rows() == 1 && !marker.is_null(0, 0) && marker.get<std::string>(0, 0) == kDataVersion) return;
  admin.query("DROP SCHEMA IF EXISTS advice_kinds CASCADE");
  admin.query("CREATE SCHEMA advice_kinds");
  // 1M orders: customer_id 100,000 values (10 rows each), shop_id 1,000 values (1,000 rows each), account_id 100
  // values (10,000 rows each), status 'pending' 2 %, 'delivered' 96 %, region 3 values, created_at over two years
  // in no particular physical order.
  admin.query(
      "CREATE TABLE advice_kinds.orders (id bigint PRIMARY KEY, customer_id int NOT NULL, shop_id int NOT NULL,"
      " account_id int NOT NULL,"
      " status text NOT NULL, region int NOT NULL, created_at timestamptz NOT NULL, total numeric(10, 2) NOT NULL,"
      " note text)");
  admin.query(
      "INSERT INTO advice_kinds.orders SELECT g, 1 + (g::bigint * 7919) % 100000, 1 + (g::bigint * 13) % 1000,"
      " 1 + g % 100, CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 50 = 1 THEN 'cancelled' ELSE 'delivered' END, g % 3,"
      " timestamptz '2024-01-01' + ((g::bigint * 104729) % 1000003) / 1000003.0 * interval '730 days',"
      " (g % 1000) / 10.0, 'note ' || g FROM generate_series(1, 1000000) AS g");
  admin.query(
      "CREATE TABLE advice_kinds.lines (id bigint PRIMARY KEY, order_id bigint NOT NULL, product_id int NOT NULL,"
      " qty int NOT NULL)");
  admin.query(
      "INSERT INTO advice_kinds.lines SELECT g, 1 + (g::bigint * 31) % 1000000, g % 5000, 1 + g % 3"
      " FROM generate_series(1, 500000) AS g");
  // Two identical ledgers (account_id: 1,000 values, 500 rows each); only their activity will differ.
  for (const char* ledger : {"ledger_quiet", "ledger_busy"}) {
    admin.query(std::string("CREATE TABLE advice_kinds.") + ledger +
                " (id bigint PRIMARY KEY, account_id int NOT NULL, amount numeric(10, 2) NOT NULL, memo text)");
    admin.query(std::string("INSERT INTO advice_kinds.") + ledger +
                " SELECT g, 1 + (g * 7) % 1000, (g % 10000) / 100.0, 'memo ' || g FROM generate_series(1, 500000) g");
  }
  admin.query("CREATE TABLE advice_kinds.users (id int PRIMARY KEY, email text NOT NULL, kind text NOT NULL)");
  admin.query(
      "INSERT INTO advice_kinds.users SELECT g, 'User' || g || '@Example.com', CASE WHEN g % 2 = 0 THEN 'A' ELSE 'B'"
      " END FROM generate_series(1, 300000) AS g");
  admin.query("CREATE TABLE advice_kinds.tiny_users (id int PRIMARY KEY, email text NOT NULL)");
  admin.query(
      "INSERT INTO advice_kinds.tiny_users SELECT g, 'User' || g || '@Example.com' FROM generate_series(1, 40) AS g");
  // All-visible pages make index-only scans possible. VACUUM cannot mark them while another transaction that
  // started before the load still runs (autovacuum's ANALYZE of another table, say): try again until it could.
  for (const char* t : {"orders", "lines", "ledger_quiet", "ledger_busy", "users", "tiny_users"}) {
    std::string table = std::string("advice_kinds.") + t;
    for (int attempt = 0; attempt < 50; ++attempt) {
      admin.query("VACUUM ANALYZE " + table);
      if (admin.query("SELECT relallvisible >= relpages FROM pg_class WHERE oid = $1::regclass", table)
              .get<bool>(0, 0)) {
        break;
      }
      admin.query("SELECT pg_sleep(0.2)");
    }
  }
  admin.query(std::string("COMMENT ON SCHEMA advice_kinds IS '") + kDataVersion + "'");
}

// Statement `pattern` with each {} replaced by the next of `values`, once per value list.
std::string repeat(const std::string& pattern, const std::vector<std::vector<std::string>>& values) {
  std::string out;
  for (const auto& set : values) {
    std::string s = pattern;
    for (const auto& v : set) s.replace(s.find("{}"), 2, v);
    out += s + ";\n";
  }
  return out;
}

std::vector<const IndexAdvice*> on_table(const Advice& a, const std::string& table) {
  std::vector<const IndexAdvice*> out;
  for (const auto& i : a.indexes) {
    if (i.index.table.name == table) out.push_back(&i);
  }
  return out;
}

std::vector<std::string> key_columns(const IndexCandidate& c) {
  std::vector<std::string> out;
  for (const auto& k : c.keys) out.push_back(k.expression.empty() ? k.column : k.expression);
  return out;
}

bool has_key(const Advice& a, const std::string& table, const std::string& column) {
  for (const auto* i : on_table(a, table)) {
    auto keys = key_columns(i->index);
    if (std::find(keys.begin(), keys.end(), column) != keys.end()) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("composite: equality then range, nothing on low-selectivity columns", "[advisor][kinds][live]") {
  ensure_data();
  SECTION("one account's orders of one day: (account_id, created_at)") {
    auto advice =
        advise_on_text(repeat("SELECT * FROM advice_kinds.orders WHERE account_id = {} AND created_at >= '2024-05-0{}' "
                              "AND created_at < '2024-05-0{}'",
                              {{"7", "1", "2"}, {"8", "3", "4"}, {"9", "5", "6"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    auto orders = on_table(advice, "orders");
    REQUIRE(orders.size() == 1);
    CHECK(key_columns(orders[0]->index) == std::vector<std::string>{"account_id", "created_at"});
    CHECK(advice.cost_after < advice.cost_before / 20);
  }
  SECTION("region (3 values) and status = 'delivered' (96 % of rows): no index") {
    // The planner finds a bitmap scan over a third of the rows cheaper than a sequential scan; it rarely is.
    auto advice = advise_on_text(
        repeat("SELECT * FROM advice_kinds.orders WHERE region = {} AND status = 'delivered'", {{"0"}, {"1"}, {"2"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    CHECK(advice.indexes.empty());
  }
}

TEST_CASE("ORDER BY keys with their directions when that removes a sort", "[advisor][kinds][live]") {
  ensure_data();
  SECTION("the first 10 of a shop's 1,000 orders, newest first, ties by id") {
    auto advice = advise_on_text(
        repeat("SELECT * FROM advice_kinds.orders WHERE shop_id = {} ORDER BY created_at DESC, id LIMIT 10",
               {{"7"}, {"8"}, {"9"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    auto orders = on_table(advice, "orders");
    REQUIRE(orders.size() == 1);
    const auto& keys = orders[0]->index.keys;
    REQUIRE(key_columns(orders[0]->index) == std::vector<std::string>{"shop_id", "created_at", "id"});
    // Either direction of the whole key serves the scan (backwards), but the two sort keys must differ.
    CHECK(keys[1].descending != keys[2].descending);
    CHECK(orders[0]->queries.front().plan_before.find("Sort") != std::string::npos);
    CHECK(orders[0]->queries.front().plan_after.find("Sort") == std::string::npos);
  }
  SECTION("a customer's 10 orders, all of them: sorting them is cheap, the key stays (customer_id)") {
    auto advice =
        advise_on_text(repeat("SELECT * FROM advice_kinds.orders WHERE customer_id = {} ORDER BY created_at DESC",
                              {{"42"}, {"4242"}, {"42424"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    auto orders = on_table(advice, "orders");
    REQUIRE(orders.size() == 1);
    CHECK(key_columns(orders[0]->index) == std::vector<std::string>{"customer_id"});
  }
}

TEST_CASE("covering INCLUDE on a read-mostly table, not on a write-heavy one", "[advisor][kinds][live]") {
  ensure_data();
  {
    // The quiet ledger has only been read since its counters were reset; the busy one took 200,000 inserts on
    // top of its load (rolled back: the rows stay the same, the activity counts).
    auto admin = pg::Connection::open(dsn());
    admin.query("SELECT pg_stat_reset_single_table_counters('advice_kinds.ledger_quiet'::regclass)");
    admin.query("SELECT count(*) FROM advice_kinds.ledger_quiet");
    admin.query("BEGIN");
    admin.query(
        "INSERT INTO advice_kinds.ledger_busy SELECT 1000000 + g, 1, 0, '' FROM generate_series(1, 200000) AS g");
    admin.query("ROLLBACK");
    admin.query("SELECT pg_stat_force_next_flush()");
  }
  auto workload = [](const std::string& table) {
    return repeat("SELECT sum(amount) FROM advice_kinds." + table + " WHERE account_id = {}", {{"7"}, {"8"}, {"9"}});
  };
  SECTION("read-mostly: (account_id) INCLUDE (amount), an index-only scan") {
    auto advice = advise_on_text(workload("ledger_quiet"));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    auto ledger = on_table(advice, "ledger_quiet");
    REQUIRE(ledger.size() == 1);
    CHECK(key_columns(ledger[0]->index) == std::vector<std::string>{"account_id"});
    CHECK(ledger[0]->index.include == std::vector<std::string>{"amount"});
    CHECK(ledger[0]->queries.front().plan_after.find("Index Only Scan") != std::string::npos);
  }
  SECTION("write-heavy: the plain index, no INCLUDE") {
    auto advice = advise_on_text(workload("ledger_busy"));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    auto ledger = on_table(advice, "ledger_busy");
    REQUIRE(ledger.size() == 1);
    CHECK(key_columns(ledger[0]->index) == std::vector<std::string>{"account_id"});
    CHECK(ledger[0]->index.include.empty());
  }
}

TEST_CASE("partial index on a stable constant that keeps few rows, not on one that keeps most",
          "[advisor][kinds][live]") {
  ensure_data();
  SECTION("status = 'pending' (2 %) in every execution") {
    auto advice = advise_on_text(
        repeat("SELECT * FROM advice_kinds.orders WHERE status = 'pending' AND created_at < '2024-0{}-01' "
               "ORDER BY created_at LIMIT 50",
               {{"2"}, {"3"}, {"4"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    auto orders = on_table(advice, "orders");
    REQUIRE(orders.size() == 1);
    CHECK(orders[0]->index.predicate == "status = 'pending'");
  }
  SECTION("status = 'delivered' (96 %) in every execution: no partial index") {
    auto advice = advise_on_text(repeat(
        "SELECT * FROM advice_kinds.orders WHERE status = 'delivered' AND customer_id = {}", {{"1"}, {"2"}, {"3"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    for (const auto& i : advice.indexes) CHECK(i.index.predicate.empty());
  }
}

TEST_CASE("expression index for lower(email), none on a tiny table or a two-valued column", "[advisor][kinds][live]") {
  ensure_data();
  SECTION("lower(email) on 300,000 users") {
    auto advice = advise_on_text(repeat("SELECT id FROM advice_kinds.users WHERE lower(email) = 'user{}@example.com'",
                                        {{"42"}, {"4242"}, {"42424"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    auto users = on_table(advice, "users");
    REQUIRE(users.size() == 1);
    CHECK(key_columns(users[0]->index).front() == "lower(email)");
  }
  SECTION("lower(email) on 40 users") {
    auto advice = advise_on_text(repeat(
        "SELECT id FROM advice_kinds.tiny_users WHERE lower(email) = 'user{}@example.com'", {{"4"}, {"14"}, {"24"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    CHECK(advice.indexes.empty());
  }
  SECTION("lower(kind): two values, half the rows each") {
    auto advice = advise_on_text(
        repeat("SELECT count(*) FROM advice_kinds.users WHERE lower(kind) = '{}'", {{"a"}, {"b"}, {"a"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    CHECK(advice.indexes.empty());
  }
}

TEST_CASE("join column of a hot lookup, none for a whole-table join", "[advisor][kinds][live]") {
  ensure_data();
  SECTION("a customer's order lines: lines(order_id) for the nested loop") {
    auto advice = advise_on_text(repeat(
        "SELECT l.* FROM advice_kinds.orders o JOIN advice_kinds.lines l ON l.order_id = o.id WHERE o.customer_id = {}",
        {{"42"}, {"4242"}, {"42424"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    CHECK(has_key(advice, "orders", "customer_id"));
    auto lines = on_table(advice, "lines");
    REQUIRE(lines.size() == 1);
    CHECK(key_columns(lines[0]->index).front() == "order_id");
  }
  SECTION("all lines of a third of the orders: a hash join, no index on lines") {
    auto advice = advise_on_text(repeat(
        "SELECT count(*) FROM advice_kinds.orders o JOIN advice_kinds.lines l ON l.order_id = o.id WHERE o.region = {}",
        {{"0"}, {"1"}, {"2"}}));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
    CHECK(on_table(advice, "lines").empty());
  }
}

TEST_CASE("scripts with hostile names in every position apply and roll back", "[advisor][kinds][live]") {
  {
    auto admin = pg::Connection::open(dsn());
    admin.query("DROP SCHEMA IF EXISTS \"Kinds \"\"Q\"\" 1\" CASCADE");
    admin.query("CREATE SCHEMA \"Kinds \"\"Q\"\" 1\"");
    admin.query(
        "CREATE TABLE \"Kinds \"\"Q\"\" 1\".\"Order Lines\" (\"Select\" int NOT NULL, \"E-Mail\" text NOT NULL,"
        " \"it's\" text NOT NULL, \"Qty \"\"n\"\"\" int NOT NULL, \"when\" timestamptz NOT NULL)");
    admin.query(
        "INSERT INTO \"Kinds \"\"Q\"\" 1\".\"Order Lines\" SELECT g % 50000, 'U' || g || '@X.org',"
        " CASE WHEN g % 40 = 0 THEN 'it''s open' ELSE 'closed' END, g % 7,"
        " timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 200000) AS g");
    admin.query("VACUUM ANALYZE \"Kinds \"\"Q\"\" 1\".\"Order Lines\"");
  }
  std::string t = "\"Kinds \"\"Q\"\" 1\".\"Order Lines\"";
  auto advice =
      advise_on_text(repeat("SELECT \"Qty \"\"n\"\"\" FROM " + t + " WHERE \"Select\" = {}", {{"5"}, {"6"}}) +
                     repeat("SELECT \"Select\" FROM " + t + " WHERE lower(\"E-Mail\") = 'u{}@x.org'", {{"5"}, {"6"}}) +
                     // Three executions with the literal unchanged: evidence enough for a partial index on it.
                     repeat("SELECT * FROM " + t + " WHERE \"it's\" = 'it''s open' ORDER BY \"when\" DESC LIMIT {}",
                            {{"5"}, {"6"}, {"7"}}));
  auto defs = definitions(advice);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(defs));
  REQUIRE(advice.indexes.size() >= 3);
  auto any_of = [&](const char* needle) {
    return std::any_of(defs.begin(), defs.end(),
                       [&](const std::string& d) { return d.find(needle) != std::string::npos; });
  };
  CHECK(any_of("(lower(\"E-Mail\"))"));
  CHECK(any_of("WHERE \"it's\" = 'it''s open'"));

  test::TempDir tmp;
  auto session = pg::Connection::open(dsn(), pg::SessionOptions::source());
  ScriptHeader header{session.describe(), "2026-01-01T00:00:00Z"};
  std::ofstream(tmp.path() / "advice.sql") << advice_script(advice, header);
  std::ofstream(tmp.path() / "rollback.sql") << rollback_script(advice, header);
  auto admin = pg::Connection::open(dsn());
  auto index_count = [&] {
    return admin.query("SELECT count(*) FROM pg_indexes WHERE schemaname = 'Kinds \"Q\" 1'").get<int64_t>(0, 0);
  };
  CHECK(index_count() == 0);
  CHECK(test::psql_file((tmp.path() / "advice.sql").string()) == 0);
  CHECK(index_count() == static_cast<int64_t>(advice.indexes.size()));
  CHECK(admin
            .query("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n"
                   " ON n.oid = c.relnamespace WHERE n.nspname = 'Kinds \"Q\" 1' AND NOT i.indisvalid")
            .get<int64_t>(0, 0) == 0);
  CHECK(test::psql_file((tmp.path() / "rollback.sql").string()) == 0);
  CHECK(index_count() == 0);
  admin.query("DROP SCHEMA \"Kinds \"\"Q\"\" 1\" CASCADE");
}
