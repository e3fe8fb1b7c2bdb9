// The plan's shape from EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) output written here by hand as PostgreSQL 15 prints
// it: runs of one plan share a shape, a dropped index or a function in a WHERE clause changes it, the diff shows it.
#include "gate/plan_shape.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor::gate;
using nlohmann::json;

namespace {

//! `SELECT * FROM orders WHERE customer_id = <customer>` through an index, as EXPLAIN ANALYZE prints it.
json index_scan_output(int customer, double ms, int hits) {
  auto output = json::parse(R"j([
  {
    "Plan": {
      "Node Type": "Index Scan",
      "Parallel Aware": false,
      "Async Capable": false,
      "Scan Direction": "Forward",
      "Index Name": "orders_customer_idx",
      "Relation Name": "orders",
      "Alias": "o",
      "Startup Cost": 0.29,
      "Total Cost": 8.31,
      "Plan Rows": 1,
      "Plan Width": 44,
      "Actual Startup Time": 0.011,
      "Actual Total Time": 0.013,
      "Actual Rows": 3,
      "Actual Loops": 1,
      "Index Cond": "(customer_id = 42)",
      "Rows Removed by Index Recheck": 0,
      "Shared Hit Blocks": 3,
      "Shared Read Blocks": 0,
      "Shared Dirtied Blocks": 0,
      "Shared Written Blocks": 0,
      "Local Hit Blocks": 0,
      "Local Read Blocks": 0,
      "Local Dirtied Blocks": 0,
      "Local Written Blocks": 0,
      "Temp Read Blocks": 0,
      "Temp Written Blocks": 0
    },
    "Planning": {
      "Shared Hit Blocks": 12,
      "Shared Read Blocks": 0,
      "Shared Dirtied Blocks": 0,
      "Shared Written Blocks": 0
    },
    "Planning Time": 0.092,
    "Triggers": [
    ],
    "Execution Time": 0.031
  }
])j");
  output[0]["Plan"]["Actual Total Time"] = ms;
  output[0]["Plan"]["Index Cond"] = "(customer_id = " + std::to_string(customer) + ")";
  output[0]["Plan"]["Shared Hit Blocks"] = hits;
  output[0]["Execution Time"] = ms + 0.018;
  return output;
}

//! The same query once the index is dropped: a parallel sequential scan under a Gather.
json seq_scan_plan() {
  return json::parse(R"j({
  "Node Type": "Gather",
  "Parallel Aware": false,
  "Async Capable": false,
  "Startup Cost": 1000.00,
  "Total Cost": 11614.43,
  "Plan Rows": 3,
  "Plan Width": 44,
  "Actual Startup Time": 0.402,
  "Actual Total Time": 21.377,
  "Actual Rows": 3,
  "Actual Loops": 1,
  "Workers Planned": 2,
  "Workers Launched": 2,
  "Single Copy": false,
  "Shared Hit Blocks": 5406,
  "Shared Read Blocks": 0,
  "Plans": [
    {
      "Node Type": "Seq Scan",
      "Parent Relationship": "Outer",
      "Parallel Aware": true,
      "Async Capable": false,
      "Relation Name": "orders",
      "Alias": "o",
      "Startup Cost": 0.00,
      "Total Cost": 10614.13,
      "Plan Rows": 1,
      "Plan Width": 44,
      "Actual Startup Time": 12.714,
      "Actual Total Time": 18.835,
      "Actual Rows": 1,
      "Actual Loops": 3,
      "Filter": "(customer_id = 42)",
      "Rows Removed by Filter": 166666,
      "Shared Hit Blocks": 5406,
      "Shared Read Blocks": 0,
      "Workers": [
        {"Worker Number": 0, "Actual Startup Time": 18.1, "Actual Total Time": 18.1, "Actual Rows": 0,
         "Actual Loops": 1, "Shared Hit Blocks": 1708, "Shared Read Blocks": 0}
      ]
    }
  ]
})j");
}

//! A report query: sorted groups over a hash join, a filter on a status, an InitPlan for a threshold.
json report_plan(const std::string& status_filter, int limit_rows) {
  auto plan = json::parse(R"j({
  "Node Type": "Limit",
  "Parallel Aware": false,
  "Async Capable": false,
  "Startup Cost": 2510.95,
  "Total Cost": 2511.20,
  "Plan Rows": 10,
  "Plan Width": 40,
  "Actual Rows": 10,
  "Actual Loops": 1,
  "Plans": [
    {
      "Node Type": "Aggregate",
      "Strategy": "Plain",
      "Partial Mode": "Simple",
      "Parent Relationship": "InitPlan",
      "Subplan Name": "InitPlan 1 (returns $0)",
      "Parallel Aware": false,
      "Async Capable": false,
      "Startup Cost": 20.5,
      "Total Cost": 20.51,
      "Plan Rows": 1,
      "Plan Width": 32,
      "Plans": [
        {
          "Node Type": "Seq Scan",
          "Parent Relationship": "Outer",
          "Parallel Aware": false,
          "Async Capable": false,
          "Relation Name": "settings",
          "Alias": "settings",
          "Startup Cost": 0.0,
          "Total Cost": 18.5,
          "Plan Rows": 850,
          "Plan Width": 32
        }
      ]
    },
    {
      "Node Type": "Sort",
      "Parent Relationship": "Outer",
      "Parallel Aware": false,
      "Async Capable": false,
      "Startup Cost": 2490.44,
      "Total Cost": 2490.69,
      "Plan Rows": 100,
      "Plan Width": 40,
      "Sort Key": ["(sum(o.amount)) DESC"],
      "Sort Method": "top-N heapsort",
      "Sort Space Used": 27,
      "Sort Space Type": "Memory",
      "Plans": [
        {
          "Node Type": "Aggregate",
          "Strategy": "Hashed",
          "Partial Mode": "Simple",
          "Parent Relationship": "Outer",
          "Parallel Aware": false,
          "Async Capable": false,
          "Startup Cost": 2480.0,
          "Total Cost": 2482.0,
          "Plan Rows": 200,
          "Plan Width": 40,
          "Group Key": ["c.region"],
          "Planned Partitions": 0,
          "HashAgg Batches": 1,
          "Peak Memory Usage": 40,
          "Disk Usage": 0,
          "Plans": [
            {
              "Node Type": "Hash Join",
              "Parent Relationship": "Outer",
              "Parallel Aware": false,
              "Async Capable": false,
              "Join Type": "Left",
              "Startup Cost": 30.5,
              "Total Cost": 2300.0,
              "Plan Rows": 36000,
              "Plan Width": 16,
              "Inner Unique": true,
              "Hash Cond": "(o.customer_id = c.id)",
              "Plans": [
                {
                  "Node Type": "Seq Scan",
                  "Parent Relationship": "Outer",
                  "Parallel Aware": false,
                  "Async Capable": false,
                  "Relation Name": "orders",
                  "Alias": "o",
                  "Startup Cost": 0.0,
                  "Total Cost": 1900.0,
                  "Plan Rows": 36000,
                  "Plan Width": 16,
                  "Filter": "((status)::text = 'paid'::text)"
                },
                {
                  "Node Type": "Hash",
                  "Parent Relationship": "Inner",
                  "Parallel Aware": false,
                  "Async Capable": false,
                  "Startup Cost": 18.0,
                  "Total Cost": 18.0,
                  "Plan Rows": 1000,
                  "Plan Width": 12,
                  "Hash Buckets": 1024,
                  "Original Hash Buckets": 1024,
                  "Hash Batches": 1,
                  "Original Hash Batches": 1,
                  "Peak Memory Usage": 51,
                  "Plans": [
                    {
                      "Node Type": "Index Scan",
                      "Parent Relationship": "Outer",
                      "Parallel Aware": false,
                      "Async Capable": false,
                      "Scan Direction": "Backward",
                      "Index Name": "customers_pkey",
                      "Relation Name": "customers",
                      "Alias": "c",
                      "Startup Cost": 0.28,
                      "Total Cost": 18.0,
                      "Plan Rows": 1000,
                      "Plan Width": 12,
                      "Index Cond": "(id > $0)"
                    }
                  ]
                }
              ]
            }
          ]
        }
      ]
    }
  ]
})j");
  plan["Plan Rows"] = limit_rows;
  plan["Actual Rows"] = limit_rows;
  plan["/Plans/1/Plans/0/Plans/0/Plans/0/Filter"_json_pointer] = status_filter;
  return plan;
}

}  // namespace

TEST_CASE("gate: runs of one plan share a shape, whatever their costs, times, buffers and constants",
          "[gate][plan_shape]") {
  auto a = plan_shape(index_scan_output(42, 0.013, 3));
  auto b = plan_shape(index_scan_output(7, 2.5, 90)[0]);            // the element, not the array
  auto c = plan_shape(index_scan_output(1234, 0.2, 4)[0]["Plan"]);  // the "Plan" object itself
  CHECK(a.lines ==
        std::vector<std::string>{"Index Scan using orders_customer_idx on orders", "  Index Cond: (customer_id = ?)"});
  CHECK(a.fingerprint.size() == 16);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.fingerprint == c.fingerprint);
  REQUIRE(a.nodes.size() == 1);
  CHECK(a.nodes[0].type == "Index Scan");
  CHECK(a.nodes[0].relation == "orders");
  CHECK(a.nodes[0].index == "orders_customer_idx");
  CHECK(plan_diff(a, b).empty());

  auto r1 = plan_shape(report_plan("((status)::text = 'paid'::text)", 10));
  auto r2 = plan_shape(report_plan("((status)::text = 'refunded'::text)", 100));
  CHECK(r1.fingerprint == r2.fingerprint);
}

TEST_CASE("gate: the shape names nodes as EXPLAIN's text does, with their conditions and keys", "[gate][plan_shape]") {
  auto shape = plan_shape(report_plan("((status)::text = 'paid'::text)", 10));
  CHECK(shape.lines == std::vector<std::string>{
                           "Limit",
                           "  [InitPlan] Aggregate",
                           "    Seq Scan on settings",
                           "  Sort",
                           "    Sort Key: (sum(o.amount)) DESC",
                           "    HashAggregate",
                           "      Group Key: c.region",
                           "      Hash Left Join",
                           "        Hash Cond: (o.customer_id = c.id)",
                           "        Seq Scan on orders",
                           "          Filter: ((status)::text = ?::text)",
                           "        Hash",
                           "          Index Scan Backward using customers_pkey on customers",
                           "            Index Cond: (id > ?)",
                       });
  auto gather = plan_shape(seq_scan_plan());
  CHECK(gather.lines ==
        std::vector<std::string>{"Gather", "  Parallel Seq Scan on orders", "    Filter: (customer_id = ?)"});
  CHECK(has_node(gather, "Seq Scan"));
  CHECK(has_node(gather, "Seq Scan", "orders"));
  CHECK(has_node(gather, "Seq Scan", "public.orders"));
  CHECK_FALSE(has_node(gather, "Seq Scan", "customers"));
  CHECK_FALSE(has_node(gather, "Index Scan"));
}

TEST_CASE("gate: more node names: group aggregates, anti joins, updates, set operations", "[gate][plan_shape]") {
  auto shape = plan_shape(json::parse(R"j({
    "Node Type": "ModifyTable", "Operation": "Update", "Relation Name": "jobs", "Alias": "jobs",
    "Plans": [{
      "Node Type": "Nested Loop", "Join Type": "Anti", "Parent Relationship": "Outer",
      "Plans": [
        {"Node Type": "Aggregate", "Strategy": "Sorted", "Partial Mode": "Finalize", "Parent Relationship": "Outer",
         "Group Key": ["j.id"], "Plans": [{"Node Type": "Function Scan", "Function Name": "generate_series",
                                           "Parent Relationship": "Outer"}]},
        {"Node Type": "SetOp", "Strategy": "Hashed", "Command": "Except", "Parent Relationship": "Inner",
         "Plans": [{"Node Type": "Merge Join", "Join Type": "Semi", "Merge Cond": "(a.x = b.x)",
                    "Parent Relationship": "Outer"},
                   {"Node Type": "CTE Scan", "CTE Name": "recent", "Parent Relationship": "SubPlan",
                    "Filter": "(n > 3.5e-2)"}]}
      ]}]})j"));
  CHECK(shape.lines == std::vector<std::string>{
                           "Update on jobs",
                           "  Nested Loop Anti Join",
                           "    Finalize GroupAggregate",
                           "      Group Key: j.id",
                           "      Function Scan on generate_series",
                           "    HashSetOp Except",
                           "      Merge Semi Join",
                           "        Merge Cond: (a.x = b.x)",
                           "      [SubPlan] CTE Scan on recent",
                           "        Filter: (n > ?)",
                       });
  CHECK_THROWS_WITH(plan_shape(json::parse(R"({"Plan": {"Plans": []}})")), Catch::Contains("no plan"));
  CHECK_THROWS_WITH(plan_shape(json::parse(R"({"Node Type": "Sort", "Plans": [{}]})")),
                    Catch::Contains("no \"Node Type\""));
}

TEST_CASE("gate: constants become ?, names and quoted identifiers stay", "[gate][plan_shape]") {
  CHECK(normalize_condition("((t1.a = 42) AND (b > 3.5) AND (c = $2))") == "((t1.a = ?) AND (b > ?) AND (c = ?))");
  CHECK(normalize_condition("(x = ANY ('{1,2,3}'::integer[]))") == "(x = ANY (?::integer[]))");
  CHECK(normalize_condition("(\"Col 2\" = 'it''s'::text)") == "(\"Col 2\" = ?::text)");
  CHECK(normalize_condition("(lower((email)::text) = 'a@b.c'::text)") == "(lower((email)::text) = ?::text)");
  CHECK(normalize_condition("(cost > 1e-3)") == "(cost > ?)");
  CHECK(normalize_condition("($ = x)") == "($ = x)");
}

TEST_CASE("gate: the diff names the dropped index and the new scan", "[gate][plan_shape]") {
  auto before = plan_shape(index_scan_output(42, 0.013, 3));
  auto after = plan_shape(seq_scan_plan());
  CHECK(before.fingerprint != after.fingerprint);
  CHECK(plan_diff(before, after) == std::vector<std::string>{
                                        "- Index Scan using orders_customer_idx on orders",
                                        "-   Index Cond: (customer_id = ?)",
                                        "+ Gather",
                                        "+   Parallel Seq Scan on orders",
                                        "+     Filter: (customer_id = ?)",
                                    });
}

TEST_CASE("gate: a function added to a hot WHERE clause shows in the diff, with context lines", "[gate][plan_shape]") {
  auto before = plan_shape(report_plan("((status)::text = 'paid'::text)", 10));
  auto after = plan_shape(report_plan("(lower((status)::text) = 'paid'::text)", 10));
  CHECK(before.fingerprint != after.fingerprint);
  auto diff = plan_diff(before, after);
  REQUIRE(diff.size() == before.lines.size() + 1);
  CHECK(diff[9] == "          Seq Scan on orders");
  CHECK(diff[10] == "-           Filter: ((status)::text = ?::text)");
  CHECK(diff[11] == "+           Filter: (lower((status)::text) = ?::text)");
  CHECK(plan_diff(before, after, 1) == std::vector<std::string>{
                                           "  …",
                                           "          Seq Scan on orders",
                                           "-           Filter: ((status)::text = ?::text)",
                                           "+           Filter: (lower((status)::text) = ?::text)",
                                           "          Hash",
                                           "  …",
                                       });
}
