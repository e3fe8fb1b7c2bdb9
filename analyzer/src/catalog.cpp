// Catalog lookups by PostgreSQL's name resolution (qualified names exactly, others through the search path),
// write rates from activity snapshots, and the attribution of ambiguous columns of QueryFacts.
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

std::string joined(const std::vector<TableName>& tables) {
  std::string text;
  for (const auto& table : tables) text += (text.empty() ? "" : ", ") + table.to_string();
  return text;
}

// The candidates of one query level that have the column, or the reason they cannot tell.
struct LevelOwners {
  std::vector<TableName> owners;
  std::string unknown;  //!< why a candidate's columns are unknown; then owners cannot be trusted
};

LevelOwners owners_among(std::span<const TableName> candidates, const std::string& column, const Catalog& catalog) {
  LevelOwners level;
  for (const auto& candidate : candidates) {
    // A candidate whose columns are unknown might own the column: attributing elsewhere would be a guess.
    if (candidate.derived) {
      level.unknown = fmt::format("{} may belong to {}, whose columns are unknown", column, candidate.to_string());
      return level;
    }
    const TableInfo* table = catalog.find_table(candidate);
    if (table == nullptr) {
      level.unknown = fmt::format("table {} is not in the catalog", candidate.to_string());
      return level;
    }
    if (table->find_column(column) != nullptr) level.owners.push_back(candidate);
  }
  return level;
}

// Attributes one ambiguous use, or rewrites its reason; true when attributed. As in SQL, the column's own
// block is searched first, then the enclosing ones (taken together: the text form keeps no finer levels).
bool resolve(ColumnUse& use, const Catalog& catalog) {
  if (!use.ambiguous() || use.candidates.empty()) return false;
  const std::span<const TableName> all(use.candidates);
  const size_t own = std::min(use.own_block_candidates, all.size());
  for (const auto level_candidates : {all.first(own), all.subspan(own)}) {
    const LevelOwners level = owners_among(level_candidates, use.column, catalog);
    if (!level.unknown.empty()) {
      use.ambiguity = level.unknown;
      return false;
    }
    if (level.owners.size() > 1) {
      use.ambiguity = fmt::format("column {} exists in {}", use.column, joined(level.owners));
      return false;
    }
    if (level.owners.size() == 1) {
      use.table = level.owners.front();
      use.candidates.clear();
      use.own_block_candidates = 0;
      use.ambiguity.clear();
      return true;
    }
  }
  use.ambiguity = fmt::format("no candidate table has a column {}", use.column);
  return false;
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

const TableInfo* Catalog::find_table(const TableName& table) const {
  if (table.derived) return nullptr;
  const auto found = by_name_.find(table.name);
  if (found == by_name_.end()) return nullptr;
  const auto in_schema = [&](std::string_view schema) -> const TableInfo* {
    for (const size_t position : found->second) {
      if (tables_[position].schema == schema) return &tables_[position];
    }
    return nullptr;
  };
  if (!table.schema.empty()) return in_schema(table.schema);
  // pg_catalog is searched first unless the search path names it, as PostgreSQL does.
  if (std::find(search_path_.begin(), search_path_.end(), "pg_catalog") == search_path_.end()) {
    if (const auto* system = in_schema("pg_catalog")) return system;
  }
  for (const auto& schema : search_path_) {
    if (const auto* match = in_schema(schema)) return match;
  }
  return nullptr;
}

size_t resolve_ambiguous_columns(QueryFacts& facts, const Catalog& catalog) {
  size_t attributed = 0;
  const auto visit = [&](ColumnUse& use) { attributed += resolve(use, catalog) ? 1 : 0; };
  for (auto& block : facts.blocks) {
    for (auto& predicate : block.predicates) visit(predicate.subject);
    for (auto& join : block.joins) {
      visit(join.left);
      visit(join.right);
    }
    for (auto& column : block.selected) visit(column);
    for (auto& column : block.group_by) visit(column);
    for (auto& key : block.order_by) visit(key.key);
  }
  return attributed;
}

}  // namespace pgadvisor::analyzer
