// The gate's decision per query on synthetic measurements: slowdowns beyond the noise, buffers, plan-only changes,
// results, budgets, errors, missing queries and the environment checks.
#include "gate/decision.hpp"

#include <catch2/catch.hpp>

#include "synthetic_runs.hpp"

using namespace pgadvisor::gate;

namespace {

//! A measurement of `n` runs around `median_ms` (±15 %), `buffers` per run and a one-node plan.
Measurement measured(const std::string& name, double median_ms, double buffers, uint64_t seed, int n = 20,
                     double sigma = 0.15) {
  gate_test::Rng rng(seed);
  Measurement m;
  m.name = name;
  m.sql_hash = "00000000000000aa";
  m.execution_ms = rng.lognormal_runs(n, median_ms, sigma);
  m.planning_ms = std::vector<double>(static_cast<size_t>(n), 0.1);
  m.buffers = std::vector<double>(static_cast<size_t>(n), buffers);
  m.shared_read = std::vector<double>(static_cast<size_t>(n), 0);
  m.plan.lines = {"Index Scan using orders_customer_idx on orders", "  Index Cond: (customer_id = ?)"};
  m.plan.fingerprint = "1111111111111111";
  m.plan.nodes = {PlanNode{"Index Scan", "orders", "orders_customer_idx"}};
  m.rows = 3;
  m.result_checksum = "00000000000000cc";
  return m;
}

DecisionOptions fast_options() {
  DecisionOptions o;
  o.bootstrap_resamples = 200;
  return o;
}

Budget budget(Budget::Kind kind, std::string statistic, double limit, std::string node = {},
              std::string relation = {}) {
  Budget b;
  b.kind = kind;
  b.statistic = std::move(statistic);
  b.limit = limit;
  b.node = std::move(node);
  b.relation = std::move(relation);
  return b;
}

}  // namespace

TEST_CASE("gate: the Mann-Whitney U p-value against known values", "[gate][decision]") {
  std::vector<double> low{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::vector<double> high{11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  // Complete separation of 10 and 10: U = 100, z = (100 − 50 − 0.5) / √175 = 3.742, p = 9.1e-5 (as scipy's
  // mannwhitneyu(high, low, alternative='greater', method='asymptotic') gives).
  CHECK(mann_whitney_greater_p(high, low) == Approx(9.13e-5).epsilon(0.01));
  CHECK(mann_whitney_greater_p(low, high) > 0.9999);
  CHECK(mann_whitney_greater_p(low, low) == Approx(0.5).margin(0.03));
  CHECK(mann_whitney_greater_p({1, 1, 1}, {1, 1, 1}) == 1);  // all tied: no evidence
  CHECK(mann_whitney_greater_p({}, low) == 1);
  // Ties get average ranks: x = {2, 2, 3}, y = {1, 2}: ranks 1 (y), 3, 3, 3 (three 2s), 5 → U = 11 − 6 = 5 of 6.
  // Var = 6/12 · (6 − (27 − 3)/20) = 2.4; z = (5 − 3 − 0.5)/√2.4 = 0.968; p = 0.1665.
  CHECK(mann_whitney_greater_p({2, 2, 3}, {1, 2}) == Approx(0.1665).epsilon(0.01));
}

TEST_CASE("gate: a 2x slowdown is a regression, with the test and the interval as evidence", "[gate][decision]") {
  auto base = measured("q", 5, 40, 1);
  auto now = measured("q", 10, 40, 2);
  auto d = decide(&base, now, {}, fast_options());
  CHECK(d.statuses == std::vector<Status>{Status::Regressed});
  CHECK(d.failed);
  CHECK(d.time.slower);
  CHECK(d.time.ratio == Approx(2).epsilon(0.15));
  CHECK(d.time.ci_low > 1.5);
  CHECK(d.time.ci_high < 2.6);
  CHECK(d.time.p_value < 1e-4);
  CHECK(d.time.test == "one-sided Mann-Whitney U, p < 0.01, median ≥ +20 % and ≥ 1 ms");
  REQUIRE(d.reasons.size() == 1);
  CHECK_THAT(d.reasons[0],
             Catch::StartsWith("regressed: execution median ") && Catch::EndsWith(": slower beyond the noise"));

  auto faster = decide(&now, base, {}, fast_options());
  CHECK(faster.statuses == std::vector<Status>{Status::Improved});
  CHECK_FALSE(faster.failed);
  CHECK(faster.time.faster);
}

TEST_CASE("gate: +25 % of a 0.3 ms query stays ok (below the 1 ms minimum effect)", "[gate][decision]") {
  auto base = measured("q", 0.3, 4, 3, 30, 0.03);
  auto now = measured("q", 0.375, 4, 4, 30, 0.03);
  auto d = decide(&base, now, {}, fast_options());
  CHECK(d.time.p_value < 1e-6);      // the test sees it…
  CHECK(d.time.ratio > 1.2);         // …and it is more than +20 %…
  CHECK_FALSE(d.time.beyond_noise);  // …but 0.075 ms is not worth failing a merge
  CHECK(d.statuses == std::vector<Status>{Status::Ok});
  CHECK_THAT(d.time.summary, Catch::Matches(".*: within the noise \\(0\\.07[0-9] ms < 1 ms\\)"));
}

TEST_CASE("gate: a significant but small slowdown stays ok, and so does a large but noisy one", "[gate][decision]") {
  auto base = measured("q", 20, 40, 5, 40, 0.02);
  auto now = measured("q", 22, 40, 6, 40, 0.02);
  auto small = decide(&base, now, {}, fast_options());
  CHECK(small.time.p_value < 1e-6);
  CHECK(small.statuses == std::vector<Status>{Status::Ok});
  CHECK_THAT(small.time.summary, Catch::EndsWith("within the noise (change < +20 %)"));

  Measurement noisy_base = measured("q", 20, 40, 7, 5, 0.01);
  Measurement noisy_now = measured("q", 30, 40, 8, 5, 0.01);
  noisy_now.execution_ms = {30, 30, 30, 30, 8};
  noisy_base.execution_ms = {20, 20, 20, 20, 40};
  auto few = decide(&noisy_base, noisy_now, {}, fast_options());
  CHECK(few.time.p_value > 0.01);
  CHECK(few.statuses == std::vector<Status>{Status::Ok});
  CHECK_THAT(few.time.summary, Catch::EndsWith("within the noise (p ≥ 0.01)"));
  REQUIRE(few.warnings.size() == 1);
  CHECK_THAT(few.warnings[0], Catch::StartsWith("only 5 runs: too few for the time test"));
}

TEST_CASE("gate: doubled buffers are a regression even with equal times", "[gate][decision]") {
  auto base = measured("q", 5, 100, 9);
  auto now = measured("q", 5, 200, 9);  // the same times
  auto d = decide(&base, now, {}, fast_options());
  CHECK(d.statuses == std::vector<Status>{Status::Regressed});
  CHECK(d.base_buffers == 100);
  CHECK(d.now_buffers == 200);
  CHECK(d.reasons == std::vector<std::string>{"regressed: buffers 100 → 200 per run (median, ×2.00)"});

  auto few_more = measured("q", 5, 106, 9);  // +6 %: under the ratio
  CHECK(decide(&base, few_more, {}, fast_options()).statuses == std::vector<Status>{Status::Ok});
  auto tiny = measured("q", 5, 3, 9);
  auto tiny_more = measured("q", 5, 9, 9);  // ×3, but 6 buffers: under the minimum delta
  CHECK(decide(&tiny, tiny_more, {}, fast_options()).statuses == std::vector<Status>{Status::Ok});
  auto fewer = measured("q", 5, 40, 9);
  auto improved = decide(&base, fewer, {}, fast_options());
  CHECK(improved.statuses == std::vector<Status>{Status::Improved});
  CHECK_FALSE(improved.failed);
}

TEST_CASE("gate: a plan-only change is a warning unless --fail-on plan", "[gate][decision]") {
  auto base = measured("q", 5, 40, 10);
  auto now = measured("q", 5, 40, 11);
  now.plan.lines = {"Bitmap Heap Scan on orders", "  Recheck Cond: (customer_id = ?)",
                    "  Bitmap Index Scan using orders_customer_idx", "    Index Cond: (customer_id = ?)"};
  now.plan.fingerprint = "2222222222222222";
  auto d = decide(&base, now, {}, fast_options());
  CHECK(d.statuses == std::vector<Status>{Status::PlanChanged});
  CHECK_FALSE(d.failed);
  CHECK(d.plan_diff.size() == 6);
  CHECK(d.reasons == std::vector<std::string>{
                         "plan changed: - Index Scan using orders_customer_idx on orders; - Index Cond: (customer_id "
                         "= ?); + Bitmap Heap Scan on orders; + Recheck Cond: (customer_id = ?); … (2 more changed "
                         "lines)"});
  auto strict = fast_options();
  strict.fail_on = parse_fail_on("regressed,plan");
  CHECK(decide(&base, now, {}, strict).failed);

  // With a slowdown too, both are reported, the regression first.
  auto slow = now;
  slow.buffers.assign(slow.buffers.size(), 4000);
  auto both = decide(&base, slow, {}, fast_options());
  CHECK(both.statuses == std::vector<Status>{Status::Regressed, Status::PlanChanged});
  CHECK(both.failed);
}

TEST_CASE("gate: other rows or another checksum are a result change", "[gate][decision]") {
  auto base = measured("q", 5, 40, 12);
  auto now = measured("q", 5, 40, 13);
  now.rows = 4;
  auto rows = decide(&base, now, {}, fast_options());
  CHECK(rows.statuses == std::vector<Status>{Status::ResultChanged});
  CHECK(rows.result_detail == "3 rows → 4 rows");
  CHECK(rows.failed);
  now.rows = 3;
  now.result_checksum = "00000000000000dd";
  auto values = decide(&base, now, {}, fast_options());
  CHECK(values.result_detail == "the same 3 rows with other values (checksum 00000000000000cc → 00000000000000dd)");
  // Another statement (edited, or other parameters): the result is not compared, and the warning says why.
  now.sql_hash = "00000000000000bb";
  auto edited = decide(&base, now, {}, fast_options());
  CHECK(edited.statuses == std::vector<Status>{Status::Ok});
  REQUIRE(edited.warnings.size() == 1);
  CHECK_THAT(edited.warnings[0], Catch::StartsWith("the statement or its parameters changed since the baseline"));
}

TEST_CASE("gate: budgets of each kind, with or without a baseline", "[gate][decision]") {
  auto now = measured("q", 50, 1200, 14);
  now.execution_ms = {10, 20, 30, 40, 50, 60, 61, 61.2, 61.2, 61.2};
  std::vector<Budget> budgets{budget(Budget::Kind::Time, "p95", 50),
                              budget(Budget::Kind::Time, "mean", 60),
                              budget(Budget::Kind::Time, "median", 55),
                              budget(Budget::Kind::Time, "max", 61.2),
                              budget(Budget::Kind::Time, "p99", 0.5),
                              budget(Budget::Kind::Buffers, "buffers", 1000),
                              budget(Budget::Kind::Buffers, "buffers", 5000),
                              budget(Budget::Kind::NoNode, "", 0, "Seq Scan"),
                              budget(Budget::Kind::NoNode, "", 0, "Index Scan", "public.orders"),
                              budget(Budget::Kind::NoNode, "", 0, "Index Scan", "customers")};
  CHECK(check_budgets(now, budgets) == std::vector<std::string>{
                                           "p95 61.2 ms ≥ budget 50 ms",
                                           "median 55.0 ms ≥ budget 55 ms",
                                           "max 61.2 ms ≥ budget 61.2 ms",
                                           "p99 61.2 ms ≥ budget 0.5 ms",
                                           "buffers 1200 ≥ budget 1000 (median per run)",
                                           "plan has Index Scan on public.orders (budget: no Index Scan on "
                                           "public.orders)",
                                       });
  auto d = decide(nullptr, now, budgets, fast_options());
  CHECK(d.statuses == std::vector<Status>{Status::OverBudget});
  CHECK(d.failed);
  CHECK_FALSE(d.has_baseline);
  CHECK(d.reasons.front() == "over budget: p95 61.2 ms ≥ budget 50 ms");
  CHECK(d.time.summary == "median 55.0 ms, p95 61.2 ms (no baseline)");
  CHECK_FALSE(decide(nullptr, now, {}, fast_options()).failed);
  auto lenient = fast_options();
  lenient.fail_on = parse_fail_on("regressed");
  CHECK_FALSE(decide(nullptr, now, budgets, lenient).failed);
}

TEST_CASE("gate: an error now is an error, an error in the baseline a warning", "[gate][decision]") {
  auto base = measured("q", 5, 40, 15);
  Measurement failed;
  failed.name = "q";
  failed.error = "42P01: relation \"orders\" does not exist";
  auto d = decide(&base, failed, {budget(Budget::Kind::Time, "p95", 1)}, fast_options());
  CHECK(d.statuses == std::vector<Status>{Status::Error});
  CHECK(d.error == failed.error);
  CHECK(d.failed);
  CHECK(d.budget_failures.empty());

  auto now = measured("q", 5, 40, 16);
  failed.error = "57014: canceling statement due to statement timeout";
  auto recovered = decide(&failed, now, {}, fast_options());
  CHECK(recovered.statuses == std::vector<Status>{Status::Ok});
  CHECK_FALSE(recovered.has_baseline);
  CHECK_THAT(recovered.warnings.at(0), Catch::StartsWith("the baseline recorded an error for this query"));
}

TEST_CASE("gate: statuses come most severe first", "[gate][decision]") {
  auto base = measured("q", 5, 40, 17);
  auto now = measured("q", 12, 400, 18);
  now.plan.lines = {"Seq Scan on orders", "  Filter: (customer_id = ?)"};
  now.plan.fingerprint = "3333333333333333";
  now.plan.nodes = {PlanNode{"Seq Scan", "orders", ""}};
  now.rows = 5;
  auto d = decide(&base, now, {budget(Budget::Kind::NoNode, "", 0, "Seq Scan", "orders")}, fast_options());
  CHECK(d.statuses ==
        std::vector<Status>{Status::Regressed, Status::ResultChanged, Status::OverBudget, Status::PlanChanged});
  CHECK(d.headline() == Status::Regressed);
  CHECK(d.reasons.size() == 5);  // buffers and time both regressed
  CHECK(d.plan_diff == std::vector<std::string>{"- Index Scan using orders_customer_idx on orders",
                                                "-   Index Cond: (customer_id = ?)", "+ Seq Scan on orders",
                                                "+   Filter: (customer_id = ?)"});
}

TEST_CASE("gate: queries missing from either side, and a query not measured", "[gate][decision]") {
  Baseline baseline;
  baseline.queries = {measured("kept", 5, 40, 19), measured("removed", 5, 40, 20)};
  GuardedQuery kept{.name = "kept", .sql = "SELECT 1", .params = {}, .budgets = {}, .origin = "q.sql:1"};
  GuardedQuery added{.name = "added", .sql = "SELECT 2", .params = {}, .budgets = {}, .origin = "q.sql:3"};
  GuardedQuery lost{.name = "lost", .sql = "SELECT 3", .params = {}, .budgets = {}, .origin = "q.sql:5"};
  std::vector<Measurement> now{measured("added", 5, 40, 21), measured("kept", 5, 40, 22)};
  auto decisions = decide_all(&baseline, {kept, added, lost}, now, fast_options());
  REQUIRE(decisions.size() == 4);
  CHECK(decisions[0].name == "kept");
  CHECK(decisions[0].statuses == std::vector<Status>{Status::Ok});
  CHECK(decisions[1].name == "added");
  CHECK(decisions[1].statuses == std::vector<Status>{Status::Ok});  // new: a warning by default
  CHECK_THAT(decisions[1].warnings.at(0), Catch::StartsWith("not in the baseline: only its budgets were checked"));
  CHECK(decisions[2].name == "lost");
  CHECK(decisions[2].statuses == std::vector<Status>{Status::Error});
  CHECK_THAT(decisions[2].error, Catch::StartsWith("not measured"));
  CHECK(decisions[3].name == "removed");
  CHECK(decisions[3].statuses == std::vector<Status>{Status::Missing});
  CHECK(decisions[3].failed);
  CHECK_THAT(decisions[3].reasons.at(0), Catch::Contains("re-record the baseline"));
  CHECK(gate_fails(decisions));

  auto strict = fast_options();
  strict.fail_on_new = true;
  auto with_new = decide_all(&baseline, {kept, added}, now, strict);
  CHECK(with_new[1].statuses == std::vector<Status>{Status::Missing});
  CHECK(with_new[1].failed);

  auto no_baseline = decide_all(nullptr, {kept, added}, now, fast_options());
  REQUIRE(no_baseline.size() == 2);
  CHECK(no_baseline[0].warnings.empty());
  CHECK_FALSE(gate_fails(no_baseline));
}

TEST_CASE("gate: another major server version is refused, other differences are warnings", "[gate][decision]") {
  Environment base{.server_version = "14.10",
                   .server_version_num = 140010,
                   .settings = {{"work_mem", "4MB"}, {"jit", "on"}},
                   .machine = "runner-a (2 cores)",
                   .database_bytes = 1'000'000'000,
                   .taken_at = "2026-01-01T00:00:00Z"};
  auto now = base;
  now.server_version = "15.5";
  now.server_version_num = 150005;
  CHECK_THROWS_AS(environment_warnings(base, now), EnvironmentMismatch);
  CHECK_THROWS_WITH(environment_warnings(base, now),
                    "the baseline was recorded on PostgreSQL 14.10, this server runs 15.5: plans and times do not "
                    "compare across major versions; re-record the baseline on this server with `pgadvisor gate "
                    "record`");
  now.server_version_num = 0;  // from the version text when the number is missing
  CHECK_THROWS_AS(environment_warnings(base, now), EnvironmentMismatch);

  now = base;
  CHECK(environment_warnings(base, now).empty());
  now.server_version = "14.11";
  now.server_version_num = 140011;
  now.settings = {{"work_mem", "64MB"}, {"random_page_cost", "1.1"}};
  now.machine = "runner-b (4 cores)";
  now.database_bytes = 3'400'000'000;
  CHECK(environment_warnings(base, now) ==
        std::vector<std::string>{
            "server 14.10 → 14.11 (a minor release: plans should not change)",
            "setting jit: on → (not reported)",
            "setting random_page_cost: (not recorded) → 1.1",
            "setting work_mem: 4MB → 64MB",
            "machine runner-a (2 cores) → runner-b (4 cores): times compare across machines less well than buffers "
            "and plans",
            "database size 1.0 GB → 3.4 GB (×3.40): times and buffers follow the data",
        });
}
