// The result check of a materialized view's rewrite: the rewritten query must return exactly the original query's
// rows, values compared as the server prints them (so numeric scale counts, and NULL is not the text 'NULL'). Where
// the original has ORDER BY, the rows must come in the same order, except that rows tying on every ORDER BY column
// may come in any order among themselves (PostgreSQL does not order ties); without ORDER BY they are compared as
// multisets. Pure: rows in, the first difference out.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::shadow {

//! One result row: each value as text, NULL as nullopt.
using ResultRow = std::vector<std::optional<std::string>>;

//! A query's result: its column names and rows in the order they came.
struct ResultRows {
  std::vector<std::string> columns;
  std::vector<ResultRow> rows;
};

//! How two results differ first.
struct RowDifference {
  std::string what;  //!< "row 3 differs", "the rewritten query returns 8 rows, the original 7", …
  size_t row = 0;    //!< 1-based position in the original's result; 0 when the difference is not a row of it
  std::optional<ResultRow> original;
  std::optional<ResultRow> rewritten;
};

//! The 0-based result columns of `statement`'s ORDER BY (an aggregate query: analyzer::parse_aggregate_query);
//! empty when it has none.
std::vector<size_t> order_by_columns(std::string_view statement);

//! The first difference between the original's result and the rewritten query's; nullopt when they are the same.
//! `order_columns`: the original's ORDER BY columns (empty: compared as multisets).
std::optional<RowDifference> compare_results(const ResultRows& original, const ResultRows& rewritten,
                                             const std::vector<size_t>& order_columns);

//! A row for people: ('2026-10-01 00:00:00+00', '412', NULL), each value a quoted literal.
std::string row_text(const ResultRow& row);

}  // namespace pgadvisor::shadow
