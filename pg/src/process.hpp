// Runs a server program (initdb, pg_ctl) and waits for it, optionally as another OS user: PostgreSQL
// refuses to run as root, so a root caller runs them as the `postgres` user.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace pgadvisor::pg::detail {

//! The OS account server programs run as.
struct RunAs {
  uid_t uid;
  gid_t gid;
  std::string name;
};

struct ProcessResult {
  int exit_code = -1;  //!< the program's exit status; 128+N when killed by signal N
  std::string output;  //!< stdout and stderr, interleaved
};

//! Runs argv[0] (an absolute path) with argv, in directory `cwd`, as `user` when given; captures output.
//! Throws std::runtime_error when the program cannot be started at all.
//! `environment` entries ("NAME=value") are added to (or replace those of) the caller's environment.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::optional<RunAs>& user, const std::vector<std::string>& environment = {});

//! Whether `user` may create files in `dir` (checked by a child process that switches to that user).
bool user_can_write(const std::string& dir, const RunAs& user);

}  // namespace pgadvisor::pg::detail
