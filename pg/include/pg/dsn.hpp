// Connection strings as libpq understands them (key=value conninfo or postgresql:// URI), and their
// redaction: a DSN shown to a user or stored anywhere never carries a password.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::pg {

//! libpq's reason when the DSN is not valid (e.g. `missing "=" after "x"`), without any password it echoes;
//! std::nullopt when it is valid. A URI whose user information holds an unescaped '@' or '/' is not valid: libpq
//! would read part of the password as the host, port or database (and show it).
std::optional<std::string> dsn_error(std::string_view dsn);

//! The DSN without its password, as `key=value` pairs (URIs too); `(environment defaults)` for an empty DSN.
//! An invalid DSN is shown as written with whatever could be a password replaced by a fixed `***`: `password=`
//! values in any quoting (and the words after them that libpq could not read), a URI's user information after
//! its first ':' (all of it when it holds another '@' or a '/'), password query parameters.
std::string redact_dsn(std::string_view dsn);

//! `message` (libpq's, about this DSN) without any password of the DSN: quoted echoes of the DSN are redacted,
//! quoted pieces of a password become `***`, as do unquoted occurrences of its possible passwords.
std::string scrub_dsn_secrets(std::string_view message, std::string_view dsn);

//! The password a DSN carries (password=…, or a URI's user:password@), std::nullopt when none.
std::optional<std::string> dsn_password(std::string_view dsn);

//! The value a DSN gives `keyword` (host, port, user…, as libpq reads it), std::nullopt when it gives none.
std::optional<std::string> dsn_setting(std::string_view dsn, std::string_view keyword);

//! The database a DSN names (dbname; for a conninfo-in-dbname, the inner one), std::nullopt when it names none.
std::optional<std::string> dsn_database(std::string_view dsn);

//! The same connection with another database, as a conninfo string (URIs too; the password is kept, so the
//! result is for connecting only, never for showing). Throws std::invalid_argument for an invalid DSN.
std::string dsn_with_database(std::string_view dsn, std::string_view database);

//! A libpq keyword and its value, e.g. {"host", "db1"}.
struct DsnSetting {
  std::string keyword;
  std::string value;
};

//! `dsn` (conninfo, URI, or empty for libpq's defaults) with each setting's keyword set to its value, replacing
//! the DSN's own, as one conninfo string: every value quoted by libpq's conninfo rules, so that a value with blanks,
//! quotes or backslashes stays one value and cannot add a keyword. The password is kept (for connecting only, never
//! for showing). Throws std::invalid_argument for an invalid DSN or a keyword libpq does not know.
std::string dsn_with(std::string_view dsn, const std::vector<DsnSetting>& settings);

}  // namespace pgadvisor::pg
