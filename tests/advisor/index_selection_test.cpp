// Greedy selection with a fake cost model: picks the index that saves most per byte, widens a chosen index into
// a composite, respects budget and count, charges write overhead, reports unplannable queries, and asks the
// inner model few questions thanks to the cache.
#include "advisor/index_selection.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "advisor/cost_model.hpp"

using namespace pgadvisor::advisor;
using pgadvisor::analyzer::TableName;

namespace {

const TableName kOrders{"public", "orders", false};
const TableName kItems{"public", "items", false};

// A query's text lists its filter columns ("a b"); its cost is 1000 / (1 + the longest run of leading index keys
// that are all filter columns), so longer matching composites are better. "fail" cannot be planned.
class FakeCostModel : public CostModel {
 public:
  double cost(const WorkloadQuery& q, std::span<const IndexCandidate> config) override {
    ++calls;
    if (q.text == "fail") throw std::runtime_error("there is no parameter $1");
    std::set<std::string> filters;
    std::istringstream in(q.text);
    for (std::string w; in >> w;) filters.insert(w);
    size_t best = 0;
    for (const auto& index : config) {
      size_t run = 0;
      while (run < index.keys.size() && filters.count(index.keys[run].column) != 0) ++run;
      best = std::max(best, run);
    }
    return 1000.0 / static_cast<double>(1 + best);
  }
  int calls = 0;
};

IndexCandidate idx(const TableName& t, std::vector<std::string> columns) {
  IndexCandidate c;
  c.table = t;
  for (auto& col : columns) c.keys.push_back(IndexKey{col, "", false, std::nullopt});
  return c;
}

WorkloadQuery query(std::string filters, double weight, const TableName& t = kOrders) {
  return WorkloadQuery{filters, filters, weight, {t}};
}

SizeEstimate size_per_key(int64_t bytes) {
  return [bytes](const IndexCandidate& c) { return bytes * static_cast<int64_t>(c.keys.size()); };
}

}  // namespace

TEST_CASE("the index that saves most is chosen, and widened into a composite", "[advisor][selection]") {
  FakeCostModel inner;
  CachingCostModel cache(inner);
  std::vector<WorkloadQuery> queries = {query("a b", 10), query("a", 1)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"a"}), idx(kOrders, {"b"}), idx(kOrders, {"a", "b"})};
  auto result = select_indexes(queries, candidates, cache, size_per_key(100), {});
  REQUIRE(result.chosen.size() == 1);
  CHECK(result.chosen[0].index == idx(kOrders, {"a", "b"}));
  CHECK(result.cost_before == Approx(11 * 1000.0));
  CHECK(result.cost_after == Approx(10 * 1000.0 / 3 + 1000.0 / 2));
  CHECK(result.unplanned.empty());
  // The cache keeps the inner model's work to distinct (query, relevant configuration) pairs.
  CHECK(inner.calls < static_cast<int>(cache.stats().requests));
}

TEST_CASE("budget and maximum count are respected", "[advisor][selection]") {
  FakeCostModel inner;
  std::vector<WorkloadQuery> queries = {query("a", 5), query("x", 3, kItems)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"a"}), idx(kItems, {"x"})};
  SECTION("budget for one") {
    SelectionOptions o;
    o.budget_bytes = 150;
    auto result = select_indexes(queries, candidates, inner, size_per_key(100), {}, o);
    REQUIRE(result.chosen.size() == 1);
    CHECK(result.chosen[0].index.table == kOrders);  // the heavier query's index
  }
  SECTION("count of one") {
    SelectionOptions o;
    o.max_indexes = 1;
    auto result = select_indexes(queries, candidates, inner, size_per_key(100), {}, o);
    REQUIRE(result.chosen.size() == 1);
    CHECK(result.chosen[0].index.table == kOrders);
  }
  SECTION("room for both") {
    CHECK(select_indexes(queries, candidates, inner, size_per_key(100), {}).chosen.size() == 2);
  }
}

TEST_CASE("write overhead is charged against the gain", "[advisor][selection]") {
  FakeCostModel inner;
  std::vector<WorkloadQuery> queries = {query("a", 1)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"a"})};
  auto heavy_writes = [](const IndexCandidate&) { return 800.0; };  // saves 500, costs 800
  CHECK(select_indexes(queries, candidates, inner, size_per_key(100), heavy_writes).chosen.empty());
  auto light_writes = [](const IndexCandidate&) { return 100.0; };
  auto result = select_indexes(queries, candidates, inner, size_per_key(100), light_writes);
  REQUIRE(result.chosen.size() == 1);
  CHECK(result.chosen[0].write_overhead == 100.0);
  CHECK(result.cost_after == Approx(500.0 + 100.0));
}

TEST_CASE("small gains stop the search, unplannable queries are reported", "[advisor][selection]") {
  FakeCostModel inner;
  std::vector<WorkloadQuery> queries = {query("a", 1), query("b", 1000), query("fail", 5)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"a"}), idx(kOrders, {"b"})};
  SelectionOptions o;
  o.min_improvement_of_workload = 0.001;  // the index on a saves 500 of 1,001,000: below 0.1 %
  auto result = select_indexes(queries, candidates, inner, size_per_key(100), {}, o);
  REQUIRE(result.chosen.size() == 1);
  CHECK(result.chosen[0].index == idx(kOrders, {"b"}));
  REQUIRE(result.unplanned.size() == 1);
  CHECK(result.unplanned[0].fingerprint == "fail");
  CHECK(result.unplanned[0].reason == "there is no parameter $1");
}

namespace {

//! The fake's answers, with a record of every question that reached it.
class RecordingCostModel : public CostModel {
 public:
  double cost(const WorkloadQuery& q, std::span<const IndexCandidate> config) override {
    std::string key = q.fingerprint;
    for (const auto& c : config) key += " | " + c.identity();
    ++asked[key];
    return fake.cost(q, config);
  }
  FakeCostModel fake;
  std::map<std::string, int> asked;  //!< (query, configuration) -> times asked
};

}  // namespace

TEST_CASE("selection never asks the planner the same question twice", "[advisor][selection][cost_model]") {
  RecordingCostModel inner;
  CachingCostModel cache(inner);
  std::vector<WorkloadQuery> queries = {query("a b", 10), query("a", 3), query("x", 4, kItems), query("y", 1, kItems)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"a"}), idx(kOrders, {"b"}), idx(kOrders, {"a", "b"}),
                                            idx(kItems, {"x"}), idx(kItems, {"y"})};
  auto result = select_indexes(queries, candidates, cache, size_per_key(100), {});
  REQUIRE(result.chosen.size() == 3);  // (a, b) on orders, x and y on items

  std::string asked;
  for (const auto& [question, times] : inner.asked) asked += question + " x" + std::to_string(times) + "\n";
  INFO(asked);
  for (const auto& [question, times] : inner.asked) CHECK(times == 1);
  CHECK(cache.stats().inner_requests() == inner.asked.size());
  CHECK(cache.stats().requests > 3 * inner.asked.size());  // the greedy search asks the cache many times over
  // A query on items is only ever asked about configurations of items' indexes: {}, {x}, {y}, {x, y} at most.
  size_t items_questions = 0;
  for (const auto& [question, times] : inner.asked) {
    if (question.rfind("x", 0) == 0) {
      ++items_questions;
      CHECK(question.find("orders") == std::string::npos);
    }
  }
  CHECK(items_questions <= 4);
}

TEST_CASE("an index a later step made useless is dropped again", "[advisor][selection]") {
  FakeCostModel inner;
  // (b) saves most per byte and comes first; (a, b) then serves the query better, and (b) is no longer needed.
  // (a, b) is not a widening of (b), so only dropping (b) again keeps it out of the advice.
  std::vector<WorkloadQuery> queries = {query("a b", 10)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"b"}), idx(kOrders, {"a", "b"})};
  auto result = select_indexes(queries, candidates, inner, size_per_key(100), {});
  REQUIRE(result.chosen.size() == 1);
  CHECK(result.chosen[0].index == idx(kOrders, {"a", "b"}));
  CHECK(result.cost_after == Approx(10 * 1000.0 / 3));
}

TEST_CASE("a hot query left after the first index cut most of the cost still gets its own", "[advisor][selection]") {
  FakeCostModel inner;
  // (a) saves 500,000 of 1,015,000. (b) then saves 7,500: 0.7 % of the original cost, but half of its query's.
  std::vector<WorkloadQuery> queries = {query("a", 1000), query("b", 15)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"a"}), idx(kOrders, {"b"})};
  auto result = select_indexes(queries, candidates, inner, size_per_key(100), {});
  CHECK(result.chosen.size() == 2);
}

TEST_CASE("an index that makes its queries only a little cheaper is not worth its upkeep", "[advisor][selection]") {
  class Fake : public CostModel {
   public:
    double cost(const WorkloadQuery& q, std::span<const IndexCandidate> config) override {
      return config.empty() ? 1000 : (q.text == "a" ? 900 : 100);  // (a) saves 10 %, (b) 90 %
    }
  } inner;
  std::vector<WorkloadQuery> queries = {query("a", 10), query("b", 1, kItems)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"a"}), idx(kItems, {"b"})};
  auto result = select_indexes(queries, candidates, inner, size_per_key(100), {});
  REQUIRE(result.chosen.size() == 1);
  CHECK(result.chosen[0].index.table == kItems);
}

TEST_CASE("no arbitrary cap on the number of indexes by default", "[advisor][selection]") {
  FakeCostModel inner;
  std::vector<TableName> tables;
  for (int i = 0; i < 14; ++i) tables.push_back(TableName{"public", "t" + std::to_string(i), false});
  std::vector<WorkloadQuery> queries;
  std::vector<IndexCandidate> candidates;
  for (const auto& t : tables) {
    queries.push_back(query("a", 1, t));
    candidates.push_back(idx(t, {"a"}));
  }
  CHECK(select_indexes(queries, candidates, inner, size_per_key(100), {}).chosen.size() == 14);
}

TEST_CASE("the wider index wins when it saves far more, though not per byte", "[advisor][selection]") {
  // (a) keeps the query at 10; (c, a) at 1, but is 20 times larger: per byte (a) wins, by saving (c, a) does.
  class Fake : public CostModel {
   public:
    double cost(const WorkloadQuery&, std::span<const IndexCandidate> config) override {
      double best = 1000;
      for (const auto& c : config) best = std::min(best, c.keys.size() == 1 ? 10.0 : 1.0);
      return best;
    }
  } inner;
  std::vector<WorkloadQuery> queries = {query("a b", 100)};
  std::vector<IndexCandidate> candidates = {idx(kOrders, {"a"}), idx(kOrders, {"c", "a"})};
  auto sizes = [](const IndexCandidate& c) -> int64_t { return c.keys.size() == 1 ? 100 : 2000; };
  SelectionOptions room_for_one;  // the budget holds (c, a) or (a), not both
  room_for_one.budget_bytes = 2000;
  auto result = select_indexes(queries, candidates, inner, sizes, {}, room_for_one);
  REQUIRE(result.chosen.size() == 1);
  CHECK(result.chosen[0].index == idx(kOrders, {"c", "a"}));
  CHECK(result.cost_after == Approx(100.0));
}

TEST_CASE("cost requests grow linearly with the workload", "[advisor][selection][cost_model]") {
  // One query and two candidates per table: a candidate can only change its own table's query, so doubling the
  // tables about doubles the requests (the whole workload costed per evaluation made them grow quadratically).
  auto requests_for = [](int tables) {
    FakeCostModel inner;
    CachingCostModel cache(inner);
    std::vector<WorkloadQuery> queries;
    std::vector<IndexCandidate> candidates;
    for (int i = 0; i < tables; ++i) {
      TableName t{"public", "t" + std::to_string(i), false};
      queries.push_back(query("a b", 1 + i % 7, t));
      candidates.push_back(idx(t, {"a"}));
      candidates.push_back(idx(t, {"a", "b"}));
    }
    auto result = select_indexes(queries, candidates, cache, size_per_key(100), {});
    CHECK(result.chosen.size() == static_cast<size_t>(tables));
    return cache.stats().requests;
  };
  auto small = requests_for(100);
  auto large = requests_for(400);
  INFO(small << " requests for 100 tables, " << large << " for 400");
  CHECK(static_cast<double>(large) <= 4.5 * static_cast<double>(small));
}

TEST_CASE("Dexter's batching case: questions to the planner grow with the queries, not with their square",
          "[advisor][selection][cost_model]") {
  // Every pair of n columns filtered together (n (n - 1) / 2 queries), a candidate per column and per pair: each
  // query is served by an index on either column, and the composites that lead with its column but go on with
  // another cost it as the single-column index does (one question, CachingCostModel::reduced).
  struct Run {
    size_t queries = 0;
    uint64_t requests = 0;
    int planner_calls = 0;
    size_t served = 0;
  };
  auto run = [](int columns) {
    FakeCostModel inner;
    CachingCostModel cache(inner);
    std::vector<WorkloadQuery> queries;
    std::vector<IndexCandidate> candidates;
    auto column = [](int i) { return "c" + std::to_string(i); };
    for (int i = 0; i < columns; ++i) candidates.push_back(idx(kOrders, {column(i)}));
    for (int i = 0; i < columns; ++i) {
      for (int j = i + 1; j < columns; ++j) {
        auto q = query(column(i) + " " + column(j), 1);
        q.columns = {{kOrders, column(i)}, {kOrders, column(j)}};
        queries.push_back(std::move(q));
        candidates.push_back(idx(kOrders, {column(i), column(j)}));
      }
    }
    // As on a real table where one equality finds a row or two: the second column saves too little to be kept.
    SelectionOptions options;
    options.min_improvement = 0.5;
    options.integer_program = false;  // the greedy's questions are the ones that grew with the square
    auto result = select_indexes(queries, candidates, cache, size_per_key(100), {}, options);
    Run out{queries.size(), cache.stats().requests, inner.calls, 0};
    for (const auto& q : queries) {  // served: an index leads with one of its two columns
      auto space = q.text.find(' ');
      std::string first = q.text.substr(0, space);
      std::string second = q.text.substr(space + 1);
      bool served = std::any_of(result.chosen.begin(), result.chosen.end(), [&](const ChosenIndex& c) {
        const auto& lead = c.index.keys.front().column;
        return lead == first || lead == second;
      });
      if (served) ++out.served;
    }
    return out;
  };
  auto small = run(12);
  auto large = run(24);
  INFO(small.queries << " queries: " << small.requests << " requests, " << small.planner_calls << " planner calls; "
                     << large.queries << " queries: " << large.requests << " requests, " << large.planner_calls
                     << " planner calls");
  CHECK(small.served == small.queries);
  CHECK(large.served == large.queries);
  CHECK(static_cast<double>(large.planner_calls) <= 8.0 * static_cast<double>(large.queries));
  double query_ratio = static_cast<double>(large.queries) / static_cast<double>(small.queries);
  CHECK(static_cast<double>(large.planner_calls) <= 1.5 * query_ratio * static_cast<double>(small.planner_calls));
  CHECK(static_cast<double>(large.requests) <= 3.0 * query_ratio * static_cast<double>(small.requests));
}
