// Secrets in SQL texts: role passwords, user mapping and server passwords, connection strings in literals
// (dblink, subscriptions), COPY ... PROGRAM commands. Every statement text pgadvisor keeps or prints goes
// through here first, whatever its source (pg_stat_statements, logs, files), so no store or output holds them.
#pragma once

#include <string>
#include <string_view>

namespace pgadvisor::analyzer {

//! The literal a secret is replaced with: still a string constant, so the statement still parses.
inline constexpr std::string_view kRedactedLiteral = "'***'";

//! A cheap check (one skipping scan, no tokenizing): false when `sql` has nothing redact_secrets would change,
//! i.e. none of "password", "program" (any case) or "://" appears in it.
bool may_hold_secrets(std::string_view sql);

struct SecretRedaction {
  bool changed = false;            //!< some secret was replaced
  bool secret_parameters = false;  //!< a secret is a `$n` parameter (`password = $1`): its logged values are secret
};

//! Writes into `out` the text with every secret replaced, token by token (any quoting: '', E'', $$, $tag$,
//! U&'', doubled quotes, string continuations; any case; comments between tokens):
//! - the literal after PASSWORD / "password" / sslpassword (optionally after `=`): CREATE/ALTER ROLE|USER ...
//!   [ENCRYPTED] PASSWORD 'x' (PASSWORD NULL stays), user mapping and server OPTIONS (... password 'x'),
//!   ADD/SET password 'x', and `password = 'x'` comparisons and assignments;
//! - the literal after PROGRAM (COPY ... TO/FROM PROGRAM 'cmd');
//! - inside any other string literal, the value of a `password=` (conninfo, URI query) and a URI's password
//!   (`scheme://user:secret@host`): dblink('...'), dblink_connect, CREATE SUBSCRIPTION ... CONNECTION '...'.
//! Statements without secrets come back unchanged (and `out` equals `sql`).
SecretRedaction redact_secrets(std::string_view sql, std::string& out);

//! The text without its secrets (a copy; may_hold_secrets first, so it costs little on ordinary statements).
std::string redact_secrets(std::string_view sql);

//! A logged parameter set (`$1 = 'x', $2 = NULL`) with every value replaced by '***'.
std::string redact_parameter_values(std::string_view parameters);

}  // namespace pgadvisor::analyzer
