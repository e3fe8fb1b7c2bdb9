// Helpers shared by the tests: paths of the source tree, running the built pgadvisor executable,
// the shared test sandbox's DSN, and temporary directories that clean up after themselves.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pgadvisor::test {

//! A path under the source tree.
std::string source_path(const std::string& relative);

//! The sandbox that ctest's "sandbox" fixture starts for the [live] tests.
std::string sandbox_dir();

struct CommandResult {
  int exit_code = -1;
  std::string out;  //!< stdout
  std::string err;  //!< stderr
};

//! Runs the built pgadvisor (or $PGADVISOR_EXE when set) with `args` through pg::run_process; `env` entries
//! ("NAME=value") are added to (or replace those of) the environment. Never goes through a shell.
CommandResult run_pgadvisor(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

//! Every byte of a file ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);

//! $TMPDIR, else /tmp: where temporary files and directories of the tests go.
std::filesystem::path temp_root();

//! A fresh directory under temp_root() (made reachable by the postgres OS user), removed with its contents at scope
//! exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace pgadvisor::test
