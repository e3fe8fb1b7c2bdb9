// Candidate generation from real statements' facts and a hand-built catalog: composite order by selectivity,
// ORDER BY keys, partial indexes only on stable selective constants, expression keys, join columns, covering
// indexes, and nothing an existing index already serves.
#include "advisor/candidate_generator.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using analyzer::ColumnInfo;
using analyzer::ColumnStatistics;
using analyzer::TableInfo;

namespace {

ColumnInfo column(std::string name, double n_distinct, double null_frac = 0, std::vector<std::string> mcv = {},
                  std::vector<double> mcf = {}) {
  ColumnStatistics s;
  s.n_distinct = n_distinct;
  s.null_frac = null_frac;
  s.most_common_values = std::move(mcv);
  s.most_common_frequencies = std::move(mcf);
  return ColumnInfo{std::move(name), "text", false, s};
}

analyzer::Catalog shop(bool with_customer_index = false) {
  analyzer::Catalog catalog;
  TableInfo orders;
  orders.name = "orders";
  orders.reltuples = 1'000'000;
  orders.columns = {column("id", -1),
                    column("customer_id", 50'000),
                    column("status", 4, 0, {"shipped", "paid", "pending", "cancelled"}, {0.6, 0.3, 0.05, 0.05}),
                    column("created_at", -0.9),
                    column("deleted_at", 10, 0.97),
                    column("archived", 2, 0, {"f", "t"}, {0.9, 0.1}),
                    column("total", -0.5)};
  if (with_customer_index) {
    analyzer::IndexInfo existing;
    existing.name = "orders_customer_id_created_at_idx";
    existing.keys = {"customer_id", "created_at"};
    orders.indexes.push_back(existing);
  }
  catalog.add_table(orders);
  TableInfo items;
  items.name = "order_items";
  items.reltuples = 3'000'000;
  items.columns = {column("order_id", 900'000), column("product_id", 5'000), column("quantity", 20)};
  catalog.add_table(items);
  TableInfo customers;
  customers.name = "customers";
  customers.reltuples = 50'000;
  customers.columns = {column("id", -1), column("email", -1)};
  catalog.add_table(customers);
  return catalog;
}

// A class executed `calls` times; with constants_stable, its literals were the same in every sample.
ClassFacts facts_of(const std::string& sql, const analyzer::Catalog& catalog, bool constants_stable = true,
                    double calls = 10) {
  auto outcome = analyzer::extract_facts(sql);
  REQUIRE(outcome.facts);
  ClassFacts c;
  c.query.fingerprint = sql;
  c.query.text = sql;
  c.query.weight = calls;
  c.facts = *outcome.facts;
  analyzer::resolve_facts(c.facts, catalog);
  if (constants_stable) {
    std::vector<analyzer::QueryFacts> executions = {c.facts, c.facts};
    c.stable_constants = analyzer::stable_constant_predicates(executions);
  }
  return c;
}

std::vector<std::string> bodies(const std::vector<IndexCandidate>& candidates) {
  std::vector<std::string> out;
  for (const auto& c : candidates) out.push_back(c.definition_body());
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("composite keys: equality most selective first, then range or ORDER BY", "[advisor][candidates]") {
  auto catalog = shop();
  std::vector<ClassFacts> classes = {
      facts_of("SELECT * FROM orders WHERE status = $1 AND customer_id = $2 ORDER BY created_at DESC LIMIT 20",
               catalog),
      facts_of("SELECT id FROM orders WHERE customer_id = $1 AND created_at > $2", catalog)};
  auto all = bodies(generate_candidates(classes, catalog));
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
  CHECK(has(all, "ON public.orders USING btree (customer_id)"));
  CHECK_FALSE(has(all, "ON public.orders USING btree (status)"));  // 4 values: a quarter of the rows each
  CHECK(has(all, "ON public.orders USING btree (customer_id, status)"));
  CHECK(has(all, "ON public.orders USING btree (customer_id, status, created_at DESC)"));
  CHECK(has(all, "ON public.orders USING btree (customer_id, created_at)"));
  CHECK_FALSE(has(all, "ON public.orders USING btree (status, customer_id)"));
}

TEST_CASE("max_columns caps the keys", "[advisor][candidates]") {
  auto catalog = shop();
  std::vector<ClassFacts> classes = {
      facts_of("SELECT * FROM orders WHERE status = $1 AND customer_id = $2 ORDER BY created_at DESC", catalog)};
  CandidateOptions options;
  options.max_columns = 2;
  for (const auto& c : generate_candidates(classes, catalog, options)) CHECK(c.keys.size() <= 2);
}

TEST_CASE("partial indexes only on stable, selective constants", "[advisor][candidates]") {
  auto catalog = shop();
  SECTION("status = 'pending' keeps 5% of rows: partial") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM orders WHERE customer_id = $1 AND status = 'pending'", catalog)}, catalog));
    CHECK(has(all, "ON public.orders USING btree (customer_id) WHERE status = 'pending'"));
  }
  SECTION("status = 'shipped' keeps 60%: no partial") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM orders WHERE customer_id = $1 AND status = 'shipped'", catalog)}, catalog));
    for (const auto& b : all) CHECK(b.find("WHERE") == std::string::npos);
  }
  SECTION("a constant that varies between executions: no partial") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM orders WHERE customer_id = $1 AND status = 'pending'", catalog, false)},
        catalog));
    for (const auto& b : all) CHECK(b.find("WHERE") == std::string::npos);
  }
  SECTION("IS NULL on a mostly-null column is not selective; NOT archived keeps 90%, archived 10%") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM orders WHERE customer_id = $1 AND deleted_at IS NULL", catalog),
                    facts_of("SELECT id FROM orders WHERE archived ORDER BY created_at", catalog),
                    facts_of("SELECT id FROM orders WHERE NOT archived AND customer_id = $1", catalog)},
        catalog));
    CHECK_FALSE(has(all, "ON public.orders USING btree (customer_id) WHERE deleted_at IS NULL"));
    CHECK(has(all, "ON public.orders USING btree (created_at) WHERE archived"));
    CHECK_FALSE(has(all, "ON public.orders USING btree (customer_id) WHERE NOT archived"));
  }
}

TEST_CASE("a literal is a parameter of its class: no partial index fitted to one value", "[advisor][candidates]") {
  auto catalog = shop();
  auto no_partial_on = [](const std::vector<std::string>& all, const std::string& column) {
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
    for (const auto& b : all) CHECK(b.find("WHERE " + column) == std::string::npos);
  };
  SECTION("a high-cardinality column, however often the class ran with the same value") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM orders WHERE customer_id = 4711 AND status = $1", catalog),
                    facts_of("SELECT id FROM orders WHERE customer_id = 4711 AND created_at > $1", catalog),
                    facts_of("DELETE FROM orders WHERE customer_id = 4711 AND created_at < $1", catalog)},
        catalog));
    no_partial_on(all, "customer_id");
    CHECK(has(all, "ON public.orders USING btree (customer_id, created_at)"));
  }
  SECTION("a few-valued column, but the class was seen once: thin evidence, the full index") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM orders WHERE customer_id = $1 AND status = 'pending'", catalog, true, 1)},
        catalog));
    no_partial_on(all, "status");
    CHECK(has(all, "ON public.orders USING btree (customer_id)"));
  }
  SECTION("a column without statistics: no evidence that it is few-valued") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM order_items WHERE order_id = $1 AND quantity = 7", catalog)}, catalog));
    CHECK(has(all, "ON public.order_items USING btree (order_id) WHERE quantity = 7"));  // 20 values: few
    TableInfo events;
    events.name = "events";
    events.reltuples = 1'000'000;
    events.columns = {ColumnInfo{"kind", "text", false, std::nullopt}, column("account_id", 10'000)};
    catalog.add_table(events);
    all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM events WHERE account_id = $1 AND kind = 'login'", catalog)}, catalog));
    no_partial_on(all, "kind");
  }
  SECTION("a null test is part of the statement's text: no evidence needed") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT id FROM orders WHERE customer_id = $1 AND archived", catalog, true, 1)}, catalog));
    CHECK(has(all, "ON public.orders USING btree (customer_id) WHERE archived"));
  }
}

TEST_CASE("every constant the query states makes one small partial index", "[advisor][candidates]") {
  auto catalog = shop();
  auto all = bodies(
      generate_candidates(std::vector{facts_of("SELECT * FROM orders WHERE status = 'cancelled' AND deleted_at IS NULL "
                                               "ORDER BY created_at DESC LIMIT 50",
                                               catalog)},
                          catalog));
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
  CHECK(has(all, "ON public.orders USING btree (created_at DESC) WHERE status = 'cancelled' AND deleted_at IS NULL"));
  CHECK(has(all, "ON public.orders USING btree (deleted_at, created_at DESC) WHERE status = 'cancelled'"));
}

TEST_CASE("constants that filter little leave the keys: the ORDER BY keys stay searchable", "[advisor][candidates]") {
  auto catalog = shop();
  auto sql =
      "SELECT * FROM orders WHERE customer_id = $1 AND status = 'shipped' AND deleted_at IS NULL "
      "ORDER BY created_at DESC LIMIT 20";
  SECTION("stated as the partial predicate, with evidence") {
    auto all = bodies(generate_candidates(std::vector{facts_of(sql, catalog)}, catalog));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
    CHECK(has(all,
              "ON public.orders USING btree (customer_id, created_at DESC) WHERE status = 'shipped' AND deleted_at IS "
              "NULL"));
  }
  SECTION("left to the heap: the filtering equality key, then the ORDER BY keys") {
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT * FROM orders WHERE customer_id = $1 AND status = $2 ORDER BY created_at DESC "
                             "LIMIT 20",
                             catalog)},
        catalog));
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
    CHECK(has(all, "ON public.orders USING btree (customer_id, created_at DESC)"));
  }
}

TEST_CASE("ORDER BY without an equality prefix: every sort key", "[advisor][candidates]") {
  auto catalog = shop();
  auto all = bodies(generate_candidates(
      std::vector{facts_of("SELECT * FROM orders ORDER BY created_at DESC, id DESC LIMIT 10", catalog)}, catalog));
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
  CHECK(has(all, "ON public.orders USING btree (created_at DESC)"));
  CHECK(has(all, "ON public.orders USING btree (created_at DESC, id DESC)"));
}

TEST_CASE("expression keys, join columns and covering indexes", "[advisor][candidates]") {
  auto catalog = shop();
  auto all = bodies(generate_candidates(
      std::vector{facts_of("SELECT id FROM customers WHERE lower(email) = $1", catalog),
                  facts_of("SELECT o.id, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id "
                           "WHERE o.customer_id = $1",
                           catalog),
                  facts_of("SELECT customer_id, total FROM orders WHERE created_at > $1", catalog)},
      catalog));
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
  CHECK(has(all, "ON public.customers USING btree ((lower(email)))"));
  CHECK(has(all, "ON public.order_items USING btree (order_id)"));
  CHECK(has(all, "ON public.orders USING btree (customer_id, id)"));
  CHECK(has(all, "ON public.orders USING btree (created_at) INCLUDE (customer_id, total)"));
}

TEST_CASE("covering indexes hold every column the query reads: aggregates, GROUP BY, filters past the range",
          "[advisor][candidates]") {
  auto catalog = shop();
  auto all = bodies(generate_candidates(
      std::vector{
          facts_of("SELECT sum(total) FROM orders WHERE customer_id = $1 AND created_at > $2", catalog),
          facts_of("SELECT status, count(*) FROM orders WHERE customer_id = $1 GROUP BY status", catalog),
          facts_of("SELECT id FROM orders WHERE customer_id = $1 AND created_at > $2 AND total > $3", catalog),
          facts_of("SELECT id, total FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 10", catalog)},
      catalog));
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
  // The aggregate's argument, the grouped column and a filter that the range key leaves to the heap.
  CHECK(has(all, "ON public.orders USING btree (customer_id, created_at) INCLUDE (total)"));
  CHECK(has(all, "ON public.orders USING btree (customer_id) INCLUDE (status)"));
  CHECK(has(all, "ON public.orders USING btree (customer_id, created_at) INCLUDE (id, total)"));
  // In ORDER BY order, for an index-only scan that stops at the LIMIT.
  CHECK(has(all, "ON public.orders USING btree (customer_id, created_at DESC) INCLUDE (id, total)"));
}

TEST_CASE("nothing an existing index already serves", "[advisor][candidates]") {
  auto catalog = shop(true);  // orders (customer_id, created_at) exists
  auto all = bodies(generate_candidates(
      std::vector{facts_of("SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at", catalog)}, catalog));
  CHECK_FALSE(has(all, "ON public.orders USING btree (customer_id)"));
  CHECK_FALSE(has(all, "ON public.orders USING btree (customer_id, created_at)"));
  CHECK(has(all, "ON public.orders USING btree (created_at)"));
}

TEST_CASE("no expression key over a column with few distinct values", "[advisor][candidates]") {
  auto catalog = shop();
  auto all =
      bodies(generate_candidates(std::vector{facts_of("SELECT id FROM customers WHERE lower(email) = $1", catalog),
                                             facts_of("SELECT count(*) FROM orders WHERE lower(status) = $1", catalog)},
                                 catalog));
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
  CHECK(has(all, "ON public.customers USING btree ((lower(email)))"));
  for (const auto& b : all) CHECK(b.find("lower(status)") == std::string::npos);
}

TEST_CASE("referenced columns: filters, joins, select list and ORDER BY, by catalog table", "[advisor][candidates]") {
  auto catalog = shop();
  auto c = facts_of(
      "SELECT o.id, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id "
      "WHERE o.customer_id = $1 ORDER BY o.created_at",
      catalog);
  auto columns = referenced_columns(c.facts, catalog);
  std::vector<std::string> names;
  for (const auto& r : columns) names.push_back(r.table.to_string() + "." + r.column);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"public.order_items.order_id", "public.order_items.quantity",
                                          "public.orders.created_at", "public.orders.customer_id", "public.orders.id"});
}

TEST_CASE("nothing on a table that fits in one page", "[advisor][candidates]") {
  auto catalog = shop();
  TableInfo tiny;
  tiny.name = "countries";
  tiny.reltuples = 40;
  tiny.relpages = 1;
  tiny.columns = {column("code", -1), column("region", 6)};
  catalog.add_table(tiny);
  auto all = bodies(generate_candidates(std::vector{facts_of("SELECT * FROM countries WHERE code = $1", catalog),
                                                    facts_of("SELECT * FROM orders WHERE customer_id = $1", catalog)},
                                        catalog));
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(all));
  CHECK(all == std::vector<std::string>{"ON public.orders USING btree (customer_id)"});
}

TEST_CASE("a table's load is not a write rate: a freshly loaded table gets covering indexes", "[advisor][candidates]") {
  auto catalog = shop();
  auto orders = *catalog.find_table(analyzer::TableName{"public", "orders", false});
  const auto covered = [&](const TableInfo& table) {
    analyzer::Catalog c;
    c.add_table(table);
    auto all = bodies(generate_candidates(
        std::vector{facts_of("SELECT sum(total) FROM orders WHERE customer_id = $1 AND created_at > $2", c)}, c));
    return has(all, "ON public.orders USING btree (customer_id, created_at) INCLUDE (total)");
  };
  // Loaded: every row inserted once, then read.
  orders.activity.live_tuples = 1'000'000;
  orders.activity.inserts = 1'000'000;
  orders.activity.seq_scans = 40;
  orders.activity.index_scans = 2'000;
  CHECK(write_share(orders) == 0);
  CHECK(covered(orders));
  // Busy: 300,000 inserts (and deletes) on top of its rows, against 2,040 scans.
  orders.activity.inserts = 1'300'000;
  orders.activity.deletes = 300'000;
  CHECK(write_share(orders) > 0.99);
  CHECK_FALSE(covered(orders));
}

// Columns reached through views, CTEs and subqueries in FROM are the tables' columns (analyzer::resolve_facts);
// where the planner computes the relation apart, a condition outside it is no index material.
TEST_CASE("candidates through views, inlined CTEs and subqueries in FROM", "[advisor][candidates]") {
  auto catalog = shop();
  catalog.add_view("public", "orders_view", " SELECT orders.id AS order_id,\n    orders.total\n   FROM orders;");
  catalog.add_view("public", "customer_totals",
                   " SELECT orders.customer_id,\n    sum(orders.total) AS spent\n   FROM orders\n  GROUP BY "
                   "orders.customer_id;");
  catalog.add_view("public", "expensive", " SELECT orders.id,\n    orders.total * 2 AS doubled\n   FROM orders;");
  const auto candidates = [&](const std::string& sql) {
    auto all = bodies(generate_candidates(std::vector{facts_of(sql, catalog)}, catalog));
    INFO(sql << ": " << Catch::StringMaker<std::vector<std::string>>::convert(all));
    return all;
  };
  const std::string on_id = "ON public.orders USING btree (id)";
  const std::string on_customer = "ON public.orders USING btree (customer_id)";
  CHECK(has(candidates("SELECT * FROM orders_view WHERE order_id = $1"), on_id));
  CHECK(has(candidates("SELECT * FROM customer_totals WHERE customer_id = $1"), on_customer));
  CHECK(has(candidates("WITH x AS (SELECT * FROM orders) SELECT * FROM x WHERE customer_id = $1"), on_customer));
  CHECK(has(candidates("WITH x AS NOT MATERIALIZED (SELECT * FROM orders) SELECT * FROM x WHERE customer_id = $1"),
            on_customer));
  CHECK(
      has(candidates("SELECT * FROM (SELECT id, customer_id FROM orders) AS s WHERE s.customer_id = $1"), on_customer));
  // A join through a subquery; its conditions and the reader's on one scan make a composite key.
  CHECK(has(candidates("SELECT * FROM customers c JOIN (SELECT * FROM orders WHERE archived) o ON o.customer_id = "
                       "c.id WHERE c.email = $1"),
            "ON public.orders USING btree (customer_id)"));
  CHECK(has(candidates("WITH x AS (SELECT * FROM orders WHERE customer_id = $1) SELECT * FROM x WHERE created_at > $2"),
            "ON public.orders USING btree (customer_id, created_at)"));
  // ORDER BY 1 over `*`: the table's first column.
  CHECK(has(candidates("SELECT * FROM orders ORDER BY 1 DESC LIMIT 10"), "ON public.orders USING btree (id DESC)"));

  // Nothing from a condition the planner keeps outside: a materialized CTE, one read twice, a recursive one, an
  // expression or aggregate column.
  CHECK(candidates("WITH x AS MATERIALIZED (SELECT * FROM orders) SELECT * FROM x WHERE customer_id = $1").empty());
  CHECK(candidates("WITH x AS (SELECT * FROM orders) SELECT * FROM x a JOIN x b ON a.id = b.id WHERE a.customer_id "
                   "= $1")
            .empty());
  CHECK_FALSE(has(candidates("WITH RECURSIVE x AS (SELECT id, customer_id FROM orders UNION ALL SELECT o.id, "
                             "o.customer_id FROM orders o JOIN x ON o.id = x.customer_id) SELECT * FROM x WHERE "
                             "customer_id = $1"),
                  on_customer));
  CHECK(candidates("SELECT * FROM expensive WHERE doubled > $1").empty());
  CHECK(candidates("SELECT * FROM customer_totals WHERE spent > $1").empty());
}
