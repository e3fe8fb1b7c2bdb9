// The shape of a plan: what defines it (node types, join kinds, indexes, relations, conditions with their constants
// replaced by `?`), and nothing that varies from run to run (costs, rows, widths, times, buffers, workers). Two runs
// of one plan have the same shape; a dropped index, another join order or a function added to a WHERE clause give
// another one, and plan_diff shows where.
//
//   Hash Join
//     Hash Cond: (o.customer_id = c.id)
//     Seq Scan on orders
//       Filter: ((status)::text = ?::text)
//     Hash
//       Index Scan using customers_pkey on customers
//         Index Cond: (id = ?)
//
// Node lines read as EXPLAIN's text format names them (HashAggregate, Hash Left Join, Parallel Seq Scan, Index
// Scan Backward, Update on orders); an InitPlan or SubPlan child is marked `[InitPlan]`/`[SubPlan]`. Detail lines
// (`Filter: …`, `Sort Key: …`) are indented one step below their node, like its children.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gate/gate.hpp"

namespace pgadvisor::gate {

//! The shape of `plan`: the "Plan" object of `EXPLAIN (FORMAT JSON)` (PostgreSQL 15), or the whole output (the
//! array, or its first element) from which the "Plan" object is taken. Throws std::invalid_argument when there is
//! no plan object.
PlanShape plan_shape(const nlohmann::json& plan);

//! A condition with its constants replaced by `?`: numbers, 'strings' and $n parameters (so that parameter sets
//! and custom or generic plans do not count as another shape); identifiers, "quoted" ones included, and casts stay.
std::string normalize_condition(std::string_view condition);

//! The line diff (longest common subsequence) from `before` to `after`: "  " before an unchanged line, "- " before
//! a line only in `before`, "+ " before a line only in `after` (removals before additions). Empty when the shapes
//! are equal. With `context` ≥ 0, unchanged lines farther than that from a change are left out and each gap is one
//! "  …" line.
std::vector<std::string> plan_diff(const PlanShape& before, const PlanShape& after, int context = -1);

//! Whether the plan has a node of `type` ("Seq Scan") on `relation` (any relation when empty; a schema-qualified
//! "public.orders" matches on "orders", since EXPLAIN without VERBOSE names no schema).
bool has_node(const PlanShape& shape, const std::string& type, const std::string& relation = {});

}  // namespace pgadvisor::gate
