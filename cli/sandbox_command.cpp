// `pgadvisor sandbox up|down|status|env`: the local throwaway cluster of the demo and the tests.
#include <cstdlib>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "command.hpp"
#include "pg/sandbox.hpp"

namespace pgadvisor::cli {
namespace {

struct SandboxArgs {
  std::string dir;
  std::string port;  // a number, or "auto" for any free port
  int log_min_duration_ms = 0;
};

std::string default_dir() {
  if (const char* env = std::getenv("PGADVISOR_SANDBOX_DIR"); env != nullptr && *env != '\0') return env;
  return ".pgadvisor/sandbox";
}

int parse_port(const std::string& text) {
  if (text.empty()) return 0;
  if (text == "auto" || text == "0") return -1;
  int port = 0;
  try {
    port = std::stoi(text);
  } catch (const std::exception&) {
  }
  if (port < 1 || port > 65535) throw CLI::ValidationError("--port", "must be 1-65535 or auto, not " + text);
  return port;
}

void print_status(const pg::SandboxStatus& s) {
  std::cout << fmt::format("sandbox {} ({})\n", s.running ? "running" : "stopped", s.dir.string());
  if (s.pid) std::cout << fmt::format("  pid       {}\n", *s.pid);
  std::cout << fmt::format("  port      {} (127.0.0.1 and socket in {})\n", s.port, s.socket_dir.string());
  std::cout << fmt::format("  database  {} (user {})\n", pg::Sandbox::kDatabase, pg::Sandbox::kSuperuser);
  std::cout << fmt::format("  log       {}\n", s.log_file.string());
}

void add_sandbox_command(CLI::App& app, Action& action) {
  auto args = std::make_shared<SandboxArgs>();
  auto* sandbox = app.add_subcommand("sandbox", "A throwaway local PostgreSQL with pg_stat_statements and HypoPG");
  sandbox->require_subcommand(1);
  auto add_dir = [&](CLI::App* sub) {
    sub->add_option("--dir", args->dir, "Sandbox directory (default: $PGADVISOR_SANDBOX_DIR or .pgadvisor/sandbox)");
  };

  auto* up = sandbox->add_subcommand("up", "Create (first time) and start the sandbox; fine when already running");
  add_dir(up);
  up->add_option("--port", args->port,
                 "TCP port on 127.0.0.1 (default: the last one used, else 54329; auto: any free)");
  up->add_option("--log-min-duration", args->log_min_duration_ms,
                 "log_min_duration_statement in ms (default 0: log every statement)")
      ->check(CLI::Range(-1, 3600000));
  up->callback([args, &action] {
    int port = parse_port(args->port);
    action = [args, port] {
      pg::Sandbox box(args->dir.empty() ? default_dir() : args->dir);
      pg::SandboxOptions options;
      options.port = port;
      options.log_min_duration_ms = args->log_min_duration_ms;
      print_status(box.up(options));
      return kSuccess;
    };
  });

  auto* down = sandbox->add_subcommand("down", "Stop the sandbox (its data stays); fine when already stopped");
  add_dir(down);
  down->callback([args, &action] {
    action = [args] {
      print_status(pg::Sandbox(args->dir.empty() ? default_dir() : args->dir).down());
      return kSuccess;
    };
  });

  auto* status = sandbox->add_subcommand("status", "Show whether the sandbox runs (exit 0) or not (exit 3)");
  add_dir(status);
  status->callback([args, &action] {
    action = [args] {
      auto s = pg::Sandbox(args->dir.empty() ? default_dir() : args->dir).status();
      print_status(s);
      return s.running ? kSuccess : kInputError;
    };
  });

  auto* env =
      sandbox->add_subcommand("env", "Print PGHOST/PGPORT/PGUSER/PGDATABASE for eval \"$(pgadvisor sandbox env)\"");
  add_dir(env);
  env->callback([args, &action] {
    action = [args] {
      std::cout << pg::Sandbox(args->dir.empty() ? default_dir() : args->dir).env();
      return kSuccess;
    };
  });
}

const CommandRegistration registration{10, add_sandbox_command};

}  // namespace
}  // namespace pgadvisor::cli
