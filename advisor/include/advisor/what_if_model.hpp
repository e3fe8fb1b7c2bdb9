// The what-if model: what the advisor asks of a planner beyond a cost (a query's plan under a configuration of
// hypothetical indexes, an index's size, what could not be represented), and CachingWhatIfModel, the cache every
// one of those planner calls goes through. advise() depends on this interface only; HypoPGCostModel implements it
// on a server, tests/advisor/fake_what_if_model.hpp without one.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "advisor/cost_model.hpp"

namespace pgadvisor::advisor {

//! A query's plan under a configuration.
struct ExplainedQuery {
  double total_cost = 0;  //!< the top plan node's Total Cost
  std::string summary;    //!< the scans and sorts, e.g. "Index Scan using orders_customer_id_idx on orders"
};

//! The planner's estimate of a query's result: its top plan node's rows, row width and total cost.
struct QueryEstimate {
  double rows = 0;
  double width = 0;  //!< bytes
  double cost = 0;
};

//! A candidate the what-if model would not create, with the reason.
struct RefusedCandidate {
  std::string definition;
  std::string reason;
};

class WhatIfModel : public CostModel {
 public:
  //! Cost and plan summary of `query` if exactly `configuration` (plus existing indexes) existed; hypothetical
  //! indexes are shown by their candidates' `name()`.
  virtual ExplainedQuery explain(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) = 0;
  double cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) override {
    return explain(query, configuration).total_cost;
  }
  //! The index's estimated size in bytes; kRefusedSize for a candidate the model refused.
  virtual int64_t estimated_size(const IndexCandidate& candidate) = 0;
  //! The size reported for a refused candidate: too large for any budget.
  static constexpr int64_t kRefusedSize = int64_t{1} << 62;
  //! Candidates the model refused to create: they cost as if absent, so selection never chooses them.
  virtual std::vector<RefusedCandidate> refused() const = 0;
  //! Where the plans of `query` came from: its own source, or `generic` when its values were refused.
  virtual PlanSource source(const WorkloadQuery& query) const = 0;
  //! Why the values of `query` were refused (empty when they were not).
  virtual std::string fallback_reason(const WorkloadQuery& query) const = 0;
  //! The planner's estimate of a SELECT without parameters and without hypothetical indexes (a materialized view's
  //! query, a class's sample); nullopt when the model cannot plan it. The default model cannot.
  virtual std::optional<QueryEstimate> estimate(const std::string& select) {
    (void)select;
    return std::nullopt;
  }
};

//! A WhatIfModel decorator that answers costs and plans from one cache keyed as CachingCostModel's (query,
//! relevant indexes), and passes the inner model only the relevant indexes. A cost request is answered by any
//! earlier answer for the key; a plan request only by one whose plan shows the indexes under the names asked
//! for (advise() names its chosen indexes after selection, and the plans show the names). Sizes, refusals and
//! plan sources are passed through: sizes are asked once per candidate by the selection, the rest is no planner
//! call.
class CachingWhatIfModel : public WhatIfModel {
 public:
  explicit CachingWhatIfModel(WhatIfModel& inner) : inner_(inner) {}
  double cost(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) override;
  ExplainedQuery explain(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) override;
  int64_t estimated_size(const IndexCandidate& candidate) override { return inner_.estimated_size(candidate); }
  std::vector<RefusedCandidate> refused() const override { return inner_.refused(); }
  PlanSource source(const WorkloadQuery& query) const override { return inner_.source(query); }
  std::string fallback_reason(const WorkloadQuery& query) const override { return inner_.fallback_reason(query); }
  std::optional<QueryEstimate> estimate(const std::string& select) override {
    ++stats_.requests;  // a planner call of its own, never cached: each view and sample is asked once
    return inner_.estimate(select);
  }
  //! Cost and plan requests together: every planner call the advice made is one of `inner_requests()`.
  const CostRequestStats& stats() const { return stats_; }

 private:
  struct Answer {
    ExplainedQuery plan;
    std::string names;  //!< the names the plan shows the relevant indexes by
  };
  const Answer& answer(const WorkloadQuery& query, std::span<const IndexCandidate> configuration, bool plan_wanted);

  WhatIfModel& inner_;
  std::unordered_map<std::string, Answer> cache_;
  CostRequestStats stats_;
};

}  // namespace pgadvisor::advisor
