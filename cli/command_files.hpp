// Files and clock for the subcommands: reading an input file (or stdin), writing an output file, and the UTC time
// stamped into scripts and stored results. Errors name the file (exit 3 through main).
#pragma once

#include <string>

namespace pgadvisor::cli {

//! The whole file; "-" reads standard input. Throws std::runtime_error naming the file.
std::string read_input_file(const std::string& path);
//! Writes (replacing) the file. Throws std::runtime_error naming the file.
void write_output_file(const std::string& path, const std::string& text);
//! Now, ISO 8601 UTC to the second: "2026-12-01T12:00:00Z".
std::string utc_now();

}  // namespace pgadvisor::cli
