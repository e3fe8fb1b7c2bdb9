// The names advise_views gives a view and its indexes: free in the schema (against the catalog's relations, the
// advised indexes' names and each other), within 63 bytes; and when the rewritten queries need an index of their own
// beside the unique one. A scripted model stands for the planner (no server).
#include "advisor/view_advice.hpp"

#include <set>

#include <catch2/catch.hpp>

#include "advisor/index_names.hpp"
#include "fake_what_if_model.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;

namespace {

// Every view query is estimated at 100 rows of 16 bytes costing 5,000: far less than its base table.
class EstimatingModel : public test::FakeWhatIfModel {
 public:
  std::optional<QueryEstimate> estimate(const std::string&) override { return QueryEstimate{100, 16, 5000}; }
};

// A daily count per customer (the view groups by day and customer: its filter needs an index of its own) and a
// count per status (the unique index on status serves its filter), each executed with two values.
std::vector<std::pair<std::string, double>> statements(const std::string& table) {
  return {
      {"SELECT date_trunc('day', created_at) AS day, count(*) AS n FROM " + table + " WHERE customer_id = 5 GROUP BY 1",
       1},
      {"SELECT date_trunc('day', created_at) AS day, count(*) AS n FROM " + table + " WHERE customer_id = 7 GROUP BY 1",
       1},
      {"SELECT status, count(*) AS n FROM " + table + " WHERE status = 'a' GROUP BY status", 1},
      {"SELECT status, count(*) AS n FROM " + table + " WHERE status = 'b' GROUP BY status", 1}};
}

ViewAdviceResult views_for(const std::string& table, const analyzer::Catalog& catalog,
                           std::span<const analyzer::TableName> taken = {}) {
  auto classes = test::classes_of(statements(table), catalog);
  std::vector<double> costs(classes.classes.size(), 100000);
  EstimatingModel model;
  return advise_views(classes.classes, costs, catalog, model, {}, taken);
}

const ViewAdvice* view_keyed_on(const ViewAdviceResult& r, const std::string& column) {
  for (const auto& v : r.views) {
    if (std::ranges::find(v.unique_key, column) != v.unique_key.end()) return &v;
  }
  return nullptr;
}

const std::vector<std::pair<std::string, double>> kColumns = {
    {"customer_id", 20000}, {"status", 5}, {"created_at", -1}};

}  // namespace

TEST_CASE("a view's indexes: the unique one on its grouping, a filter index only where that does not serve",
          "[advisor][matviews]") {
  analyzer::Catalog catalog;
  catalog.add_table(test::table("public.orders", 1'000'000, kColumns));
  const auto result = views_for("public.orders", catalog);
  INFO(result.refused.size() << " refused; first: " << (result.refused.empty() ? "" : result.refused[0].reason));
  REQUIRE(result.views.size() == 2);

  const auto* daily = view_keyed_on(result, "customer_id");
  REQUIRE(daily != nullptr);
  CHECK(daily->schema == "public");
  CHECK(daily->name == "orders_day_customer_id_mv");
  CHECK(daily->unique_index == "orders_day_customer_id_mv_key");
  CHECK(daily->filter_columns == std::vector<std::string>{"customer_id"});
  CHECK(daily->filter_index == "orders_day_customer_id_mv_filter_idx");

  const auto* by_status = view_keyed_on(result, "status");
  REQUIRE(by_status != nullptr);
  CHECK(by_status->name == "orders_status_mv");
  CHECK(by_status->unique_index == "orders_status_mv_key");
  CHECK(by_status->filter_index.empty());  // the unique index on (status) serves `status = …`
}

TEST_CASE("a view's names are free in its schema and within 63 bytes", "[advisor][matviews]") {
  analyzer::Catalog catalog;
  auto orders = test::table("public.orders", 1'000'000, kColumns);
  analyzer::IndexInfo taken_index;
  taken_index.name = "orders_status_mv_key";  // an existing index has the unique index's name
  orders.indexes.push_back(taken_index);
  catalog.add_table(orders);
  catalog.add_table(test::table("public.orders_status_mv", 10, {}));  // and a table the view's
  // An advised index has the daily view's name.
  const std::vector<analyzer::TableName> advised = {{"public", "orders_day_customer_id_mv"}};
  const auto result = views_for("public.orders", catalog, advised);
  REQUIRE(result.views.size() == 2);
  const auto* by_status = view_keyed_on(result, "status");
  REQUIRE(by_status != nullptr);
  CHECK(by_status->name == "orders_status_2_mv");
  CHECK(by_status->unique_index == "orders_status_2_mv_key");
  CHECK(view_keyed_on(result, "customer_id")->name == "orders_day_customer_id_2_mv");

  SECTION("a 63-byte table name") {
    const std::string long_name(63, 'l');
    analyzer::Catalog long_catalog;
    long_catalog.add_table(test::table("public." + long_name, 1'000'000, kColumns));
    const auto long_result = views_for("public." + long_name, long_catalog);
    REQUIRE(long_result.views.size() == 2);
    std::set<std::string> names;
    for (const auto& v : long_result.views) {
      for (const auto& name : {v.name, v.unique_index, v.filter_index}) {
        if (name.empty()) continue;
        CHECK(name.size() <= kMaxNameBytes);
        CHECK(names.insert(name).second);  // no two alike, though each is cut from the same long stem
      }
    }
    CHECK(names.size() == 5);
  }
}

TEST_CASE("whether a filter index is needed beside the unique one", "[advisor][matviews]") {
  using V = std::vector<std::string>;
  CHECK_FALSE(filter_index_needed(V{}, V{"a", "b"}));
  CHECK_FALSE(filter_index_needed(V{"a"}, V{"a", "b"}));
  CHECK_FALSE(filter_index_needed(V{"b", "a"}, V{"a", "b", "c"}));  // the leading columns, in any order
  CHECK(filter_index_needed(V{"b"}, V{"a", "b"}));
  CHECK(filter_index_needed(V{"a", "c"}, V{"a", "b", "c"}));
  CHECK(filter_index_needed(V{"a", "b", "c"}, V{"a", "b"}));
  CHECK(filter_index_needed(V{"a"}, V{}));
}
