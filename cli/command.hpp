// What every subcommand file provides: it adds its CLI11 subcommand and, when chosen, sets the action
// that main() runs after parsing. A command file registers itself with a static CommandRegistration, so
// adding a command touches no shared file. Exit codes follow docs/ARCHITECTURE.md.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace pgadvisor::cli {

enum ExitCode : int {
  kSuccess = 0,
  kFinding = 1,     //!< a finding that should fail a pipeline
  kUsage = 2,       //!< bad command line
  kInputError = 3,  //!< input, connection or server error
};

//! The chosen subcommand's work; returns the exit code.
using Action = std::function<int()>;

//! Adds a subcommand to `app`; when the user chooses it, its callback sets `action`.
using AddCommand = void (*)(CLI::App& app, Action& action);

//! `static const CommandRegistration registration{30, add_doctor_command};` in a command's file: `order` places
//! it in --help (lower first: 10 sandbox, 20 doctor, 30 fingerprint, 40 ingest, 50 snapshot, 60 top, 70 health…).
struct CommandRegistration {
  CommandRegistration(int order, AddCommand add);
};

//! Every registered command, in order.
void add_registered_commands(CLI::App& app, Action& action);

//! Whether stdout is a terminal and colour is allowed (NO_COLOR unset).
bool use_colour();

}  // namespace pgadvisor::cli
