// `pgadvisor advise --apply`: advice.sql run for real, but only on a shadow or a database of the sandbox, never on
// the source. The script runs as a DBA would run it (psql -v ON_ERROR_STOP=1: the first error stops it), then each
// advised index is looked up, so that the report says what was created and, after a failure, what was left.
#pragma once

#include <string>
#include <vector>

namespace pgadvisor::shadow {

//! An advised index after the script ran.
struct AppliedIndex {
  std::string name;      //!< schema.name, quoted as to_regclass() reads it
  bool present = false;  //!< the script built it (or left it behind)
  bool valid = false;    //!< pg_index.indisvalid: false for a concurrent build that failed
};

struct ApplyReport {
  bool succeeded = false;  //!< psql ran the whole script (exit 0)
  int exit_code = 0;       //!< psql's
  std::string messages;    //!< psql's output (errors, notices), for the report
  std::vector<AppliedIndex> indexes;
};

//! Runs `script_path` on `dsn` with the psql of pg_config --bindir (-X -q -w -v ON_ERROR_STOP=1: no psqlrc, no
//! password prompt; the DSN's password travels in its environment, never on its command line), then looks up every
//! index of the script, `indexes` (schema-qualified names, quoted as to_regclass() reads them: pg::quote_qualified).
//! The caller has checked the target with check_apply_target(). Throws std::runtime_error when psql cannot be started,
//! pg::Error/ConnectionError when the lookup fails.
ApplyReport apply_advice_script(const std::string& dsn, const std::string& script_path,
                                const std::vector<std::string>& indexes);

}  // namespace pgadvisor::shadow
