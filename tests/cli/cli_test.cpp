// The pgadvisor executable as users run it: --version, --help of every command, usage errors (exit 2),
// connection errors (exit 3, one clear line, no password), doctor's text and JSON on the sandbox.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;

TEST_CASE("version and help of every command", "[cli]") {
  auto version = run_pgadvisor({"--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("pgadvisor "));

  auto help = run_pgadvisor({"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("sandbox") && Catch::Contains("doctor") && Catch::Contains("Exit codes"));

  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{{"sandbox", "--help"},
                                                                             {"sandbox", "up", "--help"},
                                                                             {"sandbox", "down", "--help"},
                                                                             {"sandbox", "status", "--help"},
                                                                             {"sandbox", "env", "--help"},
                                                                             {"doctor", "--help"}}) {
    auto r = run_pgadvisor(args);
    INFO(args[0] << " " << args[1]);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage"));
  }
}

TEST_CASE("every default is shown in --help, never an empty list or a sentinel", "[cli]") {
  auto advise = run_pgadvisor({"advise", "--help"});
  CHECK_THAT(advise.out, Catch::Contains("=no cap") && Catch::Contains("in [1 - 32]=3") &&
                             Catch::Contains("in [0 - 100]=20") && Catch::Contains("{text,json,markdown}=text") &&
                             Catch::Contains("--no-views"));
  CHECK_THAT(run_pgadvisor({"ingest", "--help"}).out,
             Catch::Contains("=all cores") && Catch::Contains("=pgadvisor.db"));
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{{"advise", "--help"},
                                                                             {"ingest", "--help"},
                                                                             {"top", "--help"},
                                                                             {"health", "--help"},
                                                                             {"bench", "--help"},
                                                                             {"snapshot", "--help"},
                                                                             {"shadow", "create", "--help"}}) {
    auto r = run_pgadvisor(args);
    INFO(args[0] << " " << args[1] << "\n" << r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("=[]") == std::string::npos);
    CHECK(r.out.find("]=0\n") == std::string::npos);  // 0 standing for "none" or "auto" must say so (sandbox up's
                                                      // --log-min-duration 0 is a real value: not listed)
  }
}

TEST_CASE("usage errors exit 2", "[cli]") {
  CHECK(run_pgadvisor({}).exit_code == 2);
  CHECK(run_pgadvisor({"no-such-command"}).exit_code == 2);
  CHECK(run_pgadvisor({"doctor", "--format", "yaml"}).exit_code == 2);
  CHECK(run_pgadvisor({"sandbox", "up", "--port", "99999"}).exit_code == 2);
  // --no-views is a flag: it takes no value, and with one the usage error names it.
  auto valued = run_pgadvisor({"advise", "-s", "SELECT 1", "--no-views=maybe"});
  CHECK(valued.exit_code == 2);
  CHECK_THAT(valued.err, Catch::Contains("no-views"));
}

TEST_CASE("connection errors exit 3 with one clear line and no password", "[cli]") {
  auto refused = run_pgadvisor({"doctor", "--dsn", "host=127.0.0.1 port=1 password=hunter2 connect_timeout=2"});
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Catch::StartsWith("pgadvisor: error: cannot connect to "));
  CHECK_THAT(refused.err, Catch::Contains("host=127.0.0.1 port=1:") && Catch::Contains("Connection refused"));
  CHECK(refused.err.find("hunter2") == std::string::npos);

  auto bad = run_pgadvisor({"doctor", "--dsn", "postgresql://u:hunter2@h/db?nosuchoption=1"});
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.err, Catch::Contains("invalid connection string"));
  CHECK(bad.err.find("hunter2") == std::string::npos);
}

TEST_CASE("doctor on the sandbox: all ok in text and JSON, PG* variables honoured", "[cli][live]") {
  pgadvisor::pg::Sandbox box(pgadvisor::test::sandbox_dir());
  auto text = run_pgadvisor({"doctor", "--dsn", box.dsn()});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("0 warning(s), 0 problem(s)"));

  auto s = box.status();
  auto env_run = run_pgadvisor({"doctor", "--format", "json"},
                               {"PGHOST=" + s.socket_dir.string(), "PGPORT=" + std::to_string(s.port),
                                "PGUSER=postgres", "PGDATABASE=pgadvisor", "NO_COLOR=1"});
  CHECK(env_run.exit_code == 0);
  auto doc = nlohmann::json::parse(env_run.out);
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["summary"]["problem"] == 0);
  CHECK(doc["summary"]["warning"] == 0);
  CHECK(doc["checks"].size() >= 12);
  for (const auto& c : doc["checks"]) CHECK(c["status"] == "ok");
}

TEST_CASE("sandbox status and env through the CLI", "[cli][live]") {
  auto dir = pgadvisor::test::sandbox_dir();
  auto status = run_pgadvisor({"sandbox", "status", "--dir", dir});
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::StartsWith("sandbox running"));
  auto env = run_pgadvisor({"sandbox", "env", "--dir", dir});
  CHECK(env.exit_code == 0);
  CHECK_THAT(env.out, Catch::Contains("export PGHOST=") && Catch::Contains("export PGDATABASE=pgadvisor"));

  pgadvisor::test::TempDir tmp;
  auto stopped = run_pgadvisor({"sandbox", "status", "--dir", tmp.path().string()});
  CHECK(stopped.exit_code == 3);
  CHECK_THAT(stopped.out, Catch::StartsWith("sandbox stopped"));
}
