// HypoPG costs an expression index without statistics on the expression (a real build gets them from ANALYZE),
// so `lower(email) = …` looks hardly cheaper with a hypothetical `lower(email)` index (docs/ARCHITECTURE.md, measured
// facts: 10,472 vs 8.4 for the real one). The proxy: cost the query with the expression replaced by its column and the
// index keyed on the column, whose statistics stand in for the expression's. Only for a one-argument function of one
// column (lower, upper, …), where the column's statistics are a good proxy.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "advisor/cost_model.hpp"

namespace pgadvisor::advisor {

//! `function` and `column` of an expression key such as "lower(email)"; nullopt for any other expression.
std::optional<std::pair<std::string, std::string>> single_column_function(std::string_view expression);

//! `text` with every call `function(column)` or `function(alias.column)` (any case, spacing or comments inside)
//! replaced by the column reference itself; nullopt when there is none.
std::optional<std::string> replace_function_call(std::string_view text, std::string_view function,
                                                 std::string_view column);

//! The query and configuration to cost instead, when `configuration` has an expression key the query uses:
//! each such key becomes its column, in the index and in the query's text(s). `renames` maps each proxy index's
//! name to the candidate it stands for, for plan summaries.
struct ExpressionProxy {
  WorkloadQuery query;
  Configuration configuration;
  std::vector<std::pair<std::string, std::string>> renames;  //!< proxy name -> candidate name
};
std::optional<ExpressionProxy> expression_proxy(const WorkloadQuery& query,
                                                std::span<const IndexCandidate> configuration);

}  // namespace pgadvisor::advisor
