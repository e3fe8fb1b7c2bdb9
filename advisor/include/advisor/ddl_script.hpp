// The scripts a DBA reviews and runs: advice.sql creates the chosen indexes concurrently, each with its reason
// and a check for an invalid index left by a failed build, then the advised materialized views; the rollback script
// drops them again, and only them.
#pragma once

#include <string>

#include "advisor/advice.hpp"

namespace pgadvisor::advisor {

struct ScriptHeader {
  std::string source;     //!< the database advised on, without a password
  std::string generated;  //!< when, ISO 8601 UTC
  //! CREATE and DROP INDEX CONCURRENTLY (the default: no lock that blocks writes). false (`--non-concurrently`):
  //! plain CREATE and DROP INDEX, for a maintenance window or where CONCURRENTLY cannot run (inside a transaction).
  bool concurrently = true;
  //! `--tablespace`: advice.sql builds its indexes there (`TABLESPACE name`, quoted as an identifier); empty: the
  //! database's default. The rollback needs no tablespace.
  std::string tablespace = {};
};

//! `psql -v ON_ERROR_STOP=1 -f advice.sql`: a check that stops the script before it builds anything when one of
//! the advised names is taken, then for each index its reason and expected gain as comments, CREATE INDEX
//! CONCURRENTLY (never IF NOT EXISTS: a name taken since the check fails loudly), a check that stops the script
//! when a concurrent build left an invalid index, and a COMMENT ON INDEX with the advice's marker (advice_marker),
//! by which the rollback knows the indexes this script created. Identifiers, values, plans and statements in it are
//! quoted or escaped (pg::comment_line, pg::quote_*_printable): hostile names cannot add a statement.
//!
//! Then the materialized views, in a section of their own (each needs an application change): per view, comments
//! (the classes it serves with their rewritten queries, estimated rows and size, cost per execution before and
//! after, refresh cost, base writes, the refresh proposal, net saving), then in one transaction CREATE MATERIALIZED
//! VIEW … AS its query WITH DATA, COMMENT ON MATERIALIZED VIEW with the marker, its unique index (REFRESH …
//! CONCURRENTLY needs it) and its filter index; then REFRESH MATERIALIZED VIEW [CONCURRENTLY] and a pg_cron schedule
//! of it as comments. A view whose query is not one SELECT (nothing after it) is only described, never created. The
//! names check covers the views and their indexes; the header's tablespace holds them too.
std::string advice_script(const Advice& advice, const ScriptHeader& header);

//! The COMMENT that advice.sql puts on each index and materialized view it creates: "pgadvisor advice <generated>
//! <hash of the advice's definitions>", so that a rollback drops only what its own advice.sql created.
std::string advice_marker(const Advice& advice, const ScriptHeader& header);

//! The statement that drops an existing index (for review: the scripts carry it commented out), its identifiers
//! printable (pg::quote_qualified_printable), so that it fits on the comment line it is shown on.
std::string drop_statement(const analyzer::IndexFinding& finding);

//! First each materialized view advice.sql creates, in reverse order: a check that stops the script when a relation
//! of that name exists without the marker, then DROP MATERIALIZED VIEW IF EXISTS (its indexes go with it; without
//! CASCADE, so that a view made on it since stops the script). Then for each index of the advice, in reverse order:
//! a check that stops the script when an index of that name exists that advice.sql did not create (neither its
//! marker nor an invalid leftover of a failed build on the advised table), then DROP INDEX CONCURRENTLY IF EXISTS (an
//! index never built is skipped).
std::string rollback_script(const Advice& advice, const ScriptHeader& header);

//! A view's refresh interval for people: "about every 12 min", "about every 3.5 h", "about every 2 days"; empty when
//! `seconds` is 0 (unknown).
std::string refresh_interval_text(double seconds);

//! A pg_cron schedule near `seconds` (at least every minute, at most daily): "*/10 * * * *", "0 */3 * * *",
//! "0 3 * * *"; every 15 minutes when unknown (0).
std::string cron_schedule(double seconds);

}  // namespace pgadvisor::advisor
