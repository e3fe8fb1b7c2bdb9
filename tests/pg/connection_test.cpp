// Connections against the test sandbox: parameters, typed values, errors with SQLSTATE/detail/hint,
// the read-only source session, and the libpq ways of naming a server (env, service file, pgpass, URI).
#include "pg/connection.hpp"

#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using pg::Connection;

namespace {

std::string dsn() { return pg::Sandbox(test::sandbox_dir()).dsn(); }
pg::SandboxStatus status() { return pg::Sandbox(test::sandbox_dir()).status(); }

// Sets an environment variable for the scope, restoring the old value after.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A login role with a password, for the tests that go through TCP and scram-sha-256.
void ensure_password_role() {
  auto admin = Connection::open(dsn());
  admin.query("DROP ROLE IF EXISTS pgadvisor_pw_test");
  admin.query("CREATE ROLE pgadvisor_pw_test LOGIN PASSWORD 'Secret-pw_42'");
}

}  // namespace

TEST_CASE("parameters are bound, never spliced", "[pg][connection][live]") {
  auto conn = Connection::open(dsn());
  std::string nasty = "'; DROP TABLE pg_class; --";
  auto r = conn.query("SELECT $1::text AS v, $2::int8 AS n, $3::float8 AS f, $4::bool AS b, $5::text AS missing", nasty,
                      int64_t{9007199254740993}, 2.5, true, std::nullopt);
  CHECK(r.get<std::string>(0, "v") == nasty);
  CHECK(r.get<int64_t>(0, "n") == 9007199254740993);
  CHECK(r.get<double>(0, "f") == 2.5);
  CHECK(r.get<bool>(0, "b"));
  CHECK_FALSE(r.get_optional<std::string>(0, "missing").has_value());
  CHECK_THROWS_AS(r.get<std::string>(0, "missing"), pg::Error);
  CHECK_THROWS_AS(r.get<int64_t>(0, "v"), pg::Error);
  CHECK_THROWS_AS(r.column("nope"), pg::Error);
  auto many = conn.query("SELECT g FROM generate_series(1, $1::int) AS g", 5);
  CHECK(many.rows() == 5);
  CHECK(many.get<int32_t>(4, 0) == 5);
}

TEST_CASE("server errors carry SQLSTATE, message, detail and hint", "[pg][connection][live]") {
  auto conn = Connection::open(dsn());
  try {
    conn.query("SELECT * FROM no_such_table_here");
    FAIL("expected an error");
  } catch (const pg::Error& e) {
    CHECK(e.sqlstate() == "42P01");
    CHECK(e.primary() == "relation \"no_such_table_here\" does not exist");
  }
  try {
    conn.query(
        "DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'the detail', HINT = 'the hint', "
        "ERRCODE = '22012'; END $$");
    FAIL("expected an error");
  } catch (const pg::Error& e) {
    CHECK(e.sqlstate() == "22012");
    CHECK(e.primary() == "boom");
    CHECK(e.detail() == "the detail");
    CHECK(e.hint() == "the hint");
  }
  // The connection is still usable after an error.
  CHECK(conn.query("SELECT 1").get<int32_t>(0, 0) == 1);
}

TEST_CASE("a source session is read-only, time-limited and named pgadvisor", "[pg][connection][live]") {
  using namespace std::chrono_literals;
  auto conn = Connection::open(dsn() + " application_name=someone_else", pg::SessionOptions::source(300ms, 150ms));
  auto r = conn.query(
      "SELECT current_setting('default_transaction_read_only'), current_setting('statement_timeout'),"
      " current_setting('lock_timeout'), current_setting('application_name')");
  CHECK(r.get<std::string>(0, 0) == "on");
  CHECK(r.get<std::string>(0, 1) == "300ms");
  CHECK(r.get<std::string>(0, 2) == "150ms");
  CHECK(r.get<std::string>(0, 3) == "pgadvisor");
  try {
    conn.query("CREATE TABLE pgadvisor_must_not_exist (x int)");
    FAIL("a source session must not write");
  } catch (const pg::Error& e) {
    CHECK(e.sqlstate() == "25006");  // read_only_sql_transaction
  }
  try {
    conn.query("SELECT pg_sleep(5)");
    FAIL("statement_timeout must cancel");
  } catch (const pg::Error& e) {
    CHECK(e.sqlstate() == "57014");  // query_canceled
  }
}

TEST_CASE("a refused connection and a bad DSN are ConnectionErrors without passwords", "[pg][connection][live]") {
  try {
    Connection::open("host=127.0.0.1 port=1 dbname=x password=hunter2 connect_timeout=2");
    FAIL("expected a refused connection");
  } catch (const pg::ConnectionError& e) {
    CHECK_THAT(e.primary(), Catch::Contains("refused"));
    CHECK(e.server().find("hunter2") == std::string::npos);
    CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
  }
  try {
    Connection::open("host=h password=hunter2 oops");
    FAIL("expected an invalid DSN");
  } catch (const pg::ConnectionError& e) {
    CHECK_THAT(e.primary(), Catch::Contains("invalid connection string"));
    CHECK(e.server().find("hunter2") == std::string::npos);
  }
}

TEST_CASE("PG* variables, URIs and service files name the server as in psql", "[pg][connection][live]") {
  auto s = status();
  SECTION("environment") {
    ScopedEnv host("PGHOST", s.socket_dir.string());
    ScopedEnv port("PGPORT", std::to_string(s.port));
    ScopedEnv user("PGUSER", "postgres");
    ScopedEnv db("PGDATABASE", "pgadvisor");
    CHECK(Connection::open("").query("SELECT current_database()").get<std::string>(0, 0) == "pgadvisor");
  }
  SECTION("URI with a socket directory") {
    std::string uri =
        "postgresql://postgres@/pgadvisor?host=" + s.socket_dir.string() + "&port=" + std::to_string(s.port);
    CHECK(Connection::open(uri).query("SELECT current_user").get<std::string>(0, 0) == "postgres");
  }
  SECTION("service file") {
    test::TempDir tmp;
    auto file = tmp.path() / "pg_service.conf";
    std::ofstream(file) << "[pgadvisor_test]\nhost=" << s.socket_dir.string() << "\nport=" << s.port
                        << "\nuser=postgres\ndbname=pgadvisor\n";
    ScopedEnv service_file("PGSERVICEFILE", file.string());
    CHECK(Connection::open("service=pgadvisor_test").query("SELECT 1").get<int32_t>(0, 0) == 1);
  }
}

TEST_CASE("passwords come from ~/.pgpass (PGPASSFILE) and wrong ones are refused", "[pg][connection][live]") {
  ensure_password_role();
  auto s = status();
  std::string tcp = "host=127.0.0.1 port=" + std::to_string(s.port) + " dbname=pgadvisor user=pgadvisor_pw_test";
  test::TempDir tmp;
  auto passfile = tmp.path() / "pgpass";
  std::ofstream(passfile) << "127.0.0.1:" << s.port << ":*:pgadvisor_pw_test:Secret-pw_42\n";
  std::filesystem::permissions(passfile, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  {
    ScopedEnv pgpass("PGPASSFILE", passfile.string());
    CHECK(Connection::open(tcp).query("SELECT current_user").get<std::string>(0, 0) == "pgadvisor_pw_test");
  }
  ScopedEnv no_pgpass("PGPASSFILE", (tmp.path() / "none").string());
  try {
    Connection::open(tcp + " password=wrong-Secret");
    FAIL("a wrong password must be refused");
  } catch (const pg::ConnectionError& e) {
    CHECK_THAT(e.primary(), Catch::Contains("password authentication failed"));
    CHECK(e.server().find("wrong-Secret") == std::string::npos);
  }
}
