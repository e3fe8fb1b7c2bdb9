// Running a SQL file on the shared test sandbox with psql, as a DBA would (-v ON_ERROR_STOP=1). Header-only: only
// the test programs that link the pg module include it.
#pragma once

#include <string>

#include "pg/process.hpp"
#include "pg/sandbox.hpp"
#include "test_support.hpp"

namespace pgadvisor::test {

//! psql's exit status for `file` run on the sandbox's database (output discarded).
inline int psql_file(const std::string& file) {
  auto s = pg::Sandbox(sandbox_dir()).status();
  return pg::run_process({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", s.socket_dir.string(), "-p",
                          std::to_string(s.port), "-U", "postgres", "-d", "pgadvisor", "-f", file})
      .exit_code;
}

}  // namespace pgadvisor::test
