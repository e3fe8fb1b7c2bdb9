// advice.sql run by psql on a shadow or the sandbox, and the advised indexes looked up afterwards (see the header).
#include "shadow/apply_advice.hpp"

#include "pg/client_tools.hpp"
#include "pg/connection.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::shadow {

ApplyReport apply_advice_script(const std::string& dsn, const std::string& script_path,
                                const std::vector<std::string>& indexes) {
  std::vector<std::string> args{"-X", "-q", "-w", "-v", "ON_ERROR_STOP=1"};
  auto connection = pg::tool_connection(dsn);
  // An empty DSN is libpq's defaults (the PG* variables), which psql reads itself.
  if (dsn.find_first_not_of(" \t\n") != std::string::npos) {
    args.insert(args.end(), {"-d", connection.dbname});
  }
  args.insert(args.end(), {"-f", script_path});
  auto run = pg::run_client_tool("psql", args, connection.environment);

  ApplyReport report;
  report.exit_code = run.exit_code;
  report.succeeded = run.exit_code == 0;
  report.messages = run.combined();
  auto conn = pg::Connection::open(dsn, pg::SessionOptions::source());
  for (const auto& name : indexes) {
    AppliedIndex applied{name};
    auto r = conn.query(sql::text("shadow/index_state"), applied.name);
    applied.present = r.rows() > 0;
    applied.valid = applied.present && r.get<bool>(0, "valid");
    report.indexes.push_back(std::move(applied));
  }
  return report;
}

}  // namespace pgadvisor::shadow
