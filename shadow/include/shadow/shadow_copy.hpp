// The shadow database: a copy of the source's schema (pg_dump/pg_restore of the server's major version) and rows
// (COPY streamed through libpq, large tables optionally sampled with foreign keys kept consistent), then
// ANALYZE. A shadow is marked as such, and pgadvisor refuses to copy into, or benchmark on, its own source.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pg/connection.hpp"
#include "pg/database_identity.hpp"

namespace pgadvisor::shadow {

//! pgadvisor will not write to this database (it is the source, or not a shadow); the message says why and what
//! to do instead. The CLI maps it to exit code 2.
class ShadowRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! A database as the shadow checks see it: who it is, and the mark `shadow create` left on it.
struct ShadowCandidate : pg::DatabaseIdentity {
  std::optional<std::string> shadow_of;  //!< the mark of a shadow: shadow_mark() of its source
  bool is_template = false;              //!< pg_database.datistemplate
  //! A database of pgadvisor's sandbox (its server's configuration sets pgadvisor.sandbox = on): throwaway.
  bool sandbox = false;
};

ShadowCandidate database_identity(pg::Connection& conn);

//! How a shadow names its source in its mark (the database setting pgadvisor.shadow_of): "<system identifier>/
//! <database>", "port <port>/<database>" when the identifier is unknown. Marks already in shadows have this form,
//! so it stays as it is (pg::DatabaseIdentity::key() names the host instead of the port's word).
std::string shadow_mark(const pg::DatabaseIdentity& id);

//! Throws ShadowRefused unless `shadow` carries the shadow mark of `shadow create`, is not the database its mark
//! names, is not `source` (when given), and is neither a template database nor `postgres`.
void check_shadow(const ShadowCandidate& shadow, const std::optional<pg::DatabaseIdentity>& source = std::nullopt);

//! Throws ShadowRefused unless pgadvisor may run an advice script on `target` (`advise --apply`): a shadow that
//! check_shadow() accepts, or a database of the sandbox; never a template database or `postgres`.
void check_apply_target(const ShadowCandidate& target);

struct ShadowCopyOptions {
  std::string source_dsn;              //!< the source (read in a read-only session; pg_dump reads the schema)
  std::string target_dsn;              //!< the shadow; must name its database, which is created when missing
  double sample_percent = 100;         //!< < 100: tables of at least sample_min_bytes get this share of rows
  int64_t sample_min_bytes = 1 << 20;  //!< smaller tables are copied whole
  std::vector<std::string> tables;     //!< pg_dump -t patterns; empty: every table
  bool replace = false;                //!< drop and recreate a target that is already a shadow
};

struct CopiedTable {
  std::string name;  //!< schema.table
  int64_t source_bytes = 0;
  int64_t source_rows_estimate = 0;
  int64_t rows = 0;       //!< rows in the shadow, after removing orphans
  bool sampled = false;   //!< TABLESAMPLE on this table
  bool filtered = false;  //!< copied whole, then cut to the rows whose parents were sampled
  int64_t orphans_removed = 0;
};

struct ShadowCopyReport {
  std::string source;  //!< redacted DSNs
  std::string target;
  pg::DatabaseIdentity source_identity;
  std::vector<CopiedTable> tables;
  int sequences = 0;
  bool replaced = false;
  double seconds = 0;
};

//! Creates the shadow. Throws ShadowRefused, before anything is written, when the target is the source, a template
//! database (datistemplate, template0, template1), `postgres`, a database with tables, views or sequences that is
//! not a shadow, or a shadow without --replace; pg::Error/ConnectionError, std::runtime_error when pg_dump or
//! pg_restore fail (with their output).
ShadowCopyReport create_shadow(const ShadowCopyOptions& options);

}  // namespace pgadvisor::shadow
