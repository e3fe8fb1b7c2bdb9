// Catalog lookups by PostgreSQL's name resolution (qualified names exactly, others through the search path) and
// write rates from activity snapshots. Views are analyzed from their definitions in facts_resolution.cpp.
#include "analyzer/catalog.hpp"

#include <algorithm>
#include <span>
#include <tuple>

#include <fmt/format.h>

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

std::string_view to_string(TableKind kind) {
  switch (kind) {
    case TableKind::Table:
      return "table";
    case TableKind::Partitioned:
      return "partitioned table";
    case TableKind::MaterializedView:
      return "materialized view";
    case TableKind::Foreign:
      return "foreign table";
  }
  return "table";
}

namespace {

// The key of a table in Catalog::partitions_: schema and name, which hold no NUL.
std::string table_key(std::string_view schema, std::string_view name) {
  std::string key(schema);
  key += '\0';
  key += name;
  return key;
}

}  // namespace

Catalog::Catalog(std::vector<std::string> search_path) : search_path_(std::move(search_path)) {}

void Catalog::add_table(TableInfo table) {
  auto link = [&](size_t position) {
    const auto& parent = tables_[position].partition_of;
    if (parent) partitions_[table_key(parent->schema, parent->name)].push_back(position);
  };
  auto& positions = by_name_[table.name];
  for (const size_t position : positions) {
    if (tables_[position].schema == table.schema) {
      if (const auto& old = tables_[position].partition_of) {
        auto& siblings = partitions_[table_key(old->schema, old->name)];
        siblings.erase(std::remove(siblings.begin(), siblings.end(), position), siblings.end());
      }
      tables_[position] = std::move(table);
      link(position);
      return;
    }
  }
  positions.push_back(tables_.size());
  tables_.push_back(std::move(table));
  link(tables_.size() - 1);
}

const TableInfo* Catalog::parent(const TableInfo& table) const {
  if (!table.partition_of) return nullptr;
  TableName name = *table.partition_of;
  name.derived = false;
  if (name.schema.empty()) return nullptr;  // a parent is always named with its schema: never searched for
  return find_table(name);
}

std::vector<const TableInfo*> Catalog::partitions(const TableInfo& table) const {
  std::vector<const TableInfo*> out;
  auto found = partitions_.find(table_key(table.schema, table.name));
  if (found == partitions_.end()) return out;
  for (const size_t position : found->second) out.push_back(&tables_[position]);
  std::sort(out.begin(), out.end(), [](const TableInfo* a, const TableInfo* b) {
    return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
  });
  return out;
}

std::vector<const TableInfo*> Catalog::all_partitions(const TableInfo& table) const {
  std::vector<const TableInfo*> out;
  // Depth first; a partition tree is finite and acyclic in PostgreSQL, but a hand-made catalog need not be.
  auto visit = [&](auto& self, const TableInfo& at, size_t depth) -> void {
    if (depth > tables_.size()) return;
    for (const auto* child : partitions(at)) {
      out.push_back(child);
      self(self, *child, depth + 1);
    }
  };
  visit(visit, table, 0);
  return out;
}

bool Catalog::shares_rows(const TableInfo& a, const TableInfo& b) const {
  auto descends = [&](const TableInfo& child, const TableInfo& ancestor) {
    size_t steps = 0;
    for (const auto* at = parent(child); at != nullptr && steps <= tables_.size(); at = parent(*at), ++steps) {
      if (at == &ancestor) return true;
    }
    return false;
  };
  return &a == &b || descends(a, b) || descends(b, a);
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
