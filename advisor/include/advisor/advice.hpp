// Advice for a workload: query classes built from statements, candidates, what-if selection, and for each chosen
// index the evidence (the queries it helps, cost and plan before and after). Drives the cost model; never
// touches libpq itself beyond what the HypoPG model does.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "advisor/candidate_generator.hpp"
#include "advisor/hypopg_cost_model.hpp"
#include "advisor/index_selection.hpp"
#include "analyzer/catalog.hpp"

namespace pgadvisor::advisor {

//! Query classes from raw statements (a file of queries, or sampled statements of a log): grouped by
//! fingerprint, weighted by their count, facts resolved against the catalog, constants that are the same in
//! every statement of a class kept as partial-index material. Statements that cannot be advised on (parse
//! errors, utility statements) are returned in `skipped` with the reason.
struct StatementClasses {
  std::vector<ClassFacts> classes;
  std::vector<UnplannedQuery> skipped;
};
StatementClasses classes_from_statements(std::span<const std::string> statements, const analyzer::Catalog& catalog);

//! How one query's cost and plan change with an index.
struct QueryEvidence {
  std::string fingerprint;
  double weight = 0;
  double cost_before = 0;  //!< with the other chosen indexes, without this one
  double cost_after = 0;   //!< with all chosen indexes
  std::string plan_before;
  std::string plan_after;
};

struct IndexAdvice {
  IndexCandidate index;
  int64_t size_bytes = 0;              //!< HypoPG's estimate (about 1.9x a real build, FACTS.md)
  double write_overhead = 0;           //!< cost units added to the workload's writes
  std::vector<QueryEvidence> queries;  //!< the queries it makes cheaper, most helped first
};

struct AdviceOptions {
  CandidateOptions candidates;
  SelectionOptions selection;
  //! Cost of maintaining one index entry for a written row, in planner cost units (about one random page).
  double index_maintenance_cost = 4.0;
};

struct Advice {
  std::vector<IndexAdvice> indexes;
  std::vector<UnplannedQuery> unplanned;
  double cost_before = 0;  //!< the workload's weighted estimated cost without new indexes
  double cost_after = 0;
  size_t classes = 0;     //!< query classes considered
  size_t candidates = 0;  //!< candidates generated
  CostRequestStats requests;
};

//! Advises on `classes` with the what-if `model` (a read-only session of the workload's database).
Advice advise(const StatementClasses& workload, const analyzer::Catalog& catalog, HypoPGCostModel& model,
              const AdviceOptions& options = {});

}  // namespace pgadvisor::advisor
