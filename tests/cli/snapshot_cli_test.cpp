// `pgadvisor snapshot` end to end: two stored snapshots of the sandbox, usage errors (exit 2), a server that
// does not answer (exit 3, no password shown).
#include <catch2/catch.hpp>

#include "pg/sandbox.hpp"
#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;

TEST_CASE("snapshot stores one snapshot per --count", "[cli][snapshot][live]") {
  pgadvisor::test::TempDir tmp;
  auto store = (tmp.path() / "store.db").string();
  auto dsn = pgadvisor::pg::Sandbox(pgadvisor::test::sandbox_dir()).dsn();
  auto r = run_pgadvisor({"snapshot", "--dsn", dsn, "--store", store, "--count", "2", "--interval", "1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Matches(R"((snapshot \d of \d+/pgadvisor at \S+Z: \d+ statements, \d+ tables, \d+ indexes, )"
                                   R"(\d+ views; 13 round trips, \d+ ms\n){2})"));
  CHECK_THAT(r.out, Catch::StartsWith("snapshot 1 ") && Catch::Contains("\nsnapshot 2 "));
}

TEST_CASE("snapshot usage and connection errors", "[cli][snapshot]") {
  pgadvisor::test::TempDir tmp;
  auto store = (tmp.path() / "store.db").string();
  CHECK(run_pgadvisor({"snapshot", "--interval", "5 weeks"}).exit_code == 2);
  CHECK(run_pgadvisor({"snapshot", "--count", "0"}).exit_code == 2);
  auto r = run_pgadvisor({"snapshot", "--dsn", "host=/nonexistent port=1 password=secret", "--store", store});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::StartsWith("pgadvisor: error: cannot connect to"));
  CHECK_THAT(r.err, !Catch::Contains("secret"));
}
