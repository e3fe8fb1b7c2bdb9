// The snapshot's templates filled with pg::SqlFragment values only.
#include "collector/snapshot_sql.hpp"

#include "pg/sql_template.hpp"

namespace pgadvisor::collector {

std::string statements_query(std::string_view schema, const std::vector<std::string>& columns) {
  return pg::fill_template("snapshot/statements", {{"columns", pg::SqlFragment::qualified_identifiers("s", columns)},
                                                   {"schema", pg::SqlFragment::identifier(schema)}});
}

std::string statements_info_query(std::string_view schema) {
  return pg::fill_template("snapshot/statements_info", {{"schema", pg::SqlFragment::identifier(schema)}});
}

}  // namespace pgadvisor::collector
