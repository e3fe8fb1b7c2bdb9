// DatabaseIdentity: its key, the same-database comparison, and reading it from a result row.
#include "pg/database_identity.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace pgadvisor::pg {

std::string DatabaseIdentity::key() const {
  if (system_identifier) return fmt::format("{}/{}", *system_identifier, database);
  return fmt::format("{}:{}/{}", host, port, database);
}

bool DatabaseIdentity::same_database_as(const DatabaseIdentity& other) const {
  if (database != other.database || system_identifier.has_value() != other.system_identifier.has_value()) return false;
  return system_identifier ? *system_identifier == *other.system_identifier : port == other.port;
}

DatabaseIdentity identity_from_row(const Result& r, int row, const Connection& conn) {
  DatabaseIdentity id;
  id.system_identifier = r.get_optional<std::string>(row, "system_identifier");
  id.port = r.get<int32_t>(row, "port");
  id.database = r.get<std::string>(row, "database");
  id.version = r.get<std::string>(row, "version");
  id.version_num = r.get<int32_t>(row, "version_num");
  id.host = r.get_optional<std::string>(row, "host").value_or("");
  if (id.host.empty()) {
    // A unix-socket connection has no server address: name the socket directory the DSN used instead.
    std::string described = conn.describe();
    auto at = described.find("host=");
    if (at != std::string::npos) id.host = described.substr(at + 5, described.find(' ', at) - at - 5);
  }
  return id;
}

}  // namespace pgadvisor::pg
