// Materialized-view advice without a server (fake_what_if_model.hpp): which aggregate classes get a view, the
// rewrites and estimates they carry, the classes that share one view, and every refusal with its reason.
#include <catch2/catch.hpp>

#include "advisor/advice.hpp"
#include "advisor/ddl_script.hpp"
#include "fake_what_if_model.hpp"

using namespace pgadvisor;
using namespace pgadvisor::advisor;
using test::FakeWhatIfModel;

namespace {

analyzer::Catalog shop() {
  analyzer::Catalog catalog;
  catalog.add_table(
      test::table("orders", 1'000'000,
                  {{"id", -1}, {"customer_id", 100'000}, {"status", 5}, {"created_at", -0.9}, {"total", -0.5}}));
  catalog.add_table(test::table("small", 500, {{"id", -1}, {"kind", 3}}));
  return catalog;
}

const std::string kDaily1 =
    "SELECT date_trunc('day', created_at) AS day, count(*) FROM orders "
    "WHERE created_at >= '2026-11-01' AND created_at < '2026-11-08' GROUP BY 1 ORDER BY 1";
const std::string kDaily2 =
    "SELECT date_trunc('day', created_at) AS day, count(*) FROM orders "
    "WHERE created_at >= '2026-10-01' AND created_at < '2026-10-31' GROUP BY 1 ORDER BY 1";
const std::string kDailyView = "SELECT date_trunc('day', created_at) AS day, count(*) AS count FROM orders";

std::string refusal_of(const Advice& advice, const std::string& fingerprint) {
  for (const auto& r : advice.refused_views) {
    if (r.fingerprint == fingerprint) return r.reason;
  }
  return "(not refused)";
}

}  // namespace

TEST_CASE("a heavy daily report gets a view by day with its rewrite and estimates", "[advisor][matviews]") {
  auto catalog = shop();
  auto workload = test::classes_of({{kDaily1, 50}, {kDaily2, 50}}, catalog);
  REQUIRE(workload.classes.size() == 1);
  const std::string fingerprint = workload.classes[0].query.fingerprint;
  FakeWhatIfModel fake;
  fake.base_cost(kDaily1, 20'000).estimates(kDailyView, {400, 16, 25'000}).estimates("2026-11-01", {7, 16, 20'000});
  const auto advice = advise(workload, catalog, fake);
  INFO(refusal_of(advice, fingerprint));
  REQUIRE(advice.views.size() == 1);
  const ViewAdvice& view = advice.views[0];
  CHECK(view.schema == "public");
  CHECK(view.name == "orders_day_mv");
  CHECK(view.select.starts_with(kDailyView));
  CHECK(view.unique_key == std::vector<std::string>{"day"});
  CHECK(view.filter_columns == std::vector<std::string>{"day"});
  CHECK(view.base_tables == std::vector<std::string>{"public.orders"});
  CHECK(view.estimated_rows == 400);
  CHECK(view.refresh_cost == 25'000);
  REQUIRE(view.classes.size() == 1);
  const ViewClass& served = view.classes[0];
  CHECK(served.calls == 100);
  CHECK(served.cost_before == 20'000);
  CHECK(served.cost_after == estimate_view_read(7, 16));
  CHECK(served.samples.size() == 2);
  REQUIRE(served.rewritten_samples.size() == 2);
  CHECK(served.rewritten_samples[1] ==
        "SELECT v.day AS day, v.count AS count FROM public.orders_day_mv AS v "
        "WHERE v.day >= '2026-10-01' AND v.day < '2026-10-31' ORDER BY 1");
  CHECK(view.saving == 100 * (served.cost_before - served.cost_after));
  CHECK(view.base_writes == 0);
  CHECK(view.net_saving == view.saving);  // no writes: built once, never refreshed
  CHECK(view.refresh_every_calls > 0);
}

TEST_CASE("classes that need the same view share it", "[advisor][matviews]") {
  auto catalog = shop();
  const std::string by_count =
      "SELECT status, count(*) FROM orders WHERE customer_id = 1 GROUP BY status "
      "ORDER BY count(*) DESC LIMIT 3";
  const std::string by_status =
      "SELECT status, count(*) FROM orders WHERE customer_id = 2 GROUP BY status "
      "ORDER BY status";
  auto workload = test::classes_of({{by_count, 100}, {by_status, 100}}, catalog);
  REQUIRE(workload.classes.size() == 2);
  FakeWhatIfModel fake;
  fake.base_cost(by_count, 5'000)
      .base_cost(by_status, 5'000)
      .estimates("GROUP BY status, customer_id", {50'000, 20, 30'000});
  const auto advice = advise(workload, catalog, fake);
  REQUIRE(advice.views.size() == 1);
  CHECK(advice.views[0].classes.size() == 2);
  CHECK(advice.views[0].unique_key == std::vector<std::string>{"status", "customer_id"});
  CHECK(advice.views[0].filter_columns == std::vector<std::string>{"customer_id"});
  CHECK(advice.views[0].name == "orders_status_customer_id_mv");
}

TEST_CASE("views are refused where they would not pay, each with its reason", "[advisor][matviews]") {
  auto catalog = shop();
  const std::string now_filter = "SELECT status, count(*) FROM orders WHERE created_at > now() GROUP BY status";
  const std::string on_small = "SELECT kind, count(*) FROM small GROUP BY kind";
  const std::string per_order = "SELECT id, sum(total) FROM orders GROUP BY id";
  const std::string cheap = "SELECT status, count(*) FROM orders WHERE customer_id = 5 GROUP BY status";
  auto workload = test::classes_of({{now_filter, 10}, {on_small, 10}, {per_order, 10}, {cheap, 10}}, catalog);
  FakeWhatIfModel fake;
  fake.default_base_cost = 10;  // cheap with the indexes: a view would not save enough
  fake.base_cost(per_order, 50'000)
      .estimates("sum(total) AS sum FROM orders GROUP BY id", {1'000'000, 16, 60'000})
      .estimates("GROUP BY status, customer_id", {500, 16, 9'000});
  const auto advice = advise(workload, catalog, fake);
  CHECK(advice.views.empty());
  auto fingerprint = [&](const std::string& statement) {
    for (const auto& c : workload.classes) {
      if (c.samples.front() == statement) return c.query.fingerprint;
    }
    return std::string{};
  };
  CHECK(refusal_of(advice, fingerprint(now_filter)).find("now()") != std::string::npos);
  CHECK(refusal_of(advice, fingerprint(on_small)).find("too few") != std::string::npos);
  CHECK(refusal_of(advice, fingerprint(per_order)).find("100% of public.orders") != std::string::npos);
  CHECK(refusal_of(advice, fingerprint(cheap)).find("too little saving") != std::string::npos);
}

TEST_CASE("a view over tables that change too much between refreshes is refused", "[advisor][matviews]") {
  auto catalog = shop();
  const std::string report = "SELECT status, count(*) FROM orders WHERE customer_id = 5 GROUP BY status";
  const std::string write = "UPDATE orders SET status = 'x' WHERE id = 1";
  auto workload = test::classes_of({{report, 10}, {write, 200'000}}, catalog);
  FakeWhatIfModel fake;
  fake.base_cost(report, 50'000).estimates("GROUP BY status, customer_id", {500, 16, 90'000});
  auto advice = advise(workload, catalog, fake);
  CHECK(advice.views.empty());
  REQUIRE(advice.refused_views.size() == 1);
  CHECK(advice.refused_views[0].reason.find("160000 writes between two refreshes") != std::string::npos);
  // Fewer writes: a refresh every 8 executions (4 x 90,000 / ~49,970 saved each) misses 16 of them.
  workload = test::classes_of({{report, 10}, {write, 20}}, catalog);
  advice = advise(workload, catalog, fake);
  REQUIRE(advice.views.size() == 1);
  CHECK(advice.views[0].refresh_every_calls == 8);
  CHECK(advice.views[0].stale_writes == 16);
  CHECK(advice.views[0].net_saving == advice.views[0].saving - 90'000 * 10.0 / 8);
}

TEST_CASE("advice without views when they are turned off", "[advisor][matviews]") {
  auto catalog = shop();
  auto workload = test::classes_of({{kDaily1, 50}}, catalog);
  FakeWhatIfModel fake;
  fake.base_cost(kDaily1, 20'000).estimates(kDailyView, {400, 16, 25'000});
  AdviceOptions options;
  options.views.enabled = false;
  const auto advice = advise(workload, catalog, fake, options);
  CHECK(advice.views.empty());
  CHECK(advice.refused_views.empty());
  CHECK(fake.estimates_asked == 0);
}

TEST_CASE("a monthly report rolls up from the daily report's view, or gets its own when that view is refused",
          "[advisor][matviews]") {
  auto catalog = shop();
  const std::string monthly1 =
      "SELECT date_trunc('month', created_at) AS month, count(*) FROM orders "
      "WHERE created_at >= '2026-01-01' AND created_at < '2026-04-01' GROUP BY 1 ORDER BY 1 DESC";
  const std::string monthly2 =
      "SELECT date_trunc('month', created_at) AS month, count(*) FROM orders "
      "WHERE created_at >= '2026-06-01' AND created_at < '2026-07-01' GROUP BY 1 ORDER BY 1 DESC";
  // (Sorted the other way: the same text with 'day' for 'month' would be the same class, its fingerprint blind to
  // constants.)
  auto workload = test::classes_of({{kDaily1, 50}, {kDaily2, 50}, {monthly1, 20}, {monthly2, 20}}, catalog);
  REQUIRE(workload.classes.size() == 2);
  FakeWhatIfModel fake;
  fake.base_cost(kDaily1, 20'000).base_cost(monthly1, 30'000).estimates(kDailyView, {400, 16, 25'000});
  auto advice = advise(workload, catalog, fake);
  REQUIRE(advice.views.size() == 1);
  const ViewAdvice& view = advice.views[0];
  CHECK(view.name == "orders_day_mv");
  REQUIRE(view.classes.size() == 2);
  const ViewClass& monthly = view.classes[1];
  CHECK(monthly.calls == 40);
  REQUIRE(monthly.rewritten_samples.size() == 2);
  CHECK(monthly.rewritten_samples[0] ==
        "SELECT date_trunc('month', v.day) AS month, sum(v.count)::bigint AS count FROM public.orders_day_mv AS v "
        "WHERE v.day >= '2026-01-01' AND v.day < '2026-04-01' GROUP BY date_trunc('month', v.day) ORDER BY 1 DESC");
  CHECK(view.saving == 100 * (20'000 - view.classes[0].cost_after) + 40 * (30'000 - monthly.cost_after));

  // The daily view would keep too many rows: the daily report is refused, the monthly one gets its own view.
  FakeWhatIfModel large;
  large.base_cost(kDaily1, 20'000)
      .base_cost(monthly1, 30'000)
      .estimates(kDailyView, {300'000, 16, 25'000})
      .estimates("date_trunc('month', created_at) AS month, count(*) AS count FROM orders", {12, 16, 25'000});
  advice = advise(workload, catalog, large);
  REQUIRE(advice.views.size() == 1);
  CHECK(advice.views[0].name == "orders_month_mv");
  REQUIRE(advice.views[0].classes.size() == 1);
  CHECK(advice.views[0].classes[0].calls == 40);
  REQUIRE(advice.refused_views.size() == 1);
  CHECK(advice.refused_views[0].reason.find("would keep about 300000 rows") != std::string::npos);
}

TEST_CASE("with the workload's window known, the proposal is an interval and the gain a rate per hour",
          "[advisor][matviews]") {
  auto catalog = shop();
  const std::string report = "SELECT status, count(*) FROM orders WHERE customer_id = 5 GROUP BY status";
  const std::string write = "UPDATE orders SET status = 'x' WHERE id = 1";
  auto workload = test::classes_of({{report, 10}, {write, 20}}, catalog);
  workload.window_seconds = 1800;  // half an hour of pg_stat_statements
  FakeWhatIfModel fake;
  fake.base_cost(report, 50'000).estimates("GROUP BY status, customer_id", {500, 16, 90'000});
  const auto advice = advise(workload, catalog, fake);
  REQUIRE(advice.views.size() == 1);
  const ViewAdvice& view = advice.views[0];
  CHECK(view.refresh_every_calls == 8);
  CHECK(view.refresh_every_seconds == Approx(8 * 1800.0 / 10));  // 10 reads in 30 minutes: one every 3 minutes
  CHECK(view.net_saving_per_hour == Approx(view.net_saving * 2));
  CHECK(refresh_interval_text(view.refresh_every_seconds) == "about every 24 min");
  CHECK(cron_schedule(view.refresh_every_seconds) == "*/20 * * * *");
}

TEST_CASE("pg_cron schedules near an interval, every minute to daily", "[advisor][matviews]") {
  CHECK(cron_schedule(0) == "*/15 * * * *");  // unknown: the script says to set it
  CHECK(cron_schedule(20) == "* * * * *");
  CHECK(cron_schedule(7 * 60) == "*/6 * * * *");
  CHECK(cron_schedule(45 * 60) == "*/30 * * * *");
  CHECK(cron_schedule(90 * 60) == "0 * * * *");
  CHECK(cron_schedule(5 * 3600) == "0 */4 * * *");
  CHECK(cron_schedule(3 * 86400) == "0 3 * * *");
  CHECK(refresh_interval_text(0).empty());
  CHECK(refresh_interval_text(30) == "about every 30 s");
  CHECK(refresh_interval_text(5400) == "about every 1.5 h");
  CHECK(refresh_interval_text(2 * 86400) == "about every 2.0 days");
}
