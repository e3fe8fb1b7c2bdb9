// doctor against real servers: the test sandbox (all ok), a server without pg_stat_statements,
// a database without the extensions, and a role without pg_read_all_stats.
#include "collector/doctor.hpp"

#include <catch2/catch.hpp>

#include "pg/connection.hpp"
#include "pg/quote.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using collector::CheckStatus;

namespace {

const collector::Check& find(const collector::DoctorReport& r, const std::string& name) {
  for (const auto& c : r.checks) {
    if (c.name == name) return c;
  }
  FAIL("no check named " << name);
  throw std::logic_error("unreachable");
}

collector::DoctorReport doctor(const std::string& dsn) {
  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source());
  return collector::run_doctor(conn);
}

}  // namespace

TEST_CASE("the sandbox passes every check", "[collector][doctor][live]") {
  auto report = doctor(pg::Sandbox(test::sandbox_dir()).dsn());
  for (const auto& c : report.checks) {
    INFO(c.name << ": " << c.finding << " / " << c.fix);
    CHECK(c.status == CheckStatus::Ok);
    CHECK(c.fix.empty());
  }
  CHECK(report.checks.size() >= 12);
  CHECK_FALSE(report.has_problems());
  CHECK(find(report, "hypopg.extension").finding == "version 1.3.1");
}

TEST_CASE("a database without the extensions gets the CREATE EXTENSION to run", "[collector][doctor][live]") {
  auto sandbox_dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(sandbox_dsn);
  admin.query("DROP DATABASE IF EXISTS doctor_bare");
  admin.query("CREATE DATABASE doctor_bare");
  auto report = doctor(sandbox_dsn + " dbname=doctor_bare");
  auto& pss = find(report, "pg_stat_statements.extension");
  CHECK(pss.status == CheckStatus::Problem);
  CHECK_THAT(pss.fix, Catch::Contains("CREATE EXTENSION pg_stat_statements;"));
  auto& hypo = find(report, "hypopg.extension");
  CHECK(hypo.status == CheckStatus::Problem);
  CHECK_THAT(hypo.fix, Catch::Contains("CREATE EXTENSION hypopg;"));
  CHECK(find(report, "pg_stat_statements.loaded").status == CheckStatus::Ok);  // the library is still loaded
  CHECK(report.has_problems());
}

TEST_CASE("a role without pg_read_all_stats gets the GRANT to run", "[collector][doctor][live]") {
  auto sandbox_dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(sandbox_dsn);
  admin.query("DROP ROLE IF EXISTS doctor_plain");
  admin.query("CREATE ROLE doctor_plain LOGIN");
  auto report = doctor(sandbox_dsn + " user=doctor_plain");
  auto& role = find(report, "role.read_all_stats");
  CHECK(role.status == CheckStatus::Warning);
  CHECK(role.fix == "GRANT pg_read_all_stats TO doctor_plain;");
  // Settings stay readable, and pg_stat_statements is still seen as loaded through its own settings.
  CHECK(find(report, "pg_stat_statements.loaded").status == CheckStatus::Ok);
  CHECK_FALSE(report.has_problems());
}

TEST_CASE("a server without pg_stat_statements is told to preload it and restart", "[collector][doctor][live]") {
  test::TempDir tmp;
  pg::Sandbox box(tmp.path() / "bare");
  pg::SandboxOptions options;
  options.port = -1;
  options.preload_pg_stat_statements = false;
  options.log_min_duration_ms = -1;
  box.up(options);
  auto report = doctor(box.dsn());
  box.down();

  auto& loaded = find(report, "pg_stat_statements.loaded");
  CHECK(loaded.status == CheckStatus::Problem);
  CHECK(loaded.fix ==
        "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; then restart the server "
        "(a reload is not enough)");
  CHECK(find(report, "pg_stat_statements.extension").status == CheckStatus::Problem);
  auto& logging = find(report, "log_min_duration_statement");
  CHECK(logging.status == CheckStatus::Warning);
  CHECK_THAT(logging.fix, Catch::Contains("log_min_duration_statement"));
  CHECK(report.has_problems());
}

TEST_CASE("a database name with a line break stays on its fix's comment line", "[collector][doctor][live]") {
  const std::string hostile = "doctor\nDROP TABLE victim; --";
  auto sandbox_dsn = pg::Sandbox(test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(sandbox_dsn);
  admin.query("DROP DATABASE IF EXISTS " + pg::quote_identifier(hostile));
  admin.query("CREATE DATABASE " + pg::quote_identifier(hostile));
  // Its name would be the %d of the sandbox log's line prefix, line break included: the log parser would count the
  // lines it splits as bad lines of every later ingest of that shared log. Nothing of this database is logged.
  for (const char* setting :
       {"log_min_duration_statement = -1", "log_min_messages = panic", "log_min_error_statement = panic"}) {
    admin.query("ALTER DATABASE " + pg::quote_identifier(hostile) + " SET " + setting);
  }
  auto report = doctor(sandbox_dsn + " dbname='doctor\nDROP TABLE victim; --'");
  admin.query("DROP DATABASE " + pg::quote_identifier(hostile));
  auto& extension = find(report, "pg_stat_statements.extension");
  CHECK(extension.fix == "CREATE EXTENSION pg_stat_statements; -- in database doctor\\nDROP TABLE victim; --");
  CHECK(find(report, "hypopg.extension").fix.find('\n') == std::string::npos);
}
