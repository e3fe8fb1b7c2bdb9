// Greedy Extend-style selection (see the header). Each step evaluates, for every option (add a candidate, or
// replace a chosen index by a candidate it is a prefix of), the workload cost of the resulting configuration;
// the cost model's cache keeps that affordable, since only queries on the changed table see a new configuration.
// After each step, chosen indexes that the workload no longer needs are dropped again.
#include "advisor/index_selection.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace pgadvisor::advisor {
namespace {

class Workload {
 public:
  Workload(std::span<const WorkloadQuery> queries, CostModel& model, const WriteOverhead& overhead)
      : model_(model), overhead_(overhead) {
    for (const auto& q : queries) {
      try {
        model_.cost(q, {});
        planned_.push_back(&q);
      } catch (const std::exception& e) {
        unplanned_.push_back({q.fingerprint, e.what()});
      }
    }
  }

  double cost(const Configuration& config) {
    double total = 0;
    for (const auto* q : planned_) total += q->weight * model_.cost(*q, config);
    if (overhead_) {
      for (const auto& index : config) total += overhead_(index);
    }
    return total;
  }

  std::vector<UnplannedQuery> unplanned() const { return unplanned_; }

 private:
  CostModel& model_;
  const WriteOverhead& overhead_;
  std::vector<const WorkloadQuery*> planned_;
  std::vector<UnplannedQuery> unplanned_;
};

struct Step {
  Configuration config;
  int64_t bytes = 0;  //!< total size of config
  double cost = 0;
  double ratio = 0;  //!< cost saved per byte added
};

}  // namespace

SelectionResult select_indexes(std::span<const WorkloadQuery> queries, std::span<const IndexCandidate> candidates,
                               CostModel& cost_model, const SizeEstimate& size, const WriteOverhead& write_overhead,
                               const SelectionOptions& options) {
  Workload workload(queries, cost_model, write_overhead);
  SelectionResult result;
  result.unplanned = workload.unplanned();
  result.cost_before = workload.cost({});

  std::map<std::string, int64_t> sizes;
  auto size_of = [&](const IndexCandidate& c) {
    auto [it, inserted] = sizes.emplace(c.identity(), 0);
    if (inserted) it->second = std::max<int64_t>(size(c), 1);
    return it->second;
  };

  Configuration config;
  int64_t bytes = 0;
  double cost = result.cost_before;
  for (;;) {
    std::optional<Step> best;
    auto consider = [&](Configuration next, int64_t next_bytes) {
      if (next_bytes > options.budget_bytes || next.size() > options.max_indexes) return;
      double next_cost = workload.cost(next);
      double saved = cost - next_cost;
      if (saved <= options.min_improvement * result.cost_before || saved <= 0) return;
      double ratio = saved / static_cast<double>(std::max<int64_t>(next_bytes - bytes, 1));
      if (!best || ratio > best->ratio) best = Step{std::move(next), next_bytes, next_cost, ratio};
    };
    for (const auto& c : candidates) {
      bool chosen = std::any_of(config.begin(), config.end(), [&](const IndexCandidate& x) { return x == c; });
      if (chosen) continue;
      // Add it.
      auto added = config;
      added.push_back(c);
      consider(std::move(added), bytes + size_of(c));
      // Or widen a chosen index that is its prefix into it.
      for (size_t i = 0; i < config.size(); ++i) {
        if (!config[i].is_prefix_of(c)) continue;
        auto widened = config;
        widened[i] = c;
        consider(std::move(widened), bytes - size_of(config[i]) + size_of(c));
      }
    }
    if (!best) break;
    config = std::move(best->config);
    bytes = best->bytes;
    cost = best->cost;
    // A step can make an earlier choice useless: (created_at) chosen first for its size, then
    // (account_id, created_at) that serves its queries better. Drop what the workload no longer needs.
    for (size_t i = 0; i < config.size();) {
      Configuration without = config;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
      double without_cost = workload.cost(without);
      if (without_cost <= cost) {
        bytes -= size_of(config[i]);
        config = std::move(without);
        cost = without_cost;
      } else {
        ++i;
      }
    }
  }

  result.cost_after = cost;
  for (const auto& c : config) {
    result.chosen.push_back({c, size_of(c), write_overhead ? write_overhead(c) : 0});
  }
  return result;
}

}  // namespace pgadvisor::advisor
