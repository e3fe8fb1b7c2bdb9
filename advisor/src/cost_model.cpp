// CachingCostModel: the request cache in front of the planner.
#include "advisor/cost_model.hpp"

#include <algorithm>
#include <cctype>

namespace pgadvisor::advisor {

std::string_view to_string(PlanSource source) {
  switch (source) {
    case PlanSource::literals:
      return "literals";
    case PlanSource::sampled:
      return "sampled";
    case PlanSource::pg_stats:
      return "pg_stats";
    case PlanSource::generic:
      return "generic";
  }
  return "generic";
}

namespace {

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Whether SQL text (an expression key, a partial-index predicate) names `column`: a whole-word match, which may
// also match a string constant of the same spelling; that only makes an index relevant that need not be.
bool mentions(std::string_view sql, std::string_view column) {
  for (size_t at = sql.find(column); at != std::string_view::npos; at = sql.find(column, at + 1)) {
    bool starts = at == 0 || !identifier_char(sql[at - 1]);
    bool ends = at + column.size() == sql.size() || !identifier_char(sql[at + column.size()]);
    if (starts && ends) return true;
  }
  return false;
}

bool names_a_column_of(const WorkloadQuery& query, const IndexCandidate& index) {
  if (query.columns.empty()) return true;
  for (const auto& ref : query.columns) {
    if (ref.table != index.table) continue;
    for (const auto& k : index.keys) {
      if (k.expression.empty() ? k.column == ref.column : mentions(k.expression, ref.column)) return true;
    }
    if (std::find(index.include.begin(), index.include.end(), ref.column) != index.include.end()) return true;
    if (!index.predicate.empty() && mentions(index.predicate, ref.column)) return true;
  }
  return false;
}

}  // namespace

bool CachingCostModel::is_relevant(const WorkloadQuery& query, const IndexCandidate& index) {
  bool on_its_tables = std::find(query.tables.begin(), query.tables.end(), index.table) != query.tables.end();
  return on_its_tables && names_a_column_of(query, index);
}

Configuration CachingCostModel::relevant(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  Configuration out;
  for (const auto& c : configuration) {
    if (is_relevant(query, c)) out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.identity() < b.identity(); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double CachingCostModel::cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  ++stats_.requests;
  auto relevant_indexes = relevant(query, configuration);
  std::string key = query.fingerprint + '\n' + query.text;
  for (const auto& c : relevant_indexes) key += '\n' + c.identity();
  if (auto it = cache_.find(key); it != cache_.end()) {
    ++stats_.cache_hits;
    return it->second;
  }
  auto start = std::chrono::steady_clock::now();
  double cost = inner_.cost(query, relevant_indexes);
  stats_.inner_time += std::chrono::steady_clock::now() - start;
  cache_.emplace(std::move(key), cost);
  return cost;
}

}  // namespace pgadvisor::advisor
