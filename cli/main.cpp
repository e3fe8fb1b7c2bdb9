// pgadvisor's entry point: parses the command line, runs the chosen subcommand, and maps failures to
// the exit codes of docs/ARCHITECTURE.md with one clear line on stderr (plus detail and hint when there are some).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "command.hpp"
#include "pg/error.hpp"
#include "pg/sandbox.hpp"

namespace pgadvisor::cli {

bool use_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) == 1 && (no_colour == nullptr || *no_colour == '\0');
}

namespace {

std::vector<std::pair<int, AddCommand>>& registry() {
  static std::vector<std::pair<int, AddCommand>> commands;  // function-local: safe during static initialisation
  return commands;
}

}  // namespace

CommandRegistration::CommandRegistration(int order, AddCommand add) { registry().emplace_back(order, add); }

void add_registered_commands(CLI::App& app, Action& action) {
  auto commands = registry();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [order, add] : commands) add(app, action);
}

namespace {

int fail(const std::string& message, const std::string& detail = {}, const std::string& hint = {}) {
  std::cerr << "pgadvisor: error: " << message << "\n";
  if (!detail.empty()) std::cerr << "DETAIL: " << detail << "\n";
  if (!hint.empty()) std::cerr << "HINT: " << hint << "\n";
  return kInputError;
}

int run(int argc, char** argv) {
  CLI::App app{"pgadvisor: PostgreSQL query profiler and index advisor", "pgadvisor"};
  app.set_version_flag("--version", std::string("pgadvisor ") + PGADVISOR_VERSION);
  app.require_subcommand(1);
  // Every option of every subcommand shows its default in --help (an option without one shows none).
  app.option_defaults()->always_capture_default();
  app.footer(
      "Exit codes: 0 success, 1 a finding that should fail a pipeline, 2 usage error, "
      "3 input or connection error.\nRun `pgadvisor COMMAND --help` for a command's options.");
  Action action;
  add_registered_commands(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kSuccess : kUsage;
  }
  try {
    return action ? action() : kUsage;
  } catch (const pg::ConnectionError& e) {
    return fail(
        fmt::format("cannot connect to {}: {}", e.server(), e.primary()), "",
        "check --dsn (conninfo or URI) and -h/-p/-U/-d, the PG* variables, ~/.pgpass, and that the server is running");
  } catch (const pg::Error& e) {
    return fail(e.sqlstate().empty() ? e.primary() : fmt::format("{} (SQLSTATE {})", e.primary(), e.sqlstate()),
                e.detail(), e.hint());
  } catch (const pg::SandboxError& e) {
    return fail(e.what());
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

}  // namespace
}  // namespace pgadvisor::cli

// run() maps every failure of a command to an exit code; what escapes it (an exception while building the command
// line or while reporting an error) is a bug: it is named, and the program aborts as an uncaught exception would.
int main(int argc, char** argv) {
  try {
    return pgadvisor::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pgadvisor: internal error: %s\n", e.what());
  } catch (...) {
    std::fputs("pgadvisor: internal error: an unknown exception\n", stderr);
  }
  std::abort();
}
