// `pgadvisor advise` on its live sources, against the sandbox: --pg-stat-statements takes the classes the view
// counted in the database advised (and no other), --pg-stat-activity the statements running while it samples;
// both advise the index the test's traffic needs. Usage errors need no server.
#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using nlohmann::json;
using pgadvisor::test::run_pgadvisor;
namespace pg = pgadvisor::pg;
using namespace std::chrono_literals;

namespace {

std::string dsn() { return pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn(); }

void make_orders(pg::Connection& admin) {
  admin.query("DROP SCHEMA IF EXISTS advise_live CASCADE");
  admin.query("CREATE SCHEMA advise_live");
  admin.query("CREATE TABLE advise_live.orders (id bigint PRIMARY KEY, customer_id int NOT NULL, note text)");
  admin.query(
      "INSERT INTO advise_live.orders SELECT g, (g * 7919) % 20000 + 1, 'n' || g FROM generate_series(1, 200000) g");
  admin.query("ANALYZE advise_live.orders");
}

const json* class_reading(const json& advice, const std::string& needle) {
  for (const auto& c : advice["workload"]["classes"]) {
    if (c["text"].get<std::string>().find(needle) != std::string::npos) return &c;
  }
  return nullptr;
}

bool advises_index_on(const json& advice, const std::string& column) {
  for (const auto& i : advice["indexes"]) {
    if (i["table"] == "advise_live.orders" && i["columns"][0] == column) return true;
  }
  return false;
}

// A statement running in a session of its own until it is cancelled (at scope exit at the latest).
class BackgroundStatement {
 public:
  explicit BackgroundStatement(const std::string& sql) : conn_(pg::Connection::open(dsn())) {
    pid_ = conn_.query("SELECT pg_backend_pid() AS pid").get<int64_t>(0, "pid");
    thread_ = std::thread([this, sql] {
      try {
        conn_.query(sql);
      } catch (const std::exception&) {  // cancelled
      }
      done_ = true;
    });
  }
  BackgroundStatement(const BackgroundStatement&) = delete;
  BackgroundStatement& operator=(const BackgroundStatement&) = delete;
  ~BackgroundStatement() {
    auto admin = pg::Connection::open(dsn());
    // Until it is over: a cancel sent before the statement reached the server does nothing.
    for (int i = 0; i < 600 && !done_; ++i) {
      admin.query("SELECT pg_cancel_backend($1)", pid_);
      std::this_thread::sleep_for(50ms);
    }
    thread_.join();
  }

  //! Whether the server shows it active within 30 s.
  bool wait_until_active(pg::Connection& admin) const {
    for (int i = 0; i < 600; ++i) {
      auto r = admin.query("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", pid_);
      if (r.get<int64_t>(0, "n") == 1) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

 private:
  pg::Connection conn_;
  int64_t pid_ = 0;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("advise --pg-stat-statements advises on the classes the view counted in this database",
          "[cli][advise][live]") {
  auto admin = pg::Connection::open(dsn());
  make_orders(admin);
  admin.query("SELECT pg_stat_statements_reset()");
  for (int i = 1; i <= 15; ++i) {
    admin.query("SELECT id, note FROM advise_live.orders WHERE customer_id = $1", std::to_string(i * 37));
  }
  // Another database's statements are not this database's workload.
  auto other = pg::Connection::open(dsn() + " dbname=postgres");
  other.query("SELECT $1::int AS other_database_probe", "1");

  auto r = run_pgadvisor({"advise", "--dsn", dsn(), "--format", "json", "--pg-stat-statements"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("pg_stat_statements: ") && Catch::Contains(" classes since the last reset at 20"));
  const json advice = json::parse(r.out);
  const json* lookup = class_reading(advice, "advise_live.orders WHERE customer_id = $1");
  REQUIRE(lookup != nullptr);
  CHECK((*lookup)["calls"] == 15);
  CHECK((*lookup)["samples"].empty());
  CHECK((*lookup)["plan_source"] == "pg_stats");  // $n: values drawn from pg_stats, as for the store's classes
  CHECK((*lookup)["cost_after"].get<double>() < (*lookup)["cost_before"].get<double>());
  CHECK(advises_index_on(advice, "customer_id"));
  CHECK(class_reading(advice, "other_database_probe") == nullptr);
  for (const auto& u : advice["unplanned"]) CHECK(u["reason"].get<std::string>().find("probe") == std::string::npos);

  // --top: the class with the most time only; pgadvisor's own statements of the run above took no place.
  auto top = run_pgadvisor({"advise", "--dsn", dsn(), "--format", "json", "--pg-stat-statements", "--top", "1"});
  INFO(top.err);
  REQUIRE(top.exit_code == 0);
  CHECK_THAT(top.err, Catch::Contains("the 1 with the most time kept (--top)"));
  CHECK_THAT(top.err, Catch::Contains("of pgadvisor's own left out"));
  const json kept = json::parse(top.out);
  REQUIRE(kept["workload"]["classes"].size() == 1);
  CHECK(class_reading(kept, "advise_live.orders WHERE customer_id = $1") != nullptr);
}

TEST_CASE("advise --pg-stat-activity advises on the statements running while it samples", "[cli][advise][live]") {
  auto admin = pg::Connection::open(dsn());
  make_orders(admin);
  const std::string slow =
      "SELECT id, note FROM advise_live.orders WHERE customer_id = 4242 AND (SELECT pg_sleep(120)) IS NOT NULL";
  BackgroundStatement background(slow);
  REQUIRE(background.wait_until_active(admin));

  auto r = run_pgadvisor({"advise", "--dsn", dsn(), "--format", "json", "--pg-stat-activity", "2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("pg_stat_activity: sampling every 100 ms for 2.0 s"));
  const json advice = json::parse(r.out);
  const json* running = class_reading(advice, "customer_id = 4242");
  REQUIRE(running != nullptr);
  CHECK((*running)["calls"] == 1);  // one execution, however many samples saw it
  CHECK((*running)["plan_source"] == "literals");
  CHECK((*running)["samples"] == json::array({slow}));
  CHECK(advises_index_on(advice, "customer_id"));
}

TEST_CASE("advise refuses a live source's bad values before connecting", "[cli][advise]") {
  CHECK(run_pgadvisor({"advise", "--pg-stat-activity", "5 weeks"}).exit_code == 2);
  CHECK(run_pgadvisor({"advise", "--pg-stat-activity", "0s"}).exit_code == 2);
  auto top = run_pgadvisor({"advise", "--queries", "q.sql", "--top", "5"});
  CHECK(top.exit_code == 2);
  CHECK_THAT(top.err, Catch::Contains("--pg-stat-statements"));
  CHECK(run_pgadvisor({"advise", "--pg-stat-statements", "--top", "0"}).exit_code == 2);
}
