// The one way pgadvisor (and its tests) runs another program: fork/exec without a shell, stdin from /dev/null or a
// file, stdout and stderr captured separately, optionally as another OS user (PostgreSQL refuses to run as root, so a
// root caller runs the server programs as the `postgres` user).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pgadvisor::pg {

//! The OS account server programs run as.
struct RunAs {
  uid_t uid;
  gid_t gid;
  std::string name;
};

struct ProcessOptions {
  std::string cwd;                       //!< the directory the program runs in; empty: the caller's
  std::optional<RunAs> user;             //!< switch to this user in the child (root callers only)
  std::vector<std::string> environment;  //!< "NAME=value", added to (or replacing those of) the caller's environment
  std::filesystem::path input;           //!< the file the program reads as stdin; empty: /dev/null
};

struct ProcessResult {
  int exit_code = -1;  //!< the program's exit status; 128+N when killed by signal N
  std::string out;     //!< stdout
  std::string err;     //!< stderr

  //! stdout then stderr, for messages about a failed run (never parse it: use `out`).
  std::string combined() const { return out + err; }
};

//! Runs argv[0] with argv and waits for it. argv[0] is a path, or a bare name looked up in $PATH. Throws
//! std::runtime_error when the program cannot be started at all (not found, no pipe, no fork); a program that
//! starts and fails is a result with its exit code.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

//! `name` when it holds a '/', else the first executable `name` in a directory of $PATH; nullopt when there is none.
std::optional<std::filesystem::path> find_program(const std::string& name);

//! Whether `user` may create files in `dir` (checked by a child process that switches to that user).
bool user_can_write(const std::string& dir, const RunAs& user);

}  // namespace pgadvisor::pg
