// The statements that `shadow create` and `bench` build from names (sql/shadow/*.sql and sql/bench/*.sql
// templates): every name goes through pg::SqlFragment, so a hostile table, column, schema or database name
// stays one quoted identifier or literal. Exposed so that tests can feed them hostile names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::shadow::shadow_sql {

//! A relation by schema and name, as the catalog returns them (unquoted).
struct Relation {
  std::string schema;
  std::string name;
};

std::string create_database(std::string_view database);
std::string drop_database(std::string_view database);
//! Marks `database` as a shadow of `source_key` ("<system identifier>/<database>").
std::string mark_database(std::string_view database, std::string_view source_key);
std::string create_schema(std::string_view schema);
std::string copy_out(const Relation& table, const std::vector<std::string>& columns);
std::string copy_out_sample(const Relation& table, const std::vector<std::string>& columns, double percent);
std::string copy_in(const Relation& table, const std::vector<std::string>& columns);
//! The rows of `child` whose key (child_columns, not null) has no row of `parent` (parent_columns).
std::string delete_orphans(const Relation& child, const std::vector<std::string>& child_columns, const Relation& parent,
                           const std::vector<std::string>& parent_columns);
std::string analyze_table(const Relation& table);
std::string drop_index(const Relation& index);
//! CREATE MATERIALIZED VIEW view AS `select` (the view's query, appended whole).
std::string create_materialized_view(const Relation& view, std::string_view select);
//! A unique index (or a plain one) on `columns` of `view`, named by PostgreSQL.
std::string create_view_index(const Relation& view, const std::vector<std::string>& columns, bool unique);
std::string refresh_materialized_view(const Relation& view);
std::string drop_materialized_view(const Relation& view);
std::string count_rows(const Relation& view);

}  // namespace pgadvisor::shadow::shadow_sql
