// The options a DBA coming from Dexter expects, without a server (fake_what_if_model.hpp): which tables may get
// indexes (--include/--exclude, schema-qualified or not), classes left out before costing (--min-calls, --min-time,
// --min-cost, and classes touching only refused tables) with the reason, and the tablespace of advice.sql.
#include <algorithm>

#include <catch2/catch.hpp>

#include "advisor/advice.hpp"
#include "advisor/advice_json.hpp"
#include "advisor/ddl_script.hpp"
#include "fake_what_if_model.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using test::FakeWhatIfModel;

namespace {

// orders in public and in archive (same columns), and lines.
analyzer::Catalog shop() {
  analyzer::Catalog catalog;
  const std::vector<std::pair<std::string, double>> order_columns = {{"id", -1}, {"customer_id", 100'000}};
  catalog.add_table(test::table("orders", 1'000'000, order_columns));
  catalog.add_table(test::table("archive.orders", 1'000'000, order_columns));
  catalog.add_table(test::table("lines", 3'000'000, {{"order_id", 900'000}, {"product_id", 5'000}}));
  return catalog;
}

const std::string kByCustomer = "SELECT * FROM orders WHERE customer_id = 1";
const std::string kArchived = "SELECT * FROM archive.orders WHERE customer_id = 1";
const std::string kByProduct = "SELECT * FROM lines WHERE product_id = 1";
const std::string kJoin = "SELECT l.* FROM orders o JOIN lines l ON l.order_id = o.id WHERE o.customer_id = 1";

// "schema.table" of every candidate's table, each once.
std::vector<std::string> candidate_tables(const std::vector<IndexCandidate>& candidates) {
  std::vector<std::string> out;
  for (const auto& c : candidates) {
    std::string t = c.table.schema + "." + c.table.name;
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> fingerprints(const std::vector<UnplannedQuery>& list) {
  std::vector<std::string> out;
  for (const auto& u : list) out.push_back(u.fingerprint);
  return out;
}

const UnplannedQuery* filtered_entry(const Advice& a, const std::string& statement) {
  auto it = std::find_if(a.filtered.begin(), a.filtered.end(),
                         [&](const UnplannedQuery& u) { return u.fingerprint == test::class_of(statement); });
  return it == a.filtered.end() ? nullptr : &*it;
}

// Whether any question about the statement's class reached the model.
bool asked_about(const FakeWhatIfModel& fake, const std::string& statement) {
  const std::string fp = test::class_of(statement);
  return std::any_of(fake.asked.begin(), fake.asked.end(), [&](const auto& q) { return q.first.rfind(fp, 0) == 0; });
}

}  // namespace

TEST_CASE("a table filter names a table in any schema, or schema.table exactly", "[advisor][options]") {
  TableFilter none;
  CHECK(none.allows("public", "orders"));
  TableFilter include{{"orders"}, {}};
  CHECK(include.allows("public", "orders"));
  CHECK(include.allows("archive", "orders"));
  CHECK_FALSE(include.allows("public", "lines"));
  TableFilter qualified{{"archive.orders"}, {}};
  CHECK(qualified.allows("archive", "orders"));
  CHECK_FALSE(qualified.allows("public", "orders"));
  TableFilter both{{"orders", "lines"}, {"archive.orders"}};  // exclude wins over include
  CHECK(both.allows("public", "orders"));
  CHECK(both.allows("public", "lines"));
  CHECK_FALSE(both.allows("archive", "orders"));
  TableFilter exact{{}, {"Orders"}};  // names as the catalog has them: no case folding
  CHECK(exact.allows("public", "orders"));
  CHECK_FALSE(exact.allows("public", "Orders"));
}

TEST_CASE("candidates only on the tables the filter allows", "[advisor][options][candidates]") {
  auto catalog = shop();
  auto workload = test::classes_of({{kByCustomer, 10}, {kArchived, 10}, {kByProduct, 10}, {kJoin, 10}}, catalog);
  CHECK(candidate_tables(generate_candidates(workload.classes, catalog)) ==
        std::vector<std::string>{"archive.orders", "public.lines", "public.orders"});

  CandidateOptions include;
  include.tables.include = {"orders"};  // both schemas
  CHECK(candidate_tables(generate_candidates(workload.classes, catalog, include)) ==
        std::vector<std::string>{"archive.orders", "public.orders"});

  CandidateOptions exclude;
  exclude.tables.exclude = {"archive.orders", "lines"};
  CHECK(candidate_tables(generate_candidates(workload.classes, catalog, exclude)) ==
        std::vector<std::string>{"public.orders"});
}

TEST_CASE("names of a table filter that match no table are reported", "[advisor][options]") {
  TableFilter filter{{"orders", "archive.orders", "ordres"}, {"nosuch.lines", "lines"}};
  CHECK(unmatched_table_names(filter, shop()) == std::vector<std::string>{"ordres", "nosuch.lines"});
}

TEST_CASE("classes touching only refused tables are left out before costing, and get no drop advice",
          "[advisor][options][advice]") {
  // shop() with an unused index on lines: drop advice, unless lines is excluded.
  analyzer::Catalog catalog;
  const std::vector<std::pair<std::string, double>> order_columns = {{"id", -1}, {"customer_id", 100'000}};
  catalog.add_table(test::table("orders", 1'000'000, order_columns));
  catalog.add_table(test::table("archive.orders", 1'000'000, order_columns));
  auto lines = test::table("lines", 3'000'000, {{"order_id", 900'000}, {"product_id", 5'000}});
  analyzer::IndexInfo unused;
  unused.name = "lines_product_id_idx";
  unused.keys = {"product_id"};
  unused.definition = "CREATE INDEX lines_product_id_idx ON public.lines USING btree (product_id)";
  unused.size_bytes = 8'000'000;
  lines.indexes.push_back(unused);
  catalog.add_table(lines);

  auto workload = test::classes_of({{kByCustomer, 100}, {kArchived, 100}, {kByProduct, 100}, {kJoin, 100}}, catalog);
  FakeWhatIfModel fake;
  fake.saves(kByCustomer, "orders(customer_id)", 990)
      .saves(kArchived, "archive.orders(customer_id)", 990)
      .saves(kByProduct, "lines(product_id)", 990)
      .saves(kJoin, "lines(order_id)", 500);
  AdviceOptions options;
  options.candidates.tables.exclude = {"archive.orders", "lines"};
  auto advice = advise(workload, catalog, fake, options);

  // The archive's and the lines' own classes are not costed at all; the join touches orders, so it stays.
  CHECK(advice.classes == 2);
  CHECK(fingerprints(advice.filtered) ==
        std::vector<std::string>{test::class_of(kArchived), test::class_of(kByProduct)});
  const auto* archived = filtered_entry(advice, kArchived);
  REQUIRE(archived != nullptr);
  CHECK_THAT(archived->reason, Catch::Contains("only tables that may not get indexes (archive.orders)"));
  CHECK_FALSE(asked_about(fake, kArchived));
  CHECK_FALSE(asked_about(fake, kByProduct));
  CHECK(asked_about(fake, kJoin));
  for (const auto& i : advice.indexes) CHECK(i.index.table.name == "orders");
  for (const auto& i : advice.indexes) CHECK(i.index.table.schema == "public");
  REQUIRE_FALSE(advice.indexes.empty());
  CHECK(std::none_of(advice.classes_advised.begin(), advice.classes_advised.end(),
                     [&](const AdvisedClass& c) { return c.fingerprint == test::class_of(kArchived); }));
  // The unused index on lines would be drop advice, but lines is excluded.
  CHECK(advice.drops.empty());
  options.candidates.tables = {};
  CHECK_FALSE(advise(workload, catalog, fake, options).drops.empty());
}

TEST_CASE("minimum calls and time (--min-calls, --min-time) leave classes out before any planner call",
          "[advisor][options][advice]") {
  auto catalog = shop();
  analyzer::Workload w;
  // calls and measured time: the customer lookup is frequent and slow, the product one rare, the archive one fast.
  w.classes.push_back({"", kByCustomer, 500, 9000.0, {kByCustomer}, {}, "logs"});
  w.classes.push_back({"", kByProduct, 3, 9000.0, {kByProduct}, {}, "logs"});
  w.classes.push_back({"", kArchived, 500, 12.5, {kArchived}, {}, "statements"});
  w.classes.push_back({"", kJoin, 500, 0, {kJoin}, {}, "queries"});  // no measured time: kept
  for (auto& c : w.classes) c.fingerprint = test::class_of(c.text);
  auto workload = classes_from_workload(w, catalog);
  REQUIRE(workload.classes.size() == 4);
  CHECK(workload.classes[0].total_ms == 9000.0);

  FakeWhatIfModel fake;
  fake.saves(kByCustomer, "orders(customer_id)", 990).saves(kByProduct, "lines(product_id)", 990);
  AdviceOptions options;
  options.classes.min_calls = 10;
  options.classes.min_total_ms = 100;
  auto advice = advise(workload, catalog, fake, options);
  CHECK(advice.classes == 2);
  CHECK(fingerprints(advice.filtered) ==
        std::vector<std::string>{test::class_of(kByProduct), test::class_of(kArchived)});
  CHECK_THAT(filtered_entry(advice, kByProduct)->reason, Catch::Contains("3 call(s), fewer than the minimum of 10"));
  CHECK_THAT(filtered_entry(advice, kArchived)->reason, Catch::Contains("12.500 ms in all its calls, less than the "
                                                                        "minimum of 100 ms"));
  CHECK_FALSE(asked_about(fake, kByProduct));
  CHECK_FALSE(asked_about(fake, kArchived));
  CHECK(advice.requests.inner_requests() == fake.explains);
  // Nothing on lines: its only class was left out.
  for (const auto& i : advice.indexes) CHECK(i.index.table.name == "orders");
}

TEST_CASE("a minimum cost (--min-cost) leaves out the classes whose current cost is below it, asking the planner once",
          "[advisor][options][advice]") {
  auto catalog = shop();
  auto workload = test::classes_of({{kByCustomer, 100}, {kByProduct, 100}, {kArchived, 100}}, catalog);
  FakeWhatIfModel fake;
  fake.base_cost(kByCustomer, 1000)
      .base_cost(kByProduct, 40)
      .fails(kArchived, "cannot plan")  // a class the planner refuses is kept, and reported as unplanned
      .saves(kByCustomer, "orders(customer_id)", 990)
      .saves(kByProduct, "lines(product_id)", 39);
  AdviceOptions options;
  options.classes.min_cost = 100;
  auto advice = advise(workload, catalog, fake, options);
  REQUIRE(fingerprints(advice.filtered) == std::vector<std::string>{test::class_of(kByProduct)});
  CHECK_THAT(advice.filtered[0].reason, Catch::Contains("estimated cost 40.0 per execution, below the minimum of 100"));
  CHECK(fake.asked.at(test::class_of(kByProduct)) == 1);   // the cost without new indexes, and nothing else
  CHECK(fake.asked.at(test::class_of(kByCustomer)) == 1);  // asked once: the selection's own question is cached
  CHECK(fingerprints(advice.unplanned) == std::vector<std::string>{test::class_of(kArchived)});
  for (const auto& i : advice.indexes) CHECK(i.index.table.name == "orders");
  CHECK(advice.requests.inner_requests() == fake.explains);
}

TEST_CASE("the filtered classes travel in the advice JSON, and the text report names a few",
          "[advisor][options][json]") {
  Advice a;
  a.filtered.push_back({"0123456789abcdef", "left out: 3 call(s), fewer than the minimum of 10"});
  auto json = advice_to_json(a);
  CHECK_THAT(json, Catch::Contains("\"filtered\"") && Catch::Contains("fewer than the minimum of 10"));
  auto back = advice_from_json(json);
  REQUIRE(back.filtered.size() == 1);
  CHECK(back.filtered[0].fingerprint == "0123456789abcdef");
}

TEST_CASE(
    "a tablespace (--tablespace): advice.sql builds each index there, before its WHERE, and the rollback has none",
    "[advisor][options][ddl]") {
  Advice advice;
  IndexAdvice index;
  index.index.table = analyzer::TableName{"public", "orders", false};
  index.index.keys = {IndexKey{"customer_id", "", false, std::nullopt}};
  index.index.predicate = "status = 'pending'";
  advice.indexes.push_back(index);
  ScriptHeader header{"dbname=shop", "2026-11-22T05:00:00Z", true, "fast ssd"};
  auto script = advice_script(advice, header);
  CHECK_THAT(script, Catch::Contains("USING btree (customer_id) TABLESPACE \"fast ssd\" WHERE status = 'pending';"));
  CHECK(rollback_script(advice, header).find("TABLESPACE") == std::string::npos);
  // A hostile name stays one identifier on one line.
  header.tablespace = "x\" WHERE true; DROP TABLE orders; --\n";
  script = advice_script(advice, header);
  CHECK_THAT(script, Catch::Contains("TABLESPACE U&\"x\"\" WHERE true; DROP TABLE orders; --\\000A\" WHERE"));
  // No tablespace: no clause, and the marker (by which the rollback knows the indexes) does not depend on it.
  CHECK(advice_script(advice, {"dbname=shop", "2026-11-22T05:00:00Z", true}).find("TABLESPACE") == std::string::npos);
  CHECK(advice_marker(advice, header) == advice_marker(advice, {"dbname=shop", "2026-11-22T05:00:00Z", true}));
}
