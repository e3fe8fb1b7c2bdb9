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

bool on_table(const ColumnRef& ref, const IndexCandidate& index) { return ref.table == index.table; }

bool searches(const WorkloadQuery& query, const IndexCandidate& index, const IndexKey& key) {
  return std::any_of(query.columns.begin(), query.columns.end(), [&](const ColumnRef& ref) {
    return ref.searched && on_table(ref, index) && key.names(ref.column);
  });
}

// Every column the query names on the index's table is a key or INCLUDE column (none is `*`), and it names one.
bool index_only(const WorkloadQuery& query, const IndexCandidate& index) {
  bool names_one = false;
  for (const auto& ref : query.columns) {
    if (!on_table(ref, index)) continue;
    bool held =
        std::any_of(index.keys.begin(), index.keys.end(), [&](const IndexKey& k) { return k.names(ref.column); }) ||
        std::find(index.include.begin(), index.include.end(), ref.column) != index.include.end();
    if (!held) return false;
    names_one = true;
  }
  return names_one;
}

void canonical(Configuration& config) {
  std::sort(config.begin(), config.end(), [](const auto& a, const auto& b) { return a.identity() < b.identity(); });
  config.erase(std::unique(config.begin(), config.end()), config.end());
}

}  // namespace

bool CachingCostModel::is_relevant(const WorkloadQuery& query, const IndexCandidate& index) {
  if (std::find(query.tables.begin(), query.tables.end(), index.table) == query.tables.end()) return false;
  if (query.columns.empty()) return true;  // not known: every index on its tables counts
  if (!index.keys.empty() && searches(query, index, index.keys.front())) return true;
  bool predicate_searched = std::any_of(query.columns.begin(), query.columns.end(), [&](const ColumnRef& ref) {
    return ref.searched && on_table(ref, index) && index.predicate_names(ref.column);
  });
  return predicate_searched || index_only(query, index);
}

Configuration CachingCostModel::relevant(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  Configuration out;
  for (const auto& c : configuration) {
    if (is_relevant(query, c)) out.push_back(c);
  }
  canonical(out);
  return out;
}

IndexCandidate CachingCostModel::reduced(const WorkloadQuery& query, const IndexCandidate& index) {
  if (query.columns.empty() || !index.predicate.empty() || index.method != "btree" || index_only(query, index)) {
    return index;
  }
  size_t used = 0;  // keys up to the last one the query searches
  for (size_t k = 0; k < index.keys.size(); ++k) {
    if (searches(query, index, index.keys[k])) used = k + 1;
  }
  if (used == 0) return index;  // relevant through its predicate or as index-only: as it is
  IndexCandidate out = index;
  out.keys.resize(used);
  out.include.clear();
  out.assigned_name.clear();
  return out;
}

Configuration CachingCostModel::costed(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  Configuration out;
  for (const auto& c : configuration) {
    if (is_relevant(query, c)) out.push_back(reduced(query, c));
  }
  canonical(out);
  return out;
}

std::string CachingCostModel::key(const WorkloadQuery& query, std::span<const IndexCandidate> relevant) {
  std::string out = query.fingerprint + '\n' + query.text;
  for (const auto& c : relevant) out += '\n' + c.identity();
  return out;
}

double CachingCostModel::cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  ++stats_.requests;
  auto relevant_indexes = costed(query, configuration);
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
