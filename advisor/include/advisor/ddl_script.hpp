// The scripts a DBA reviews and runs: advice.sql creates the chosen indexes concurrently, each with its reason
// and a check for an invalid index left by a failed build; the rollback script drops them again.
#pragma once

#include <string>

#include "advisor/advice.hpp"

namespace pgadvisor::advisor {

struct ScriptHeader {
  std::string source;     //!< the database advised on, without a password
  std::string generated;  //!< when, ISO 8601 UTC
};

//! `psql -v ON_ERROR_STOP=1 -f advice.sql`: CREATE INDEX CONCURRENTLY IF NOT EXISTS for each index (outside any
//! transaction block), with SET lock_timeout, its reason and expected gain as comments, and a check that stops
//! the script when a concurrent build left an invalid index.
std::string advice_script(const Advice& advice, const ScriptHeader& header);

//! The statement that drops an existing index (for review: the scripts carry it commented out).
std::string drop_statement(const analyzer::IndexFinding& finding);
//! DROP INDEX CONCURRENTLY IF EXISTS for each index of the advice, in reverse order.
std::string rollback_script(const Advice& advice, const ScriptHeader& header);

}  // namespace pgadvisor::advisor
