// `pgadvisor doctor`: is this server ready for pgadvisor, and what exactly to change when it is not.
#include <iostream>
#include <memory>

#include "collector/doctor.hpp"
#include "command.hpp"
#include "connection_options.hpp"
#include "pg/connection.hpp"
#include "reports/doctor_report.hpp"

namespace pgadvisor::cli {

namespace {

void add_doctor_command(CLI::App& app, Action& action) {
  struct Args {
    ConnectionOptions connection;
    std::string format = "text";
  };
  auto args = std::make_shared<Args>();
  auto* doctor = app.add_subcommand("doctor", "Check a server's readiness: extensions, logging, privileges");
  add_connection_options(*doctor, args->connection, "Connection string or URI");
  doctor->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  doctor->footer("Exit codes: 0 no problem (warnings allowed), 1 a problem was found, 3 cannot connect.");
  doctor->callback([args, &action] {
    check_connection_options(args->connection);
    action = [args] {
      auto conn = pg::Connection::open(connection_string(args->connection), pg::SessionOptions::source());
      auto report = collector::run_doctor(conn);
      std::cout << (args->format == "json" ? reports::render_doctor_json(report)
                                           : reports::render_doctor_text(report, use_colour()));
      return report.has_problems() ? kFinding : kSuccess;
    };
  });
}

const CommandRegistration registration{20, add_doctor_command};

}  // namespace
}  // namespace pgadvisor::cli
