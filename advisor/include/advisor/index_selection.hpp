// Index selection for a whole workload, in the style of Extend (Schlosser, Kossmann, Boissier: "Efficient
// Scalable Multi-Attribute Index Selection Using Recursive Strategies", ICDE 2019): greedy steps that either add
// a candidate or widen a chosen index into a longer candidate that extends it, within a storage budget and an
// optional maximum count, while a step makes the queries it serves materially cheaper. Steps are ranked by
// saving per byte and, in a second run, by saving alone; the lower-cost design is kept.
//
// Beside the greedy, an integer program over atomic configurations (the formulation of commercial advisors and
// CoPhy, solved with GLPK) chooses the set that is best by construction for costs without interactions: per query,
// no index, one relevant candidate, or for a query over several tables a pair on two of them (from its 5 best
// candidates per table and the greedy's indexes), each saving the query at least min_improvement of its cost.
// Its set is then costed exactly (interactions included; an index whose removal does not raise J is dropped) and
// compared with the greedy's by one objective J (SelectionResult); the lower J is kept, the greedy's on a tie.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "advisor/cost_model.hpp"
#include "advisor/index_candidate.hpp"

namespace pgadvisor::advisor {

struct SelectionOptions {
  size_t max_indexes = 0;  //!< at most this many new indexes; 0: as many as save enough (the default)
  int64_t budget_bytes = std::numeric_limits<int64_t>::max();
  //! An index must save this share of what is left of the cost of the queries it serves (write overhead taken
  //! from its saving) ...
  double min_improvement = 0.2;
  //! ... and this share of the workload's original cost (no index for a sliver of it).
  double min_improvement_of_workload = 0.0001;
  //! ... and, per GiB it adds (HypoPG's estimate), this share of the workload's original cost: storage has a price.
  double storage_price = 0.2;
  //! Also solve the integer program and keep its design when its J is lower (off: the greedy's design alone).
  bool integer_program = true;
  //! The solver's time limit; past it the best integer solution found so far is taken.
  double integer_program_seconds = 10;
};

//! Size of an index in bytes (WhatIfModel::estimated_size, or a fake in tests).
using SizeEstimate = std::function<int64_t(const IndexCandidate&)>;
//! Extra cost the index adds to the workload's writes, in the cost model's units (0 when unknown).
using WriteOverhead = std::function<double(const IndexCandidate&)>;

struct ChosenIndex {
  IndexCandidate index;
  int64_t size_bytes = 0;
  double write_overhead = 0;
};

//! A query the cost model could not plan, with the reason.
struct UnplannedQuery {
  std::string fingerprint;
  std::string reason;
  //! The advisor could not read it at all: it does not parse (an unparsed class), or it is too large to analyze.
  bool not_analyzable = false;
};

//! Which design a selection kept, and the objectives it compared.
struct SelectionMethod {
  //! Which design `chosen` is: "greedy" or "ilp" (the integer program's, when its J was lower).
  std::string kept = "greedy";
  double greedy_objective = 0;  //!< J of the greedy's design
  //! J of the integer program's design, costed exactly; empty when the program was off, failed or found no
  //! integer solution in time (integer_program_status says which).
  std::optional<double> ilp_objective;
  //! "off", "optimal", "time limit" (the best found within it), "no solution in time", or "failed: <reason>".
  std::string integer_program_status = "off";
  double integer_program_seconds = 0;  //!< time spent building, solving and costing the program
};

//! Designs are compared by one objective, J = the workload's cost with the design (write overhead included)
//! + the storage price of its bytes (SelectionOptions::storage_price) + a fixed price per index
//! (SelectionOptions::min_improvement_of_workload of the original cost): lower is better.
struct SelectionResult {
  std::vector<ChosenIndex> chosen;
  double cost_before = 0;  //!< the workload's weighted cost with no new index
  double cost_after = 0;   //!< with the chosen indexes, write overhead included
  std::vector<UnplannedQuery> unplanned;
  SelectionMethod method;
};

//! Chooses indexes among `candidates` for `queries` (cost weighted by each query's weight). Queries whose
//! costing fails are reported as unplanned and left out of the objective, never dropped silently.
SelectionResult select_indexes(std::span<const WorkloadQuery> queries, std::span<const IndexCandidate> candidates,
                               CostModel& cost_model, const SizeEstimate& size, const WriteOverhead& write_overhead,
                               const SelectionOptions& options = {});

}  // namespace pgadvisor::advisor
