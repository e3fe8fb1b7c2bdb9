// Who a database is: its cluster (by system identifier, else by where it was reached) and its name. Snapshots are
// grouped by it in the store, and the shadow checks use it so that pgadvisor never writes to its source.
#pragma once

#include <optional>
#include <string>

#include "pg/connection.hpp"
#include "pg/result.hpp"

namespace pgadvisor::pg {

struct DatabaseIdentity {
  std::optional<std::string> system_identifier;  //!< pg_control_system(); absent when the role may not read it
  std::string host;                              //!< the server's address, or the socket directory / host the DSN named
  int port = 0;
  std::string database;
  std::string version;  //!< "15.18 (Debian 15.18-0+deb12u1)"
  int version_num = 0;  //!< 150018

  //! "system identifier/database" when the identifier is known (any host name or socket reaches the same
  //! cluster), else "host:port/database". The store keys snapshots by it (server_snapshots.server_key).
  std::string key() const;

  //! Whether both name the same database: the same system identifier and name when both identifiers are known,
  //! the same port and name when neither is (host names are not compared: one server has many), else not.
  bool same_database_as(const DatabaseIdentity& other) const;
};

//! The identity in row `row` of `r`, a result with the columns system_identifier (NULL allowed), host (NULL for a
//! unix socket: then the socket directory `conn` was opened with), port, database, version and version_num.
DatabaseIdentity identity_from_row(const Result& r, int row, const Connection& conn);

}  // namespace pgadvisor::pg
