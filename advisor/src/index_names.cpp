// Unique index names for an advice. A name that clashes would make CREATE INDEX fail (or, with IF NOT EXISTS,
// skip silently and let the rollback drop the other index): the catalog's relation names and the advice's own
// are all taken.
#include "advisor/index_names.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

namespace pgadvisor::advisor {

std::string truncate_utf8(std::string_view s, size_t bytes) {
  if (s.size() <= bytes) return std::string(s);
  size_t end = bytes;
  // Back off over continuation bytes (10xxxxxx) to the start of the sequence that does not fit.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

std::vector<std::string> unique_index_names(std::span<const IndexCandidate> indexes, const analyzer::Catalog& catalog) {
  std::map<std::string, std::set<std::string>> taken;  // schema -> relation names
  for (const auto& table : catalog.tables()) {
    auto& names = taken[table.schema];
    names.insert(table.name);
    for (const auto& index : table.indexes) names.insert(index.name);
  }
  std::vector<std::string> out;
  for (const auto& index : indexes) {
    IndexCandidate derived = index;
    derived.assigned_name.clear();
    const auto* table = catalog.find_table(index.table);
    auto& names = taken[table != nullptr ? table->schema : index.table.schema];
    std::string name = truncate_utf8(derived.name(), kMaxNameBytes);
    std::string stem = name.ends_with("_idx") ? name.substr(0, name.size() - 4) : name;
    for (int n = 2; names.contains(name); ++n) {
      std::string suffix = fmt::format("_{}_idx", n);
      name = truncate_utf8(stem, kMaxNameBytes - suffix.size()) + suffix;
    }
    names.insert(name);
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace pgadvisor::advisor
