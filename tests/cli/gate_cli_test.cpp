// `pgadvisor gate` end to end on the sandbox, on the example shop of examples/ci: record then check on an unchanged
// database passes; a dropped index is caught (regressed, buffers up, the index named in the plan diff); compare
// catches a migration that adds a function call to a hot WHERE clause and refuses a database that is neither a
// shadow nor throwaway; every input problem (missing query, malformed, truncated or other-version baseline, a
// query that errors, a bad queries file, usage) is a clear message with its documented exit code; and the CI
// example's run-locally.sh passes against a real server with its JUnit and Markdown reports.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "pg/process.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;
namespace pg = pgadvisor::pg;

namespace {

std::string sandbox_dsn() { return pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn(); }
std::string db_dsn(const std::string& db) { return pg::dsn_with_database(sandbox_dsn(), db); }
std::string example(const std::string& file) { return pgadvisor::test::source_path("examples/ci/" + file); }

// psql -f on `dsn`, as the CI job runs the example's SQL; REQUIREs success.
void psql_file(const std::string& dsn, const std::string& file) {
  auto r = pg::run_process(
      {"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", file},
      {.cwd = {}, .user = std::nullopt, .environment = {"PGOPTIONS=-c client_min_messages=warning"}, .input = {}});
  INFO(r.combined());
  REQUIRE(r.exit_code == 0);
}

// A fresh database with the example's schema and seed data.
std::string example_database(const std::string& name) {
  {
    auto admin = pg::Connection::open(sandbox_dsn());
    admin.query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    admin.query("CREATE DATABASE " + name);
  }
  const std::string dsn = db_dsn(name);
  psql_file(dsn, example("schema.sql"));
  psql_file(dsn, example("seed.sql"));
  return dsn;
}

void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

const nlohmann::json* query_named(const nlohmann::json& report, const std::string& name) {
  for (const auto& q : report["queries"]) {
    if (q["name"] == name) return &q;
  }
  return nullptr;
}

bool has_status(const nlohmann::json& q, const std::string& status) {
  for (const auto& s : q["statuses"]) {
    if (s == status) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("gate record then check: unchanged passes, a dropped index is caught", "[cli][gate][live]") {
  const std::string dsn = example_database("gate_cli");
  pgadvisor::test::TempDir tmp;
  const std::string baseline = (tmp.path() / "baseline.json").string();
  auto record = run_pgadvisor(
      {"gate", "record", "--dsn", dsn, "--queries", example("queries.sql"), "-o", baseline, "--runs", "8"});
  INFO(record.err);
  REQUIRE(record.exit_code == 0);
  CHECK_THAT(record.out, Catch::Contains("recorded 4 queries") && Catch::Contains("orders_of_customer"));
  auto doc = nlohmann::json::parse(pgadvisor::test::read_file(baseline));
  CHECK(doc["schema_version"] == 1);
  REQUIRE(doc["queries"].size() == 4);
  CHECK(doc["queries"][0]["execution_ms"].size() == 16);  // 8 runs x 2 parameter sets

  // (a) Unchanged: every query ok, exit 0, in each format.
  auto check = run_pgadvisor(
      {"gate", "check", "--dsn", dsn, "--queries", example("queries.sql"), "--baseline", baseline, "--format", "json"});
  INFO(check.out << check.err);
  REQUIRE(check.exit_code == 0);
  auto report = nlohmann::json::parse(check.out);
  CHECK(report["passed"] == true);
  CHECK(report["summary"]["ok"] == 4);
  auto text = run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", example("queries.sql"), "--baseline", baseline,
                             "--runs", "5", "--junit", (tmp.path() / "j.xml").string()});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("PASSED: 4 queries, all ok"));
  CHECK_THAT(pgadvisor::test::read_file(tmp.path() / "j.xml"), Catch::Contains("<testcase name=\"job_matching\""));

  // (b) The index orders_of_customer uses is dropped: regressed, its buffers up, the index named in the plan diff.
  pg::Connection::open(dsn).query("DROP INDEX orders_customer_idx");
  auto dropped = run_pgadvisor(
      {"gate", "check", "--dsn", dsn, "--queries", example("queries.sql"), "--baseline", baseline, "--format", "json",
       "-o", (tmp.path() / "r.json").string(), "--markdown", (tmp.path() / "r.md").string()},
      {"GITHUB_ACTIONS=true"});
  INFO(dropped.out << dropped.err);
  CHECK(dropped.exit_code == 1);
  CHECK_THAT(dropped.out, Catch::Contains("FAIL orders_of_customer"));  // the text on stdout beside -o
  auto r = nlohmann::json::parse(pgadvisor::test::read_file(tmp.path() / "r.json"));
  CHECK(r["passed"] == false);
  const auto* q = query_named(r, "orders_of_customer");
  REQUIRE(q != nullptr);
  CHECK((*q)["failed"] == true);
  CHECK(has_status(*q, "regressed"));
  CHECK(has_status(*q, "plan changed"));
  CHECK(has_status(*q, "over budget"));  // buffers < 200 and no Seq Scan on orders
  CHECK((*q)["buffers"]["now"].get<double>() > 5 * (*q)["buffers"]["base"].get<double>());
  bool index_named = false;
  for (const auto& line : (*q)["plan_diff"]) {
    const auto l = line.get<std::string>();
    index_named =
        index_named || (l.find("- ") != std::string::npos && l.find("orders_customer_idx") != std::string::npos);
  }
  CHECK(index_named);
  CHECK(has_status(*query_named(r, "job_matching"), "ok"));
  CHECK_THAT(pgadvisor::test::read_file(tmp.path() / "r.md"),
             Catch::Contains("<details open><summary>FAIL orders_of_customer") &&
                 Catch::Contains("Bitmap Index Scan using orders_customer_idx"));
  CHECK_THAT(dropped.err, Catch::Contains("::error title=pgadvisor gate%3A orders_of_customer::"));

  // --fail-on none: the same findings, reported, exit 0.
  auto lenient = run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", example("queries.sql"), "--baseline",
                                baseline, "--runs", "3", "--fail-on", "none"});
  CHECK(lenient.exit_code == 0);
  CHECK_THAT(lenient.out, Catch::Contains("regressed"));
}

TEST_CASE("gate check: missing queries, bad baselines and failing queries", "[cli][gate][live]") {
  const std::string dsn = example_database("gate_cli_inputs");
  pgadvisor::test::TempDir tmp;
  const auto dir = tmp.path();
  write(dir / "two.sql",
        "-- name: one\nSELECT count(*) FROM orders WHERE customer_id = 3;\n\n"
        "-- name: two\nSELECT count(*) FROM jobs WHERE skill = 'go';\n");
  write(dir / "one.sql", "-- name: one\nSELECT count(*) FROM orders WHERE customer_id = 3;\n");
  const std::string baseline = (dir / "b.json").string();
  auto record = run_pgadvisor(
      {"gate", "record", "--dsn", dsn, "--queries", (dir / "two.sql").string(), "-o", baseline, "--runs", "3"});
  INFO(record.err);
  REQUIRE(record.exit_code == 0);
  const std::string good = pgadvisor::test::read_file(baseline);

  // A query of the baseline that is no longer guarded: missing, exit 1.
  auto missing =
      run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", (dir / "one.sql").string(), "--baseline", baseline});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.out, Catch::Contains("FAIL two: missing") && Catch::Contains("no longer among the queries"));

  // A malformed and a truncated baseline: exit 3, the message names the file.
  write(dir / "bad.json", "{\"tool\": \"pgadvisor\", \"schema_version\": 1, \"runs\": \"many\"}");
  auto bad = run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", (dir / "two.sql").string(), "--baseline",
                            (dir / "bad.json").string()});
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.err, Catch::Contains("bad.json"));
  write(dir / "cut.json", good.substr(0, good.size() / 2));
  auto cut = run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", (dir / "two.sql").string(), "--baseline",
                            (dir / "cut.json").string()});
  CHECK(cut.exit_code == 3);
  CHECK_THAT(cut.err, Catch::Contains("cut.json"));
  CHECK(cut.out.empty());

  // A baseline from another major version: refused, exit 3, re-record.
  auto doc = nlohmann::json::parse(good);
  doc["environment"]["server_version"] = "14.10";
  doc["environment"]["server_version_num"] = 140010;
  write(dir / "v14.json", doc.dump(2));
  auto v14 = run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", (dir / "two.sql").string(), "--baseline",
                            (dir / "v14.json").string()});
  CHECK(v14.exit_code == 3);
  CHECK_THAT(v14.err, Catch::Contains("14.10") && Catch::Contains("re-record"));

  // A query that errors: record writes nothing (exit 3), check reports it (exit 1); the other query is measured.
  write(dir / "broken.sql", "-- name: fine\nSELECT 1;\n\n-- name: broken\nSELECT * FROM no_such_table;\n");
  const std::string not_written = (dir / "nw.json").string();
  auto rec_broken = run_pgadvisor(
      {"gate", "record", "--dsn", dsn, "--queries", (dir / "broken.sql").string(), "-o", not_written, "--runs", "2"});
  CHECK(rec_broken.exit_code == 3);
  CHECK_THAT(rec_broken.err, Catch::Contains("query broken") && Catch::Contains("42P01") &&
                                 Catch::Contains("broken.sql:4") && Catch::Contains("no baseline written"));
  CHECK_FALSE(std::filesystem::exists(not_written));
  auto chk_broken =
      run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", (dir / "broken.sql").string(), "--runs", "2"});
  CHECK(chk_broken.exit_code == 1);
  CHECK_THAT(chk_broken.out, Catch::Contains("FAIL broken: error") && Catch::Contains("no_such_table"));
  CHECK_THAT(chk_broken.out, Catch::Contains("budgets only"));

  // A queries file that cannot be read or parsed: exit 3 with file and line.
  auto no_file = run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", (dir / "nope.sql").string()});
  CHECK(no_file.exit_code == 3);
  CHECK_THAT(no_file.err, Catch::Contains("nope.sql"));
  write(dir / "unnamed.sql", "SELECT 1;\n");
  auto unnamed = run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", (dir / "unnamed.sql").string()});
  CHECK(unnamed.exit_code == 3);
  CHECK_THAT(unnamed.err, Catch::Contains("unnamed.sql:1"));

  // Usage: no queries, an unknown --fail-on word, record without -o: exit 2. A server that is not there: exit 3.
  CHECK(run_pgadvisor({"gate", "check", "--dsn", dsn}).exit_code == 2);
  CHECK(run_pgadvisor({"gate", "check", "--dsn", dsn, "--queries", (dir / "one.sql").string(), "--fail-on", "slow"})
            .exit_code == 2);
  CHECK(run_pgadvisor({"gate", "record", "--dsn", dsn, "--queries", (dir / "one.sql").string()}).exit_code == 2);
  CHECK(run_pgadvisor({"gate"}).exit_code == 2);
  auto down = run_pgadvisor(
      {"gate", "check", "--dsn", "host=127.0.0.1 port=1 connect_timeout=2", "--queries", (dir / "one.sql").string()});
  CHECK(down.exit_code == 3);
  CHECK_THAT(down.err, Catch::Contains("cannot connect"));
}

TEST_CASE("gate compare: a function call added to a hot WHERE clause is caught", "[cli][gate][live]") {
  const std::string dsn = example_database("gate_cli_compare");
  pg::Connection::open(dsn).query(
      "CREATE FUNCTION customer_orders(c int) RETURNS TABLE (id bigint, total numeric) LANGUAGE sql STABLE "
      "AS $$ SELECT id, total FROM orders WHERE customer_id = c $$");
  pgadvisor::test::TempDir tmp;
  const auto dir = tmp.path();
  write(
      dir / "q.sql",
      "-- name: customer_total\n-- params: 42\n-- params: 7\nSELECT count(*), sum(total) FROM customer_orders($1);\n\n"
      "-- name: open_go_jobs\nSELECT count(*) FROM jobs WHERE skill = 'go' AND state = 'open';\n");
  // "NULL-safe": coalesce on the column hides it from its index.
  write(dir / "migration.sql",
        "BEGIN;\nCREATE OR REPLACE FUNCTION customer_orders(c int) RETURNS TABLE (id bigint, total numeric)\n"
        "LANGUAGE sql STABLE AS $$ SELECT id, total FROM orders WHERE coalesce(customer_id, 0) = c $$;\nCOMMIT;\n");
  auto compare = run_pgadvisor({"gate", "compare", "--dsn", dsn, "--queries", (dir / "q.sql").string(), "--script",
                                (dir / "migration.sql").string(), "--runs", "6", "--rounds", "3", "--format", "json"});
  INFO(compare.out << compare.err);
  CHECK(compare.exit_code == 1);
  auto r = nlohmann::json::parse(compare.out);
  CHECK(r["command"] == "compare");
  const auto* q = query_named(r, "customer_total");
  REQUIRE(q != nullptr);
  CHECK(has_status(*q, "regressed"));
  CHECK((*q)["buffers"]["now"].get<double>() > 5 * (*q)["buffers"]["base"].get<double>());
  CHECK((*q)["time"]["ci95"][0].get<double>() > 1);  // the bench's interval of after/before, all above 1
  bool coalesce_added = false;
  for (const auto& line : (*q)["plan_diff"]) {
    coalesce_added = coalesce_added || line.get<std::string>().find("+ ") != std::string::npos &&
                                           line.get<std::string>().find("COALESCE(customer_id") != std::string::npos;
  }
  CHECK(coalesce_added);
  CHECK(has_status(*query_named(r, "open_go_jobs"), "ok"));
  // Rolled back: the function is as it was.
  auto def = pg::Connection::open(dsn).query("SELECT prosrc FROM pg_proc WHERE proname = 'customer_orders'");
  CHECK_THAT(def.get<std::string>(0, 0), !Catch::Contains("coalesce"));

  // A migration that does not apply: exit 3 naming the statement.
  write(dir / "broken.sql", "ALTER TABLE orders DROP COLUMN nope;\n");
  auto broken = run_pgadvisor({"gate", "compare", "--dsn", dsn, "--queries", (dir / "q.sql").string(), "--script",
                               (dir / "broken.sql").string(), "--runs", "2", "--rounds", "1"});
  CHECK(broken.exit_code == 3);
  CHECK_THAT(broken.err, Catch::Contains("the migration fails at") && Catch::Contains("nope"));
}

TEST_CASE("gate compare refuses a database that is neither a shadow nor throwaway", "[cli][gate][live]") {
  {
    auto admin = pg::Connection::open(sandbox_dsn());
    admin.query("DROP DATABASE IF EXISTS gate_cli_plain WITH (FORCE)");
    admin.query("CREATE DATABASE gate_cli_plain");
    // The sandbox marks its server throwaway; this database says otherwise, as a real one would.
    admin.query("ALTER DATABASE gate_cli_plain SET pgadvisor.sandbox = off");
  }
  const std::string dsn = db_dsn("gate_cli_plain");
  pg::Connection::open(dsn).query("CREATE TABLE t (a int)");
  pgadvisor::test::TempDir tmp;
  write(tmp.path() / "q.sql", "-- name: count_t\nSELECT count(*) FROM t;\n");
  write(tmp.path() / "m.sql", "CREATE INDEX t_a_idx ON t (a);\n");
  std::vector<std::string> args{"gate",      "compare",
                                "--dsn",     dsn,
                                "--queries", (tmp.path() / "q.sql").string(),
                                "--script",  (tmp.path() / "m.sql").string(),
                                "--runs",    "2",
                                "--rounds",  "1"};
  auto refused = run_pgadvisor(args);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("refusing to run gate compare on database gate_cli_plain") &&
                              Catch::Contains("--throwaway"));
  args.emplace_back("--throwaway");
  auto declared = run_pgadvisor(args);
  INFO(declared.err);
  CHECK(declared.exit_code == 0);
  CHECK(pg::Connection::open(dsn)
            .query("SELECT count(*) FROM pg_indexes WHERE indexname = 't_a_idx'")
            .get<int64_t>(0, 0) == 0);
}

TEST_CASE("examples/ci/run-locally.sh passes against a real server", "[cli][gate][live]") {
  {
    auto admin = pg::Connection::open(sandbox_dsn());
    admin.query("DROP DATABASE IF EXISTS gate_example WITH (FORCE)");
    admin.query("CREATE DATABASE gate_example");
  }
  pgadvisor::test::TempDir tmp;
  const auto out = tmp.path() / "out";
  auto r = pg::run_process({"bash", example("run-locally.sh"), db_dsn("gate_example"), out.string()},
                           {.cwd = {},
                            .user = std::nullopt,
                            .environment = {std::string("PGADVISOR=") + PGADVISOR_EXE_PATH, "GITHUB_ACTIONS=false"},
                            .input = {}});
  INFO(r.combined());
  CHECK(r.exit_code == 0);
  const auto junit = pgadvisor::test::read_file(out / "gate-junit.xml");
  const auto markdown = pgadvisor::test::read_file(out / "gate-summary.md");
  for (const std::string name : {"orders_of_customer", "job_matching", "pending_orders_of_day", "ship_order"}) {
    CHECK_THAT(junit, Catch::Contains("<testcase name=\"" + name + "\""));
    std::string escaped;  // Markdown escapes the underscores: orders\_of\_customer
    for (char c : name) escaped += c == '_' ? std::string("\\_") : std::string(1, c);
    CHECK_THAT(markdown, Catch::Contains(escaped));
  }
  CHECK_THAT(junit, !Catch::Contains("<failure"));
  CHECK_THAT(markdown, Catch::Contains("## pgadvisor gate check: passed"));
}

TEST_CASE("gate guards the top classes of a store and the classes of an advice", "[cli][gate][live]") {
  const std::string dsn = example_database("gate_cli_sources");
  pgadvisor::test::TempDir tmp;
  const auto dir = tmp.path();
  const std::string prefix = "2026-11-22 04:46:52.100 UTC [7] u@d app=a ";
  std::ofstream(dir / "postgresql.log")
      << prefix << "LOG:  duration: 9.000 ms  execute <unnamed>: SELECT count(*) FROM orders WHERE customer_id = $1\n"
      << prefix << "DETAIL:  parameters: $1 = '42'\n"
      << prefix << "LOG:  duration: 8.000 ms  execute <unnamed>: SELECT count(*) FROM orders WHERE customer_id = $1\n"
      << prefix << "DETAIL:  parameters: $1 = '7'\n"
      << prefix << "LOG:  duration: 5.000 ms  statement: SELECT count(*) FROM jobs WHERE skill = 'go'\n"
      << prefix << "LOG:  duration: 1.000 ms  statement: SELECT 1\n";
  const std::string store = (dir / "store.db").string();
  auto ingest = run_pgadvisor({"ingest", (dir / "postgresql.log").string(), "--store", store});
  INFO(ingest.err);
  REQUIRE(ingest.exit_code == 0);

  const std::string baseline = (dir / "b.json").string();
  auto record =
      run_pgadvisor({"gate", "record", "--dsn", dsn, "--store", store, "--top", "2", "-o", baseline, "--runs", "3"});
  INFO(record.err);
  REQUIRE(record.exit_code == 0);
  auto doc = nlohmann::json::parse(pgadvisor::test::read_file(baseline));
  REQUIRE(doc["queries"].size() == 2);  // the two costliest classes; SELECT 1 is third
  CHECK_THAT(doc["queries"][0]["name"].get<std::string>(), Catch::StartsWith("class_"));
  CHECK(doc["queries"][0]["rows"] == 2);  // one row for each of its two parameter sets
  auto check = run_pgadvisor(
      {"gate", "check", "--dsn", dsn, "--store", store, "--top", "2", "--baseline", baseline, "--format", "json"});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(nlohmann::json::parse(check.out)["summary"]["ok"] == 2);

  std::ofstream(dir / "advice.json") << R"json({"schema_version": 1, "indexes": [], "workload": {"classes": [
      {"fingerprint": "00000000000000aa", "text": "SELECT id FROM orders WHERE customer_id = $1", "kind": "select",
       "samples": [], "parameter_sets": [["42"]]},
      {"fingerprint": "00000000000000bb", "text": "SELECT id FROM orders WHERE status = $1", "kind": "select",
       "samples": [], "parameter_sets": []}]}})json";
  auto advice =
      run_pgadvisor({"gate", "check", "--dsn", dsn, "--advice", (dir / "advice.json").string(), "--runs", "2"});
  INFO(advice.out << advice.err);
  CHECK(advice.exit_code == 0);
  CHECK_THAT(advice.out, Catch::Contains("class_00000000000000aa") && !Catch::Contains("class_00000000000000bb  "));
  CHECK_THAT(advice.out, Catch::Contains("left out: class_00000000000000bb"));
}
