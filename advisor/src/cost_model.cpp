// CachingCostModel: the request cache in front of the planner.
#include "advisor/cost_model.hpp"

#include <algorithm>

namespace pgadvisor::advisor {

std::string_view to_string(PlanSource source) {
  switch (source) {
    case PlanSource::Literals:
      return "literals";
    case PlanSource::Sampled:
      return "sampled";
    case PlanSource::PgStats:
      return "pg_stats";
    case PlanSource::Generic:
      return "generic";
  }
  return "generic";
}

namespace {

bool names_a_column_of(const WorkloadQuery& query, const IndexCandidate& index) {
  if (query.columns.empty()) return true;
  for (const auto& ref : query.columns) {
    if (ref.table == index.table && index.names_column(ref.column)) return true;
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

std::string CachingCostModel::key(const WorkloadQuery& query, std::span<const IndexCandidate> relevant) {
  std::string out = query.fingerprint + '\n' + query.text;
  for (const auto& c : relevant) out += '\n' + c.identity();
  return out;
}

double CachingCostModel::cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  ++stats_.requests;
  auto relevant_indexes = relevant(query, configuration);
  std::string key = CachingCostModel::key(query, relevant_indexes);
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
