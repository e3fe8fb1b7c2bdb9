// Index selection as a 0-1 program over atomic configurations (the formulation of commercial advisors and CoPhy:
// Dash, Polyzotis, Ailamaki, "CoPhy: A Scalable, Portable, and Interactive Index Advisor for Large Workloads",
// VLDB 2011), solved with GLPK. Private to the advisor: index_selection.cpp builds the program from cost requests,
// this header hands it over free of GLPK's types, and integer_program.cpp is the only file that includes <glpk.h>.
//
//   minimize    sum_i price_i x_i  -  sum_q sum_k saving_qk y_qk
//   subject to  sum_k y_qk <= 1                 (each query is served by at most one atomic configuration; none
//                                                 left over is the empty configuration)
//               sum_{k holding i} y_qk <= x_i   (per query and index: a configuration serves only when all its
//                                                 indexes are built; summed over the query's configurations, which
//                                                 is valid as one serves at most, and tighter than y_qk <= x_i alone:
//                                                 the relaxation is often integral, the branching short)
//               sum_i x_i <= max_indexes        (when capped)
//               sum_i bytes_i x_i <= budget     (when the budget binds)
//               x_i binary, 0 <= y_qk <= 1
#pragma once

#include <chrono>
#include <cstddef>
#include <limits>
#include <optional>
#include <vector>

namespace pgadvisor::advisor::detail {

//! One way to serve a query: by all of `indexes` together, saving `saving` of its weighted cost against the empty
//! configuration.
struct AtomicConfiguration {
  std::vector<size_t> indexes;  //!< into SelectionProgram::indexes, distinct
  double saving = 0;            //!< > 0, finite
};

struct SelectionProgram {
  struct Index {
    double price = 0;  //!< what building it costs in the objective's units: write overhead, storage, fixed price
    double bytes = 0;  //!< its size, for the budget
  };
  std::vector<Index> indexes;
  //! Per query, its atomic configurations other than the empty one (which saves nothing).
  std::vector<std::vector<AtomicConfiguration>> queries;
  size_t max_indexes = 0;  //!< 0: no cap
  double budget_bytes = std::numeric_limits<double>::infinity();
  std::chrono::milliseconds time_limit{10'000};
};

struct ProgramSolution {
  std::vector<size_t> chosen;  //!< indexes with x_i = 1, ascending
  bool optimal = false;        //!< proven optimal; else the best integer solution found within the time limit
  double objective = 0;        //!< sum of prices minus savings, as the program sees it (interactions ignored)
};

//! The best selection the solver finds within the program's time limit; nullopt when it found no integer
//! solution in time. Throws std::invalid_argument on a program GLPK would abort on (a non-finite or negative
//! number, an index out of range or repeated within a configuration, an empty configuration, more rows or columns
//! than GLPK takes).
std::optional<ProgramSolution> solve(const SelectionProgram& program);

}  // namespace pgadvisor::advisor::detail
