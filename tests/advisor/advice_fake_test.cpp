// advise() without a server, against the scripted what-if model (fake_what_if_model.hpp): which indexes are
// chosen, the evidence and its plans, budget and count, write overhead from the workload's own writes (by schema
// and exact column), unplannable classes and refused candidates, drop advice checked against the workload's
// plans, and honest request counts: every planner call
// goes through the cache and is counted, and none is made twice.
#include <algorithm>
#include <map>

#include <catch2/catch.hpp>

#include "advisor/advice.hpp"
#include "advisor/ddl_script.hpp"
#include "fake_what_if_model.hpp"
#include "live_advice.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using test::definitions;
using test::FakeWhatIfModel;

namespace {

// 1M orders (100,000 customers, 1,000 shops), 3M order lines (5,000 products), and an archive schema with an
// orders table of the same name and columns.
analyzer::Catalog shop() {
  analyzer::Catalog catalog;
  const std::vector<std::pair<std::string, double>> order_columns = {
      {"id", -1}, {"customer_id", 100'000}, {"shop_id", 1'000}, {"created_at", -0.9}, {"total", -0.5}};
  catalog.add_table(test::table("orders", 1'000'000, order_columns));
  catalog.add_table(test::table("archive.orders", 1'000'000, order_columns));
  catalog.add_table(test::table("lines", 3'000'000, {{"order_id", 900'000}, {"product_id", 5'000}, {"qty", 20}}));
  return catalog;
}

const std::string kByCustomer = "SELECT * FROM orders WHERE customer_id = 1";
const std::string kByShop = "SELECT * FROM orders WHERE shop_id = 1";
const std::string kByProduct = "SELECT * FROM lines WHERE product_id = 1";

std::string questions(const FakeWhatIfModel& fake) {
  std::string out;
  for (const auto& [question, times] : fake.asked) out += question + " x" + std::to_string(times) + "\n";
  return out;
}

}  // namespace

TEST_CASE("advise chooses what the model says saves most, and counts every planner call", "[advisor][advice]") {
  auto catalog = shop();
  auto workload = test::classes_of({{kByCustomer, 100}, {kByShop, 10}, {kByProduct, 1}}, catalog);
  FakeWhatIfModel fake;
  fake.saves(kByCustomer, "orders(customer_id)", 990).saves(kByShop, "orders(shop_id)", 500);  // products: none
  auto advice = advise(workload, catalog, fake);
  auto defs = definitions(advice);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(defs));
  CHECK(defs == std::vector<std::string>{"ON public.orders USING btree (customer_id)",
                                         "ON public.orders USING btree (shop_id)"});
  CHECK(advice.cost_before == Approx(111 * 1000.0));
  CHECK(advice.cost_after == Approx(100 * 10.0 + 10 * 500.0 + 1000.0));
  CHECK(advice.candidates >= 3);

  INFO(questions(fake));
  // Honest counts: every question that reached the model is one the cache counted as a planner call (the
  // evidence's plans included), and none reached it twice.
  CHECK(advice.requests.inner_requests() == fake.explains);
  CHECK(fake.explains == fake.asked.size());
  CHECK(advice.requests.requests > advice.requests.inner_requests());
  CHECK(advice.requests.cache_hits == advice.requests.requests - fake.explains);
}

TEST_CASE("the evidence: the queries an index helps, with cost and plan before and after", "[advisor][advice]") {
  auto catalog = shop();
  const std::string join = "SELECT l.* FROM orders o JOIN lines l ON l.order_id = o.id WHERE o.customer_id = 1";
  auto workload = test::classes_of({{kByCustomer, 100}, {join, 10}}, catalog);
  FakeWhatIfModel fake;
  fake.saves(kByCustomer, "orders(customer_id)", 990)
      .saves(join, "orders(customer_id)", 400)
      .saves(join, "lines(order_id)", 500);
  auto advice = advise(workload, catalog, fake);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
  REQUIRE(advice.indexes.size() == 2);
  const auto& customer = advice.indexes[0];
  CHECK(customer.index.definition_body() == "ON public.orders USING btree (customer_id)");
  REQUIRE(customer.queries.size() == 2);  // most helped first: 100 x 990, then 10 x 400
  CHECK(customer.queries[0].fingerprint == workload.classes[0].query.fingerprint);
  CHECK(customer.queries[0].cost_before == Approx(1000));
  CHECK(customer.queries[0].cost_after == Approx(10));
  CHECK(customer.queries[0].plan_before == "Seq Scan on orders");
  CHECK(customer.queries[0].plan_after == "Index Scan using orders_customer_id_idx on orders");
  // The join's cost before this index is with the other chosen one (lines), after is with both.
  CHECK(customer.queries[1].cost_before == Approx(500));
  CHECK(customer.queries[1].cost_after == Approx(100));
  const auto& lines = advice.indexes[1];
  CHECK(lines.index.definition_body() == "ON public.lines USING btree (order_id)");
  REQUIRE(lines.queries.size() == 1);
  CHECK(lines.queries[0].plan_after ==
        "Index Scan using lines_order_id_idx on lines; "
        "Index Scan using orders_customer_id_idx on orders");
  // Per class, before and after the whole advice.
  REQUIRE(advice.classes_advised.size() == 2);
  CHECK(advice.classes_advised[1].cost_before == Approx(1000));
  CHECK(advice.classes_advised[1].cost_after == Approx(100));
  CHECK(advice.classes_advised[1].kind == "select");
}

TEST_CASE("plans show the names the advice gives, asked again only when a name changed", "[advisor][advice]") {
  auto catalog = shop();
  // An index of that name exists already (on lines): the advice names its index orders_customer_id_2_idx.
  auto lines = *catalog.find_table(analyzer::TableName{"public", "lines", false});
  analyzer::IndexInfo taken;
  taken.name = "orders_customer_id_idx";
  taken.keys = {"qty"};
  lines.indexes.push_back(taken);
  catalog.add_table(lines);
  auto workload = test::classes_of({{kByCustomer, 100}, {kByShop, 10}}, catalog);
  FakeWhatIfModel fake;
  fake.saves(kByCustomer, "orders(customer_id)", 990).saves(kByShop, "orders(shop_id)", 500);
  auto advice = advise(workload, catalog, fake);
  REQUIRE(advice.indexes.size() == 2);
  CHECK(advice.indexes[0].index.name() == "orders_customer_id_2_idx");
  REQUIRE(advice.indexes[0].queries.size() == 1);
  CHECK(advice.indexes[0].queries[0].plan_after == "Index Scan using orders_customer_id_2_idx on orders");
  INFO(questions(fake));
  CHECK(advice.requests.inner_requests() == fake.explains);
  // The renamed index's plans were asked again (under its new name); the other's came from the cache.
  size_t twice = 0;
  for (const auto& [question, times] : fake.asked) twice += times > 1 ? 1 : 0;
  CHECK(twice > 0);
  const auto& by_shop = workload.classes[1].query.fingerprint;
  for (const auto& [question, times] : fake.asked) {
    if (question.rfind(by_shop, 0) == 0) CHECK(times == 1);
  }
}

TEST_CASE("advice respects the count and the storage budget", "[advisor][advice]") {
  auto catalog = shop();
  auto workload = test::classes_of({{kByCustomer, 100}, {kByShop, 10}, {kByProduct, 10}}, catalog);
  FakeWhatIfModel fake;
  fake.saves(kByCustomer, "orders(customer_id)", 900)
      .saves(kByShop, "orders(shop_id)", 900)
      .saves(kByProduct, "lines(product_id)", 900)
      .size("orders(customer_id)", 30'000'000)
      .size("orders(shop_id)", 20'000'000)
      .size("lines(product_id)", 60'000'000);
  CHECK(advise(workload, catalog, fake).indexes.size() == 3);

  AdviceOptions two;
  two.selection.max_indexes = 2;
  CHECK(
      definitions(advise(workload, catalog, fake, two)) ==
      std::vector<std::string>{"ON public.orders USING btree (customer_id)", "ON public.orders USING btree (shop_id)"});

  AdviceOptions tight;
  tight.selection.budget_bytes = 55'000'000;  // customer and shop fit together, products does not fit beside them
  auto budgeted = advise(workload, catalog, fake, tight);
  int64_t total = 0;
  for (const auto& i : budgeted.indexes) total += i.size_bytes;
  CHECK(budgeted.indexes.size() == 2);
  CHECK(total == 50'000'000);

  AdviceOptions none;
  none.selection.budget_bytes = 8192;
  CHECK(advise(workload, catalog, fake, none).indexes.empty());
}

TEST_CASE("write classes charge the indexes they maintain", "[advisor][advice]") {
  auto catalog = shop();
  FakeWhatIfModel fake;
  fake.saves(kByShop, "orders(shop_id)", 500);
  AdviceOptions options;
  options.selection.min_improvement = 0;  // the writes' own cost would hide the savings otherwise
  auto advised = [&](const std::string& write, double calls) {
    return definitions(advise(test::classes_of({{kByShop, 10}, {write, calls}}, catalog), catalog, fake, options));
  };
  const std::vector<std::string> shop_index = {"ON public.orders USING btree (shop_id)"};
  // 10 x 500 saved; an index entry costs 4 per written row.
  CHECK(advised("INSERT INTO orders (id, shop_id) VALUES (1, 2)", 1'000) == shop_index);
  CHECK(advised("INSERT INTO orders (id, shop_id) VALUES (1, 2)", 2'000).empty());
  CHECK(advised("UPDATE orders SET shop_id = 3 WHERE id = 1", 2'000).empty());
  // Updates that leave its column alone, and inserts into another schema's orders, do not.
  CHECK(advised("UPDATE orders SET total = 3 WHERE id = 1", 2'000) == shop_index);
  CHECK(advised("INSERT INTO archive.orders (id, shop_id) VALUES (1, 2)", 2'000) == shop_index);
}

TEST_CASE("index write overhead: the index's own table and exactly its columns", "[advisor][advice]") {
  auto catalog = shop();
  auto overhead = [&](const std::string& write, const IndexCandidate& index) {
    auto workload = test::classes_of({{write, 10}}, catalog);
    return index_write_overhead(workload.classes, catalog, index, 4.0);
  };
  IndexCandidate on_total;
  on_total.table = analyzer::TableName{"public", "orders", false};
  on_total.keys = {IndexKey{"total", "", false, std::nullopt}};

  CHECK(overhead("INSERT INTO orders (id, total) VALUES (1, 2)", on_total) == 40);
  CHECK(overhead("INSERT INTO public.orders (id, total) VALUES (1, 2)", on_total) == 40);
  CHECK(overhead("DELETE FROM orders WHERE id = 1", on_total) == 40);
  CHECK(overhead("UPDATE orders SET total = 1 WHERE id = 1", on_total) == 40);
  CHECK(overhead("UPDATE orders SET created_at = now() WHERE id = 1", on_total) == 0);
  CHECK(overhead("SELECT * FROM orders WHERE total = 1", on_total) == 0);
  // The same table name in another schema is another table.
  CHECK(overhead("INSERT INTO archive.orders (id, total) VALUES (1, 2)", on_total) == 0);
  CHECK(overhead("UPDATE archive.orders SET total = 1 WHERE id = 1", on_total) == 0);

  // A column whose name is part of another's is not that column: not in an expression key, not in a predicate.
  IndexCandidate on_expression = on_total;
  on_expression.keys = {IndexKey{"", "(total_paid * 2)", false, std::nullopt}};
  CHECK(overhead("UPDATE orders SET total = 1 WHERE id = 1", on_expression) == 0);
  IndexCandidate partial = on_total;
  partial.keys = {IndexKey{"customer_id", "", false, std::nullopt}};
  partial.predicate = "total_paid > 100";
  CHECK(overhead("UPDATE orders SET total = 1 WHERE id = 1", partial) == 0);
  partial.predicate = "total > 100";  // moves rows in or out of the partial index
  CHECK(overhead("UPDATE orders SET total = 1 WHERE id = 1", partial) == 40);
  IndexCandidate covering = partial;
  covering.predicate.clear();
  covering.include = {"total"};
  CHECK(overhead("UPDATE orders SET total = 1 WHERE id = 1", covering) == 40);
}

TEST_CASE("unplannable classes are reported, refused candidates listed and never chosen", "[advisor][advice]") {
  auto catalog = shop();
  auto workload = test::classes_of({{kByCustomer, 100}, {kByShop, 10}, {kByProduct, 10}}, catalog);
  FakeWhatIfModel fake;
  fake.saves(kByCustomer, "orders(customer_id)", 990)
      .saves(kByShop, "orders(shop_id)", 900)
      .refuse("orders(shop_id)", "cannot represent it")
      .fails(kByProduct, "there is no parameter $1");
  auto advice = advise(workload, catalog, fake);
  CHECK(definitions(advice) == std::vector<std::string>{"ON public.orders USING btree (customer_id)"});
  REQUIRE(advice.refused_candidates.size() == 1);
  CHECK(advice.refused_candidates[0].definition == "CREATE INDEX ON public.orders USING btree (shop_id)");
  CHECK(advice.refused_candidates[0].reason == "cannot represent it");
  REQUIRE(advice.unplanned.size() == 1);
  CHECK(advice.unplanned[0].fingerprint == workload.classes[2].query.fingerprint);
  CHECK(advice.unplanned[0].reason == "there is no parameter $1");
  REQUIRE(advice.classes_advised.size() == 3);
  CHECK_FALSE(advice.classes_advised[2].planned);
  CHECK(advice.classes_advised[0].planned);
}

TEST_CASE("the cache answers a plan only under the names asked for", "[advisor][cost_model]") {
  auto catalog = shop();
  auto workload = test::classes_of({{kByCustomer, 1}}, catalog);
  const auto& query = workload.classes[0].query;
  FakeWhatIfModel fake;
  fake.saves(kByCustomer, "orders(customer_id)", 990);
  CachingWhatIfModel cache(fake);
  IndexCandidate index;
  index.table = analyzer::TableName{"public", "orders", false};
  index.keys = {IndexKey{"customer_id", "", false, std::nullopt}};
  CHECK(cache.cost(query, Configuration{index}) == Approx(10));
  CHECK(cache.explain(query, Configuration{index}).summary == "Index Scan using orders_customer_id_idx on orders");
  CHECK(fake.explains == 1);  // the cost's answer had the plan
  index.assigned_name = "renamed_idx";
  CHECK(cache.cost(query, Configuration{index}) == Approx(10));
  CHECK(fake.explains == 1);  // a cost does not depend on a name
  CHECK(cache.explain(query, Configuration{index}).summary == "Index Scan using renamed_idx on orders");
  CHECK(fake.explains == 2);
  CHECK(cache.stats().requests == 4);
  CHECK(cache.stats().inner_requests() == 2);
}

namespace {

analyzer::IndexInfo existing(std::string name, std::vector<std::string> keys, int64_t scans) {
  analyzer::IndexInfo index;
  index.name = std::move(name);
  index.definition = "CREATE INDEX " + index.name + " ON public.orders USING btree (...)";
  index.keys = std::move(keys);
  index.scans = scans;
  index.size_bytes = 8'000'000;
  return index;
}

}  // namespace

TEST_CASE("drop advice: unused, duplicate and redundant indexes with evidence, never a constraint's",
          "[advisor][advice]") {
  auto catalog = shop();
  auto orders = *catalog.find_table(analyzer::TableName{"public", "orders", false});
  auto pkey = existing("orders_pkey", {"id"}, 100);
  pkey.unique = pkey.primary = pkey.constraint = true;
  auto unique = existing("orders_id_total_key", {"id", "total"}, 0);  // unused but unique
  unique.unique = true;
  orders.indexes = {pkey,
                    unique,
                    existing("orders_shop_a", {"shop_id"}, 10),
                    existing("orders_shop_b", {"shop_id"}, 10),  // duplicate of _a
                    existing("orders_created", {"created_at"}, 10),
                    existing("orders_created_total", {"created_at", "total"}, 0),  // unused; the former its prefix
                    existing("orders_customer", {"customer_id"}, 10),
                    existing("orders_total", {"total"}, 0)};  // no scan yet, but the workload's plan uses it
  catalog.add_table(orders);
  const std::string by_total = "SELECT * FROM orders WHERE total = 7";
  const std::string newest = "SELECT * FROM orders WHERE customer_id = 1 ORDER BY created_at";
  auto workload = test::classes_of({{by_total, 10}, {newest, 10}}, catalog);
  FakeWhatIfModel fake;
  fake.uses_existing(by_total, "orders", "orders_total")
      .uses_existing(newest, "orders", "orders_customer")
      .saves(newest, "orders(customer_id, created_at)", 990);
  auto advice = advise(workload, catalog, fake);
  INFO(Catch::StringMaker<std::vector<std::string>>::convert(definitions(advice)));
  REQUIRE(definitions(advice) == std::vector<std::string>{"ON public.orders USING btree (customer_id, created_at)"});

  std::map<std::string, const DropAdvice*> drops;
  for (const auto& d : advice.drops) drops[d.finding.index] = &d;
  REQUIRE(drops.count("orders_shop_b") == 1);
  CHECK(drops["orders_shop_b"]->finding.problem == analyzer::IndexProblem::Duplicate);
  CHECK(drops["orders_shop_b"]->finding.covered_by == "orders_shop_a");
  REQUIRE(drops.count("orders_created") == 1);
  CHECK(drops["orders_created"]->finding.problem == analyzer::IndexProblem::Redundant);
  CHECK_THAT(drops["orders_created"]->evidence, Catch::Contains("orders_created_total"));
  REQUIRE(drops.count("orders_created_total") == 1);
  CHECK(drops["orders_created_total"]->finding.problem == analyzer::IndexProblem::Unused);
  CHECK_THAT(drops["orders_created_total"]->evidence, Catch::Contains("none of the workload's 2 class(es)"));
  // The advised index makes orders_customer redundant, and the plans no longer use it.
  REQUIRE(drops.count("orders_customer") == 1);
  CHECK_THAT(drops["orders_customer"]->evidence,
             Catch::StartsWith("redundant once the advised orders_customer_id_created_at_idx exists"));
  CHECK_THAT(drops["orders_customer"]->evidence, Catch::Contains("none of the workload's 2 class(es)"));
  CHECK(drops.count("orders_id_total_key") == 0);  // unique: never
  CHECK(drops.count("orders_pkey") == 0);
  CHECK(drops.count("orders_total") == 0);  // statistics say unused, the workload's plan uses it

  // The script lists them commented out, so that it still only creates indexes when run as is.
  auto script = advice_script(advice, ScriptHeader{"host=db dbname=shop", "2026-01-01T00:00:00Z"});
  CHECK_THAT(script, Catch::Contains("-- DROP INDEX CONCURRENTLY IF EXISTS public.orders_shop_b;"));
  CHECK(script.find("\nDROP INDEX") == std::string::npos);
}
