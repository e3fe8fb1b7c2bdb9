// Implementation of the shared test helpers (running pgadvisor through pg/process.hpp, temporary directories).
#include "test_support.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "pg/process.hpp"
#include "pg/temp_file.hpp"

namespace pgadvisor::test {

std::string source_path(const std::string& relative) { return std::string(PGADVISOR_SOURCE_DIR) + "/" + relative; }

std::string sandbox_dir() { return PGADVISOR_TEST_SANDBOX_DIR; }

CommandResult run_pgadvisor(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const char* exe = std::getenv("PGADVISOR_EXE");  // to test another build of the executable
  if (exe == nullptr || *exe == '\0') exe = PGADVISOR_EXE_PATH;
  std::vector<std::string> argv{exe};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = pg::run_process(argv, {.cwd = {}, .user = std::nullopt, .environment = env, .input = {}});
  return {r.exit_code, std::move(r.out), std::move(r.err)};
}

std::filesystem::path temp_root() { return pg::temp_directory(); }

TempDir::TempDir() {
  std::string pattern = (temp_root() / "pgadvisor-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed in " + temp_root().string());
  path_ = pattern;
  // mkdtemp makes it 0700; the sandbox server runs as the postgres OS user when we are root and must get in.
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                          std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                          std::filesystem::perms::others_exec);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace pgadvisor::test
