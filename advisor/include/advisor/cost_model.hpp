// The cost model: what a query would cost under a configuration of (hypothetical) indexes. Selection
// algorithms only ever ask a CostModel; CachingCostModel makes sure the planner is never asked twice for the
// same thing, keyed by (query, the indexes relevant to it) as in Kossmann et al., "Magic mirror in my hand,
// which is the best in the land? An Experimental Evaluation of Index Selection Algorithms", VLDB 2020.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "advisor/index_candidate.hpp"
#include "analyzer/query_facts.hpp"
#include "analyzer/workload.hpp"

namespace pgadvisor::advisor {

//! Where the values of a query's plans come from (issue order: the first that applies is used).
enum class PlanSource {
  Literals,  //!< concrete statements of the class, as executed
  Sampled,   //!< the class's $n text with parameter sets sampled from the workload
  PgStats,   //!< the $n text with values drawn from pg_stats for the column each parameter is compared with
  Generic,   //!< the $n text's generic plan (PREPARE, plan_cache_mode = force_generic_plan)
};
std::string_view to_string(PlanSource source);

//! One concrete execution to plan: a statement, with values for its $n if it has any.
struct Execution {
  std::string text;
  analyzer::ParameterSet parameters;
  bool operator==(const Execution&) const = default;
};

//! A column a query names (in a filter, join, select list, GROUP BY or ORDER BY), with its stored table.
struct ColumnRef {
  analyzer::TableName table;
  std::string column;  //!< "*": every column of the table (`SELECT *`, `t.*`)
  //! Named where an index key can serve it: a filter, a join, GROUP BY or ORDER BY. False: only read (the select
  //! list, an aggregate's argument).
  bool searched = true;
  bool operator==(const ColumnRef&) const = default;
};

//! A query class as the advisor sees it: something to plan, how often it runs, which tables it reads.
struct WorkloadQuery {
  std::string fingerprint;                  //!< the query class
  std::string text;                         //!< the class's SQL: literals, or $n parameters
  double weight = 1;                        //!< executions in the workload (calls)
  std::vector<analyzer::TableName> tables;  //!< stored tables it reads or writes: only their indexes matter
  int parameters = 0;                       //!< highest $n in text; 0 when it has none
  //! What to plan: its cost is the mean over these. Empty: `text` itself (a generic plan when it has $n).
  std::vector<Execution> executions{};
  PlanSource source = PlanSource::Literals;
  //! The last execution holds the most common value of a skewed column in place of a sampled one (heavy_values()).
  bool heavy_values = false;
  //! The columns it names: an index none of whose columns it names cannot serve it. Empty when not known (then
  //! every index on its tables counts).
  std::vector<ColumnRef> columns{};
};

//! A set of indexes to cost a query under.
using Configuration = std::vector<IndexCandidate>;

class CostModel {
 public:
  virtual ~CostModel() = default;
  //! The planner's estimated total cost of `query` if exactly `configuration` (plus existing indexes) existed.
  virtual double cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) = 0;

 protected:
  // Copies only through a derived class (no slicing through the interface).
  CostModel() = default;
  CostModel(const CostModel&) = default;
  CostModel& operator=(const CostModel&) = default;
  CostModel(CostModel&&) = default;
  CostModel& operator=(CostModel&&) = default;
};

//! Counts and times what reached the cost model behind the cache.
struct CostRequestStats {
  uint64_t requests = 0;                   //!< cost() calls made to the cache
  uint64_t cache_hits = 0;                 //!< answered without asking the inner model
  std::chrono::nanoseconds inner_time{0};  //!< time spent in the inner model
  uint64_t inner_requests() const { return requests - cache_hits; }
};

//! A CostModel decorator that caches by (query, relevant indexes, reduced): configurations that differ only in
//! indexes that cannot change the query's plan share one answer (the relevance rule of Kossmann et al., VLDB
//! 2020), and so do indexes that differ only in what the query cannot use.
//!
//! Relevant: on one of the query's tables, and its leading key is a column the query searches (filter, join,
//! GROUP BY, ORDER BY), or its partial predicate names one, or it holds every column the query names on that table
//! (an index-only scan). Missed, so underestimated and never invented: a full scan of an index whose leading key
//! the query does not search (a filter on its second key), and an index-only scan for a query naming none of its
//! table's columns (`count(*)`).
//!
//! Reduced, for costs (not for plans, which show index names): a full index the query cannot scan index-only is
//! costed without its INCLUDE columns and its keys after the last one the query searches. They only make it a
//! little larger, so `(a, x)` costs a query on `a` and `b` as `(a)` does: one planner call per query for the
//! many composites that lead with its column (Dexter's batching case: 4,950 queries, 100 columns), and cost
//! requests that grow with the workload, not with its square.
class CachingCostModel : public CostModel {
 public:
  explicit CachingCostModel(CostModel& inner) : inner_(inner) {}
  double cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) override;
  const CostRequestStats& stats() const { return stats_; }

  //! The indexes of `configuration` relevant to `query` (see above), in a canonical order.
  static Configuration relevant(const WorkloadQuery& query, std::span<const IndexCandidate> configuration);
  //! The relevant indexes reduced to what the query can use (see above), without duplicates, in a canonical order:
  //! what its cost depends on.
  static Configuration costed(const WorkloadQuery& query, std::span<const IndexCandidate> configuration);
  //! `index` as `query` can use it (see above): itself when partial, not a btree, or holding every column the
  //! query names on its table.
  static IndexCandidate reduced(const WorkloadQuery& query, const IndexCandidate& index);
  //! The cache key of `query` under `relevant` indexes (as relevant() returns them).
  static std::string key(const WorkloadQuery& query, std::span<const IndexCandidate> relevant);
  //! Whether `index` can change `query`'s plan (see above).
  static bool is_relevant(const WorkloadQuery& query, const IndexCandidate& index);

 private:
  CostModel& inner_;
  std::unordered_map<std::string, double> cache_;
  CostRequestStats stats_;
};

}  // namespace pgadvisor::advisor
