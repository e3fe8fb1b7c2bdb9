// The bench JSON's views: each view's status, build, size, refresh, result check (the execution, its parameters
// and the first differing row that rejected it, NULL apart from 'NULL') and the speedup of the classes it serves.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/bench_report.hpp"

using namespace pgadvisor;

TEST_CASE("bench JSON carries each view's proof or rejection", "[reports][bench]") {
  shadow::BenchResult r;
  r.mode = "indexes";
  shadow::ViewResult proven;
  proven.name = "public.orders_day_mv";
  proven.select = "SELECT 1";
  proven.build_ms = 10;
  proven.indexes = {shadow::IndexBuild{
      "CREATE UNIQUE INDEX ON public.orders_day_mv (day)", "public.i", "public.orders_day_mv", 2, 8192, {}}};
  proven.index_build_ms = 2;
  proven.size_bytes = 16384;
  proven.rows = 90;
  proven.refresh_ms = 12.5;
  proven.check.passed = true;
  proven.check.executions = 5;
  shadow::ClassResult served;
  served.fingerprint = "d1";
  served.speedup = shadow::SpeedupEstimate{40, 30, 50};
  served.verdict = shadow::Verdict::Faster;
  proven.classes = {served};
  shadow::ViewResult rejected;
  rejected.name = "public.orders_tenant_mv";
  rejected.build_ms = 3;
  rejected.check.executions = 2;
  rejected.check.fingerprint = "e1";
  rejected.check.execution = 2;
  rejected.check.original = "SELECT count(*) FROM orders WHERE tenant_id = $1";
  rejected.check.rewritten = "SELECT v.count FROM mv AS v WHERE v.tenant_id = $1";
  rejected.check.params = {std::string("13"), std::nullopt, std::string("NULL")};
  rejected.check.detail = "row 1 of the original is not in the rewritten result";
  rejected.check.row = 1;
  rejected.check.original_row = "('0', NULL)";
  shadow::ViewResult failed;
  failed.name = "public.x_mv";
  failed.error = "duplicate key (SQLSTATE 23505)";
  r.views = {proven, rejected, failed};
  CHECK(r.any_view_unproven());

  const auto doc = nlohmann::json::parse(reports::render_bench_json(r));
  REQUIRE(doc["views"].size() == 3);
  const auto& p = doc["views"][0];
  CHECK(p["status"] == "proven");
  CHECK(p["build_ms"] == 10);
  CHECK(p["size_bytes"] == 16384);
  CHECK(p["rows"] == 90);
  CHECK(p["refresh_ms"] == 12.5);
  CHECK(p["indexes"][0]["definition"] == "CREATE UNIQUE INDEX ON public.orders_day_mv (day)");
  CHECK(p["result_check"]["passed"] == true);
  CHECK(p["result_check"]["executions"] == 5);
  CHECK(p["result_check"]["rejected"].is_null());
  CHECK(p["classes"][0]["speedup"] == 40);
  CHECK(p["classes"][0]["ci95"] == nlohmann::json::array({30, 50}));
  CHECK(p["classes"][0]["verdict"] == "faster");

  const auto& x = doc["views"][1];
  CHECK(x["status"] == "rejected");
  CHECK(x["refresh_ms"].is_null());
  const auto& why = x["result_check"]["rejected"];
  CHECK(why["fingerprint"] == "e1");
  CHECK(why["execution"] == 2);
  CHECK(why["parameters"] == nlohmann::json::array({"13", nullptr, "NULL"}));
  CHECK(why["row"] == 1);
  CHECK(why["original_row"] == "('0', NULL)");
  CHECK(why["rewritten_row"].is_null());
  CHECK(why["rewritten"] == "SELECT v.count FROM mv AS v WHERE v.tenant_id = $1");

  CHECK(doc["views"][2]["status"] == "error");
  CHECK(doc["views"][2]["error"] == "duplicate key (SQLSTATE 23505)");
  CHECK(doc["summary"]["views"] == nlohmann::json{{"proven", 1}, {"rejected", 1}, {"error", 1}});
}
