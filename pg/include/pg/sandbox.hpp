// The sandbox: a throwaway local PostgreSQL cluster for the demo and the tests, built with the server
// binaries of `pg_config --bindir`, with pg_stat_statements, HypoPG and a slow-query log set up.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace pgadvisor::pg {

//! A sandbox operation failed; the message says what and how to fix it.
class SandboxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SandboxOptions {
  int port = 0;                            //!< 0: the port used before, else 54329; -1: any free port
  int log_min_duration_ms = 0;             //!< log_min_duration_statement (0 logs every statement)
  bool preload_pg_stat_statements = true;  //!< false only to test servers without it
};

struct SandboxStatus {
  bool running = false;
  std::filesystem::path dir;
  int port = 0;
  std::optional<long> pid;  //!< the postmaster's pid while running
  std::filesystem::path socket_dir;
  std::filesystem::path log_file;  //!< the slow-query log (stderr format)
};

class Sandbox {
 public:
  //! The sandbox in `dir` (made absolute); nothing is touched until up()/down().
  explicit Sandbox(const std::filesystem::path& dir);

  //! Creates the cluster when needed, starts it, creates the database and extensions. Idempotent:
  //! a running sandbox is left as it is; a stale postmaster.pid after a crash is dealt with.
  SandboxStatus up(const SandboxOptions& options = {});
  //! Stops the server (fast shutdown). Stopping a stopped sandbox is fine.
  SandboxStatus down();
  SandboxStatus status() const;
  //! `export PGHOST=… PGPORT=… PGUSER=… PGDATABASE=…` lines for a shell's eval.
  std::string env() const;
  //! A libpq conninfo string for the sandbox's database (unix socket).
  std::string dsn() const;

  static constexpr int kDefaultPort = 54329;
  static constexpr const char* kSuperuser = "postgres";
  static constexpr const char* kDatabase = "pgadvisor";  //!< created with the extensions

 private:
  std::filesystem::path dir_;
};

}  // namespace pgadvisor::pg
