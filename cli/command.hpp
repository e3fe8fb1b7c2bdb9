// What every subcommand file provides: it adds its CLI11 subcommand and, when chosen, sets the action
// that main() runs after parsing. Exit codes follow DESIGN.md.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace pgadvisor::cli {

enum ExitCode : int {
  kSuccess = 0,
  kFinding = 1,     //!< a finding that should fail a pipeline
  kUsage = 2,       //!< bad command line
  kInputError = 3,  //!< input, connection or server error
};

//! The chosen subcommand's work; returns the exit code.
using Action = std::function<int()>;

void add_sandbox_command(CLI::App& app, Action& action);
void add_doctor_command(CLI::App& app, Action& action);

//! Whether stdout is a terminal and colour is allowed (NO_COLOR unset).
bool use_colour();

}  // namespace pgadvisor::cli
