// The request cache: the inner model is asked once per (query, relevant indexes), and indexes on tables a
// query does not touch never cause a new request.
#include "advisor/cost_model.hpp"

#include <map>

#include <catch2/catch.hpp>

using namespace pgadvisor::advisor;
using pgadvisor::analyzer::TableName;

namespace {

//! Counts calls; a query's cost halves for each relevant index it is given.
class CountingCostModel : public CostModel {
 public:
  double cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) override {
    ++calls;
    last_configuration.assign(configuration.begin(), configuration.end());
    double c = 1000;
    for (size_t i = 0; i < configuration.size(); ++i) c /= 2;
    return c + static_cast<double>(query.text.size());
  }
  int calls = 0;
  Configuration last_configuration;
};

IndexCandidate index_on(const std::string& table, const std::string& column) {
  IndexCandidate c;
  c.table = TableName{"public", table, false};
  c.keys = {IndexKey{column, "", false, std::nullopt}};
  return c;
}

WorkloadQuery query_on(const std::string& fingerprint, std::vector<std::string> tables) {
  WorkloadQuery q;
  q.fingerprint = fingerprint;
  q.text = "SELECT " + fingerprint;
  for (auto& t : tables) q.tables.push_back(TableName{"public", t, false});
  return q;
}

}  // namespace

TEST_CASE("the same question reaches the planner once", "[advisor][cost_model]") {
  CountingCostModel inner;
  CachingCostModel cache(inner);
  auto q = query_on("q1", {"orders"});
  Configuration config = {index_on("orders", "customer_id")};
  double first = cache.cost(q, config);
  double second = cache.cost(q, config);
  CHECK(first == second);
  CHECK(inner.calls == 1);
  CHECK(cache.stats().requests == 2);
  CHECK(cache.stats().cache_hits == 1);
  CHECK(cache.stats().inner_requests() == 1);
}

TEST_CASE("indexes on other tables share one request", "[advisor][cost_model]") {
  CountingCostModel inner;
  CachingCostModel cache(inner);
  auto q = query_on("q1", {"orders"});
  auto on_orders = index_on("orders", "customer_id");
  cache.cost(q, Configuration{on_orders});
  cache.cost(q, Configuration{on_orders, index_on("customers", "email")});
  cache.cost(q, Configuration{index_on("items", "sku"), on_orders});
  CHECK(inner.calls == 1);
  CHECK(cache.stats().cache_hits == 2);
  // The inner model only ever sees the relevant indexes.
  REQUIRE(inner.last_configuration.size() == 1);
  CHECK(inner.last_configuration[0] == on_orders);
}

TEST_CASE("indexes on columns the query never names share one request", "[advisor][cost_model]") {
  CountingCostModel inner;
  CachingCostModel cache(inner);
  auto q = query_on("q1", {"orders"});
  q.columns = {{TableName{"public", "orders", false}, "customer_id"}, {TableName{"public", "orders", false}, "total"}};
  auto on_customer = index_on("orders", "customer_id");
  cache.cost(q, Configuration{on_customer});
  cache.cost(q, Configuration{on_customer, index_on("orders", "status")});  // status is never named
  CHECK(inner.calls == 1);
  REQUIRE(inner.last_configuration.size() == 1);

  // Named through INCLUDE, an expression or a partial-index predicate: relevant.
  auto covering = index_on("orders", "status");
  covering.include = {"total"};
  auto expression = index_on("orders", "status");
  expression.keys = {IndexKey{"", "lower(customer_id::text)", false, std::nullopt}};
  auto partial = index_on("orders", "status");
  partial.predicate = "total > 100";
  auto lookalike = index_on("orders", "status");
  lookalike.predicate = "total_paid > 100";  // a different column that starts alike
  for (const auto& index : {covering, expression, partial}) {
    int before = inner.calls;
    cache.cost(q, Configuration{on_customer, index});
    CHECK(inner.calls == before + 1);
  }
  int before = inner.calls;
  cache.cost(q, Configuration{on_customer, lookalike});
  CHECK(inner.calls == before);

  // Columns not known: every index on its tables counts.
  auto unknown = query_on("q2", {"orders"});
  cache.cost(unknown, Configuration{on_customer});
  cache.cost(unknown, Configuration{on_customer, index_on("orders", "status")});
  CHECK(inner.calls == before + 2);
}

TEST_CASE("order of indexes does not matter, content does", "[advisor][cost_model]") {
  CountingCostModel inner;
  CachingCostModel cache(inner);
  auto q = query_on("q1", {"orders", "customers"});
  auto a = index_on("orders", "customer_id");
  auto b = index_on("customers", "email");
  cache.cost(q, Configuration{a, b});
  cache.cost(q, Configuration{b, a});
  CHECK(inner.calls == 1);
  cache.cost(q, Configuration{a});                                           // a different configuration
  cache.cost(query_on("q2", {"orders", "customers"}), Configuration{a, b});  // a different query
  auto a_desc = a;
  a_desc.keys[0].descending = true;
  cache.cost(q, Configuration{a_desc, b});  // a different index
  CHECK(inner.calls == 4);
}
