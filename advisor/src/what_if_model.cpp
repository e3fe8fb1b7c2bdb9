// CachingWhatIfModel: one cache for the costs and plans the advice asks for, so that every planner call is
// counted and none is made twice.
#include "advisor/what_if_model.hpp"

namespace pgadvisor::advisor {

const CachingWhatIfModel::Answer& CachingWhatIfModel::answer(const WorkloadQuery& query,
                                                             std::span<const IndexCandidate> configuration,
                                                             bool plan_wanted) {
  ++stats_.requests;
  // A plan shows the indexes by name: it is asked with them as they are; a cost only with what the query can use.
  auto relevant =
      plan_wanted ? CachingCostModel::relevant(query, configuration) : CachingCostModel::costed(query, configuration);
  std::string names;
  for (const auto& c : relevant) names += c.name() + '\n';
  auto key = CachingCostModel::key(query, relevant);
  auto it = cache_.find(key);
  if (it != cache_.end() && (!plan_wanted || it->second.names == names)) {
    ++stats_.cache_hits;
    return it->second;
  }
  auto start = std::chrono::steady_clock::now();
  Answer fresh{inner_.explain(query, relevant), std::move(names)};
  stats_.inner_time += std::chrono::steady_clock::now() - start;
  if (it != cache_.end()) {
    it->second = std::move(fresh);
    return it->second;
  }
  return cache_.emplace(std::move(key), std::move(fresh)).first->second;
}

double CachingWhatIfModel::cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  return answer(query, configuration, false).plan.total_cost;
}

ExplainedQuery CachingWhatIfModel::explain(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  return answer(query, configuration, true).plan;
}

}  // namespace pgadvisor::advisor
