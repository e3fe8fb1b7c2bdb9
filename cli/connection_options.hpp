// psql's connection flags for the subcommands that connect to one database: `-h HOST -p PORT -U USER -d DBNAME`
// beside `--dsn`. A flag overrides the same part of --dsn; without either, libpq's defaults and the PG* variables
// apply, as in psql. Passwords come from the DSN, PGPASSWORD or ~/.pgpass (libpq's rules); nothing prompts.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace pgadvisor::cli {

struct ConnectionOptions {
  std::string dsn;     //!< --dsn: conninfo or URI; empty: libpq's defaults
  std::string host;    //!< -h, --host
  std::string port;    //!< -p, --port
  std::string user;    //!< -U, --username
  std::string dbname;  //!< -d, --dbname: a name, or (as in psql) a whole connection string instead of --dsn
};

//! Adds --dsn (described by `dsn_help`) and -h/-p/-U/-d to `cmd`, bound to `options`, and makes --help alone the
//! subcommand's help flag (-h is the host, as in psql). Returns the options added, for excludes()/needs().
std::vector<CLI::Option*> add_connection_options(CLI::App& cmd, ConnectionOptions& options,
                                                 const std::string& dsn_help);

//! Whether `text` is a connection string rather than a database name, by libpq's rule (a URI prefix, or an '=').
bool is_connection_string(const std::string& text);

//! Usage errors, for a subcommand's callback (exit 2): a connection string given twice (in -d and --dsn). Throws
//! CLI::ValidationError.
void check_connection_options(const ConnectionOptions& options);

//! The conninfo to connect with: --dsn (or a connection string given to -d) as it is when no flag is given,
//! otherwise with each flag's keyword replaced (pg::dsn_with, which quotes each value: a host name with blanks or
//! quotes cannot add a keyword). Throws std::invalid_argument for a DSN libpq cannot read (check_connection_options
//! first).
std::string connection_string(const ConnectionOptions& options);

}  // namespace pgadvisor::cli
