// The live sources of `advise` without a server: pg_stat_statements entries grouped into the workload (this
// database only, pgadvisor's own left out, the most time first under the cap), and pg_stat_activity sightings
// grouped into statements (an execution counted once, cut and hidden texts left out, secrets redacted), with the
// sampling loop run on a fake clock.
#include <catch2/catch.hpp>

#include "analyzer/statement.hpp"
#include "collector/activity_sampler.hpp"
#include "collector/live_statements.hpp"

using namespace pgadvisor;
using namespace std::chrono_literals;

namespace {

collector::StatementEntry entry(int64_t queryid, int64_t dbid, const std::string& query, int64_t calls, double ms,
                                int64_t userid = 10) {
  collector::StatementEntry e;
  e.key = {queryid, userid, dbid, true};
  e.query = query;
  if (auto fp = analyzer::describe_statement(query).fingerprint) e.fingerprint = analyzer::fingerprint_hex(fp);
  e.counters.calls = calls;
  e.counters.total_exec_time_ms = ms;
  return e;
}

const analyzer::WorkloadClass* find(const analyzer::Workload& w, const std::string& needle) {
  for (const auto& c : w.classes) {
    if (c.text.find(needle) != std::string::npos) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("pg_stat_statements entries of this database become classes, the most time first",
          "[collector][live_statements]") {
  collector::StatementsSnapshot view;
  view.available = true;
  view.stats_reset = "2026-01-02T03:04:05.000000Z";
  view.entries = {
      entry(1, 5, "SELECT * FROM orders WHERE customer_id = $1", 40, 400.0),
      entry(2, 5, "SELECT * FROM orders WHERE customer_id = $1", 10, 100.0, 11),  // another role: one class
      entry(3, 5, "SELECT * FROM items WHERE sku = $1", 5, 900.0),
      entry(4, 6, "SELECT * FROM other_db WHERE x = $1", 99, 9999.0),  // another database
      entry(5, 5, "SELECT * FROM idle WHERE y = $1", 0, 0.0),          // counted nothing
      entry(6, 5, "SELECT n.nspname AS schema FROM pg_namespace AS n WHERE n.oid = $1", 3, 5000.0),
      entry(7, 5, "SELEC broken text", 2, 50.0),
      entry(8, 5, "EXPLAIN (FORMAT JSON) SELECT * FROM orders WHERE id = $1", 7, 7000.0),  // pgadvisor's what-if
  };

  auto all = collector::statements_workload(view, 5, 0);
  CHECK(all.stats_reset == view.stats_reset);
  CHECK(all.own_classes == 1);
  CHECK(all.left_out == 0);
  REQUIRE(all.workload.classes.size() == 4);  // the catalog-looking read is a user's: only sql/ texts are own
  CHECK(all.classes == 4);
  CHECK(all.workload.classes[0].text.starts_with("SELECT n.nspname"));
  CHECK(all.workload.classes[1].text == "SELECT * FROM items WHERE sku = $1");
  const auto* orders = find(all.workload, "customer_id");
  REQUIRE(orders != nullptr);
  CHECK(orders->calls == 50);
  CHECK(orders->total_ms == Approx(500.0));
  CHECK(orders->samples.empty());  // planned as the store's statement classes are: pg_stats values or generic
  CHECK(orders->source == "statements");
  CHECK(orders->fingerprint.size() == 16);
  const auto* broken = find(all.workload, "SELEC broken");
  REQUIRE(broken != nullptr);
  CHECK(broken->fingerprint.empty());  // reported by the advisor as not analyzable
  CHECK(find(all.workload, "other_db") == nullptr);
  CHECK(find(all.workload, "idle") == nullptr);

  auto top = collector::statements_workload(view, 5, 2);
  CHECK(top.classes == 4);
  CHECK(top.left_out == 2);
  REQUIRE(top.workload.classes.size() == 2);
  CHECK(top.workload.classes[1].text == "SELECT * FROM items WHERE sku = $1");  // pgadvisor's own took no place
}

TEST_CASE("pg_stat_activity sightings become statements, an execution counted once", "[collector][activity]") {
  collector::ActivityAccumulator acc;
  const std::string slow = "SELECT id FROM orders WHERE customer_id = 4242";
  const std::string cut = "SELECT id FROM orders WHERE customer_id = 1 AND note = 'x";
  for (int i = 0; i < 5; ++i) {
    acc.add({{101, "2026-01-01T00:00:00.000001Z", slow, false, false},  // one long execution, seen 5 times
             {102, "2026-01-01T00:00:00.5Z", cut, false, true},
             {103, "", "", true, false}});
  }
  acc.add({{101, "2026-01-01T00:00:09Z", slow, false, false},  // the same backend's next execution
           {104, "2026-01-01T00:00:09Z", "SELECT note FROM orders WHERE id = $1", false, false},
           {105, "2026-01-01T00:00:09Z", "ALTER ROLE app PASSWORD 'hunter2'", false, false},
           {106, "2026-01-01T00:00:09Z", "EXPLAIN (FORMAT JSON) SELECT * FROM orders", false, false}});
  auto w = acc.finish(100ms);
  CHECK(w.samples == 6);
  CHECK(w.hidden == 5);
  CHECK(w.truncated == 1);
  CHECK(w.own == 1);
  CHECK(w.executions == 4);
  CHECK(w.warnings.size() == 2);
  REQUIRE(w.workload.classes.size() == 3);
  const auto& first = w.workload.classes[0];  // the most sightings first
  CHECK(first.text == slow);
  CHECK(first.calls == 2);
  CHECK(first.total_ms == Approx(600.0));
  CHECK(first.samples == std::vector<std::string>{slow});  // planned with its literals, as --queries
  CHECK(first.source == "activity");
  CHECK(first.fingerprint == analyzer::fingerprint_hex(analyzer::describe_statement(slow).fingerprint));
  const auto* prepared = find(w.workload, "id = $1");
  REQUIRE(prepared != nullptr);
  CHECK(prepared->samples.empty());  // a driver's $n text: no values to plan with
  for (const auto& c : w.workload.classes) CHECK(c.text.find("hunter2") == std::string::npos);
  CHECK(find(w.workload, "ALTER ROLE") != nullptr);
  CHECK(find(w.workload, "AND note") == nullptr);
}

TEST_CASE("the sampling loop reads on fixed ticks for the duration, and skips the ticks a slow read overran",
          "[collector][activity]") {
  std::chrono::steady_clock::time_point now{};
  std::vector<std::chrono::steady_clock::duration> sleeps;
  collector::SamplingClock clock{[&] { return now; },
                                 [&](auto d) {
                                   sleeps.push_back(d);
                                   now += d;
                                 }};
  int reads = 0;
  auto quick = [&] {
    ++reads;
    now += 3ms;
    return std::vector<collector::ActiveStatement>{{7, "t", "SELECT 1", false, false}};
  };
  auto w = collector::sample_activity(quick, {1s, 100ms}, clock);
  CHECK(reads == 11);  // at 0, 100 ms, …, 1 s
  CHECK(w.samples == 11);
  REQUIRE(sleeps.size() == 10);
  for (auto d : sleeps) CHECK(d == 97ms);
  CHECK(now - std::chrono::steady_clock::time_point{} == 1003ms);
  REQUIRE(w.workload.classes.size() == 1);
  CHECK(w.workload.classes[0].calls == 1);

  reads = 0;
  sleeps.clear();
  now = {};
  auto slow = [&] {
    ++reads;
    now += 250ms;
    return std::vector<collector::ActiveStatement>{};
  };
  collector::sample_activity(slow, {1s, 100ms}, clock);
  CHECK(reads == 4);  // at 0, 300, 600 and 900 ms: never two reads closer than a tick
  for (auto d : sleeps) CHECK(d == 50ms);
}
