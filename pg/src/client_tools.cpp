// pg_dump/pg_restore through the one process runner (pg/process.hpp), from `pg_config --bindir`.
#include "pg/client_tools.hpp"

#include <cstdlib>
#include <stdexcept>

#include "pg/dsn.hpp"
#include "pg/process.hpp"

namespace pgadvisor::pg {

std::filesystem::path postgres_bindir() {
  if (const char* env = std::getenv("PGADVISOR_PG_BINDIR"); env != nullptr && *env != '\0') return env;
  std::string out;
  try {
    if (auto r = run_process({"pg_config", "--bindir"}); r.exit_code == 0) out = r.out;
  } catch (const std::runtime_error&) {
    // no pg_config in PATH: the fallback below
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out.empty() ? std::filesystem::path("/usr/lib/postgresql/15/bin") : std::filesystem::path(out);
}

ProcessResult run_client_tool(const std::string& program, const std::vector<std::string>& args,
                              const std::vector<std::string>& environment) {
  auto exe = postgres_bindir() / program;
  if (!std::filesystem::exists(exe)) {
    throw std::runtime_error(program + " not found in " + exe.parent_path().string() +
                             " (pg_config --bindir); install the PostgreSQL client of the server's major version");
  }
  std::vector<std::string> argv{exe.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {.cwd = {}, .user = std::nullopt, .environment = environment, .input = {}});
}

ToolConnection tool_connection(std::string_view dsn) {
  ToolConnection c;
  c.dbname = redact_dsn(dsn);
  if (auto password = dsn_password(dsn)) c.environment.push_back("PGPASSWORD=" + *password);
  return c;
}

}  // namespace pgadvisor::pg
