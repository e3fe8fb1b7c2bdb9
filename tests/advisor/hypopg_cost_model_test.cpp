// The what-if model against the sandbox: a useful hypothetical index lowers the cost and changes the plan, an
// irrelevant one does not, configurations are reached by difference, and all of it in a read-only session.
#include "advisor/hypopg_cost_model.hpp"

#include <catch2/catch.hpp>

#include "advisor/cost_model.hpp"
#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;

namespace {

void make_table() {
  auto admin = pg::Connection::open(pg::Sandbox(test::sandbox_dir()).dsn());
  admin.query("DROP TABLE IF EXISTS advisor_hypo_t");
  admin.query(
      "CREATE TABLE advisor_hypo_t AS SELECT g AS a, g % 10 AS b, md5(g::text) AS c "
      "FROM generate_series(1, 100000) AS g");
  admin.query("ANALYZE advisor_hypo_t");
}

IndexCandidate index_on(const std::string& column) {
  IndexCandidate c;
  c.table = analyzer::TableName{"public", "advisor_hypo_t", false};
  c.keys = {IndexKey{column, "", false, std::nullopt}};
  return c;
}

}  // namespace

TEST_CASE("hypothetical indexes change costs and plans in a read-only session", "[advisor][hypopg][live]") {
  make_table();
  auto session = pg::Connection::open(pg::Sandbox(test::sandbox_dir()).dsn(), pg::SessionOptions::source());
  HypoPGCostModel model(session);
  WorkloadQuery q{"q", "SELECT * FROM advisor_hypo_t WHERE a = 42", 1, {{"public", "advisor_hypo_t", false}}};

  auto bare = model.explain(q, {});
  CHECK(bare.summary == "Seq Scan on advisor_hypo_t");

  Configuration with_a = {index_on("a")};
  auto indexed = model.explain(q, with_a);
  CHECK(indexed.total_cost < bare.total_cost / 10);
  CHECK(indexed.summary == "Index Scan using advisor_hypo_t_a_idx on advisor_hypo_t");

  // An index on another column does not help; dropping back to nothing restores the first plan.
  CHECK(model.cost(q, Configuration{index_on("c")}) == Approx(bare.total_cost));
  CHECK(model.cost(q, {}) == Approx(bare.total_cost));

  auto size = model.estimated_size(index_on("a"));
  CHECK(size > 1'000'000);  // 100,000 int4 keys: a few MB
  CHECK(size < 20'000'000);

  // Nothing was written: the session is read-only throughout.
  CHECK(session.query("SHOW default_transaction_read_only").get<std::string>(0, 0) == "on");
}

TEST_CASE("the cache in front of HypoPG answers repeated questions itself", "[advisor][hypopg][live]") {
  make_table();
  auto session = pg::Connection::open(pg::Sandbox(test::sandbox_dir()).dsn(), pg::SessionOptions::source());
  HypoPGCostModel model(session);
  CachingCostModel cache(model);
  WorkloadQuery q{
      "q", "SELECT b FROM advisor_hypo_t WHERE a BETWEEN 10 AND 20", 1, {{"public", "advisor_hypo_t", false}}};
  IndexCandidate other_table = index_on("a");
  other_table.table.name = "somewhere_else";
  double first = cache.cost(q, Configuration{index_on("a")});
  double again = cache.cost(q, Configuration{index_on("a"), other_table});
  CHECK(first == again);
  CHECK(cache.stats().inner_requests() == 1);
  CHECK(cache.stats().cache_hits == 1);
}

TEST_CASE("a candidate HypoPG refuses costs as absent and is reported, not fatal", "[advisor][hypopg][live]") {
  make_table();
  auto session = pg::Connection::open(pg::Sandbox(test::sandbox_dir()).dsn(), pg::SessionOptions::source());
  HypoPGCostModel model(session);
  WorkloadQuery q{"q", "SELECT * FROM advisor_hypo_t WHERE a = 42", 1, {{"public", "advisor_hypo_t", false}}};
  IndexCandidate overlapping = index_on("a");
  overlapping.include = {"a"};  // "included columns must not intersect with key columns"
  double bare = model.cost(q, {});
  CHECK(model.cost(q, Configuration{overlapping}) == Approx(bare));
  CHECK(model.cost(q, Configuration{overlapping, index_on("a")}) < bare / 10);  // the rest still counts
  CHECK(model.estimated_size(overlapping) == HypoPGCostModel::kRefusedSize);
  REQUIRE(model.refused().size() == 1);
  CHECK_THAT(model.refused()[0].reason, Catch::Contains("intersect"));
}
