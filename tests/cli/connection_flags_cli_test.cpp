// psql's connection flags on the commands that connect to one database (advise, doctor, health, snapshot):
// -h/-p/-U/-d beside --dsn, each replacing its part of the DSN; --help stays the help (and -h the help of the
// commands without them, and of pgadvisor itself); hostile values stay one conninfo value; usage errors exit 2.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;

namespace {

pgadvisor::pg::SandboxStatus sandbox() { return pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).status(); }

// The sandbox's database through the flags only.
std::vector<std::string> flags() {
  auto s = sandbox();
  return {"-h", s.socket_dir.string(), "-p", std::to_string(s.port), "-U", "postgres", "-d", "pgadvisor"};
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_CASE("the help of the commands with connection flags is --help, -h their host", "[cli][connection]") {
  for (const std::string command : {"advise", "doctor", "health", "snapshot"}) {
    auto help = run_pgadvisor({command, "--help"});
    INFO(command << "\n" << help.out);
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("-h,--host TEXT=PGHOST, else the local socket") &&
                             Catch::Contains("-p,--port TEXT=PGPORT, else 5432") &&
                             Catch::Contains("-U,--username TEXT=PGUSER, else the OS user") &&
                             Catch::Contains("-d,--dbname TEXT=PGDATABASE, else the user name") &&
                             Catch::Contains("  --help "));
    auto bare = run_pgadvisor({command, "-h"});  // a host is missing: a usage error that points to --help
    CHECK(bare.exit_code == 2);
    CHECK_THAT(bare.err, Catch::Contains("--host") && Catch::Contains("--help"));
  }
  // pgadvisor itself, and the commands without connection flags, keep -h for help.
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{{"-h"}, {"--help"}, {"top", "-h"}}) {
    auto r = run_pgadvisor(args);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage"));
  }
}

TEST_CASE("connection flags: usage errors exit 2 before connecting", "[cli][connection]") {
  for (const std::string port : {"0", "65536", "54x", "", ",", "5432,"}) {
    INFO("port '" << port << "'");
    auto r = run_pgadvisor({"doctor", "-p", port});
    CHECK(r.exit_code == 2);
  }
  auto twice = run_pgadvisor({"doctor", "--dsn", "host=h", "-d", "host=h dbname=x"});
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.err, Catch::Contains("give it once"));
  // health reads a server or a store, not both.
  CHECK(run_pgadvisor({"health", "--store", "x.db", "-h", "localhost"}).exit_code == 2);
}

TEST_CASE("a host with blanks and quotes is one host, never more conninfo keywords", "[cli][connection]") {
  // Were the value spliced into the conninfo, `port=1` would be read as a keyword and the message would name port 1.
  auto r = run_pgadvisor({"doctor", "-h", "/nonexistent dir' port=1 dbname=evil", "-p", "5999"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("/nonexistent dir' port=1 dbname=evil/.s.PGSQL.5999"));
  CHECK(r.err.find("dbname=evil ") == std::string::npos);
}

TEST_CASE("doctor, health and snapshot connect with -h -p -U -d, and flags replace parts of --dsn",
          "[cli][connection][live]") {
  auto doctor = run_pgadvisor(with({"doctor", "--format", "json"}, flags()));
  INFO(doctor.err);
  CHECK(doctor.exit_code == 0);
  CHECK(nlohmann::json::parse(doctor.out)["summary"]["problem"] == 0);
  CHECK(run_pgadvisor(with({"health"}, flags())).exit_code == 0);
  pgadvisor::test::TempDir tmp;
  auto snapshot = run_pgadvisor(with({"snapshot", "--store", (tmp.path() / "s.db").string()}, flags()));
  INFO(snapshot.err);
  CHECK(snapshot.exit_code == 0);

  // --dsn names a server that is not there; -h and -p replace its host and port (user and database are its own).
  auto s = sandbox();
  const std::string wrong = "host=/nonexistent port=1 user=postgres dbname=pgadvisor connect_timeout=2";
  CHECK(run_pgadvisor({"doctor", "--dsn", wrong}).exit_code == 3);
  auto replaced = run_pgadvisor({"doctor", "--dsn", wrong, "-h", s.socket_dir.string(), "-p", std::to_string(s.port)});
  INFO(replaced.err);
  CHECK(replaced.exit_code == 0);
  CHECK_THAT(replaced.out, Catch::Contains("port=" + std::to_string(s.port)));
  // -d replaces the database: the server says which one it is.
  auto other = run_pgadvisor({"doctor", "--dsn", wrong, "-h", s.socket_dir.string(), "-p", std::to_string(s.port), "-d",
                              "postgres", "--format", "json"});
  CHECK_THAT(other.out, Catch::Contains("connected to database postgres as postgres"));
  // -d may be a whole connection string, as in psql; flags replace its parts too.
  auto conninfo = run_pgadvisor({"doctor", "-d", wrong, "-h", s.socket_dir.string(), "-p", std::to_string(s.port)});
  CHECK(conninfo.exit_code == 0);
  // No --dsn and no flags: the PG* variables, as psql.
  auto env = run_pgadvisor({"doctor"}, {"PGHOST=" + s.socket_dir.string(), "PGPORT=" + std::to_string(s.port),
                                        "PGUSER=postgres", "PGDATABASE=pgadvisor"});
  CHECK(env.exit_code == 0);
  // A flag beats its PG* variable.
  auto beats = run_pgadvisor({"doctor", "-p", std::to_string(s.port)}, {"PGHOST=" + s.socket_dir.string(), "PGPORT=1",
                                                                        "PGUSER=postgres", "PGDATABASE=pgadvisor"});
  CHECK(beats.exit_code == 0);
}
