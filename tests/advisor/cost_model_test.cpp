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

TEST_CASE("indexes the query cannot use share one request", "[advisor][cost_model]") {
  CountingCostModel inner;
  CachingCostModel cache(inner);
  const TableName orders{"public", "orders", false};
  auto q = query_on("q1", {"orders"});
  q.columns = {{orders, "customer_id"}, {orders, "total"}, {orders, "note", false}};  // note: only read
  auto on_customer = index_on("orders", "customer_id");
  cache.cost(q, Configuration{on_customer});
  cache.cost(q, Configuration{on_customer, index_on("orders", "status")});  // status is never named
  CHECK(inner.calls == 1);
  REQUIRE(inner.last_configuration.size() == 1);

  // Relevant: a leading key the query searches (a column or an expression over one), a partial-index predicate
  // naming a searched column, an index holding every column the query names (an index-only scan).
  auto expression = index_on("orders", "status");
  expression.keys = {IndexKey{"", "lower(customer_id::text)", false, std::nullopt}};
  auto partial = index_on("orders", "status");
  partial.predicate = "total > 100";
  auto index_only = index_on("orders", "status");
  index_only.include = {"customer_id", "total", "note"};
  for (const auto& index : {index_on("orders", "total"), expression, partial, index_only}) {
    INFO(index.identity());
    CHECK(CachingCostModel::is_relevant(q, index));
    int before = inner.calls;
    cache.cost(q, Configuration{on_customer, index});
    CHECK(inner.calls == before + 1);
  }
  // Not relevant: a predicate on a column that only starts alike, a searched column only as a second key (a
  // full scan of the index, missed), a column only read without the index holding all the query needs.
  auto lookalike = index_on("orders", "status");
  lookalike.predicate = "total_paid > 100";
  auto second_key = index_on("orders", "status");
  second_key.keys.push_back(IndexKey{"customer_id", "", false, std::nullopt});
  auto read_only = index_on("orders", "note");
  for (const auto& index : {lookalike, second_key, read_only}) {
    INFO(index.identity());
    CHECK_FALSE(CachingCostModel::is_relevant(q, index));
    int before = inner.calls;
    cache.cost(q, Configuration{on_customer, index});
    CHECK(inner.calls == before);
  }

  // Columns not known: every index on its tables counts.
  int before = inner.calls;
  auto unknown = query_on("q2", {"orders"});
  cache.cost(unknown, Configuration{on_customer});
  cache.cost(unknown, Configuration{on_customer, index_on("orders", "status")});
  CHECK(inner.calls == before + 2);
}

TEST_CASE("an index is costed as far as the query can use it", "[advisor][cost_model]") {
  CountingCostModel inner;
  CachingCostModel cache(inner);
  const TableName t{"public", "t", false};
  auto q = query_on("q", {"t"});
  q.columns = {{t, "a"}, {t, "b"}, {t, "c", false}};  // searches a and b, reads c
  auto keys = [&](std::vector<std::string> columns, std::vector<std::string> include = {}) {
    IndexCandidate c;
    c.table = t;
    for (auto& k : columns) c.keys.push_back(IndexKey{k, "", false, std::nullopt});
    c.include = std::move(include);
    return c;
  };
  // Keys after the last searched one and INCLUDE columns only make it larger: cut.
  CHECK(CachingCostModel::reduced(q, keys({"a", "x", "b", "y"}, {"z"})) == keys({"a", "x", "b"}));
  CHECK(CachingCostModel::reduced(q, keys({"a", "y"})) == keys({"a"}));
  // Kept as it is: an index holding all the query names (index-only), a partial index.
  CHECK(CachingCostModel::reduced(q, keys({"a", "x"}, {"b", "c"})) == keys({"a", "x"}, {"b", "c"}));
  auto partial = keys({"a", "y"});
  partial.predicate = "b > 1";
  CHECK(CachingCostModel::reduced(q, partial) == partial);

  // Every composite that leads with the query's column is one question.
  cache.cost(q, Configuration{keys({"a", "x"})});
  cache.cost(q, Configuration{keys({"a", "y"})});
  cache.cost(q, Configuration{keys({"a"}, {"z"})});
  CHECK(inner.calls == 1);
  REQUIRE(inner.last_configuration.size() == 1);
  CHECK(inner.last_configuration[0] == keys({"a"}));
  // A plan names its indexes: asked with the index as it is.
  CHECK(CachingCostModel::relevant(q, Configuration{keys({"a", "x"})})[0] == keys({"a", "x"}));
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
