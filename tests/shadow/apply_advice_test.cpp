// `advise --apply` on the shadow side: which databases the advice may run on (a shadow or the sandbox's, never a
// template, `postgres` or an unmarked database), and a script run by psql that stops at its first error, with each
// advised index found built, left invalid, or absent.
#include "shadow/apply_advice.hpp"

#include <fstream>

#include <catch2/catch.hpp>

#include "pg/connection.hpp"
#include "pg/sandbox.hpp"
#include "shadow/shadow_copy.hpp"
#include "test_support.hpp"

namespace pg = pgadvisor::pg;
using pgadvisor::shadow::apply_advice_script;
using pgadvisor::shadow::check_apply_target;
using pgadvisor::shadow::database_identity;
using pgadvisor::shadow::ShadowCandidate;
using pgadvisor::shadow::ShadowRefused;

TEST_CASE("advice runs on a shadow or a sandbox database only", "[shadow][apply]") {
  ShadowCandidate db;
  db.system_identifier = "1";
  db.database = "shop";
  CHECK_THROWS_WITH(check_apply_target(db), Catch::Contains("refusing to run the advice on database shop") &&
                                                Catch::Contains("neither a pgadvisor shadow"));
  db.shadow_of = "1/shop";  // its mark names itself
  CHECK_THROWS_AS(check_apply_target(db), ShadowRefused);
  db.database = "shop_shadow";
  CHECK_NOTHROW(check_apply_target(db));
  db.shadow_of.reset();
  db.sandbox = true;
  CHECK_NOTHROW(check_apply_target(db));
  for (const char* name : {"postgres", "template0", "template1"}) {
    db.database = name;
    INFO(name);
    CHECK_THROWS_AS(check_apply_target(db), ShadowRefused);
  }
  db.database = "my_template";
  db.is_template = true;
  CHECK_THROWS_WITH(check_apply_target(db), Catch::Contains("template database"));
}

TEST_CASE("the sandbox's databases carry its mark", "[shadow][apply][live]") {
  auto conn = pg::Connection::open(pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn());
  auto id = database_identity(conn);
  CHECK(id.sandbox);
  CHECK_NOTHROW(check_apply_target(id));
}

TEST_CASE("a script that fails half-way: psql stops there, and the report says what was left",
          "[shadow][apply][live]") {
  const std::string dsn = pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn();
  auto admin = pg::Connection::open(dsn);
  admin.query("DROP SCHEMA IF EXISTS apply_test CASCADE");
  admin.query("CREATE SCHEMA apply_test");
  admin.query("CREATE TABLE apply_test.t (a int, b int)");
  pgadvisor::test::TempDir tmp;
  auto script = (tmp.path() / "advice.sql").string();
  std::ofstream(script) << "CREATE INDEX CONCURRENTLY t_a_idx ON apply_test.t (a);\n"
                        << "CREATE INDEX CONCURRENTLY t_c_idx ON apply_test.t (c);\n"  // no column c: stops here
                        << "CREATE INDEX CONCURRENTLY t_b_idx ON apply_test.t (b);\n";
  const std::vector<std::string> names{"apply_test.t_a_idx", "apply_test.t_c_idx", "apply_test.t_b_idx"};
  auto report = apply_advice_script(dsn, script, names);
  CHECK_FALSE(report.succeeded);
  CHECK(report.exit_code == 3);  // psql: a script error under ON_ERROR_STOP
  CHECK_THAT(report.messages, Catch::Contains("column \"c\" does not exist"));
  REQUIRE(report.indexes.size() == 3);
  CHECK(report.indexes[0].present);
  CHECK(report.indexes[0].valid);
  CHECK_FALSE(report.indexes[1].present);
  CHECK_FALSE(report.indexes[2].present);  // never reached

  std::ofstream(script, std::ios::trunc) << "CREATE INDEX CONCURRENTLY t_b_idx ON apply_test.t (b);\n";
  report = apply_advice_script(dsn, script, {"apply_test.t_b_idx"});
  CHECK(report.succeeded);
  CHECK(report.indexes[0].present);
  admin.query("DROP SCHEMA apply_test CASCADE");
}
