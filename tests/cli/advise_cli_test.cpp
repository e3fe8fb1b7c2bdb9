// `pgadvisor advise` on each workload source as users run it: slow-query logs read in memory (--log), the store
// filled by ingest and snapshot (--store), and a file of queries; with the plan source of each class in the JSON.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/connection.hpp"
#include "pg/dsn.hpp"
#include "pg/sandbox.hpp"
#include "sandbox_psql.hpp"
#include "test_support.hpp"

using nlohmann::json;
using pgadvisor::test::run_pgadvisor;
using pgadvisor::test::TempDir;
namespace pg = pgadvisor::pg;

namespace {

pg::Sandbox sandbox() { return pg::Sandbox(pgadvisor::test::sandbox_dir()); }

void make_orders(pg::Connection& admin) {
  admin.query("DROP SCHEMA IF EXISTS advise_cli CASCADE");
  admin.query("CREATE SCHEMA advise_cli");
  admin.query("CREATE TABLE advise_cli.orders (id bigint PRIMARY KEY, customer_id int NOT NULL, note text)");
  admin.query(
      "INSERT INTO advise_cli.orders SELECT g, (g * 7919) % 20000 + 1, 'n' || g FROM generate_series(1, 200000) g");
  admin.query("ANALYZE advise_cli.orders");
}

// The extended-protocol traffic a driver sends: `execute <unnamed>` with its DETAIL parameters in the log.
void run_lookups(pg::Connection& conn, int count) {
  for (int i = 1; i <= count; ++i) {
    conn.query("SELECT id, note FROM advise_cli.orders WHERE customer_id = $1", std::to_string(i * 37));
  }
}

// What the sandbox logged from byte `from` on, complete lines only.
std::string log_since(uintmax_t from) {
  std::ifstream in(sandbox().status().log_file, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(from));
  std::stringstream s;
  s << in.rdbuf();
  std::string log = s.str();
  log.resize(log.rfind('\n') + 1);
  return log;
}

json advise_json(std::vector<std::string> args) {
  args.insert(args.begin(), {"advise", "--dsn", sandbox().dsn(), "--format", "json"});
  auto r = run_pgadvisor(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

const json* class_reading(const json& advice, const std::string& needle) {
  for (const auto& c : advice["workload"]["classes"]) {
    if (c["text"].get<std::string>().find(needle) != std::string::npos) return &c;
  }
  return nullptr;
}

bool advises_index_on(const json& advice, const std::string& column) {
  for (const auto& i : advice["indexes"]) {
    if (i["table"] == "advise_cli.orders" && i["columns"][0] == column) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("advise --log and --store plan logged classes with their sampled parameters", "[cli][advise][live]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  auto from = std::filesystem::file_size(sandbox().status().log_file);
  run_lookups(admin, 12);
  admin.query("SELECT pg_sleep(0.2)");  // the logger writes asynchronously
  TempDir tmp;
  auto log = tmp.path() / "postgresql.log";
  std::ofstream(log) << log_since(from);

  for (const auto& advice :
       {advise_json({"--log", log.string()}), [&] {
          auto r = run_pgadvisor({"ingest", log.string(), "--store", (tmp.path() / "s.db").string()});
          INFO(r.err);
          REQUIRE(r.exit_code == 0);
          return advise_json({"--store", (tmp.path() / "s.db").string()});
        }()}) {
    const json* lookup = class_reading(advice, "customer_id = $1");
    REQUIRE(lookup != nullptr);
    CHECK((*lookup)["plan_source"] == "sampled");
    CHECK((*lookup)["calls"] == 12);
    CHECK_FALSE((*lookup)["parameter_sets"].empty());
    CHECK((*lookup)["parameter_sets"][0].size() == 1);
    CHECK((*lookup)["reads"] == json::array({"advise_cli.orders"}));
    CHECK((*lookup)["cost_after"].get<double>() < (*lookup)["cost_before"].get<double>());
    CHECK(advises_index_on(advice, "customer_id"));
  }
}

TEST_CASE("advise --store on pg_stat_statements snapshots draws values from pg_stats", "[cli][advise][live]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  TempDir tmp;
  auto store = (tmp.path() / "s.db").string();
  auto snapshot = [&] {
    auto r = run_pgadvisor({"snapshot", "--dsn", sandbox().dsn(), "--store", store});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  snapshot();
  run_lookups(admin, 5);
  snapshot();
  auto advice = advise_json({"--store", store});
  const json* lookup = class_reading(advice, "advise_cli.orders WHERE customer_id = $1");
  REQUIRE(lookup != nullptr);
  CHECK((*lookup)["plan_source"] == "pg_stats");
  CHECK((*lookup)["samples"].empty());
  CHECK(advises_index_on(advice, "customer_id"));
}

TEST_CASE("advise needs a workload and names a missing store or log", "[cli][advise][live]") {
  CHECK(run_pgadvisor({"advise", "--dsn", sandbox().dsn()}).exit_code == 2);
  auto missing_store = run_pgadvisor({"advise", "--dsn", sandbox().dsn(), "--store", "/nonexistent/s.db"});
  CHECK(missing_store.exit_code == 3);
  CHECK_THAT(missing_store.err, Catch::Contains("/nonexistent/s.db"));
  auto missing_log = run_pgadvisor({"advise", "--dsn", sandbox().dsn(), "--log", "/nonexistent/x.log"});
  CHECK(missing_log.exit_code == 3);
  CHECK_THAT(missing_log.err, Catch::Contains("/nonexistent/x.log"));
}

TEST_CASE("advise -o on hostile names: psql applies advice.sql and its rollback, and nothing else changes",
          "[cli][advise][live]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  admin.query("DROP SCHEMA IF EXISTS advise_cli_hostile CASCADE");
  admin.query("CREATE SCHEMA advise_cli_hostile");
  admin.query("CREATE TABLE advise_cli_hostile.victim (id int)");
  const std::vector<std::string> tables = {"\"we ird\"", "\"we-ird\"",
                                           "\"nl\nDROP TABLE advise_cli_hostile.victim; --\""};
  TempDir tmp;
  std::ofstream queries(tmp.path() / "workload.sql");
  for (const auto& t : tables) {
    admin.query("CREATE TABLE advise_cli_hostile." + t + " (a int NOT NULL, b int)");
    admin.query("INSERT INTO advise_cli_hostile." + t + " SELECT g, g FROM generate_series(1, 50000) g");
    admin.query("ANALYZE advise_cli_hostile." + t);
    queries << "SELECT b FROM advise_cli_hostile." << t << " WHERE a = 5;\n"
            << "SELECT b FROM advise_cli_hostile." << t << " WHERE a = 7;\n";
  }
  queries.close();
  admin.query("CREATE TABLE advise_cli_hostile.other (a int)");
  admin.query("CREATE INDEX we_ird_a_idx ON advise_cli_hostile.other (a)");
  auto relations = [&] {
    auto r = admin.query(
        "SELECT string_agg(c.relname || ' ' || coalesce(pg_get_indexdef(c.oid), ''), ' | ' ORDER BY c.relname) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'advise_cli_hostile'");
    return r.get<std::string>(0, 0);
  };
  auto count = [&] {
    return admin
        .query(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'advise_cli_hostile'")
        .get<int64_t>(0, 0);
  };
  auto before = relations();
  int64_t relations_before = count();

  auto script = (tmp.path() / "advice.sql").string();
  auto advise = run_pgadvisor(
      {"advise", "--dsn", sandbox().dsn(), "--queries", (tmp.path() / "workload.sql").string(), "-o", script});
  REQUIRE(advise.exit_code == 0);
  using pgadvisor::test::psql_file;
  CHECK(psql_file(script) == 0);
  CHECK(count() == relations_before + 3);  // three new indexes, "we ird" and "we-ird" each its own
  CHECK(psql_file((tmp.path() / "advice.rollback.sql").string()) == 0);
  CHECK(relations() == before);  // the victim and we_ird_a_idx on "other" are still there, with their definitions
  CHECK_THAT(before, Catch::Contains("victim") && Catch::Contains("we_ird_a_idx CREATE INDEX we_ird_a_idx ON "
                                                                  "advise_cli_hostile.other USING btree (a)"));
}

TEST_CASE("advise --log on a 200,000-entry statement and an unparsable one finishes, both not analyzable",
          "[cli][advise][live][large][unparsed]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  TempDir tmp;
  auto log = tmp.path() / "postgresql.log";
  std::string wide = "SELECT id";
  for (int k = 1; k < 200'000; ++k) wide += ", note";
  wide += " FROM advise_cli.orders";
  const std::string prefix = "2026-11-22 04:46:52.100 UTC [7] u@d app=a LOG:  duration: ";
  std::ofstream(log) << prefix << "5000.000 ms  statement: " << wide << "\n"
                     << prefix << "7.000 ms  statement: SELECT 0x1F FROM advise_cli.orders\n"
                     << prefix
                     << "3.000 ms  statement: SELECT id, note FROM advise_cli.orders WHERE customer_id = 42\n";
  const json advice = advise_json({"--log", log.string()});
  CHECK(advice["workload"]["not_analyzable"] == 2);
  REQUIRE(advice["unplanned"].size() == 2);
  int too_large = 0, unparsed = 0;
  for (const auto& u : advice["unplanned"]) {
    CHECK(u["not_analyzable"] == true);
    const std::string reason = u["reason"];
    if (reason.find("too large to analyze (") != std::string::npos) ++too_large;
    if (u["fingerprint"].get<std::string>()[0] == 'u' && reason.find("does not parse") != std::string::npos) ++unparsed;
  }
  CHECK(too_large == 1);
  CHECK(unparsed == 1);
  CHECK(class_reading(advice, "customer_id = 42") != nullptr);
  CHECK(advises_index_on(advice, "customer_id"));
  auto text = run_pgadvisor({"advise", "--dsn", sandbox().dsn(), "--log", log.string()});
  CHECK_THAT(text.out, Catch::Contains("Not advised on (2; 2 not analyzable):"));
}

namespace {

// The sandbox's database through psql's flags.
std::vector<std::string> sandbox_flags() {
  auto s = sandbox().status();
  return {"-h", s.socket_dir.string(), "-p", std::to_string(s.port), "-U", "postgres", "-d", "pgadvisor"};
}

std::vector<std::string> advise_args(const std::vector<std::string>& more) {
  std::vector<std::string> args{"advise"};
  for (const auto& a : sandbox_flags()) args.push_back(a);
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

const std::string kLookup = "SELECT note FROM advise_cli.orders WHERE customer_id = 5";
const std::string kLines = "SELECT qty FROM advise_cli.lines WHERE product_id = 7";

void make_lines(pg::Connection& admin) {
  admin.query("CREATE TABLE advise_cli.lines (order_id bigint, product_id int, qty int)");
  admin.query("INSERT INTO advise_cli.lines SELECT g, g % 5000, g % 7 FROM generate_series(1, 200000) g");
  admin.query("ANALYZE advise_cli.lines");
}

std::vector<std::string> index_tables(const json& advice) {
  std::vector<std::string> out;
  for (const auto& i : advice["indexes"]) out.push_back(i["table"]);
  return out;
}

// The definitions of the indexes of schema advise_cli (primary keys aside).
std::vector<std::string> built_indexes(pg::Connection& admin) {
  auto r = admin.query(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = 'advise_cli' AND indexname NOT LIKE '%pkey' ORDER BY 1");
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.get<std::string>(i, 0));
  return out;
}

}  // namespace

TEST_CASE("advise with psql's -h -p -U -d and -s statements, no --dsn", "[cli][advise][live][options]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  make_lines(admin);
  auto r = run_pgadvisor(advise_args({"-s", kLookup, "-s", kLines, "--format", "json"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto advice = json::parse(r.out);
  CHECK(advice["workload"]["classes"].size() == 2);
  CHECK(class_reading(advice, "customer_id = 5") != nullptr);
  CHECK(index_tables(advice) == std::vector<std::string>{"advise_cli.orders", "advise_cli.lines"});
  // The other workload sources are still needed without -s.
  CHECK(run_pgadvisor(advise_args({})).exit_code == 2);
}

TEST_CASE("advise --include/--exclude: which tables get indexes, and classes on the others are left out",
          "[cli][advise][live][options]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  make_lines(admin);
  for (const auto& filter : std::vector<std::vector<std::string>>{{"--include", "orders"},
                                                                  {"--include", "advise_cli.orders,nosuch"},
                                                                  {"--exclude", "advise_cli.lines"},
                                                                  {"--exclude", "lines", "--exclude", "x"}}) {
    auto args = advise_args({"-s", kLookup, "-s", kLines, "--format", "json"});
    args.insert(args.end(), filter.begin(), filter.end());
    auto r = run_pgadvisor(args);
    INFO(filter[0] << " " << filter[1] << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    auto advice = json::parse(r.out);
    CHECK(index_tables(advice) == std::vector<std::string>{"advise_cli.orders"});
    REQUIRE(advice["filtered"].size() == 1);
    CHECK_THAT(advice["filtered"][0]["reason"].get<std::string>(),
               Catch::Contains("only tables that may not get indexes (advise_cli.lines)"));
    CHECK(advice["workload"]["classes"].size() == 1);
  }
  // A name that matches no table is worth a warning.
  auto typo = run_pgadvisor(advise_args({"-s", kLookup, "--include", "ordres"}));
  CHECK(typo.exit_code == 0);
  CHECK_THAT(typo.err, Catch::Contains("warning: --include/--exclude: no table ordres"));
  CHECK_THAT(typo.out, Catch::Contains("Left out by the options (1):"));
}

TEST_CASE("advise --min-calls, --min-time and --min-cost leave classes out", "[cli][advise][live][options]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  TempDir tmp;
  // The lookup three times, a cheap primary-key read five times.
  const std::string by_id = "SELECT note FROM advise_cli.orders WHERE id = 5";
  std::ofstream(tmp.path() / "w.sql") << kLookup << ";\n"
                                      << kLookup << ";\n"
                                      << kLookup << ";\n"
                                      << by_id << ";\n"
                                      << by_id << ";\n"
                                      << by_id << ";\n"
                                      << by_id << ";\n"
                                      << by_id << ";\n";
  auto filtered = [&](const std::vector<std::string>& options) {
    auto args = advise_args({"--queries", (tmp.path() / "w.sql").string(), "--format", "json"});
    args.insert(args.end(), options.begin(), options.end());
    auto r = run_pgadvisor(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto advice = json::parse(r.out);
    std::vector<std::string> reasons;
    for (const auto& f : advice["filtered"]) reasons.push_back(f["reason"]);
    return reasons;
  };
  CHECK(filtered({}).empty());
  auto calls = filtered({"--min-calls", "4"});
  REQUIRE(calls.size() == 1);
  CHECK_THAT(calls[0], Catch::Contains("3 call(s), fewer than the minimum of 4"));
  auto cost = filtered({"--min-cost", "100"});  // a primary-key read costs about 8
  REQUIRE(cost.size() == 1);
  CHECK_THAT(cost[0], Catch::Contains("below the minimum of 100"));
  CHECK(filtered({"--min-time", "1000"}).empty());  // statements of a file have no measured time: kept
  CHECK(run_pgadvisor(advise_args({"-s", kLookup, "--min-calls", "-1"})).exit_code == 2);
}

TEST_CASE("advise --tablespace and --apply on the sandbox: psql builds the advice, the rollback undoes it",
          "[cli][advise][live][options][apply]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  TempDir tmp;
  const std::string script = (tmp.path() / "advice.sql").string();
  // --apply keeps the script it runs: it needs -o.
  CHECK(run_pgadvisor(advise_args({"-s", kLookup, "--apply"})).exit_code == 2);

  auto r = run_pgadvisor(advise_args({"-s", kLookup, "--tablespace", "pg_default", "-o", script, "--apply"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(pgadvisor::test::read_file(script), Catch::Contains(") TABLESPACE pg_default;"));
  CHECK_THAT(r.err, Catch::Contains("applied " + script) && Catch::Contains("1 of 1 index(es) created") &&
                        Catch::Contains("advise_cli.orders_customer_id_idx"));
  CHECK(built_indexes(admin) ==
        std::vector<std::string>{"CREATE INDEX orders_customer_id_idx ON advise_cli.orders USING btree (customer_id)"});
  CHECK(pgadvisor::test::psql_file((tmp.path() / "advice.rollback.sql").string()) == 0);
  CHECK(built_indexes(admin).empty());

  // A script that fails stops at its first error: exit 3, psql's message, what was left.
  auto failed = run_pgadvisor(advise_args({"-s", kLookup, "--tablespace", "no such space", "-o", script, "--apply"}));
  CHECK(failed.exit_code == 3);
  CHECK_THAT(failed.err, Catch::Contains("stopped at its first error") &&
                             Catch::Contains("tablespace \"no such space\" does not exist") &&
                             Catch::Contains("nothing of it was left on the database"));
  CHECK(built_indexes(admin).empty());
}

TEST_CASE("advise --apply refuses a database that is neither a shadow nor the sandbox's",
          "[cli][advise][live][apply]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  TempDir tmp;
  const std::string script = (tmp.path() / "advice.sql").string();
  // The sandbox's mark turned off for the session: the database looks like any server's.
  const std::vector<std::string> not_sandbox{"PGOPTIONS=-c pgadvisor.sandbox=off"};
  auto refused = run_pgadvisor(advise_args({"-s", kLookup, "-o", script, "--apply"}), not_sandbox);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("refusing to run the advice on database pgadvisor") &&
                              Catch::Contains("neither a pgadvisor shadow"));
  CHECK_FALSE(std::filesystem::exists(script));  // refused before any advice
  CHECK(built_indexes(admin).empty());

  // postgres and templates never, sandbox or not.
  auto postgres = run_pgadvisor({"advise", "--dsn", pg::dsn_with_database(sandbox().dsn(), "postgres"), "-s",
                                 "SELECT 1", "-o", script, "--apply"});
  CHECK(postgres.exit_code == 2);
  CHECK_THAT(postgres.err, Catch::Contains("maintenance database"));

  // A shadow (its mark names another database as its source) is accepted.
  admin.query("ALTER DATABASE pgadvisor SET pgadvisor.shadow_of = 'port 1/shop'");
  auto shadow = run_pgadvisor(advise_args({"-s", kLookup, "-o", script, "--apply"}), not_sandbox);
  admin.query("ALTER DATABASE pgadvisor RESET pgadvisor.shadow_of");
  INFO(shadow.err);
  CHECK(shadow.exit_code == 0);
  CHECK(built_indexes(admin).size() == 1);
  CHECK(pgadvisor::test::psql_file((tmp.path() / "advice.rollback.sql").string()) == 0);
}

TEST_CASE("advise --apply shows hostile names escaped on the terminal", "[cli][advise][live][apply]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  const std::string schema = "\"apply\x1b[31m\nred\"";
  admin.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  admin.query("CREATE SCHEMA " + schema);
  admin.query("CREATE TABLE " + schema + ".t (a int NOT NULL, b int)");
  admin.query("INSERT INTO " + schema + ".t SELECT g, g FROM generate_series(1, 50000) g");
  admin.query("ANALYZE " + schema + ".t");
  TempDir tmp;
  auto r = run_pgadvisor(advise_args(
      {"-s", "SELECT b FROM " + schema + ".t WHERE a = 5", "-o", (tmp.path() / "a.sql").string(), "--apply"}));
  admin.query("DROP SCHEMA " + schema + " CASCADE");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("1 of 1 index(es) created") && Catch::Contains("apply\\x1B[31m\\nred"));
  CHECK(r.err.find('\x1b') == std::string::npos);
}

TEST_CASE("advise proposes a materialized view for a repeated aggregate, and --no-views none",
          "[cli][advise][live][options][views]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  make_lines(admin);
  const std::string report = "SELECT qty, count(*) AS n FROM advise_cli.lines GROUP BY qty";
  const json with = advise_json({"-s", report, "-s", report});
  INFO(with.dump(2));
  REQUIRE(with["views"].size() == 1);
  CHECK(with["views"][0]["base_tables"] == json::array({"advise_cli.lines"}));
  CHECK(with["views"][0]["classes"][0]["rewritten"].get<std::string>().find(with["views"][0]["name"]) !=
        std::string::npos);
  const json without = advise_json({"-s", report, "-s", report, "--no-views"});
  CHECK(without["views"].empty());
  CHECK(without["refused_views"].empty());
  CHECK(without["indexes"] == with["indexes"]);  // the index advice does not change

  auto text = run_pgadvisor({"advise", "--dsn", sandbox().dsn(), "-s", report, "-s", report});
  CHECK_THAT(text.out, Catch::Contains("Materialized views (1"));
  auto text_without = run_pgadvisor({"advise", "--dsn", sandbox().dsn(), "-s", report, "-s", report, "--no-views"});
  CHECK(text_without.out.find("Materialized views") == std::string::npos);
}

TEST_CASE("advise --store --min-time counts a class's time from pg_stat_statements when the log holds less",
          "[cli][advise][live][options]") {
  auto admin = pg::Connection::open(sandbox().dsn());
  make_orders(admin);
  TempDir tmp;
  const auto store = (tmp.path() / "s.db").string();
  auto snapshot = [&] {
    auto r = run_pgadvisor({"snapshot", "--dsn", sandbox().dsn(), "--store", store});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  // Four slow lookups of 60 ms each; the log that is ingested holds only the first (as a log rotated away would).
  const std::string slow = "SELECT pg_sleep(0.06), note FROM advise_cli.orders WHERE customer_id = $1";
  snapshot();
  auto from = std::filesystem::file_size(sandbox().status().log_file);
  admin.query(slow, "37");
  admin.query("SELECT pg_sleep(0.2)");  // the logger writes asynchronously
  const auto log = tmp.path() / "postgresql.log";
  std::ofstream(log) << log_since(from);
  for (const char* customer : {"74", "111", "148"}) admin.query(slow, customer);
  snapshot();
  auto ingested = run_pgadvisor({"ingest", log.string(), "--store", store});
  INFO(ingested.err);
  REQUIRE(ingested.exit_code == 0);
  // 4 × 60 ms in pg_stat_statements, 1 × 60 ms in the log: kept with a minimum of 150 ms.
  auto advice = advise_json({"--store", store, "--min-time", "150"});
  const json* lookup = class_reading(advice, "pg_sleep");
  REQUIRE(lookup != nullptr);
  CHECK((*lookup)["calls"] == 4);             // pg_stat_statements' count…
  CHECK_FALSE((*lookup)["samples"].empty());  // …merged into the logged class
}

TEST_CASE("advise -o refuses a report's file name: it writes SQL, the report goes to stdout", "[cli][advise]") {
  for (const char* name : {"advice.json", "advice.md", "report.txt"}) {
    auto r = run_pgadvisor({"advise", "-s", "SELECT 1", "--format", "json", "-o", name});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("-o writes the SQL script") && Catch::Contains("--format json > advice.json"));
  }
}
