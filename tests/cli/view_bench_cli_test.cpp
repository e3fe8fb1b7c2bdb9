// Materialized views end to end through the command line, as a DBA runs them: `advise --format json` on a source
// with a daily report, `shadow create`, then `bench --advice` proving the view from that file (result check of
// every execution, speedup, refresh, nothing left behind); the same file with one rewrite made wrong by hand is
// rejected (exit 1) with the execution and the first differing row. A monthly report rolls up from the daily view;
// a join feeding an aggregate gets a view of its own.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using nlohmann::json;
using pgadvisor::test::run_pgadvisor;

namespace {

std::string sandbox_dsn() { return pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn(); }

// A shop with a year of orders, 200 a day, from 2,000 customers in 5 countries.
std::string make_source() {
  {
    auto admin = pgadvisor::pg::Connection::open(sandbox_dsn());
    admin.query("DROP DATABASE IF EXISTS cli_views_src WITH (FORCE)");
    admin.query("CREATE DATABASE cli_views_src");
  }
  std::string source = sandbox_dsn() + " dbname=cli_views_src";
  auto src = pgadvisor::pg::Connection::open(source);
  src.query("CREATE EXTENSION hypopg");
  src.query("CREATE TABLE customers (id int PRIMARY KEY, country text NOT NULL)");
  src.query(
      "INSERT INTO customers SELECT g, (ARRAY['de', 'fr', 'it', 'es', 'pl'])[1 + g % 5] "
      "FROM generate_series(1, 2000) AS g");
  src.query(
      "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, status text NOT "
      "NULL, "
      "total numeric(10, 2), created_at timestamptz NOT NULL)");
  src.query(
      "INSERT INTO orders SELECT g, 1 + (g * 7919) % 2000, (ARRAY['done', 'pending', 'cancelled'])[1 + g % 3], "
      "CASE WHEN g % 50 = 0 THEN NULL ELSE (g % 997) / 10.0 END, "
      "timestamptz '2026-01-01 00:00:00+00' + (g % 73000) * interval '432 seconds' "
      "FROM generate_series(1, 73000) AS g");
  src.query("ANALYZE customers, orders");
  return source;
}

std::string daily(const std::string& from, const std::string& to) {
  return "SELECT date_trunc('day', created_at) AS day, status, count(*), sum(total), count(total), max(total) "
         "FROM orders WHERE created_at >= '" +
         from + "' AND created_at < '" + to + "' GROUP BY 1, 2 ORDER BY 1, 2;\n";
}

// A join feeding an aggregate: revenue by country and day.
std::string by_country(const std::string& from, const std::string& to) {
  return "SELECT c.country, date_trunc('day', o.created_at) AS day, count(*), sum(o.total) FROM orders AS o "
         "JOIN customers AS c ON c.id = o.customer_id WHERE o.created_at >= '" +
         from + "' AND o.created_at < '" + to + "' GROUP BY 1, 2 ORDER BY 1, 2;\n";
}

// Rolled up from the daily view: its average from the sums and counts of totals (NULL totals left out of both).
std::string monthly(const std::string& from, const std::string& to) {
  return "SELECT date_trunc('month', created_at) AS month, count(*) AS orders, avg(total), max(total) FROM orders "
         "WHERE created_at >= '" +
         from + "' AND created_at < '" + to + "' GROUP BY 1 ORDER BY 1 DESC;\n";
}

}  // namespace

TEST_CASE("advise a view to JSON, then bench proves it from that file and rejects a wrong rewrite",
          "[cli][views][bench][live]") {
  const std::string source = make_source();
  const std::string shadow = sandbox_dsn() + " dbname=cli_views_shadow";
  pgadvisor::test::TempDir tmp;
  const auto queries = (tmp.path() / "report.sql").string();
  {
    std::ofstream out(queries);
    const char* ranges[][2] = {
        {"2026-02-01", "2026-03-01"}, {"2026-05-10", "2026-05-17"}, {"2026-07-01", "2026-07-02"}};
    for (int repeat = 0; repeat < 10; ++repeat) {
      for (const auto& r : ranges) out << daily(r[0], r[1]) << by_country(r[0], r[1]);
      out << monthly("2026-01-01", "2026-04-01") << monthly("2026-06-01", "2026-07-01");
    }
  }
  const auto advice_file = (tmp.path() / "advice.json").string();
  auto advised = run_pgadvisor({"advise", "--dsn", source, "--queries", queries, "--format", "json"});
  INFO(advised.err);
  REQUIRE(advised.exit_code == 0);
  std::ofstream(advice_file) << advised.out;
  json advice = json::parse(advised.out);
  INFO(advice["refused_views"].dump());
  REQUIRE(advice["views"].size() == 2);
  auto view_with = [](const json& views, const std::string& needle) -> const json& {
    for (const auto& v : views) {
      if (v["select"].get<std::string>().find(needle) != std::string::npos) return v;
    }
    FAIL("no view with " << needle);
    return views[0];
  };
  const json& view = view_with(advice["views"], "GROUP BY date_trunc('day', created_at), status");
  const json& join = view_with(advice["views"], "JOIN customers AS c ON c.id = o.customer_id");
  CHECK(join["unique_key"] == json::array({"country", "day"}));
  REQUIRE(join["classes"].size() == 1);
  CHECK(join["classes"][0]["rewritten_samples"].size() == 3);
  CHECK(view["unique_key"] == json::array({"day", "status"}));
  REQUIRE(view["classes"].size() == 2);
  CHECK(view["classes"][0]["rewritten_samples"].size() == 3);
  REQUIRE(view["classes"][1]["rewritten_samples"].size() == 2);
  CHECK_THAT(view["classes"][1]["rewritten_samples"][0].get<std::string>(),
             Catch::Contains("GROUP BY date_trunc('month', v.day)"));

  auto created = run_pgadvisor({"shadow", "create", "--from", source, "--target", shadow, "--replace"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  auto bench = run_pgadvisor({"bench", "--shadow", shadow, "--dsn", source, "--advice", advice_file, "--runs", "4",
                              "--rounds", "2", "--format", "json", "--no-store"});
  INFO(bench.err);
  REQUIRE(bench.exit_code == 0);
  json proof = json::parse(bench.out);
  REQUIRE(proof["views"].size() == 2);
  const json& proven = view_with(proof["views"], "GROUP BY date_trunc('day', created_at), status");
  CHECK(proven["status"] == "proven");
  CHECK(proven["result_check"]["passed"] == true);
  CHECK(proven["result_check"]["executions"] == 5);
  CHECK(proven["rows"].get<int64_t>() > 300);
  CHECK(proven["refresh_ms"].get<double>() > 0);
  REQUIRE(proven["classes"].size() == 2);
  CHECK(proven["classes"][0]["verdict"] == "faster");
  CHECK(proven["classes"][1]["verdict"] == "faster");
  const json& joined = view_with(proof["views"], "JOIN customers");
  CHECK(joined["status"] == "proven");
  CHECK(joined["result_check"]["executions"] == 3);
  REQUIRE(joined["classes"].size() == 1);
  CHECK(joined["classes"][0]["verdict"] == "faster");
  CHECK(proof["schema_unchanged"] == true);

  // One day boundary moved by an hour in the second rewrite: rows differ, the view is rejected.
  json& daily_view = advice["views"][&view == &advice["views"][0] ? 0 : 1];
  std::string& wrong = daily_view["classes"][0]["rewritten_samples"][1].get_ref<std::string&>();
  const auto at = wrong.find("'2026-05-10'");
  REQUIRE(at != std::string::npos);
  wrong.replace(at, 12, "'2026-05-10 01:00:00+00'");
  const auto tampered = (tmp.path() / "tampered.json").string();
  std::ofstream(tampered) << advice.dump();
  auto rejected = run_pgadvisor({"bench", "--shadow", shadow, "--advice", tampered, "--runs", "2", "--rounds", "1",
                                 "--format", "json", "--no-store"});
  CHECK(rejected.exit_code == 1);
  json refuted = json::parse(rejected.out);
  REQUIRE(refuted["views"].size() == 2);
  const json& broken = view_with(refuted["views"], "GROUP BY date_trunc('day', created_at), status");
  CHECK(broken["status"] != "proven");
  CHECK(broken["result_check"]["passed"] == false);
  CHECK(view_with(refuted["views"], "JOIN customers")["status"] == "proven");
  CHECK(refuted["schema_unchanged"] == true);
}
