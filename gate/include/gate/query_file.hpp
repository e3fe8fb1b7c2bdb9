// The queries file of `pgadvisor gate`: named statements with their parameter sets and budgets.
//
//   -- name: job_matching
//   -- params: 42, 'pending'
//   -- params: 7, 'done'
//   -- budget: p95 < 50ms
//   -- budget: plan: no Seq Scan on orders
//   SELECT * FROM jobs
//   WHERE customer_id = $1 AND status = $2;
//
// A statement runs from its `-- name:` line to the next one (or the end of the file); other comment lines are
// ignored, a trailing `;` is dropped. Directive lines count only outside string literals, dollar quotes and block
// comments, so a statement may hold `--` inside a literal. sqlc's `-- name: GetJob :one` is accepted (the `:one`
// is ignored), so an sqlc query file can be guarded as it is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gate/gate.hpp"

namespace pgadvisor::gate {

//! The queries of a file, in file order. `file_name` is for messages and origins ("queries.sql:12").
//! Throws std::invalid_argument "file:line: what is wrong; what to do" on the first problem: a statement without a
//! name, a name without a statement, a duplicate name, two statements under one name, an unknown budget, a bad
//! literal in a params line, params lines of different lengths, $n without params (or params without $n).
std::vector<GuardedQuery> parse_queries(std::string_view text, const std::string& file_name);

//! One `-- params:` value list: numbers, 'strings' ('' for a quote), NULL, true, false, separated by commas.
//! Throws std::invalid_argument naming the bad value (without a file position).
std::vector<pg::Param> parse_params(std::string_view list);

//! One `-- budget:` text: `p95 < 50ms` (p50/median, pNN, mean, max; us, ms, s), `buffers < 1000`,
//! `plan: no Seq Scan [on orders]`. Throws std::invalid_argument saying what is accepted.
Budget parse_budget(std::string_view text);

}  // namespace pgadvisor::gate
