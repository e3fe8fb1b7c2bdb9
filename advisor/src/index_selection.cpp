// Greedy Extend-style selection (see the header). A step takes the option (add a candidate, or replace a chosen
// index by a candidate it is a prefix of) that saves the most workload cost per byte, found lazily (see below);
// the cost model's cache keeps evaluations affordable, since only queries on the changed table see a new
// configuration. After each step, chosen indexes that the workload no longer needs are dropped again.
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
  auto is_chosen = [&](const IndexCandidate& c) {
    return std::any_of(config.begin(), config.end(), [&](const IndexCandidate& x) { return x == c; });
  };
  // The best option for one candidate under the current configuration: add it, or widen a chosen index that is
  // its prefix into it; nothing when it does not fit or saves too little.
  auto evaluate = [&](const IndexCandidate& c) {
    std::optional<Step> best;
    if (is_chosen(c)) return best;
    auto consider = [&](Configuration next, int64_t next_bytes) {
      if (next_bytes > options.budget_bytes || next.size() > options.max_indexes) return;
      double next_cost = workload.cost(next);
      double saved = cost - next_cost;
      if (saved <= options.min_improvement * result.cost_before || saved <= 0) return;
      double ratio = saved / static_cast<double>(std::max<int64_t>(next_bytes - bytes, 1));
      if (!best || ratio > best->ratio) best = Step{std::move(next), next_bytes, next_cost, ratio};
    };
    auto added = config;
    added.push_back(c);
    consider(std::move(added), bytes + size_of(c));
    for (size_t i = 0; i < config.size(); ++i) {
      if (!config[i].is_prefix_of(c)) continue;
      auto widened = config;
      widened[i] = c;
      consider(std::move(widened), bytes - size_of(config[i]) + size_of(c));
    }
    return best;
  };

  // Lazy greedy (Minoux's accelerated greedy): what a candidate saves per byte only shrinks as indexes are
  // added, so a value computed under an earlier configuration bounds the current one. Each step re-evaluates
  // candidates from the top of the queue until one stays on top; the others keep their older values and cost no
  // planner calls. Widening breaks the bound (it adds fewer bytes than adding did), so when a step changes a
  // table, the candidates that can now widen one of its indexes are evaluated again at once.
  struct Entry {
    double ratio;
    size_t candidate;
    bool operator<(const Entry& o) const {  // max-heap: highest ratio first, then the earlier candidate
      return ratio < o.ratio || (ratio == o.ratio && candidate > o.candidate);
    }
  };
  std::vector<Entry> queue;
  auto push = [&](size_t i, double ratio) {
    queue.push_back({ratio, i});
    std::push_heap(queue.begin(), queue.end());
  };
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (auto step = evaluate(candidates[i])) push(i, step->ratio);
  }
  while (!queue.empty()) {
    std::pop_heap(queue.begin(), queue.end());
    size_t top = queue.back().candidate;
    queue.pop_back();
    auto step = evaluate(candidates[top]);
    if (!step) continue;  // no longer fits or saves enough: it will not again
    if (!queue.empty() && step->ratio < queue.front().ratio) {
      push(top, step->ratio);
      continue;
    }
    config = std::move(step->config);
    bytes = step->bytes;
    cost = step->cost;
    const auto& table = candidates[top].table;
    // A step can make an earlier choice on the same table useless: (created_at) chosen first for its size, then
    // (account_id, created_at) that serves its queries better. Drop what the workload no longer needs.
    for (size_t i = 0; i < config.size();) {
      if (config[i].table != table) {
        ++i;
        continue;
      }
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
    for (size_t i = 0; i < candidates.size(); ++i) {
      const auto& c = candidates[i];
      bool widens = c.table == table && std::any_of(config.begin(), config.end(), [&](const IndexCandidate& x) {
                      return x.is_prefix_of(c) && !(x == c);
                    });
      if (!widens) continue;
      if (auto again = evaluate(c)) push(i, again->ratio);
    }
  }

  result.cost_after = cost;
  for (const auto& c : config) {
    result.chosen.push_back({c, size_of(c), write_overhead ? write_overhead(c) : 0});
  }
  return result;
}

}  // namespace pgadvisor::advisor
