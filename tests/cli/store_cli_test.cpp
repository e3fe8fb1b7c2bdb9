// The store as commands open it: read-only commands never create a store nor need write access to it.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using pgadvisor::test::run_pgadvisor;
using pgadvisor::test::TempDir;

TEST_CASE("read-only commands on a missing store exit 3 and create nothing", "[cli][store]") {
  TempDir tmp;
  const auto missing = (tmp.path() / "missing.db").string();
  for (const std::vector<std::string>& args : {std::vector<std::string>{"top", "--store", missing},
                                               {"top", "--store", missing, "--source", "statements"},
                                               {"health", "--store", missing}}) {
    INFO(args[0]);
    auto r = run_pgadvisor(args);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains(missing));
    CHECK_FALSE(std::filesystem::exists(missing));
  }
}
