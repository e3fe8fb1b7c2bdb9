// --fail-on: the statuses it lists fail the gate, the others do not.
#include <catch2/catch.hpp>

#include "gate/gate.hpp"

using namespace pgadvisor::gate;

TEST_CASE("gate: --fail-on lists exactly the statuses that fail", "[gate]") {
  auto f = parse_fail_on("regressed,plan");
  CHECK(f.regressed);
  CHECK(f.plan);
  CHECK_FALSE(f.result);
  CHECK_FALSE(f.budget);
  CHECK(fails({Status::Ok, Status::PlanChanged}, f));
  CHECK_FALSE(fails({Status::ResultChanged, Status::Improved}, f));
  CHECK(fails({Status::ResultChanged}, FailOn{}));
  CHECK_FALSE(fails({Status::PlanChanged}, FailOn{}));  // a warning by default
  CHECK_FALSE(fails({Status::Regressed}, parse_fail_on("none")));
  CHECK(fails({Status::PlanChanged}, parse_fail_on("all")));
  CHECK_THROWS_WITH(parse_fail_on("regressed,slow"), Catch::Contains("unknown 'slow'"));
  CHECK(to_string(Status::PlanChanged) == "plan changed");
}
