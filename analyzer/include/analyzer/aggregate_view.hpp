// Materialized views for aggregate queries: what a GROUP BY query looks like to a view that could answer it (its
// FROM, its WHERE split into conjuncts, its outputs, grouping, order and limit), the view that answers every
// execution of a query class, and each execution rewritten against that view. Pure: SQL text in, SQL text out.
//
// The view answers a class one row for one row: each group of an execution is exactly one row of the view. A
// filter whose value varies between executions therefore has to move into the view's grouping: an equality on a
// column (`customer_id = $1`: the view groups by customer_id too, the rewrite filters its rows), any comparison
// on a column the query groups by, or a range on a column the query groups by a date_trunc bucket of, with bounds
// on bucket boundaries (`created_at >= '2026-11-01' AND created_at < '2026-11-04'`, grouped by day). Filters that
// are the same in every execution stay in the view's WHERE. Anything else is refused with the reason.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/workload.hpp"

namespace pgadvisor::analyzer {

//! One conjunct of the WHERE clause.
struct AggregateFilter {
  std::string text;     //!< the conjunct's SQL, columns as written (`o.status = 'done'`)
  std::string subject;  //!< the compared column as written (`o.created_at`); empty when not a column
  std::string op;       //!< "=", "<", ">=", "IN", …; empty for a conjunct that is not column-versus-values
  std::string values;   //!< the SQL of what the column is compared with (`'done'`, `$1`, `($1, $2)`)
  bool operator==(const AggregateFilter&) const = default;
};

//! One entry of the select list.
struct AggregateOutput {
  std::string expression;  //!< its SQL, columns as written
  std::string name;        //!< the name PostgreSQL gives the result column (alias, column or function name)
  bool aggregate = false;  //!< a plain aggregate call: count(*), sum(total), …
  bool count = false;      //!< a count(…): 0, not NULL, over no rows
  bool operator==(const AggregateOutput&) const = default;
};

//! A single-block aggregate SELECT, or why a view cannot answer it.
struct AggregateQuery {
  std::string from;  //!< the FROM clause's SQL (relations, aliases and joins as written)
  std::vector<AggregateFilter> filters;
  std::vector<AggregateOutput> outputs;
  std::vector<std::string> group_by;  //!< SQL of each grouping expression (positions resolved to the output)
  std::vector<std::string> order_by;  //!< per ORDER BY item: "<output position>[ DESC][ NULLS FIRST|LAST]"
  std::string limit;                  //!< SQL of LIMIT's count, empty for none
  std::string offset;                 //!< SQL of OFFSET's count, empty for none
  //! HAVING's SQL with each aggregate marked as the output it is (the view's column in a rewrite); empty for none.
  std::string having;
  std::string refusal;  //!< why no view can answer it; empty when one can
  bool operator==(const AggregateQuery&) const = default;
};

//! Parses one statement (with literals, or $n) as an aggregate query.
AggregateQuery parse_aggregate_query(std::string_view statement);

//! What the view does with one WHERE conjunct of the class (by position).
struct FilterRole {
  bool fixed = false;  //!< kept in the view's WHERE: an execution fits only with this very text
  std::string text;    //!< for a fixed filter, its SQL
  std::string column;  //!< otherwise the view column the rewrite compares (the column itself, or its bucket)
  bool operator==(const FilterRole&) const = default;
};

//! The view that answers every execution of a class, or why none can.
struct ViewDesign {
  std::string select;                        //!< the view's query (CREATE MATERIALIZED VIEW … AS this)
  std::vector<std::string> columns;          //!< its columns' names, in order (unquoted)
  std::vector<std::string> unique_key;       //!< the columns each row is unique on: its grouping (unquoted)
  std::vector<std::string> key_expressions;  //!< the expression of each unique_key column, columns as written
  std::vector<std::string> filter_columns;   //!< the columns rewritten queries filter on (unquoted)
  std::string refusal;                       //!< why no view answers the class; empty when one does
  std::vector<FilterRole> filters;           //!< by the class's WHERE conjuncts
  std::vector<std::string> output_columns;   //!< the view column of each output of the class (unquoted)
  std::vector<std::string> expressions;      //!< the expression each column computes, columns as written
  std::string from;                          //!< the view's FROM clause (the class's)
  std::vector<std::string> where;            //!< the view's WHERE conjuncts: the fixed filters, with their values
  //! No GROUP BY: the class returns one row even over no rows, which the rewrite keeps (LEFT JOIN, counts 0).
  bool scalar = false;
};

//! The executions of one class, parsed: its samples (literals), or its text with $n and the logged parameter sets.
struct ClassExecutions {
  std::vector<AggregateQuery> queries;       //!< parsed samples, at least one
  std::vector<ParameterSet> parameter_sets;  //!< the values of $n in queries[0] when they are parameters
};

//! The view for a class. A filter whose value is the same in every execution (two at least) stays in the view's
//! WHERE; the others must move into its grouping (see above), or the class is refused.
ViewDesign design_view(const ClassExecutions& executions);

//! One execution of the class rewritten against the view named `view` (already quoted and qualified): the same
//! rows in the same order. Empty when this execution does not fit the design (a fixed filter with another value).
std::string rewrite_for_view(const AggregateQuery& execution, const ViewDesign& design, std::string_view view);

//! One execution of a class whose own view would be `own`, rewritten against the finer view `view` designed for
//! another class, its rows grouped again: the same FROM and fixed filters; every grouping expression one of the
//! view's keys or a coarser date_trunc bucket of one that nests (a day in a month, not a week in a month); counts
//! and sums as sums, min and max of minima and maxima, avg(x) from the view's sum(x) and count(x) (never an average
//! of averages), nothing else. Empty, with the reason in `why`, when the view cannot answer it.
std::string rewrite_rolled_up(const AggregateQuery& execution, const ViewDesign& own, const ViewDesign& view,
                              std::string_view view_name, std::string* why = nullptr);

}  // namespace pgadvisor::analyzer
