// The pg_stat_statements queries of a snapshot, built from the names the catalog returned (the extension's schema,
// the view's columns) through pg::fill_template: each name stays one quoted identifier, whatever it holds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::collector {

//! sql/snapshot/statements.sql: `columns` of pg_stat_statements in `schema`, with users and databases by name.
std::string statements_query(std::string_view schema, const std::vector<std::string>& columns);
//! sql/snapshot/statements_info.sql: pg_stat_statements_info in `schema`.
std::string statements_info_query(std::string_view schema);

}  // namespace pgadvisor::collector
