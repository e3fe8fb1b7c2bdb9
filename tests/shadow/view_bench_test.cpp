// Materialized views proven on the shadow (sandbox): a daily report over date ranges and per-tenant totals (a tenant
// without rows included) pass the result check for every execution and are measured faster; wrong rewrites (bounds
// read in another time zone, buckets cut in another time zone, a lost empty group) are rejected with the execution
// and the first differing row; the shadow's catalog is the same afterwards. The views are designed and rewritten by
// the analyzer, as advise does.
#include <catch2/catch.hpp>

#include "advisor/view_advice.hpp"
#include "analyzer/aggregate_view.hpp"
#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "pg/quote.hpp"
#include "pg/sandbox.hpp"
#include "shadow/shadow_bench.hpp"
#include "shadow/shadow_copy.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::shadow;

namespace {

std::string sandbox_dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }
std::string source_dsn() { return pg::dsn_with_database(sandbox_dsn(), "view_src"); }
std::string shadow_dsn() { return pg::dsn_with_database(sandbox_dsn(), "view_dst"); }

// 60,000 orders over 90 days from 2026-09-01 UTC, 199 tenants (tenant 13 has none; tenant 99's totals are all NULL),
// a tenth cancelled; copied whole to the shadow.
void make_shadow() {
  static bool made = false;
  if (made) return;
  auto admin = pg::Connection::open(sandbox_dsn());
  admin.query("DROP DATABASE IF EXISTS view_src WITH (FORCE)");
  admin.query("CREATE DATABASE view_src");
  auto src = pg::Connection::open(source_dsn());
  src.query(
      "CREATE TABLE orders (id int PRIMARY KEY, tenant_id int NOT NULL, status text NOT NULL, "
      "created_at timestamptz NOT NULL, total numeric(12,2))");
  src.query(
      "INSERT INTO orders SELECT g, tenant, CASE g / 7 % 10 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'pending' ELSE 'done' "
      "END, "
      "timestamptz '2026-09-01 00:00+00' + (g * 173 % (90 * 24 * 60)) * interval '1 minute', "
      "CASE WHEN tenant = 99 OR g % 97 = 0 THEN NULL ELSE (g * 37 % 10000) / 100.0 END "
      "FROM (SELECT g, CASE WHEN 1 + g % 200 = 13 THEN 14 ELSE 1 + g % 200 END AS tenant "
      "FROM generate_series(1, 60000) AS g) AS s");
  src.query("ANALYZE");
  ShadowCopyOptions o;
  o.source_dsn = source_dsn();
  o.target_dsn = shadow_dsn();
  o.replace = true;
  o.sample_min_bytes = 0;
  create_shadow(o);
  made = true;
}

// The shadow in UTC: the day buckets and the date literals below are UTC days.
pg::Connection open_shadow() {
  auto shadow = pg::Connection::open(shadow_dsn());
  shadow.query("SET TimeZone = 'UTC'");
  return shadow;
}

int64_t count(pg::Connection& c, const std::string& sql) { return c.query(sql).get<int64_t>(0, 0); }

// A class as advise sees it: its text ($n with parameter sets, or normalized) and its samples.
struct ClassSpec {
  std::string fingerprint;
  std::string text;
  std::vector<std::string> samples;
  std::vector<analyzer::ParameterSet> parameter_sets;
};

analyzer::ClassExecutions executions_of(const ClassSpec& c) {
  analyzer::ClassExecutions executions;
  if (!c.parameter_sets.empty()) {
    executions.queries.push_back(analyzer::parse_aggregate_query(c.text));
    executions.parameter_sets = c.parameter_sets;
  } else {
    for (const auto& s : c.samples) executions.queries.push_back(analyzer::parse_aggregate_query(s));
  }
  return executions;
}

// The view advise_views would advise for `classes` (one design they share), named public.`name`.
advisor::ViewAdvice view_for(const std::string& name, const std::vector<ClassSpec>& classes) {
  advisor::ViewAdvice view;
  view.schema = "public";
  view.name = name;
  const std::string qualified = pg::quote_qualified(view.schema, view.name);
  std::optional<analyzer::ViewDesign> design;
  for (const auto& c : classes) {
    auto d = analyzer::design_view(executions_of(c));
    INFO(c.fingerprint << ": " << d.refusal);
    REQUIRE(d.refusal.empty());
    if (design) {
      REQUIRE(d.select == design->select);
    } else {
      design = d;
    }
  }
  view.select = design->select;
  view.columns = design->columns;
  view.unique_key = design->unique_key;
  view.filter_columns = design->filter_columns;
  view.base_tables = {"public.orders"};
  for (const auto& c : classes) {
    advisor::ViewClass served;
    served.fingerprint = c.fingerprint;
    served.text = c.text;
    served.parameter_sets = c.parameter_sets;
    served.rewritten = analyzer::rewrite_for_view(analyzer::parse_aggregate_query(c.text), *design, qualified);
    for (const auto& s : c.samples) {
      served.samples.push_back(s);
      served.rewritten_samples.push_back(
          analyzer::rewrite_for_view(analyzer::parse_aggregate_query(s), *design, qualified));
      REQUIRE_FALSE(served.rewritten_samples.back().empty());
    }
    view.classes.push_back(std::move(served));
  }
  return view;
}

const std::string kDaily =
    "SELECT date_trunc('day', created_at) AS day, count(*) AS orders, sum(total) AS revenue FROM orders "
    "WHERE status <> 'cancelled' AND created_at >= $1 AND created_at < $2 GROUP BY 1 ORDER BY 1";

// Daily counts and revenue over date ranges: one class with $n and logged values, one with literal samples ordered
// by the count (days with equal counts tie).
advisor::ViewAdvice daily_view(const std::string& name = "orders_day_mv") {
  ClassSpec ranges{"d000000000000001",
                   kDaily,
                   {},
                   {{"2026-10-01", "2026-10-08"}, {"2026-09-01", "2026-09-15"}, {"2026-11-20", "2026-12-10"}}};
  ClassSpec busiest{
      "d000000000000002",
      "SELECT date_trunc('day', created_at) AS day, count(*) AS orders, sum(total) AS revenue FROM orders "
      "WHERE status <> 'cancelled' AND created_at >= $1 AND created_at < $2 GROUP BY 1 ORDER BY 2 DESC",
      {"SELECT date_trunc('day', created_at) AS day, count(*) AS orders, sum(total) AS revenue FROM "
       "orders WHERE status <> 'cancelled' AND created_at >= '2026-10-01' AND created_at < '2026-11-01' "
       "GROUP BY 1 ORDER BY 2 DESC",
       "SELECT date_trunc('day', created_at) AS day, count(*) AS orders, sum(total) AS revenue FROM "
       "orders WHERE status <> 'cancelled' AND created_at >= '2026-09-07' AND created_at < '2026-09-21' "
       "GROUP BY 1 ORDER BY 2 DESC"},
      {}};
  return view_for(name, {ranges, busiest});
}

// Per-tenant totals: a scalar aggregate, rewritten with a LEFT JOIN so that a tenant without orders still gets its
// one row (0, NULL).
advisor::ViewAdvice tenant_view(const std::string& name = "orders_tenant_mv") {
  ClassSpec totals{"e000000000000001",
                   "SELECT count(*) AS orders, sum(total) AS revenue FROM orders WHERE tenant_id = $1 AND "
                   "status = 'done'",
                   {},
                   {{"7"}, {"13"}, {"99"}, {"150"}}};
  return view_for(name, {totals});
}

BenchOptions quick() {
  BenchOptions o;
  o.runs = 8;
  o.rounds = 2;
  o.warmup = 1;
  return o;
}

BenchResult prove(pg::Connection& shadow, const std::vector<advisor::ViewAdvice>& views) {
  BenchPlan plan;
  plan.views = bench_views(views, 5);
  return run_bench(shadow, plan, quick());
}

void check_proven(const ViewResult& v, size_t executions) {
  INFO(v.name << ": " << v.error << " / " << v.check.detail);
  CHECK(v.error.empty());
  CHECK(v.check.passed);
  CHECK(v.check.executions == executions);
  CHECK(v.proven());
  CHECK(v.build_ms > 0);
  CHECK(v.refresh_ms > 0);
  CHECK(v.size_bytes > 8192);
  CHECK(v.rows > 0);
  for (const auto& c : v.classes) {
    INFO(c.fingerprint << " " << c.error << " " << c.before.plan << " -> " << c.after.plan);
    CHECK(c.error.empty());
    CHECK_FALSE(c.result_changed);
    CHECK(c.verdict == Verdict::Faster);
    CHECK(c.speedup.ci_low > 1);
    CHECK(c.after.plan.find("_mv") != std::string::npos);
  }
}

}  // namespace

TEST_CASE("bench proves a daily report view over date ranges and leaves no trace", "[shadow][bench][view][live]") {
  make_shadow();
  auto shadow = open_shadow();
  const std::string catalog = catalog_fingerprint(shadow);
  auto result = prove(shadow, {daily_view()});
  REQUIRE(result.views.size() == 1);
  const auto& v = result.views[0];
  check_proven(v, 5);  // three parameter sets, two samples
  CHECK(v.name == "public.orders_day_mv");
  CHECK(v.rows == 90);
  REQUIRE(v.indexes.size() == 1);  // the filter (day) leads the unique key: one index serves both
  CHECK(v.indexes[0].name.find("orders_day_mv") != std::string::npos);
  REQUIRE(v.classes.size() == 2);
  CHECK(v.classes[0].before.plan.find("orders") != std::string::npos);
  CHECK_FALSE(result.any_view_unproven());
  CHECK(result.schema_unchanged());
  CHECK(catalog_fingerprint(shadow) == catalog);
  CHECK(count(shadow, "SELECT count(*) FROM pg_matviews") == 0);
}

TEST_CASE("bench proves per-tenant totals with a tenant without rows, and a view indexed for its filter",
          "[shadow][bench][view][live]") {
  make_shadow();
  auto shadow = open_shadow();
  const std::string catalog = catalog_fingerprint(shadow);
  REQUIRE(count(shadow, "SELECT count(*) FROM orders WHERE tenant_id = 13") == 0);
  // Status counts of a tenant: grouped by status, filtered by tenant, so the filter needs an index of its own.
  ClassSpec by_status{"e000000000000002",
                      "SELECT status, count(*) AS orders FROM orders WHERE tenant_id = $1 GROUP BY status ORDER BY "
                      "status",
                      {},
                      {{"13"}, {"42"}}};
  auto status_view = view_for("orders_status_mv", {by_status});
  REQUIRE(status_view.unique_key == std::vector<std::string>{"status", "tenant_id"});
  auto result = prove(shadow, {tenant_view(), status_view});
  REQUIRE(result.views.size() == 2);
  check_proven(result.views[0], 4);
  // status = 'done' is in every execution: it stays in the view's WHERE, which groups by tenant alone.
  CHECK(result.views[0].rows ==
        count(shadow, "SELECT count(DISTINCT tenant_id) FROM orders WHERE status = 'done'"));
  check_proven(result.views[1], 2);
  REQUIRE(result.views[1].indexes.size() == 2);
  CHECK(result.views[1].indexes[0].definition.find("UNIQUE") != std::string::npos);
  CHECK(result.views[1].indexes[1].definition.find("(tenant_id)") != std::string::npos);
  CHECK(result.schema_unchanged());
  CHECK(catalog_fingerprint(shadow) == catalog);
}

TEST_CASE("bench rejects wrong rewrites with the execution and the first differing row",
          "[shadow][bench][view][live]") {
  make_shadow();
  auto shadow = open_shadow();
  const std::string catalog = catalog_fingerprint(shadow);

  // The rewritten bounds read as New York time: each range starts and ends four hours late.
  auto late_bounds = daily_view("orders_day_ny_mv");
  auto& rewritten = late_bounds.classes[0].rewritten;
  const std::string bounds = "v.day >= $1 AND v.day < $2";
  REQUIRE(rewritten.find(bounds) != std::string::npos);
  rewritten.replace(rewritten.find(bounds), bounds.size(),
                    "v.day >= ($1::timestamp AT TIME ZONE 'America/New_York') AND "
                    "v.day < ($2::timestamp AT TIME ZONE 'America/New_York')");

  // The view's days cut in Tokyo.
  auto tokyo_days = daily_view("orders_day_tokyo_mv");
  const std::string bucket = "date_trunc('day', created_at)";
  for (size_t at = tokyo_days.select.find(bucket); at != std::string::npos; at = tokyo_days.select.find(bucket, at)) {
    tokyo_days.select.replace(at, bucket.size(), "date_trunc('day', created_at, 'Asia/Tokyo')");
    at += bucket.size();
  }

  // Per-tenant totals read without the LEFT JOIN: a tenant without orders loses its row.
  auto lost_group = tenant_view();
  auto& scalar = lost_group.classes[0].rewritten;
  const std::string left_join = "FROM (SELECT) AS one LEFT JOIN public.orders_tenant_mv AS v ON ";
  const std::string zero = "coalesce(v.orders, 0)";
  REQUIRE(scalar.find(left_join) != std::string::npos);
  REQUIRE(scalar.find(zero) != std::string::npos);
  scalar.replace(scalar.find(left_join), left_join.size(), "FROM public.orders_tenant_mv AS v WHERE ");
  scalar.replace(scalar.find(zero), zero.size(), "v.orders");

  auto result = prove(shadow, {late_bounds, tokyo_days, lost_group});
  REQUIRE(result.views.size() == 3);
  CHECK(result.any_view_unproven());
  for (const auto& v : result.views) {
    INFO(v.name << ": " << v.error);
    CHECK(v.error.empty());
    CHECK_FALSE(v.check.passed);
    CHECK_FALSE(v.proven());
    CHECK(v.classes.empty());  // a rejected view is not timed
    CHECK(v.refresh_ms == 0);
    CHECK(v.build_ms > 0);
  }

  const auto& ny = result.views[0].check;
  CHECK(ny.fingerprint == "d000000000000001");
  CHECK(ny.params == std::vector<pg::Param>{"2026-10-01", "2026-10-08"});
  CHECK(ny.detail == "row 1 differs");
  CHECK(ny.row == 1);
  REQUIRE(ny.original_row);
  REQUIRE(ny.rewritten_row);
  CHECK(ny.original_row->starts_with("('2026-10-01 00:00:00+00', "));
  CHECK(ny.rewritten_row->starts_with("('2026-10-02 00:00:00+00', "));

  const auto& tokyo = result.views[1].check;
  CHECK(tokyo.executions == 1);
  CHECK(tokyo.row == 1);
  REQUIRE(tokyo.rewritten_row);
  CHECK(tokyo.rewritten_row->starts_with("('2026-10-01 15:00:00+00', "));  // midnight in Tokyo

  const auto& lost = result.views[2].check;
  CHECK(lost.executions == 2);  // tenant 7 passed, tenant 13 did not
  CHECK(lost.params == std::vector<pg::Param>{"13"});
  CHECK(lost.detail ==
        "row 1 of the original is not in the rewritten result; the original returns 1 rows, the "
        "rewritten query 0");
  CHECK(lost.original_row == std::optional<std::string>("('0', NULL)"));
  CHECK_FALSE(lost.rewritten_row);

  CHECK(result.schema_unchanged());
  CHECK(catalog_fingerprint(shadow) == catalog);
  CHECK(count(shadow, "SELECT count(*) FROM pg_matviews") == 0);
}

TEST_CASE("bench drops a view whose index cannot be built and reports why", "[shadow][bench][view][live]") {
  make_shadow();
  auto shadow = open_shadow();
  const std::string catalog = catalog_fingerprint(shadow);
  // A unique key the view's rows are not unique on.
  auto wrong_key = tenant_view("orders_wrong_key_mv");
  wrong_key.unique_key = {"orders"};
  auto result = prove(shadow, {wrong_key, tenant_view()});
  REQUIRE(result.views.size() == 2);
  CHECK(result.views[0].error.find("23505") != std::string::npos);  // unique_violation
  CHECK_FALSE(result.views[0].proven());
  check_proven(result.views[1], 4);  // the next view is proven as usual
  CHECK(result.schema_unchanged());
  CHECK(catalog_fingerprint(shadow) == catalog);
  CHECK(count(shadow, "SELECT count(*) FROM pg_matviews") == 0);
}
