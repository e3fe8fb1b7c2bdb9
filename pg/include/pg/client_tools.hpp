// PostgreSQL's own client programs (pg_dump, pg_restore), run from the server binaries' directory so that
// their major version matches the server's: the shadow copy uses them for the schema.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pg/process.hpp"

namespace pgadvisor::pg {

//! $PGADVISOR_PG_BINDIR, else `pg_config --bindir`, else Debian's /usr/lib/postgresql/15/bin.
std::filesystem::path postgres_bindir();

//! Runs `program` (e.g. "pg_dump") of postgres_bindir() with `args`, as the current user, waiting for it;
//! the environment (PG* variables, PGPASSFILE) is inherited, plus `environment` ("NAME=value"); stdout and stderr come
//! separately (parse `out`). Throws
//! std::runtime_error naming the program when it is missing or cannot start.
ProcessResult run_client_tool(const std::string& program, const std::vector<std::string>& args,
                              const std::vector<std::string>& environment = {});

//! A DSN for a client program's --dbname without its password, and the environment that carries the password
//! (PGPASSWORD) instead, so that it never shows in the process list.
struct ToolConnection {
  std::string dbname;
  std::vector<std::string> environment;
};
ToolConnection tool_connection(std::string_view dsn);

}  // namespace pgadvisor::pg
