// What to plan for a query class: its concrete statements, its $n text with sampled parameter sets, values drawn
// from pg_stats for the column each parameter is compared with, or else its generic plan (issue 6, point 2).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "advisor/candidate_generator.hpp"
#include "analyzer/catalog.hpp"
#include "analyzer/workload.hpp"

namespace pgadvisor::advisor {

//! At most this many sampled executions are planned per class (and the heavy values, heavy_values()); its cost is
//! their mean.
inline constexpr size_t kMaxPlannedExecutions = 3;

//! The highest $n in a statement; 0 when it has none.
int highest_parameter(std::string_view text);

//! Parameter sets for the $1…$`parameters` of `facts`, from the planner statistics of the column each is
//! compared with: a most common value and the histogram's median for equality, a quantile that keeps about a
//! tenth of the rows for a range bound. nullopt when any parameter is not compared with a column whose
//! statistics are known (e.g. LIMIT $2).
std::optional<std::vector<analyzer::ParameterSet>> values_from_statistics(const analyzer::QueryFacts& facts,
                                                                          int parameters,
                                                                          const analyzer::Catalog& catalog);

//! `base` with each parameter compared by equality with a skewed column (its most common value holding several
//! times the average value's share of rows, by pg_stats) set to that most common value; nullopt when none is.
std::optional<analyzer::ParameterSet> heavy_values(const analyzer::QueryFacts& facts,
                                                   const analyzer::ParameterSet& base,
                                                   const analyzer::Catalog& catalog);

//! The values of the $n of `normalized` (a class's text) in `concrete` (a statement of the class): the two token
//! streams side by side, each $n against the literal in its place (numbers, and strings unquoted). nullopt when
//! they do not line up (another statement, `-1`, an E'' string) or a $n has two values.
std::optional<analyzer::ParameterSet> parameters_in(std::string_view normalized, std::string_view concrete);

//! Sets `c.query.executions` and `c.query.source` from the class's samples, parameter sets and the catalog.
void choose_executions(ClassFacts& c, const analyzer::Catalog& catalog);

}  // namespace pgadvisor::advisor
