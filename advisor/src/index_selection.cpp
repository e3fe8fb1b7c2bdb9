// Greedy Extend-style selection (see the header). A step takes the option (add a candidate, or replace a chosen
// index by a candidate it is a prefix of) that ranks first, found lazily (see below); only the queries an index is
// relevant to are costed again, so the cost requests grow with the queries on each candidate's table, not with the
// workload. After each step, chosen indexes that the workload no longer needs are dropped again. The greedy runs
// twice, ranking steps by saving per byte and by saving alone, and the better design is kept. Then the integer
// program (integer_program.hpp) is built from single-index costs (the greedy's first round, cached), solved, its
// set costed exactly, and kept instead when its J is lower.
#include "advisor/index_selection.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "integer_program.hpp"

namespace pgadvisor::advisor {
namespace {

// The planned queries, each with its cost under the current configuration, and which queries each candidate can
// change (CachingCostModel's relevance rule: the others' plans cannot change, so they are not asked again).
class Workload {
 public:
  Workload(std::span<const WorkloadQuery> queries, CostModel& model) : model_(model) {
    for (const auto& q : queries) {
      try {
        current_.push_back(q.weight * model_.cost(q, {}));
        planned_.push_back(&q);
      } catch (const std::exception& e) {
        unplanned_.push_back({q.fingerprint, e.what()});
      }
    }
  }

  size_t size() const { return planned_.size(); }
  const WorkloadQuery& query(size_t i) const { return *planned_[i]; }
  //! Weighted cost of planned query `i` under the current configuration.
  double current(size_t i) const { return current_[i]; }

  double total() const {
    double sum = 0;
    for (double c : current_) sum += c;
    return sum;
  }

  //! Indexes (into the planned queries) of the queries `index` is relevant to.
  std::vector<size_t> affected_by(const IndexCandidate& index) const {
    std::vector<size_t> out;
    for (size_t i = 0; i < planned_.size(); ++i) {
      if (CachingCostModel::is_relevant(*planned_[i], index)) out.push_back(i);
    }
    return out;
  }

  struct Change {
    double cost = 0;    //!< the change in the weighted cost of the queries
    double served = 0;  //!< the current weighted cost of those among them whose cost changes
  };
  //! What happens to `queries` if `config` replaced the current configuration.
  Change delta(const std::vector<size_t>& queries, const Configuration& config) {
    Change change;
    for (size_t i : queries) {
      double next = cost(i, config);
      change.cost += next - current_[i];
      if (next != current_[i]) change.served += current_[i];
    }
    return change;
  }

  //! Makes `config` the current configuration for `queries` (all the queries its change affected).
  void apply(const std::vector<size_t>& queries, const Configuration& config) {
    for (size_t i : queries) current_[i] = cost(i, config);
  }

  std::vector<UnplannedQuery> unplanned() const { return unplanned_; }

  //! Weighted cost of planned query `i` under `config`. Only the indexes relevant to the query are asked about:
  //! what the query's cost depends on, whatever the model.
  double cost(size_t i, const Configuration& config) {
    return planned_[i]->weight * model_.cost(*planned_[i], CachingCostModel::relevant(*planned_[i], config));
  }

 private:
  CostModel& model_;
  std::vector<const WorkloadQuery*> planned_;
  std::vector<double> current_;  //!< weighted cost of each planned query under the current configuration
  std::vector<UnplannedQuery> unplanned_;
};

// What storage must buy: a GiB of index must save options.storage_price of the workload's original cost (a
// 50 MB full index does not replace a 1 MB partial one for a sliver of the cost).
double storage_price(const SelectionOptions& options, double cost_before, int64_t added_bytes) {
  constexpr double kGiB = 1024.0 * 1024 * 1024;
  return options.storage_price * cost_before * static_cast<double>(std::max<int64_t>(added_bytes, 0)) / kGiB;
}

std::vector<size_t> merged(std::vector<size_t> a, const std::vector<size_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

enum class Rank { PerByte, Saving };

struct Step {
  Configuration config;
  int64_t bytes = 0;             //!< total size of config
  double saved = 0;              //!< workload cost saved, write overhead included
  double served = 0;             //!< the current cost of the queries whose cost it changes
  std::vector<size_t> affected;  //!< the queries whose cost the step changes
  double priority = 0;
};

struct Design {
  Configuration config;
  int64_t bytes = 0;
  double cost = 0;  //!< write overhead included
};

class Greedy {
 public:
  Greedy(std::span<const WorkloadQuery> queries, std::span<const IndexCandidate> candidates, CostModel& model,
         const std::function<int64_t(const IndexCandidate&)>& size_of, const WriteOverhead& overhead,
         const SelectionOptions& options, Rank rank)
      : workload_(queries, model),
        candidates_(candidates),
        size_of_(size_of),
        overhead_(overhead),
        options_(options),
        rank_(rank) {
    for (const auto& c : candidates_) affected_.push_back(workload_.affected_by(c));
  }

  const Workload& workload() const { return workload_; }

  Design run(double cost_before) {
    cost_before_ = cost_before;
    cost_ = cost_before;
    // Lazy greedy (Minoux's accelerated greedy): what a candidate saves only shrinks as indexes are added, so a
    // value computed under an earlier configuration bounds the current one. Each step re-evaluates candidates from
    // the top of the queue until one stays on top; the others keep their older values and cost no requests.
    // Widening breaks the bound (it adds fewer bytes than adding did), so when a step changes a table, the
    // candidates that can now widen one of its indexes are evaluated again at once. A step that saves too little
    // of what is left of its queries' cost waits (others behind it may save enough), and is tried again when a
    // step changes its table.
    for (size_t i = 0; i < candidates_.size(); ++i) {
      if (auto step = evaluate(i)) push(i, step->priority);
    }
    std::map<analyzer::TableName, std::vector<size_t>> waiting;
    while (!queue_.empty()) {
      std::pop_heap(queue_.begin(), queue_.end());
      size_t top = queue_.back().candidate;
      queue_.pop_back();
      auto step = evaluate(top);
      if (!step) continue;  // no longer fits or saves anything: it will not again
      if (!queue_.empty() && step->priority < queue_.front().priority) {
        push(top, step->priority);
        continue;
      }
      if (!enough(*step)) {
        waiting[candidates_[top].table].push_back(top);
        continue;
      }
      take(*step);
      drop_useless(candidates_[top].table);
      if (auto it = waiting.find(candidates_[top].table); it != waiting.end()) {
        for (size_t i : it->second) push(i, std::numeric_limits<double>::max());  // re-evaluated when popped
        waiting.erase(it);
      }
      for (size_t i = 0; i < candidates_.size(); ++i) {
        const auto& c = candidates_[i];
        bool widens = c.table == candidates_[top].table &&
                      std::any_of(config_.begin(), config_.end(),
                                  [&](const IndexCandidate& x) { return x.is_prefix_of(c) && !(x == c); });
        if (!widens) continue;
        if (auto again = evaluate(i)) push(i, again->priority);
      }
    }
    return {config_, bytes_, cost_};
  }

 private:
  struct Entry {
    double priority;
    size_t candidate;
    bool operator<(const Entry& o) const {  // max-heap: highest priority first, then the earlier candidate
      return priority < o.priority || (priority == o.priority && candidate > o.candidate);
    }
  };

  void push(size_t i, double priority) {
    queue_.push_back({priority, i});
    std::push_heap(queue_.begin(), queue_.end());
  }

  // A step is worth an index when it makes the queries it serves materially cheaper, measured against what is
  // left of their cost (not of the workload's: once the first indexes cut 95 % of it, or in a workload of 5,000
  // small classes, every other hot query would be left without an index), and saves more than a sliver of the
  // workload's cost. Its write overhead is already taken from its saving.
  bool enough(const Step& step) const {
    return step.saved > 0 && step.saved >= options_.min_improvement * step.served &&
           step.saved >= options_.min_improvement_of_workload * cost_before_ &&
           step.saved >= storage_price(options_, cost_before_, step.bytes - bytes_);
  }

  bool is_chosen(const IndexCandidate& c) const {
    return std::any_of(config_.begin(), config_.end(), [&](const IndexCandidate& x) { return x == c; });
  }

  double overhead(const IndexCandidate& c) const { return overhead_ ? overhead_(c) : 0; }

  // The best option for one candidate under the current configuration: add it, or widen a chosen index that is
  // its prefix into it; nothing when it does not fit or saves nothing.
  std::optional<Step> evaluate(size_t i) {
    const IndexCandidate& c = candidates_[i];
    std::optional<Step> best;
    if (is_chosen(c)) return best;
    auto consider = [&](Configuration next, int64_t next_bytes, std::vector<size_t> affected, double added_overhead) {
      if (next_bytes > options_.budget_bytes || (options_.max_indexes > 0 && next.size() > options_.max_indexes)) {
        return;
      }
      auto change = workload_.delta(affected, next);
      double saved = -change.cost - added_overhead;
      if (!(saved > 0)) return;  // nothing saved, or a cost that is not a number
      double priority =
          rank_ == Rank::PerByte ? saved / static_cast<double>(std::max<int64_t>(next_bytes - bytes_, 1)) : saved;
      if (!best || priority > best->priority) {
        best = Step{std::move(next), next_bytes, saved, change.served, std::move(affected), priority};
      }
    };
    auto added = config_;
    added.push_back(c);
    consider(std::move(added), bytes_ + size_of_(c), affected_[i], overhead(c));
    for (size_t k = 0; k < config_.size(); ++k) {
      if (!config_[k].is_prefix_of(c)) continue;
      auto widened = config_;
      widened[k] = c;
      consider(std::move(widened), bytes_ - size_of_(config_[k]) + size_of_(c),
               merged(affected_[i], affected_of(config_[k])), overhead(c) - overhead(config_[k]));
    }
    return best;
  }

  const std::vector<size_t>& affected_of(const IndexCandidate& c) {
    for (size_t i = 0; i < candidates_.size(); ++i) {
      if (candidates_[i] == c) return affected_[i];
    }
    extra_.push_back(workload_.affected_by(c));  // not a candidate (never happens: chosen come from candidates)
    return extra_.back();
  }

  void take(const Step& step) {
    workload_.apply(step.affected, step.config);
    config_ = step.config;
    bytes_ = step.bytes;
    cost_ -= step.saved;
  }

  // A step can make an earlier choice on the same table useless: (created_at) chosen first for its size, then
  // (account_id, created_at) that serves its queries better. Drop what the workload no longer needs.
  void drop_useless(const analyzer::TableName& table) {
    for (size_t i = 0; i < config_.size();) {
      if (config_[i].table != table) {
        ++i;
        continue;
      }
      Configuration without = config_;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
      const auto& affected = affected_of(config_[i]);
      double change = workload_.delta(affected, without).cost - overhead(config_[i]);
      if (change <= 0) {
        workload_.apply(affected, without);
        bytes_ -= size_of_(config_[i]);
        cost_ += change;
        config_ = std::move(without);
      } else {
        ++i;
      }
    }
  }

  Workload workload_;
  std::span<const IndexCandidate> candidates_;
  std::vector<std::vector<size_t>> affected_;  //!< per candidate, the queries it is relevant to
  std::vector<std::vector<size_t>> extra_;
  const std::function<int64_t(const IndexCandidate&)>& size_of_;
  const WriteOverhead& overhead_;
  const SelectionOptions& options_;
  Rank rank_;
  std::vector<Entry> queue_;
  Configuration config_;
  int64_t bytes_ = 0;
  double cost_ = 0;
  double cost_before_ = 0;
};

// The price J (see SelectionResult) puts on each index: no index for a sliver of the workload's cost.
double fixed_price(const SelectionOptions& options, double cost_before) {
  return options.min_improvement_of_workload * cost_before;
}

double objective(const SelectionOptions& options, double cost_before, const Design& design) {
  return design.cost + storage_price(options, cost_before, design.bytes) +
         fixed_price(options, cost_before) * static_cast<double>(design.config.size());
}

// The integer program (integer_program.hpp) over the workload, its indexes being candidates.
class IntegerProgram {
 public:
  //! A query over several tables is also served by a pair of indexes on two of them, drawn from its best single
  //! candidates on each table, this many, and the greedy's indexes there: the pairs stay bounded.
  static constexpr size_t kPairedPerTable = 5;

  IntegerProgram(Workload& workload, std::span<const IndexCandidate> candidates,
                 const std::function<int64_t(const IndexCandidate&)>& size_of, const WriteOverhead& overhead,
                 const SelectionOptions& options, double cost_before, const Configuration& greedy)
      : workload_(workload),
        candidates_(candidates),
        size_of_(size_of),
        overhead_(overhead),
        options_(options),
        cost_before_(cost_before) {
    for (size_t c = 0; c < candidates_.size(); ++c) {
      if (std::find(greedy.begin(), greedy.end(), candidates_[c]) != greedy.end()) greedy_.insert(c);
    }
  }

  //! The program's design, costed exactly; empty when the solver found no integer solution in time. `status` says
  //! how the solver ended.
  std::optional<Design> design(std::string& status) {
    if (!(options_.integer_program_seconds > 0)) throw std::invalid_argument("the time limit is not positive");
    build();
    program_.time_limit = std::chrono::milliseconds(
        static_cast<int64_t>(std::ceil(std::min(options_.integer_program_seconds, 1e6) * 1000)));
    auto solution = detail::solve(program_);
    if (!solution) {
      status = "no solution in time";
      return std::nullopt;
    }
    status = solution->optimal ? "optimal" : "time limit";
    Configuration config;
    for (size_t i : solution->chosen) config.push_back(candidates_[candidate_[i]]);
    return exact(std::move(config));
  }

 private:
  double overhead(const IndexCandidate& c) const { return overhead_ ? overhead_(c) : 0; }
  //! What an index costs in J before any query uses it.
  double price(const IndexCandidate& c) const {
    return overhead(c) + storage_price(options_, cost_before_, size_of_(c)) + fixed_price(options_, cost_before_);
  }

  // The program's index for candidate `c`, added on first use: only candidates some configuration needs.
  size_t index_of(size_t c) {
    auto [it, inserted] = index_.emplace(c, candidate_.size());
    if (inserted) {
      candidate_.push_back(c);
      program_.indexes.push_back({price(candidates_[c]), static_cast<double>(size_of_(candidates_[c]))});
    }
    return it->second;
  }

  // Atomic configurations per planned query: each relevant candidate alone (the requests the greedy's first round
  // asks, answered by the cache) and, for a query over several tables, pairs on two of them. A configuration must
  // save the query the share an index must save (min_improvement of its cost, as the greedy asks of a step), a pair
  // more than either of its indexes alone (else it is only a dearer single). Candidates that cannot fit the budget
  // alone, or whose price is not a number, take no part; nor do costs that are not finite (GLPK would abort).
  void build() {
    std::vector<bool> usable(candidates_.size());
    for (size_t c = 0; c < candidates_.size(); ++c) {
      usable[c] = size_of_(candidates_[c]) <= options_.budget_bytes && std::isfinite(price(candidates_[c]));
    }
    for (size_t q = 0; q < workload_.size(); ++q) {
      const WorkloadQuery& query = workload_.query(q);
      double base = workload_.current(q);
      if (!std::isfinite(base) || base <= 0) continue;
      auto saving = [&](const Configuration& config) {
        double s = base - workload_.cost(q, config);
        return std::isfinite(s) ? s : 0.0;
      };
      double needed = options_.min_improvement * base;
      std::map<analyzer::TableName, std::vector<std::pair<double, size_t>>> singles;  // per table: (saving, c)
      std::vector<detail::AtomicConfiguration> configurations;
      for (size_t c = 0; c < candidates_.size(); ++c) {
        if (!usable[c] || !CachingCostModel::is_relevant(query, candidates_[c])) continue;
        double s = saving({candidates_[c]});
        if (s <= 0) continue;
        singles[candidates_[c].table].emplace_back(s, c);
        if (s >= needed) configurations.push_back({{index_of(c)}, s});
      }
      if (singles.size() > 1) {
        for (auto& [table, list] : singles) paired(list);
      }
      for (auto a = singles.begin(); a != singles.end(); ++a) {
        for (auto b = std::next(a); b != singles.end(); ++b) {
          for (const auto& [sa, ca] : a->second) {
            for (const auto& [sb, cb] : b->second) {
              double s = saving({candidates_[ca], candidates_[cb]});
              if (s > 0 && s >= needed && s > std::max(sa, sb)) {
                configurations.push_back({{index_of(ca), index_of(cb)}, s});
              }
            }
          }
        }
      }
      if (!configurations.empty()) program_.queries.push_back(std::move(configurations));
    }
    program_.max_indexes = options_.max_indexes;
    program_.budget_bytes = static_cast<double>(options_.budget_bytes);
  }

  // The singles of one table that form pairs: the kPairedPerTable that save the query most, and the greedy's. Under
  // a count or a budget the best design holds indexes that serve many queries a little, not each one's best: with
  // the greedy's among the pairs, the program can at least describe the greedy's design as it is.
  void paired(std::vector<std::pair<double, size_t>>& singles) const {
    std::sort(singles.begin(), singles.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);  // the earlier candidate on a tie
    });
    auto rest =
        std::stable_partition(singles.begin() + static_cast<std::ptrdiff_t>(std::min(kPairedPerTable, singles.size())),
                              singles.end(), [&](const auto& s) { return greedy_.count(s.second) != 0; });
    singles.erase(rest, singles.end());
  }

  // The chosen set costed exactly: the program serves each query by one atomic configuration and ignores how
  // indexes interact, the planner sees them all. An index whose removal does not raise J is dropped (the planner
  // may serve its queries as well with the others).
  Design exact(Configuration config) {
    std::vector<double> costs(workload_.size());
    for (size_t q = 0; q < workload_.size(); ++q) costs[q] = workload_.cost(q, config);
    for (size_t i = 0; i < config.size();) {
      Configuration without = config;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
      auto affected = workload_.affected_by(config[i]);
      std::vector<double> next;
      double added = 0;
      for (size_t q : affected) {
        next.push_back(workload_.cost(q, without));
        added += next.back() - costs[q];
      }
      if (added <= price(config[i])) {
        for (size_t k = 0; k < affected.size(); ++k) costs[affected[k]] = next[k];
        config = std::move(without);
      } else {
        ++i;
      }
    }
    Design design{config, 0, 0};
    for (double c : costs) design.cost += c;
    for (const auto& c : config) {
      design.cost += overhead(c);
      design.bytes += size_of_(c);
    }
    return design;
  }

  Workload& workload_;
  std::span<const IndexCandidate> candidates_;
  const std::function<int64_t(const IndexCandidate&)>& size_of_;
  const WriteOverhead& overhead_;
  const SelectionOptions& options_;
  double cost_before_;
  std::set<size_t> greedy_;  //!< the candidates in the greedy's design
  detail::SelectionProgram program_;
  std::vector<size_t> candidate_;   //!< the program's index -> candidate
  std::map<size_t, size_t> index_;  //!< candidate -> the program's index
};

bool same_set(const Configuration& a, const Configuration& b) {
  return a.size() == b.size() && std::all_of(a.begin(), a.end(), [&](const IndexCandidate& x) {
           return std::find(b.begin(), b.end(), x) != b.end();
         });
}

}  // namespace

SelectionResult select_indexes(std::span<const WorkloadQuery> queries, std::span<const IndexCandidate> candidates,
                               CostModel& cost_model, const SizeEstimate& size, const WriteOverhead& write_overhead,
                               const SelectionOptions& options) {
  std::map<std::string, int64_t> sizes;
  std::function<int64_t(const IndexCandidate&)> size_of = [&](const IndexCandidate& c) {
    auto [it, inserted] = sizes.emplace(c.identity(), 0);
    if (inserted) it->second = std::max<int64_t>(size(c), 1);
    return it->second;
  };

  // Per byte, small indexes win even where a composite serves a hot query far better; by saving alone, a wide
  // index may win where two small ones would do. Each can beat the other: the larger design is kept only when it
  // cuts what the smaller leaves by the share an index must save (a partial index for a queue stays, a composite
  // for a heavy tenant wins), and by what its extra storage must buy.
  SelectionResult result;
  std::optional<Design> kept;
  for (Rank rank : {Rank::PerByte, Rank::Saving}) {
    Greedy greedy(queries, candidates, cost_model, size_of, write_overhead, options, rank);
    if (!kept) {
      result.unplanned = greedy.workload().unplanned();
      result.cost_before = greedy.workload().total();
    }
    Design design = greedy.run(result.cost_before);
    bool better = !kept || (design.bytes <= kept->bytes
                                ? design.cost < kept->cost || (design.cost == kept->cost && design.bytes < kept->bytes)
                                : kept->cost - design.cost >= options.min_improvement * kept->cost &&
                                      kept->cost - design.cost >=
                                          storage_price(options, result.cost_before, design.bytes - kept->bytes));
    if (better) kept = std::move(design);
  }
  result.method.greedy_objective = objective(options, result.cost_before, *kept);

  // The integer program's design replaces the greedy's only when its J is lower beyond rounding (its exact cost is
  // summed in another order than the greedy's running total).
  if (options.integer_program) {
    auto start = std::chrono::steady_clock::now();
    try {
      Workload workload(queries, cost_model);
      IntegerProgram program(workload, candidates, size_of, write_overhead, options, result.cost_before, kept->config);
      if (auto design = program.design(result.method.integer_program_status)) {
        double j = objective(options, result.cost_before, *design);
        result.method.ilp_objective = j;
        if (j < result.method.greedy_objective - 1e-9 * std::abs(result.method.greedy_objective) &&
            !same_set(design->config, kept->config)) {
          kept = std::move(design);
          result.method.kept = "ilp";
        }
      }
    } catch (const std::exception& e) {
      result.method.integer_program_status = std::string("failed: ") + e.what();
    }
    result.method.integer_program_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  result.cost_after = kept->cost;
  for (const auto& c : kept->config) {
    result.chosen.push_back({c, size_of(c), write_overhead ? write_overhead(c) : 0});
  }
  return result;
}

}  // namespace pgadvisor::advisor
