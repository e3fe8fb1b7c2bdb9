// psql's connection flags (see the header): one place for --dsn, -h, -p, -U and -d, and for the conninfo they make.
#include "connection_options.hpp"

#include "pg/dsn.hpp"

namespace pgadvisor::cli {
namespace {

// "5432", or a list for several hosts ("5432,5433"), as libpq takes it.
std::string check_port(const std::string& text) {
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    bool number = !part.empty() && part.size() <= 5 && part.find_first_not_of("0123456789") == std::string::npos;
    if (!number || std::stoi(part) < 1 || std::stoi(part) > 65535) {
      return "not a port number (1 to 65535, or a comma-separated list of them): " + text;
    }
    if (comma == std::string::npos) return "";
    start = comma + 1;
  }
}

}  // namespace

bool is_connection_string(const std::string& text) {
  return text.rfind("postgresql://", 0) == 0 || text.rfind("postgres://", 0) == 0 ||
         text.find('=') != std::string::npos;
}

std::vector<CLI::Option*> add_connection_options(CLI::App& cmd, ConnectionOptions& options,
                                                 const std::string& dsn_help) {
  cmd.set_help_flag("--help", "Print this help message and exit");
  return {
      cmd.add_option("--dsn", options.dsn, dsn_help)->default_str("libpq's defaults and the PG* variables, as psql"),
      cmd.add_option("-h,--host", options.host, "Server host or socket directory (replaces the host of --dsn)")
          ->default_str("PGHOST, else the local socket"),
      cmd.add_option("-p,--port", options.port, "Server port (replaces the port of --dsn)")
          ->default_str("PGPORT, else 5432")
          ->check(check_port),
      cmd.add_option("-U,--username", options.user, "Database user (replaces the user of --dsn)")
          ->default_str("PGUSER, else the OS user"),
      cmd.add_option("-d,--dbname", options.dbname,
                     "Database name (replaces the database of --dsn), or a connection string as with --dsn")
          ->default_str("PGDATABASE, else the user name"),
  };
}

void check_connection_options(const ConnectionOptions& options) {
  if (is_connection_string(options.dbname) && !options.dsn.empty()) {
    throw CLI::ValidationError("--dbname", "holds a connection string, and so does --dsn: give it once");
  }
}

std::string connection_string(const ConnectionOptions& options) {
  std::string base = options.dsn;
  std::vector<pg::DsnSetting> settings;
  if (is_connection_string(options.dbname)) {
    if (!options.dsn.empty()) throw std::invalid_argument("--dbname and --dsn both hold a connection string");
    base = options.dbname;
  } else if (!options.dbname.empty()) {
    settings.push_back({"dbname", options.dbname});
  }
  // Empty values are not given, as in psql.
  if (!options.host.empty()) settings.push_back({"host", options.host});
  if (!options.port.empty()) settings.push_back({"port", options.port});
  if (!options.user.empty()) settings.push_back({"user", options.user});
  if (settings.empty()) return base;
  return pg::dsn_with(base, settings);
}

}  // namespace pgadvisor::cli
