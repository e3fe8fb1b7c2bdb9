// The what-if model on a server (a WhatIfModel): the planner's own estimate of a query under hypothetical
// indexes (HypoPG), in a read-only session of the user's database. Hypothetical indexes are private to that
// session and vanish with it. HypoPG 1.3 takes a hypothetical index on a partitioned table and the planner uses it
// on every partition (docs/ARCHITECTURE.md, measured facts); only its size is counted partition by partition.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "advisor/what_if_model.hpp"
#include "pg/connection.hpp"

namespace pgadvisor::advisor {

class HypoPGCostModel : public WhatIfModel {
 public:
  //! `session` should be a source session (read-only) of the database the workload runs on, with hypopg created.
  explicit HypoPGCostModel(pg::Connection& session);
  ~HypoPGCostModel() override;
  HypoPGCostModel(const HypoPGCostModel&) = delete;
  HypoPGCostModel& operator=(const HypoPGCostModel&) = delete;
  HypoPGCostModel(HypoPGCostModel&&) = delete;
  HypoPGCostModel& operator=(HypoPGCostModel&&) = delete;

  //! Cost and plan summary from EXPLAIN (FORMAT JSON); hypothetical index names are shown as the candidates'
  //! names. An expression key over one column is costed through its column (expression_proxy.hpp), since HypoPG
  //! has no statistics for it.
  ExplainedQuery explain(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) override;
  PlanSource source(const WorkloadQuery& query) const override;
  std::string fallback_reason(const WorkloadQuery& query) const override;
  //! Candidates HypoPG refused to create, with the server's reason.
  std::vector<RefusedCandidate> refused() const override;
  //! HypoPG's size estimate of the index in bytes (about 1.9x a real build's, docs/ARCHITECTURE.md, measured facts:
  //! budgets stay conservative); on a partitioned table, the sum of its estimates on each leaf partition.
  int64_t estimated_size(const IndexCandidate& candidate) override;
  //! EXPLAIN (FORMAT JSON) of the SELECT with no hypothetical index; nullopt when the server refuses to plan it.
  std::optional<QueryEstimate> estimate(const std::string& select) override;

 private:
  //! EXPLAIN (FORMAT JSON) of a statement, with values for its $n.
  std::string explain_json(const std::string& text, const analyzer::ParameterSet& parameters);
  //! The generic plan of a $n statement: a prepared statement under plan_cache_mode = force_generic_plan,
  //! since PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN).
  std::string explain_generic_json(const WorkloadQuery& query);
  ExplainedQuery explain_one(const std::string& plan_json) const;
  //! explain() without the expression-index proxy (expression_proxy.hpp).
  ExplainedQuery explain_as_is(const WorkloadQuery& query, std::span<const IndexCandidate> configuration);
  //! Makes exactly `configuration` exist as hypothetical indexes, creating and dropping only the difference.
  void realize(std::span<const IndexCandidate> configuration);
  uint32_t create(const IndexCandidate& candidate);
  int64_t hypothetical_size(uint32_t oid);
  //! The leaf partitions of `table` that can hold an index (sql/advisor/leaf_partitions); empty for a table that
  //! is not partitioned. Asked once per table.
  const std::vector<analyzer::TableName>& leaf_partitions(const analyzer::TableName& table);
  //! Creates one hypothetical index, or records why it was refused.
  void realize_one(const IndexCandidate& candidate);

  pg::Connection& session_;
  std::map<std::string, uint32_t> present_;                         //!< identity -> hypothetical index oid
  std::map<uint32_t, std::string> names_;                           //!< oid -> candidate name, for plan summaries
  bool generic_plans_set_ = false;                                  //!< plan_cache_mode set in this session
  std::map<std::string, std::string> fallbacks_;                    //!< fingerprint -> why its values were refused
  std::map<std::string, RefusedCandidate> refused_;                 //!< identity -> the candidate HypoPG refused
  std::map<std::string, std::vector<analyzer::TableName>> leaves_;  //!< quoted table -> its leaf partitions
};

}  // namespace pgadvisor::advisor
