// Guarded queries from a store's workload and from an advice document: named by fingerprint, ranked by total time,
// run with their parameter sets when their text has $n, else with a literal sample; a class with nothing to run is
// skipped with the reason.
#include "gate/sources.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor;
using namespace pgadvisor::gate;

TEST_CASE("gate: the top classes of a workload as guarded queries", "[gate]") {
  analyzer::Workload w;
  w.classes.push_back(
      {"aaaa000000000001", "SELECT * FROM t WHERE id = $1", 10, 5, {}, {{"1"}, {"2"}, {"x", "y"}}, "logs"});
  w.classes.push_back(
      {"aaaa000000000002", "SELECT * FROM t WHERE a = $1", 5, 50, {"SELECT * FROM t WHERE a = 3;"}, {}, "logs"});
  w.classes.push_back({"aaaa000000000003", "SELECT * FROM u WHERE b = $1", 100, 20, {}, {}, "statements"});
  w.classes.push_back({"", "SELEC oops", 100, 1, {}, {}, "logs"});

  auto top2 = queries_from_workload(w, 2, 5, "store s.db");
  REQUIRE(top2.queries.size() == 2);
  CHECK(top2.queries[0].name == "class_aaaa000000000002");  // most total time first
  CHECK(top2.queries[0].sql == "SELECT * FROM t WHERE a = 3");
  CHECK(top2.queries[0].params.empty());
  CHECK(top2.queries[0].origin == "store s.db class aaaa000000000002");
  // 3 ranked above 1 but has nothing to run: skipped, and 1 is taken instead
  REQUIRE(top2.skipped.size() == 1);
  CHECK_THAT(top2.skipped[0], Catch::Contains("class_aaaa000000000003") && Catch::Contains("no sample"));
  CHECK(top2.queries[1].name == "class_aaaa000000000001");
  CHECK(top2.queries[1].sql == "SELECT * FROM t WHERE id = $1");
  REQUIRE(top2.queries[1].params.size() == 2);  // the set of two values does not fit $1
  CHECK(top2.queries[1].params[1][0] == "2");

  auto one = queries_from_workload(w, 3, 1, "store s.db");
  CHECK(one.queries.back().params.size() == 1);  // --max-params
  CHECK(one.skipped.size() == 2);                // fewer than 3 can run: every class is looked at

  auto all = queries_from_workload(w, 10, 5, "store s.db");
  CHECK(all.queries.size() == 2);
  CHECK(all.skipped.size() == 2);
}

TEST_CASE("gate: the classes of an advice document as guarded queries", "[gate]") {
  const std::string advice = R"json({"schema_version": 1, "indexes": [],
    "workload": {"classes": [
      {"fingerprint": "bbbb000000000001", "text": "SELECT * FROM orders WHERE customer_id = $1", "kind": "select",
       "samples": [], "parameter_sets": [["42"], [null]]},
      {"fingerprint": "bbbb000000000002", "text": "SELECT * FROM orders WHERE status = $1", "kind": "select",
       "samples": ["SELECT * FROM orders WHERE status = 'new'"], "parameter_sets": []},
      {"fingerprint": "bbbb000000000003", "text": "SELECT * FROM orders WHERE total > $1", "kind": "select",
       "samples": [], "parameter_sets": []}]}})json";
  auto got = queries_from_advice(advice, 5, "advice a.json");
  REQUIRE(got.queries.size() == 2);
  CHECK(got.queries[0].name == "class_bbbb000000000001");
  REQUIRE(got.queries[0].params.size() == 2);
  CHECK_FALSE(got.queries[0].params[1][0].has_value());  // NULL
  CHECK(got.queries[1].sql == "SELECT * FROM orders WHERE status = 'new'");
  REQUIRE(got.skipped.size() == 1);
  CHECK_THAT(got.skipped[0], Catch::StartsWith("class_bbbb000000000003"));
  CHECK_THROWS_AS(queries_from_advice("not json", 5, "advice a.json"), std::invalid_argument);
}
