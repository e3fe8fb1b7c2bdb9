// pg_dump/pg_restore through the fork/exec helper of the sandbox (process.cpp), from `pg_config --bindir`.
#include "pg/client_tools.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "pg/dsn.hpp"
#include "process.hpp"

namespace pgadvisor::pg {

std::filesystem::path postgres_bindir() {
  if (const char* env = std::getenv("PGADVISOR_PG_BINDIR"); env != nullptr && *env != '\0') return env;
  std::string out;
  if (FILE* p = popen("pg_config --bindir 2>/dev/null", "r"); p != nullptr) {
    char buf[512];
    while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out.empty() ? std::filesystem::path("/usr/lib/postgresql/15/bin") : std::filesystem::path(out);
}

ToolResult run_client_tool(const std::string& program, const std::vector<std::string>& args,
                           const std::vector<std::string>& environment) {
  auto exe = postgres_bindir() / program;
  if (!std::filesystem::exists(exe)) {
    throw std::runtime_error(program + " not found in " + exe.parent_path().string() +
                             " (pg_config --bindir); install the PostgreSQL client of the server's major version");
  }
  std::vector<std::string> argv{exe.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = detail::run_process(argv, std::filesystem::current_path().string(), std::nullopt, environment);
  return {result.exit_code, result.output};
}

ToolConnection tool_connection(std::string_view dsn) {
  ToolConnection c;
  c.dbname = redact_dsn(dsn);
  if (auto password = dsn_password(dsn)) c.environment.push_back("PGPASSWORD=" + *password);
  return c;
}

}  // namespace pgadvisor::pg
