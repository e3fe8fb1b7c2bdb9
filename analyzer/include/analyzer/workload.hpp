// The Workload: query classes as every source delivers them (a file of queries, slow-query logs, pg_stat_statements),
// with their weight and what was sampled of their executions, before any analysis. The collector fills it; the
// advisor turns it into classes with facts and plannable executions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::analyzer {

//! The values of one execution's bind parameters $1, $2, … as text; nullopt is SQL NULL.
using ParameterSet = std::vector<std::optional<std::string>>;

struct WorkloadClass {
  std::string fingerprint;                   //!< 16 hex digits; empty when the source did not compute it
  std::string text;                          //!< the class's text: normalized ($n) or one representative statement
  double calls = 1;                          //!< executions in the workload
  double total_ms = 0;                       //!< measured time of those executions (0 when unknown)
  std::vector<std::string> samples;          //!< concrete statements as executed (literals, or $n with parameter_sets)
  std::vector<ParameterSet> parameter_sets;  //!< values of the samples' $n, from the log's DETAIL lines
  std::string source;                        //!< "queries", "logs", "statements" (pg_stat_statements) or "activity"
};

struct Workload {
  std::vector<WorkloadClass> classes;
  //! How long the classes' calls took to accumulate (pg_stat_statements' window between snapshots); 0 when unknown
  //! (a queries file, a log). Turns per-workload figures into rates: a view's refresh interval and saving per hour.
  double window_seconds = 0;
};

//! The values of a log's `DETAIL:  parameters: $1 = '42', $2 = NULL, $3 = 'it''s'` (without "parameters: "),
//! by position; nullopt when the text is not such a list (e.g. truncated by log_parameter_max_length).
std::optional<ParameterSet> parse_logged_parameters(std::string_view text);

}  // namespace pgadvisor::analyzer
