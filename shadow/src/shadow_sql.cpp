// The shadow's templates filled through pg::fill_template with pg::SqlFragment values only.
#include "shadow/shadow_sql.hpp"

#include "pg/sql_template.hpp"

namespace pgadvisor::shadow::shadow_sql {
namespace {

using pg::SqlFragment;

SqlFragment qualified(const Relation& r) { return SqlFragment::qualified(r.schema, r.name); }

}  // namespace

std::string create_database(std::string_view database) {
  return pg::fill_template("shadow/create_database", {{"database", SqlFragment::identifier(database)}});
}

std::string drop_database(std::string_view database) {
  return pg::fill_template("shadow/drop_database", {{"database", SqlFragment::identifier(database)}});
}

std::string mark_database(std::string_view database, std::string_view source_key) {
  return pg::fill_template("shadow/mark_database", {{"database", SqlFragment::identifier(database)},
                                                    {"source", SqlFragment::literal(source_key)}});
}

std::string create_schema(std::string_view schema) {
  return pg::fill_template("shadow/create_schema", {{"schema", SqlFragment::identifier(schema)}});
}

std::string copy_out(const Relation& table, const std::vector<std::string>& columns) {
  return pg::fill_template("shadow/copy_out",
                           {{"table", qualified(table)}, {"columns", SqlFragment::identifiers(columns)}});
}

std::string copy_out_sample(const Relation& table, const std::vector<std::string>& columns, double percent) {
  return pg::fill_template("shadow/copy_out_sample", {{"table", qualified(table)},
                                                      {"columns", SqlFragment::identifiers(columns)},
                                                      {"percent", SqlFragment::number(percent)}});
}

std::string copy_in(const Relation& table, const std::vector<std::string>& columns) {
  return pg::fill_template("shadow/copy_in",
                           {{"table", qualified(table)}, {"columns", SqlFragment::identifiers(columns)}});
}

std::string delete_orphans(const Relation& child, const std::vector<std::string>& child_columns, const Relation& parent,
                           const std::vector<std::string>& parent_columns) {
  return pg::fill_template("shadow/delete_orphans",
                           {{"child", qualified(child)},
                            {"parent", qualified(parent)},
                            {"child_columns", SqlFragment::qualified_identifiers("c", child_columns)},
                            {"parent_columns", SqlFragment::qualified_identifiers("p", parent_columns)}});
}

std::string analyze_table(const Relation& table) {
  return pg::fill_template("bench/analyze_table", {{"table", qualified(table)}});
}

std::string drop_index(const Relation& index) {
  return pg::fill_template("bench/drop_index", {{"index", qualified(index)}});
}

std::string create_materialized_view(const Relation& view, std::string_view select) {
  std::string sql = pg::fill_template("bench/create_materialized_view", {{"view", qualified(view)}});
  while (!sql.empty() && (sql.back() == '\n' || sql.back() == ' ')) sql.pop_back();
  sql += ' ';
  sql += select;
  return sql;
}

std::string create_view_index(const Relation& view, const std::vector<std::string>& columns, bool unique) {
  return pg::fill_template(unique ? "bench/create_view_unique_index" : "bench/create_view_index",
                           {{"view", qualified(view)}, {"columns", SqlFragment::identifiers(columns)}});
}

std::string refresh_materialized_view(const Relation& view) {
  return pg::fill_template("bench/refresh_materialized_view", {{"view", qualified(view)}});
}

std::string drop_materialized_view(const Relation& view) {
  return pg::fill_template("bench/drop_materialized_view", {{"view", qualified(view)}});
}

std::string count_rows(const Relation& view) {
  return pg::fill_template("bench/count_rows", {{"view", qualified(view)}});
}

}  // namespace pgadvisor::shadow::shadow_sql
