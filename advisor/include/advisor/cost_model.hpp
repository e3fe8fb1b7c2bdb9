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
  PgStats,  //!< the $n text with values drawn from pg_stats for the column each parameter is compared with
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
  std::string column;
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

//! A CostModel decorator that caches by (query, relevant indexes): indexes on tables the query does not touch, or
//! whose columns (keys, INCLUDE, partial predicate) it never names, do not change its plan, so configurations
//! that differ only in those share one answer (the relevance rule of Kossmann et al., VLDB 2020). An index the
//! planner could only use for a full index-only scan of a query naming none of its columns (`count(*)`) is
//! missed: its benefit is underestimated, never invented.
class CachingCostModel : public CostModel {
 public:
  explicit CachingCostModel(CostModel& inner) : inner_(inner) {}
  double cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) override;
  const CostRequestStats& stats() const { return stats_; }

  //! The indexes of `configuration` relevant to `query` (see above), in a canonical order.
  static Configuration relevant(const WorkloadQuery& query, std::span<const IndexCandidate> configuration);
  //! The cache key of `query` under `relevant` indexes (as relevant() returns them).
  static std::string key(const WorkloadQuery& query, std::span<const IndexCandidate> relevant);
  //! Whether `index` can change `query`'s plan: on one of its tables, and naming one of its columns.
  static bool is_relevant(const WorkloadQuery& query, const IndexCandidate& index);

 private:
  CostModel& inner_;
  std::unordered_map<std::string, double> cache_;
  CostRequestStats stats_;
};

}  // namespace pgadvisor::advisor
