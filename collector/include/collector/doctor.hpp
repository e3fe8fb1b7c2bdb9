// `pgadvisor doctor`: checks that a server is ready for pgadvisor (pg_stat_statements, HypoPG, slow-query
// logging, privileges) and says, for each check that fails, the exact change to make.
#pragma once

#include <string>
#include <vector>

#include "pg/connection.hpp"

namespace pgadvisor::collector {

enum class CheckStatus { Ok, Warning, Problem };

std::string_view to_string(CheckStatus status);

struct Check {
  std::string name;  //!< stable identifier, e.g. "pg_stat_statements.loaded"
  CheckStatus status = CheckStatus::Ok;
  std::string finding;  //!< what was found, e.g. "15.18"
  std::string fix;      //!< the exact change to make; empty when status is ok
};

struct DoctorReport {
  std::string server;  //!< the connection, described without a password
  std::vector<Check> checks;

  int count(CheckStatus status) const;
  bool has_problems() const { return count(CheckStatus::Problem) > 0; }
};

//! Runs every check over `conn` (read-only queries from sql/doctor/).
DoctorReport run_doctor(pg::Connection& conn);

}  // namespace pgadvisor::collector
