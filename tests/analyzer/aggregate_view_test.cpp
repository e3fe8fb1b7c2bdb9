// Aggregate queries as materialized views: parsing, the view design (what moves into its grouping, what stays in
// its WHERE, what is refused and why) and the rewrite of each execution.
#include "analyzer/aggregate_view.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor::analyzer;

namespace {

ClassExecutions executions_of(std::initializer_list<std::string_view> statements) {
  ClassExecutions executions;
  for (auto statement : statements) executions.queries.push_back(parse_aggregate_query(statement));
  return executions;
}

}  // namespace

TEST_CASE("an aggregate query is parsed into FROM, filters, outputs, grouping and order", "[aggregate_view]") {
  const auto query = parse_aggregate_query(
      "SELECT date_trunc('day', o.created_at) AS day, count(*), sum(o.total) FROM public.orders o "
      "JOIN customers c ON c.id = o.customer_id WHERE c.country = 'de' AND o.created_at >= '2026-11-01' "
      "GROUP BY 1 ORDER BY day DESC LIMIT 10");
  CHECK(query.refusal.empty());
  CHECK(query.from == "public.orders AS o JOIN customers AS c ON c.id = o.customer_id");
  REQUIRE(query.filters.size() == 2);
  CHECK(query.filters[0].subject == "c.country");
  CHECK(query.filters[0].op == "=");
  CHECK(query.filters[0].values == "'de'");
  CHECK(query.filters[1].op == ">=");
  REQUIRE(query.outputs.size() == 3);
  CHECK(query.outputs[0].name == "day");
  CHECK(query.outputs[1].name == "count");
  CHECK(query.outputs[1].count);
  CHECK(query.outputs[2].expression == "sum(o.total)");
  CHECK(query.group_by == std::vector<std::string>{"date_trunc('day', o.created_at)"});
  CHECK(query.order_by == std::vector<std::string>{"1 DESC"});
  CHECK(query.limit == "10");
}

TEST_CASE("what a view cannot answer is refused with the reason", "[aggregate_view]") {
  CHECK(parse_aggregate_query("SELECT status, count(*) FROM orders WHERE created_at > now() - interval '1 day' "
                              "GROUP BY status")
            .refusal.find("now()") != std::string::npos);
  CHECK(parse_aggregate_query("SELECT count(*) FROM orders WHERE created_at > CURRENT_DATE")
            .refusal.find("value of the moment") != std::string::npos);
  CHECK(parse_aggregate_query("SELECT status, random() FROM orders GROUP BY status").refusal.find("random()") !=
        std::string::npos);
  CHECK(parse_aggregate_query("SELECT status, count(*) FROM orders GROUP BY status LIMIT 3")
            .refusal.find("LIMIT without ORDER BY") != std::string::npos);
  CHECK(parse_aggregate_query("SELECT status, rank() OVER (ORDER BY status) FROM orders").refusal.find("window") !=
        std::string::npos);
  CHECK(parse_aggregate_query("SELECT id, total FROM orders WHERE id = 1").refusal.find("no aggregate") !=
        std::string::npos);
  CHECK(parse_aggregate_query("SELECT status, count(*) FROM orders GROUP BY status HAVING sum(total) > 1").refusal ==
        "HAVING on sum(total), which the select list does not return");
  CHECK(parse_aggregate_query("SELECT status, count(*) FROM orders GROUP BY status HAVING status <> 'x'").refusal ==
        "HAVING on a column outside an aggregate");
  CHECK(parse_aggregate_query("SELECT count(*) FROM orders HAVING count(*) > 1").refusal == "HAVING without GROUP BY");
  CHECK(parse_aggregate_query("UPDATE orders SET total = 0").refusal == "not a single SELECT");
}

TEST_CASE("a daily report over a date range becomes a view by day, the range a filter on its buckets",
          "[aggregate_view]") {
  const auto executions = executions_of({
      "SELECT date_trunc('day', created_at) AS day, count(*), sum(total) FROM orders "
      "WHERE deleted_at IS NULL AND created_at >= '2026-11-01' AND created_at < '2026-11-04' GROUP BY 1 ORDER BY 1",
      "SELECT date_trunc('day', created_at) AS day, count(*), sum(total) FROM orders "
      "WHERE deleted_at IS NULL AND created_at >= '2026-10-01 00:00:00' AND created_at < '2026-10-08' "
      "GROUP BY 1 ORDER BY 1",
  });
  const auto design = design_view(executions);
  REQUIRE(design.refusal.empty());
  CHECK(design.select ==
        "SELECT date_trunc('day', created_at) AS day, count(*) AS count, sum(total) AS sum FROM orders "
        "WHERE deleted_at IS NULL GROUP BY date_trunc('day', created_at)");
  CHECK(design.unique_key == std::vector<std::string>{"day"});
  CHECK(design.filter_columns == std::vector<std::string>{"day"});
  CHECK(rewrite_for_view(executions.queries[1], design, "public.orders_daily") ==
        "SELECT v.day AS day, v.count AS count, v.sum AS sum FROM public.orders_daily AS v "
        "WHERE v.day >= '2026-10-01 00:00:00' AND v.day < '2026-10-08' ORDER BY 1");
}

TEST_CASE("bounds off the bucket boundary, or cut with > and <=, are refused", "[aggregate_view]") {
  auto off =
      executions_of({"SELECT date_trunc('day', created_at), count(*) FROM orders "
                     "WHERE created_at >= '2026-11-01 06:00' GROUP BY 1"});
  CHECK(design_view(off).refusal.find("not on a day boundary (2026-11-01 06:00)") != std::string::npos);
  auto cut =
      executions_of({"SELECT date_trunc('day', created_at), count(*) FROM orders "
                     "WHERE created_at <= '2026-11-01' GROUP BY 1"});
  CHECK(design_view(cut).refusal.find("write >= and <") != std::string::npos);
  auto zoned =
      executions_of({"SELECT date_trunc('day', created_at), count(*) FROM orders "
                     "WHERE created_at >= '2026-11-01 00:00+02' GROUP BY 1"});
  CHECK_FALSE(design_view(zoned).refusal.empty());
  auto weekly =
      executions_of({"SELECT date_trunc('week', created_at), count(*) FROM orders "
                     "WHERE created_at >= '2026-11-30' GROUP BY 1"});  // a Monday
  CHECK(design_view(weekly).refusal.empty());
  auto not_monday =
      executions_of({"SELECT date_trunc('week', created_at), count(*) FROM orders "
                     "WHERE created_at >= '2026-12-01' GROUP BY 1"});
  CHECK_FALSE(design_view(not_monday).refusal.empty());
}

TEST_CASE("a bucket range over logged parameters is checked against every parameter set", "[aggregate_view]") {
  ClassExecutions executions =
      executions_of({"SELECT date_trunc('month', created_at) AS m, count(*) FROM orders "
                     "WHERE created_at >= $1 AND created_at < $2 GROUP BY 1"});
  CHECK(design_view(executions).refusal.find("unknown") != std::string::npos);
  executions.parameter_sets = {{"2026-01-01", "2026-04-01"}, {"2026-02-01", "2026-03-01 00:00:00"}};
  const auto design = design_view(executions);
  REQUIRE(design.refusal.empty());
  CHECK(rewrite_for_view(executions.queries[0], design, "mv") ==
        "SELECT v.m AS m, v.count AS count FROM mv AS v WHERE v.m >= $1 AND v.m < $2");
  executions.parameter_sets.push_back({"2026-02-15", "2026-03-01"});
  CHECK(design_view(executions).refusal.find("month boundary (2026-02-15)") != std::string::npos);
}

TEST_CASE("a per-tenant total moves the tenant into the view's grouping and keeps its one row over no rows",
          "[aggregate_view]") {
  const auto executions =
      executions_of({"SELECT count(*), sum(total) FROM orders WHERE customer_id = 42 AND status = 'done'",
                     "SELECT count(*), sum(total) FROM orders WHERE customer_id = 7 AND status = 'done'"});
  const auto design = design_view(executions);
  REQUIRE(design.refusal.empty());
  CHECK(design.select ==
        "SELECT count(*) AS count, sum(total) AS sum, customer_id AS customer_id FROM orders "
        "WHERE status = 'done' GROUP BY customer_id");
  CHECK(design.unique_key == std::vector<std::string>{"customer_id"});
  CHECK(design.scalar);
  CHECK(rewrite_for_view(executions.queries[0], design, "mv") ==
        "SELECT coalesce(v.count, 0) AS count, v.sum AS sum FROM (SELECT) AS one LEFT JOIN mv AS v "
        "ON v.customer_id = 42");
  // An execution whose fixed filter has another value is not one the view answers.
  const auto other =
      parse_aggregate_query("SELECT count(*), sum(total) FROM orders WHERE customer_id = 42 AND status = 'pending'");
  CHECK(rewrite_for_view(other, design, "mv").empty());
}

TEST_CASE("a varying range on an ungrouped column is refused: continuous values", "[aggregate_view]") {
  const auto executions = executions_of({"SELECT status, count(*) FROM orders WHERE total > 10 GROUP BY status",
                                         "SELECT status, count(*) FROM orders WHERE total > 99 GROUP BY status"});
  CHECK(design_view(executions).refusal.find("continuous values") != std::string::npos);
  ClassExecutions parameters = executions_of({"SELECT status, count(*) FROM orders WHERE total > $1 GROUP BY status"});
  CHECK(design_view(parameters).refusal.find("continuous values") != std::string::npos);
  parameters.parameter_sets = {{"10"}, {"10"}};  // the same in every execution: the view keeps it
  CHECK(design_view(parameters).select ==
        "SELECT status AS status, count(*) AS count FROM orders WHERE total > '10' "
        "GROUP BY status");
}

TEST_CASE("a filter on a grouped column filters whole groups, with any operator", "[aggregate_view]") {
  const auto executions =
      executions_of({"SELECT status, count(*) FROM orders WHERE status IN ('a', 'b') GROUP BY "
                     "status ORDER BY count(*) DESC"});
  const auto design = design_view(executions);
  INFO(design.refusal);
  REQUIRE(design.refusal.empty());
  CHECK(design.select == "SELECT status AS status, count(*) AS count FROM orders GROUP BY status");
  CHECK(rewrite_for_view(executions.queries[0], design, "mv") ==
        "SELECT v.status AS status, v.count AS count FROM mv AS v WHERE v.status IN ('a', 'b') ORDER BY 2 DESC");
}

TEST_CASE("view column names stay unique and hostile names stay quoted", "[aggregate_view]") {
  const auto executions = executions_of(
      {R"(SELECT "Evil""; DROP", count(*), count(x) AS count FROM "we""ird" WHERE "Evil""; DROP" = 1 GROUP BY 1)"});
  const auto design = design_view(executions);
  REQUIRE(design.refusal.empty());
  CHECK(design.columns == std::vector<std::string>{"Evil\"; DROP", "count", "count_2"});
  CHECK(design.select == R"(SELECT "Evil""; DROP" AS "Evil""; DROP", count(*) AS count, count(x) AS count_2 )"
                         R"(FROM "we""ird" GROUP BY "Evil""; DROP")");
}

TEST_CASE("a literal of a $n text is the same in every execution: it stays in the view's WHERE", "[aggregate_view]") {
  ClassExecutions executions =
      executions_of({"SELECT status, count(*) FROM orders WHERE tenant = 'acme' AND "
                     "customer_id = $1 GROUP BY status"});
  executions.parameter_sets = {{"1"}, {"2"}};
  const auto design = design_view(executions);
  REQUIRE(design.refusal.empty());
  CHECK(design.select ==
        "SELECT status AS status, count(*) AS count, customer_id AS customer_id FROM orders "
        "WHERE tenant = 'acme' GROUP BY status, customer_id");
}

TEST_CASE("HAVING on aggregates of the select list becomes a condition on the view's rows", "[aggregate_view]") {
  const auto executions = executions_of(
      {"SELECT customer_id, count(*) AS n, sum(total) FROM orders WHERE customer_id = 42 GROUP BY customer_id "
       "HAVING count(*) > 2 AND sum(total) >= 100.5 ORDER BY 1",
       "SELECT customer_id, count(*) AS n, sum(total) FROM orders WHERE customer_id = 7 GROUP BY customer_id "
       "HAVING count(*) > 5 AND sum(total) >= 0 ORDER BY 1"});
  const auto design = design_view(executions);
  REQUIRE(design.refusal.empty());
  CHECK(design.select ==
        "SELECT customer_id AS customer_id, count(*) AS n, sum(total) AS sum FROM orders "
        "GROUP BY customer_id");
  // Each execution keeps its own HAVING: one view serves thresholds that differ between executions.
  CHECK(rewrite_for_view(executions.queries[0], design, "mv") ==
        "SELECT v.customer_id AS customer_id, v.n AS n, v.sum AS sum FROM mv AS v WHERE v.customer_id = 42 AND "
        "((v.n > 2) AND (v.sum >= 100.5)) ORDER BY 1");
  CHECK(rewrite_for_view(executions.queries[1], design, "mv").find("((v.n > 5) AND (v.sum >= 0))") !=
        std::string::npos);
}

TEST_CASE("a coarser class rolls up from a finer view: counts and sums add up, an average from sums and counts",
          "[aggregate_view]") {
  const auto daily = executions_of(
      {"SELECT date_trunc('day', created_at) AS day, status, count(*), sum(total), count(total), max(total) "
       "FROM orders WHERE created_at >= '2026-01-01' AND created_at < '2026-02-01' GROUP BY 1, 2 ORDER BY 1, 2",
       "SELECT date_trunc('day', created_at) AS day, status, count(*), sum(total), count(total), max(total) "
       "FROM orders WHERE created_at >= '2026-03-01' AND created_at < '2026-03-08' GROUP BY 1, 2 ORDER BY 1, 2"});
  const auto view = design_view(daily);
  REQUIRE(view.refusal.empty());
  const auto monthly = executions_of(
      {"SELECT date_trunc('month', created_at) AS month, count(*) AS n, avg(total), max(total) FROM orders "
       "WHERE created_at >= '2026-01-01' AND created_at < '2026-04-01' GROUP BY 1 ORDER BY 1 DESC",
       "SELECT date_trunc('month', created_at) AS month, count(*) AS n, avg(total), max(total) FROM orders "
       "WHERE created_at >= '2026-05-01' AND created_at < '2026-06-01' GROUP BY 1 ORDER BY 1 DESC"});
  const auto own = design_view(monthly);
  REQUIRE(own.refusal.empty());
  std::string why;
  CHECK(rewrite_rolled_up(monthly.queries[0], own, view, "mv", &why) ==
        "SELECT date_trunc('month', v.day) AS month, sum(v.count)::bigint AS n, sum(v.sum) / nullif(sum(v.count_2), "
        "0) AS avg, max(v.max) AS max FROM mv AS v WHERE v.day >= '2026-01-01' AND v.day < '2026-04-01' "
        "GROUP BY date_trunc('month', v.day) ORDER BY 1 DESC");
  INFO(why);

  // A finer view keeping only averages cannot give a coarser average (an average of averages is wrong).
  const auto averages = executions_of(
      {"SELECT date_trunc('day', created_at) AS day, avg(total) FROM orders WHERE created_at >= '2026-01-01' AND "
       "created_at < '2026-01-03' GROUP BY 1",
       "SELECT date_trunc('day', created_at) AS day, avg(total) FROM orders WHERE created_at >= '2026-02-01' AND "
       "created_at < '2026-02-03' GROUP BY 1"});
  const auto monthly_average = executions_of(
      {"SELECT date_trunc('month', created_at) AS month, avg(total) FROM orders WHERE created_at >= '2026-01-01' "
       "AND created_at < '2026-02-01' GROUP BY 1",
       "SELECT date_trunc('month', created_at) AS month, avg(total) FROM orders WHERE created_at >= '2026-03-01' "
       "AND created_at < '2026-04-01' GROUP BY 1"});
  CHECK(rewrite_rolled_up(monthly_average.queries[0], design_view(monthly_average), design_view(averages), "mv", &why)
            .empty());
  CHECK(why == "avg(total) rolls up only from sum(total) and count(total), which the view does not keep");

  // Weeks straddle months: a weekly view cannot answer a monthly report; a daily one answers a weekly one.
  const auto weekly = executions_of(
      {"SELECT date_trunc('week', created_at) AS week, count(*) FROM orders WHERE created_at >= '2026-01-05' AND "
       "created_at < '2026-01-19' GROUP BY 1",
       "SELECT date_trunc('week', created_at) AS week, count(*) FROM orders WHERE created_at >= '2026-02-02' AND "
       "created_at < '2026-02-09' GROUP BY 1"});
  const auto weekly_view = design_view(weekly);
  REQUIRE(weekly_view.refusal.empty());
  CHECK(rewrite_rolled_up(monthly.queries[0], own, weekly_view, "mv", &why).empty());
  CHECK_FALSE(rewrite_rolled_up(weekly.queries[0], weekly_view, view, "mv", &why).empty());
  // Another fixed filter: not the same rows underneath.
  const auto done_only =
      executions_of({"SELECT date_trunc('month', created_at) AS month, count(*) FROM orders WHERE status = 'done' AND "
                     "created_at >= '2026-01-01' AND created_at < '2026-02-01' GROUP BY 1",
                     "SELECT date_trunc('month', created_at) AS month, count(*) FROM orders WHERE status = 'done' AND "
                     "created_at >= '2026-03-01' AND created_at < '2026-04-01' GROUP BY 1"});
  CHECK(rewrite_rolled_up(done_only.queries[0], design_view(done_only), view, "mv", &why).empty());
  CHECK(why == "other fixed filters");
}
