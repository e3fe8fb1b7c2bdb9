// Catalog lookups by PostgreSQL's name resolution (qualified names exactly, others through the search path) and
// write rates from activity snapshots. Views are analyzed from their definitions in facts_resolution.cpp.
#include "analyzer/catalog.hpp"

#include <algorithm>

namespace pgadvisor::analyzer {
namespace {

double per_second(int64_t earlier, int64_t later, double seconds) {
  if (seconds <= 0.0) return 0.0;
  const int64_t delta = later >= earlier ? later - earlier : later;
  return static_cast<double>(delta) / seconds;
}

}  // namespace

const ColumnInfo* TableInfo::find_column(std::string_view column) const {
  const auto found =
      std::find_if(columns.begin(), columns.end(), [&](const ColumnInfo& c) { return c.name == column; });
  return found == columns.end() ? nullptr : &*found;
}

WriteRates write_rates_between(const TableActivity& earlier, const TableActivity& later, double seconds) {
  return WriteRates{
      per_second(earlier.inserts, later.inserts, seconds), per_second(earlier.updates, later.updates, seconds),
      per_second(earlier.deletes, later.deletes, seconds), per_second(earlier.hot_updates, later.hot_updates, seconds)};
}

Catalog::Catalog(std::vector<std::string> search_path) : search_path_(std::move(search_path)) {}

void Catalog::add_table(TableInfo table) {
  auto& positions = by_name_[table.name];
  for (const size_t position : positions) {
    if (tables_[position].schema == table.schema) {
      tables_[position] = std::move(table);
      return;
    }
  }
  positions.push_back(tables_.size());
  tables_.push_back(std::move(table));
}

Catalog::Found Catalog::find(const TableName& name) const {
  Found none;
  if (name.derived) return none;
  const auto tables = by_name_.find(name.name);
  const auto views = views_by_name_.find(name.name);
  const auto in_schema = [&](std::string_view schema) {
    Found found;
    if (tables != by_name_.end()) {
      for (const size_t position : tables->second) {
        if (tables_[position].schema == schema) found.table = position;
      }
    }
    if (views != views_by_name_.end()) {
      for (const size_t position : views->second) {
        if (views_[position].schema == schema) found.view = position;
      }
    }
    return found;
  };
  const auto any = [](const Found& found) { return found.table != SIZE_MAX || found.view != SIZE_MAX; };
  if (tables == by_name_.end() && views == views_by_name_.end()) return none;
  if (!name.schema.empty()) return in_schema(name.schema);
  // pg_catalog is searched first unless the search path names it, as PostgreSQL does.
  if (std::find(search_path_.begin(), search_path_.end(), "pg_catalog") == search_path_.end()) {
    if (const Found system = in_schema("pg_catalog"); any(system)) return system;
  }
  for (const auto& schema : search_path_) {
    if (const Found found = in_schema(schema); any(found)) return found;
  }
  return none;
}

const TableInfo* Catalog::find_table(const TableName& table) const {
  const Found found = find(table);
  return found.table == SIZE_MAX ? nullptr : &tables_[found.table];
}

const ViewDefinition* Catalog::find_view(const TableName& view) const {
  const Found found = find(view);
  return found.view == SIZE_MAX || found.table != SIZE_MAX ? nullptr : &views_[found.view];
}

}  // namespace pgadvisor::analyzer
