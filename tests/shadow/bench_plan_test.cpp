// What bench runs: from the advice JSON (indexes, the classes they help and the writes they slow down, parameter
// sets with NULLs, samples) or from a hand-written script (transaction statements dropped, CONCURRENTLY removed); the
// executions checked for each class a materialized view serves.
#include <catch2/catch.hpp>

#include "advisor/view_advice.hpp"
#include "shadow/shadow_bench.hpp"

using namespace pgadvisor;
using namespace pgadvisor::shadow;

namespace {

// The shape of `pgadvisor advise --format json`, with the workload's classes.
const char* kAdvice = R"json({
  "schema_version": 1,
  "indexes": [{"name": "accounts_email_idx", "table": "public.accounts",
               "definition": "CREATE INDEX accounts_email_idx ON public.accounts USING btree (email)",
               "queries": [{"fingerprint": "aaaa000000000001", "calls": 10}]}],
  "workload": {"cost_before": 100, "cost_after": 10, "classes": [
    {"fingerprint": "aaaa000000000001", "text": "SELECT id FROM accounts WHERE email = $1 AND note IS NOT DISTINCT FROM $2",
     "calls": 10, "kind": "select", "reads": ["public.accounts"], "writes": [],
     "samples": ["SELECT id FROM accounts WHERE email = 'a' AND note IS NOT DISTINCT FROM NULL"],
     "parameter_sets": [["u1@example.com", null], ["u2@example.com", "x"]], "plan_source": "log"},
    {"fingerprint": "bbbb000000000002", "text": "INSERT INTO accounts (id, email) VALUES ($1, $2)", "calls": 5,
     "kind": "insert", "reads": [], "writes": ["accounts"], "samples": [], "parameter_sets": [["1", "x"]]},
    {"fingerprint": "cccc000000000003", "text": "SELECT 1 FROM other WHERE x = 1", "calls": 5, "kind": "select",
     "reads": ["public.other"], "writes": [], "samples": ["SELECT 1 FROM other WHERE x = 1"], "parameter_sets": []}
  ]}
})json";

}  // namespace

TEST_CASE("bench plans from advice: helped classes and writes to indexed tables", "[shadow][bench_plan]") {
  auto plan = plan_from_advice(kAdvice, std::nullopt, 5);
  REQUIRE(plan.steps.size() == 1);
  CHECK(plan.indexes_only);
  CHECK(plan.steps[0].helps == std::vector<std::string>{"aaaa000000000001"});
  REQUIRE(plan.classes.size() == 2);  // the class on "other" is not affected
  const auto& read = plan.classes[0];
  CHECK(read.fingerprint == "aaaa000000000001");
  CHECK_FALSE(read.writes);
  REQUIRE(read.instances.size() == 3);  // two parameter sets, then the sample
  CHECK(read.instances[0].params.size() == 2);
  CHECK_FALSE(read.instances[0].params[1].has_value());  // JSON null is SQL NULL
  CHECK(read.instances[1].params[1] == std::optional<std::string>("x"));
  CHECK(read.instances[2].params.empty());
  const auto& write = plan.classes[1];
  CHECK(write.writes);
  CHECK(write.why == "writes to an indexed table");

  auto limited = plan_from_advice(kAdvice, std::nullopt, 1);
  CHECK(limited.classes[0].instances.size() == 1);
}

TEST_CASE("bench plans from advice without workload classes need --queries", "[shadow][bench_plan]") {
  std::string advice = R"json({"schema_version": 1, "indexes": [{"table": "public.accounts",
    "definition": "CREATE INDEX i ON public.accounts USING btree (email)", "queries": []}]})json";
  CHECK_THROWS_WITH(plan_from_advice(advice, std::nullopt, 5), Catch::Contains("--queries"));
  auto plan = plan_from_advice(advice,
                               std::string("SELECT 1 FROM accounts WHERE email = 'x'; "
                                           "INSERT INTO accounts (email) VALUES ('y'); SELECT $1;"),
                               5);
  REQUIRE(plan.classes.size() == 1);  // only the insert writes to the indexed table; the read is not helped
  CHECK(plan.classes[0].kind == "insert");
  CHECK_THROWS(plan_from_advice("not json", std::nullopt, 5));
}

TEST_CASE("bench plans from a hand-written script", "[shadow][bench_plan]") {
  auto plan =
      plan_from_script("BEGIN;\nCREATE INDEX CONCURRENTLY i1 ON t (a);\n-- why\nCREATE INDEX i2 ON t (b);\nCOMMIT;",
                       "SELECT * FROM t WHERE a = 1; SELECT * FROM t WHERE a = 2; SELECT * FROM t WHERE b = 3", 5);
  REQUIRE(plan.steps.size() == 2);
  CHECK(plan.indexes_only);
  CHECK(plan.steps[0].sql == "CREATE INDEX i1 ON t (a)");
  REQUIRE(plan.classes.size() == 2);  // a = 1 and a = 2 are one class
  CHECK(plan.classes[0].instances.size() == 2);

  auto script = plan_from_script("DELETE FROM t WHERE a = 1", "SELECT count(*) FROM t", 5);
  CHECK_FALSE(script.indexes_only);
  CHECK_THROWS(plan_from_script("BEGIN; COMMIT;", "SELECT 1", 5));
}

TEST_CASE("a view's executions: every sample with its rewrite and the text with every parameter set",
          "[shadow][bench_plan]") {
  advisor::ViewAdvice view;
  view.schema = "public";
  view.name = "orders_day_mv";
  view.select = "SELECT 1";
  view.unique_key = {"day"};
  advisor::ViewClass c;
  c.fingerprint = "f1";
  c.text = "SELECT x FROM t WHERE a = $1";
  c.rewritten = "SELECT x FROM v WHERE a = $1";
  c.samples = {"SELECT x FROM t WHERE a = 1", "SELECT x FROM t WHERE a = $1", "SELECT x FROM t WHERE a = 2;"};
  c.rewritten_samples = {"SELECT x FROM v WHERE a = 1", "SELECT x FROM v WHERE a = $1", "SELECT x FROM v WHERE a = 2"};
  c.parameter_sets = {{"3"}, {std::nullopt}};
  view.classes = {c};
  auto views = bench_views({view}, 3);
  REQUIRE(views.size() == 1);
  CHECK(views[0].unique_key == std::vector<std::string>{"day"});
  REQUIRE(views[0].classes.size() == 1);
  const auto& executions = views[0].classes[0].executions;
  REQUIRE(executions.size() == 4);  // the sample with $n has no values: left out
  CHECK(executions[0].rewritten == "SELECT x FROM v WHERE a = 1");
  CHECK(executions[1].original == "SELECT x FROM t WHERE a = 2");
  CHECK(executions[2].params == std::vector<pg::Param>{"3"});
  CHECK_FALSE(executions[3].params[0]);
  CHECK(views[0].classes[0].timed == 3);
}
