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
#include <unordered_map>

#include "integer_program.hpp"

namespace pgadvisor::advisor {
namespace {

// One index added to the current configuration, removed from it, or both (a chosen index widened).
struct Edit {
  const IndexCandidate* added = nullptr;
  const IndexCandidate* removed = nullptr;
};

// The planned queries, each with its cost and its relevant indexes under the current configuration, and which
// queries each candidate can change (CachingCostModel's relevance rule: the others' plans cannot change, so they
// are not asked again). A change is costed from each query's own relevant indexes, not from the whole
// configuration: with 100 indexes on a table, a request no longer scans them all.
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
    relevant_.resize(planned_.size());
    for (size_t i = 0; i < planned_.size(); ++i) {
      const auto& q = *planned_[i];
      for (const auto& t : q.tables) {
        if (q.columns.empty()) unknown_columns_[table_key(t)].push_back(i);
        on_table_[table_key(t)].push_back(i);
      }
      for (const auto& ref : q.columns) naming_[column_key(table_key(ref.table), ref.column)].push_back(i);
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

  //! Indexes (into the planned queries) of the queries `index` is relevant to, ascending. Only the queries that
  //! name one of its columns (or whose columns are not known) are asked: a plain index on a table of 5,000 queries
  //! is not checked against every one of them.
  std::vector<size_t> affected_by(const IndexCandidate& index) const {
    auto table = table_key(index.table);
    std::vector<size_t> asked;
    bool plain = index.predicate.empty() && std::all_of(index.keys.begin(), index.keys.end(),
                                                        [](const IndexKey& k) { return k.expression.empty(); });
    auto add = [&](const std::map<std::string, std::vector<size_t>>& from, const std::string& key) {
      if (auto it = from.find(key); it != from.end()) asked.insert(asked.end(), it->second.begin(), it->second.end());
    };
    if (plain) {
      for (const auto& k : index.keys) add(naming_, column_key(table, k.column));
      for (const auto& c : index.include) add(naming_, column_key(table, c));
      add(unknown_columns_, table);
      std::sort(asked.begin(), asked.end());
      asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
    } else {
      add(on_table_, table);  // an expression or a predicate may name a column as a word: ask every query
    }
    std::vector<size_t> out;
    for (size_t i : asked) {
      if (CachingCostModel::is_relevant(*planned_[i], index)) out.push_back(i);
    }
    return out;
  }

  //! Weighted cost of planned query `i` if `edit` changed the current configuration.
  double edited_cost(size_t i, const Edit& edit) { return cost(i, edited(i, edit)); }

  //! Makes `edit` to the current configuration for `queries` (all the queries it affects).
  void apply(const std::vector<size_t>& queries, const Edit& edit) {
    for (size_t i : queries) {
      relevant_[i] = edited(i, edit);
      current_[i] = cost(i, relevant_[i]);
    }
  }

  std::vector<UnplannedQuery> unplanned() const { return unplanned_; }

  //! Weighted cost of planned query `i` under `config`. Only the indexes relevant to the query are asked about:
  //! what the query's cost depends on, whatever the model.
  double cost(size_t i, const Configuration& config) {
    return planned_[i]->weight * model_.cost(*planned_[i], CachingCostModel::relevant(*planned_[i], config));
  }

 private:
  CostModel& model_;
  // The relevant indexes of planned query `i` after `edit`.
  Configuration edited(size_t i, const Edit& edit) const {
    Configuration out;
    for (const auto& c : relevant_[i]) {
      if (edit.removed == nullptr || !(c == *edit.removed)) out.push_back(c);
    }
    if (edit.added != nullptr && CachingCostModel::is_relevant(*planned_[i], *edit.added)) out.push_back(*edit.added);
    return out;
  }

  static std::string table_key(const analyzer::TableName& t) { return t.schema + '.' + t.name; }
  //! naming_'s key: the table's key, NUL, the column.
  static std::string column_key(std::string table, const std::string& column) {
    table += '\0';
    table += column;
    return table;
  }

  std::vector<const WorkloadQuery*> planned_;
  std::map<std::string, std::vector<size_t>> on_table_;  //!< table -> the queries on it
  std::map<std::string, std::vector<size_t>>
      unknown_columns_;                                //!< table -> the queries on it whose columns are unknown
  std::map<std::string, std::vector<size_t>> naming_;  //!< "table\0column" -> the queries naming the column there
  std::vector<double> current_;          //!< weighted cost of each planned query under the current configuration
  std::vector<Configuration> relevant_;  //!< each planned query's relevant indexes of the current configuration
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

// A greedy step, or an option for one: add a candidate, or replace a chosen one by a candidate it is a prefix of.
struct Step {
  size_t added = 0;               //!< the candidate it adds
  std::optional<size_t> removed;  //!< the chosen candidate it replaces (widens)
  int64_t bytes = 0;              //!< total size of the configuration after it
  double saved = 0;               //!< workload cost saved, write overhead included
  double served = 0;              //!< the current cost of the queries whose cost it changes
  std::vector<size_t> affected;   //!< the queries whose cost the step changes
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
        rank_(rank),
        chosen_flag_(candidates.size(), false),
        memo_(workload_.size()) {
    for (const auto& c : candidates_) affected_.push_back(workload_.affected_by(c));
    number_forms();
    // Which candidates widen which: only candidates with the same table and leading key can (one pass per group).
    prefixes_.resize(candidates_.size());
    widenings_.resize(candidates_.size());
    std::map<std::string, std::vector<size_t>> by_leading_key;
    for (size_t i = 0; i < candidates_.size(); ++i) {
      const auto& c = candidates_[i];
      if (!c.keys.empty())
        by_leading_key[c.table.schema + '.' + c.table.name + '\0' + c.keys.front().column + '\0' +
                       c.keys.front().expression]
            .push_back(i);
    }
    for (const auto& [key, group] : by_leading_key) {
      for (size_t x : group) {
        for (size_t c : group) {
          if (x != c && candidates_[x].is_prefix_of(candidates_[c]) && !(candidates_[x] == candidates_[c])) {
            widenings_[x].push_back(c);
            prefixes_[c].push_back(x);
          }
        }
      }
    }
  }

  const Workload& workload() const { return workload_; }

  Design run(double cost_before) {
    cost_before_ = cost_before;
    cost_ = cost_before;
    // Lazy greedy (Minoux's accelerated greedy): what a candidate saves only shrinks as indexes are added, so a
    // value computed under an earlier configuration bounds the current one. Each step re-evaluates candidates from
    // the top of the queue until one stays on top; the others keep their older values. Widening breaks the bound
    // (a chosen index opens options that were not there), so after a step, the candidates that can widen the
    // index it chose are evaluated again at once. A step that saves too little of what is left of its queries'
    // cost waits (others behind it may save enough), and is tried again when a step changes its table.
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
      drop_useless(step->affected);
      if (auto it = waiting.find(candidates_[top].table); it != waiting.end()) {
        for (size_t i : it->second) push(i, std::numeric_limits<double>::max());  // re-evaluated when popped
        waiting.erase(it);
      }
      if (chosen_flag_[top]) {  // not when drop_useless took it out again
        for (size_t i : widenings_[top]) {
          if (auto again = evaluate(i)) push(i, again->priority);
        }
      }
    }
    Design design{{}, bytes_, cost_};
    for (size_t c : chosen_) design.config.push_back(candidates_[c]);
    return design;
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

  // Each query's relevant candidates reduced to what it can use (CachingCostModel::reduced), numbered per query:
  // candidates of one number cost the query alike, so an option is costed once per number (memo_), not once per
  // candidate. In Dexter's batching case every composite leading with a query's column is one number for it.
  void number_forms() {
    std::vector<std::unordered_map<std::string, uint32_t>> numbers(workload_.size());
    form_.resize(candidates_.size());
    for (size_t c = 0; c < candidates_.size(); ++c) {
      for (size_t q : affected_[c]) {
        auto& known = numbers[q];
        auto identity = CachingCostModel::reduced(workload_.query(q), candidates_[c]).identity();
        form_[c].push_back(known.emplace(std::move(identity), static_cast<uint32_t>(known.size())).first->second);
      }
    }
  }

  // The cost of query q after `step`'s change (its added candidate, and its removed one if any), remembered under
  // the current configuration of q (apply() forgets it).
  double cost_after(size_t q, size_t added, std::optional<size_t> removed, bool added_relevant) {
    uint64_t form = 0;  // 0: the added candidate does not change q
    if (added_relevant) {
      const auto& affected = affected_[added];
      auto at = std::lower_bound(affected.begin(), affected.end(), q);
      form = 1 + form_[added][static_cast<size_t>(at - affected.begin())];
    }
    uint64_t key = (static_cast<uint64_t>(removed ? *removed + 1 : 0) << 32) | form;
    auto& memo = memo_[q];
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    Edit edit{added_relevant ? &candidates_[added] : nullptr, removed ? &candidates_[*removed] : nullptr};
    double cost = workload_.edited_cost(q, edit);
    memo.emplace(key, cost);
    return cost;
  }

  struct Change {
    double cost = 0;    //!< the change in the weighted cost of the queries
    double served = 0;  //!< the current weighted cost of those among them whose cost changes
  };
  Change delta(const std::vector<size_t>& queries, size_t added, std::optional<size_t> removed) {
    Change change;
    const auto& relevant = affected_[added];
    for (size_t q : queries) {
      bool added_relevant = std::binary_search(relevant.begin(), relevant.end(), q);
      double next = cost_after(q, added, removed, added_relevant);
      change.cost += next - workload_.current(q);
      if (next != workload_.current(q)) change.served += workload_.current(q);
    }
    return change;
  }

  void apply(const std::vector<size_t>& queries, const IndexCandidate* added, const IndexCandidate* removed) {
    workload_.apply(queries, Edit{added, removed});
    for (size_t q : queries) memo_[q].clear();
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

  double overhead(const IndexCandidate& c) const { return overhead_ ? overhead_(c) : 0; }

  // The best option for one candidate under the current configuration: add it, or widen a chosen index that is
  // its prefix into it; nothing when it does not fit or saves nothing.
  std::optional<Step> evaluate(size_t i) {
    const IndexCandidate& c = candidates_[i];
    std::optional<Step> best;
    if (chosen_flag_[i]) return best;
    auto consider = [&](std::optional<size_t> removed, int64_t next_bytes, std::vector<size_t> affected,
                        double added_overhead) {
      size_t count = chosen_.size() + (removed ? 0 : 1);
      if (next_bytes > options_.budget_bytes || (options_.max_indexes > 0 && count > options_.max_indexes)) return;
      auto change = delta(affected, i, removed);
      double saved = -change.cost - added_overhead;
      if (!(saved > 0)) return;  // nothing saved, or a cost that is not a number
      double priority =
          rank_ == Rank::PerByte ? saved / static_cast<double>(std::max<int64_t>(next_bytes - bytes_, 1)) : saved;
      if (!best || priority > best->priority) {
        best = Step{i, removed, next_bytes, saved, change.served, std::move(affected), priority};
      }
    };
    consider(std::nullopt, bytes_ + size_of_(c), affected_[i], overhead(c));
    for (size_t x : prefixes_[i]) {
      if (!chosen_flag_[x]) continue;
      const IndexCandidate& prefix = candidates_[x];
      consider(x, bytes_ - size_of_(prefix) + size_of_(c), merged(affected_[i], affected_[x]),
               overhead(c) - overhead(prefix));
    }
    return best;
  }

  void take(const Step& step) {
    apply(step.affected, &candidates_[step.added], step.removed ? &candidates_[*step.removed] : nullptr);
    if (step.removed) {
      chosen_flag_[*step.removed] = false;
      *std::find(chosen_.begin(), chosen_.end(), *step.removed) = step.added;
    } else {
      chosen_.push_back(step.added);
    }
    chosen_flag_[step.added] = true;
    bytes_ = step.bytes;
    cost_ -= step.saved;
  }

  // A step can make an earlier choice useless: (created_at) chosen first for its size, then (account_id,
  // created_at) that serves its queries better. Drop what the workload no longer needs. Only an index serving one of
  // the queries the step changed can have become useless: the others are not asked again.
  void drop_useless(const std::vector<size_t>& changed) {
    std::vector<bool> was_changed(workload_.size(), false);
    for (size_t q : changed) was_changed[q] = true;
    for (size_t k = 0; k < chosen_.size();) {
      size_t x = chosen_[k];
      if (std::none_of(affected_[x].begin(), affected_[x].end(), [&](size_t q) { return was_changed[q]; })) {
        ++k;
        continue;
      }
      Change removal;
      for (size_t q : affected_[x]) {
        double next = workload_.edited_cost(q, Edit{nullptr, &candidates_[x]});
        removal.cost += next - workload_.current(q);
      }
      double change = removal.cost - overhead(candidates_[x]);
      if (change <= 0) {
        apply(affected_[x], nullptr, &candidates_[x]);
        bytes_ -= size_of_(candidates_[x]);
        cost_ += change;
        chosen_flag_[x] = false;
        chosen_.erase(chosen_.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        ++k;
      }
    }
  }

  Workload workload_;
  std::span<const IndexCandidate> candidates_;
  std::vector<std::vector<size_t>> affected_;   //!< per candidate, the queries it is relevant to (ascending)
  std::vector<std::vector<uint32_t>> form_;     //!< per candidate, its number for each of affected_ (number_forms)
  std::vector<std::vector<size_t>> widenings_;  //!< per candidate, the candidates it is a proper prefix of
  std::vector<std::vector<size_t>> prefixes_;   //!< per candidate, the candidates that are proper prefixes of it
  const std::function<int64_t(const IndexCandidate&)>& size_of_;
  const WriteOverhead& overhead_;
  const SelectionOptions& options_;
  Rank rank_;
  std::vector<Entry> queue_;
  std::vector<size_t> chosen_;  //!< the chosen candidates, in the order taken (a widened one in its prefix's place)
  std::vector<bool> chosen_flag_;
  //! Per query: its cost after an option (keyed by the removed candidate and the added one's number), under its
  //! current configuration.
  std::vector<std::unordered_map<uint64_t, double>> memo_;
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
  //! A query is served alone by its best candidates, this many (the greedy's always among them): many indexes
  //! often serve a query equally (every composite leading with its column), and only the cheapest of them
  //! matters for it. Bounded, the program grows with the workload and GLPK solves it in time.
  static constexpr size_t kSinglesPerQuery = 8;

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
  //! The price of candidate `c`, computed once (a write overhead reads every write class).
  double price(size_t c) {
    if (prices_.empty()) prices_.assign(candidates_.size(), std::numeric_limits<double>::quiet_NaN());
    if (std::isnan(prices_[c])) prices_[c] = price(candidates_[c]);
    return prices_[c];
  }

  // The program's index for candidate `c`, added on first use: only candidates some configuration needs.
  size_t index_of(size_t c) {
    auto [it, inserted] = index_.emplace(c, candidate_.size());
    if (inserted) {
      candidate_.push_back(c);
      program_.indexes.push_back({price(c), static_cast<double>(size_of_(candidates_[c]))});
    }
    return it->second;
  }

  // Atomic configurations per planned query: each relevant candidate alone (the requests the greedy's first round
  // asks, answered by the cache) and, for a query over several tables, pairs on two of them. A configuration must
  // save the query the share an index must save (min_improvement of its cost, as the greedy asks of a step), a pair
  // more than either of its indexes alone (else it is only a dearer single). Candidates that cannot fit the budget
  // alone, or whose price is not a number, take no part; nor do costs that are not finite (GLPK would abort).
  void build() {
    std::vector<std::vector<size_t>> relevant(workload_.size());  // per query, its relevant usable candidates
    for (size_t c = 0; c < candidates_.size(); ++c) {
      bool usable = size_of_(candidates_[c]) <= options_.budget_bytes && std::isfinite(price(c));
      if (!usable) continue;
      for (size_t q : workload_.affected_by(candidates_[c])) relevant[q].push_back(c);
    }
    for (size_t q = 0; q < workload_.size(); ++q) {
      double base = workload_.current(q);
      if (!std::isfinite(base) || base <= 0) continue;
      auto saving = [&](const Configuration& config) {
        double s = base - workload_.cost(q, config);
        return std::isfinite(s) ? s : 0.0;
      };
      double needed = options_.min_improvement * base;
      std::map<analyzer::TableName, std::vector<std::pair<double, size_t>>> singles;  // per table: (saving, c)
      std::vector<detail::AtomicConfiguration> configurations;
      std::vector<std::pair<double, size_t>> alone;  // (saving, c) of the configurations of one index
      for (size_t c : relevant[q]) {
        double s = saving({candidates_[c]});
        if (s <= 0) continue;
        singles[candidates_[c].table].emplace_back(s, c);
        if (s >= needed) alone.emplace_back(s, c);
      }
      for (const auto& [s, c] : best_alone(alone)) configurations.push_back({{index_of(c)}, s});
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

  // The configurations of one index that serve a query: the kSinglesPerQuery that save it most, the cheaper first
  // on a tie, and the greedy's.
  std::vector<std::pair<double, size_t>> best_alone(std::vector<std::pair<double, size_t>> alone) {
    std::sort(alone.begin(), alone.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      const double pa = price(a.second);
      const double pb = price(b.second);
      return pa < pb || (pa == pb && a.second < b.second);
    });
    auto rest =
        std::stable_partition(alone.begin() + static_cast<std::ptrdiff_t>(std::min(kSinglesPerQuery, alone.size())),
                              alone.end(), [&](const auto& s) { return greedy_.count(s.second) != 0; });
    alone.erase(rest, alone.end());
    return alone;
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
  std::vector<double> prices_;      //!< per candidate, its price once known (NaN before)
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
  // Asked once per candidate: a write overhead reads every write class of the workload.
  std::map<std::string, double> overheads;
  WriteOverhead overhead_of;
  if (write_overhead) {
    overhead_of = [&](const IndexCandidate& c) {
      auto [it, inserted] = overheads.emplace(c.identity(), 0.0);
      if (inserted) it->second = write_overhead(c);
      return it->second;
    };
  }

  // Per byte, small indexes win even where a composite serves a hot query far better; by saving alone, a wide
  // index may win where two small ones would do. Each can beat the other: the larger design is kept only when it
  // cuts what the smaller leaves by the share an index must save (a partial index for a queue stays, a composite
  // for a heavy tenant wins), and by what its extra storage must buy.
  SelectionResult result;
  std::optional<Design> kept;
  for (Rank rank : {Rank::PerByte, Rank::Saving}) {
    Greedy greedy(queries, candidates, cost_model, size_of, overhead_of, options, rank);
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
      IntegerProgram program(workload, candidates, size_of, overhead_of, options, result.cost_before, kept->config);
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
    result.method.integer_program_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  result.cost_after = kept->cost;
  for (const auto& c : kept->config) {
    result.chosen.push_back({c, size_of(c), overhead_of ? overhead_of(c) : 0});
  }
  return result;
}

}  // namespace pgadvisor::advisor
