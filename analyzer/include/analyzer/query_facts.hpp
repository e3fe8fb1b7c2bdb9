// QueryFacts: what one SQL statement does that matters for indexing (tables, predicate columns by kind, joins,
// ORDER BY, GROUP BY, constants), computed once per query shape from libpg_query's parse tree.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/statement.hpp"

namespace pgadvisor::analyzer {

//! A relation named in a FROM clause: a stored table, or a derived one (CTE, subquery, set-returning function).
struct TableName {
  std::string schema;    //!< as written; empty when the statement did not qualify the name
  std::string name;      //!< table name, or for a derived relation its alias or CTE name
  bool derived = false;  //!< a CTE, FROM-subquery or function: no index can be built on it
  //! A CTE's or FROM-subquery's: the block of its query (never 0, the statement's own), which tells apart derived
  //! relations of the same name and leads to their columns (QueryFacts::derived). 0 for anything else.
  size_t block = 0;

  //! "public.users", "users", or "(r)" for a derived relation.
  std::string to_string() const;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the defaulted <=>'s own 0 (llvm-project#53961).
  auto operator<=>(const TableName&) const = default;
};

//! A column (or an expression over one table's columns) attributed to its relation, or kept ambiguous.
struct ColumnUse {
  TableName table;         //!< the owning relation; empty name while ambiguous
  std::string column;      //!< the column name; for an expression, the first column it reads
  std::string expression;  //!< canonical SQL of an expression over the column (`lower(email)`); empty if plain
  std::vector<TableName> candidates;  //!< while ambiguous: the relations in scope that may own the column
  //! How many of the first candidates belong to the column's own query block; the rest are enclosing blocks'
  //! (correlation). SQL attributes a column to the innermost block that has it.
  size_t own_block_candidates = 0;
  std::string ambiguity;  //!< while ambiguous: why it could not be attributed
  //! ORDER BY n or GROUP BY n where the select list's n-th column is, or follows, a `*`: n, with no column yet (how
  //! many columns a `*` stands for is the catalog's to say: resolve_facts finds it). 0 otherwise.
  size_t output_position = 0;
  //! On a column of a derived relation that resolve_facts could not trace to a stored table's column: why.
  std::string untraced = {};

  bool ambiguous() const { return table.name.empty(); }
  //! "users.email", "users.(lower(email))", "?{orders,users}.email", "?{orders}.#2" (output_position 2).
  std::string to_string() const;
  bool operator==(const ColumnUse&) const = default;
};

//! What a predicate compares its column with.
struct Operand {
  enum class Kind {
    Literal,     //!< a constant written in the statement: 'pending', 42, -1.5, true, NULL, '2020-01-01'::date
    Parameter,   //!< $n: a bind parameter, or a literal that pg_query_normalize replaced
    Expression,  //!< anything else without columns, e.g. now() - interval '1 day'
    Subquery,    //!< (SELECT …)
  };
  Kind kind = Kind::Literal;
  std::string text;   //!< canonical SQL text ("'pending'", "$1", "(subquery)")
  int parameter = 0;  //!< the n of $n for a parameter, else 0
  bool operator==(const Operand&) const = default;
};

enum class PredicateKind {
  Equality,    //!< =, IN (…), = ANY(…), IS NOT DISTINCT FROM
  Range,       //!< <, <=, >, >=, BETWEEN
  NullTest,    //!< IS NULL, IS NOT NULL
  Boolean,     //!< a boolean column tested on its own: `archived`, `NOT archived`, `archived IS TRUE`
  LikePrefix,  //!< LIKE with a literal pattern that starts with a fixed prefix: btree-usable (text_pattern_ops)
  Like,        //!< any other LIKE/ILIKE (leading wildcard, parameter pattern)
  Inequality,  //!< <>, NOT IN, <> ALL, NOT BETWEEN, IS DISTINCT FROM
  Other,       //!< any other operator (@>, &&, ~, …), kept with its operator for GIN/GiST advice
};

//! One column-versus-value condition from WHERE, ON or a MERGE condition.
struct Predicate {
  ColumnUse subject;
  PredicateKind kind = PredicateKind::Equality;
  std::string op;                 //!< "=", "IN", "= ANY", "<", "BETWEEN", "IS NULL", "IS TRUE", "LIKE", …
  std::vector<Operand> operands;  //!< what the column is compared with; empty for null and boolean tests
  bool in_disjunction = false;    //!< under OR or NOT: it cannot restrict an index scan alone

  //! True when every operand is a literal (null and boolean tests too): the same in every execution of this
  //! text. Whether it is the same across a query class's samples is decided by stable_constant_predicates().
  bool constant() const;
  bool operator==(const Predicate&) const = default;
};

//! A column compared with a column of another relation (ON, WHERE, or a correlated subquery).
struct JoinCondition {
  ColumnUse left;
  ColumnUse right;
  std::string op = "=";  //!< the comparison, normally "="
  bool in_disjunction = false;
  bool operator==(const JoinCondition&) const = default;
};

struct SortKey {
  enum class Direction { Unspecified, Ascending, Descending };
  enum class Nulls { Unspecified, First, Last };
  ColumnUse key;
  Direction direction = Direction::Unspecified;
  Nulls nulls = Nulls::Unspecified;
  bool operator==(const SortKey&) const = default;
};

//! A row lock requested by FOR UPDATE / FOR SHARE and its wait policy.
struct RowLocking {
  std::string strength;     //!< "FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE"
  std::string wait_policy;  //!< "", "SKIP LOCKED" or "NOWAIT"
  bool operator==(const RowLocking&) const = default;
};

//! One column of a SELECT's result, as a relation over it (CTE, subquery in FROM, view) shows it.
struct OutputColumn {
  std::string name;  //!< the alias, else the column's or function's name, else "?column?"; "*" for `*` and `t.*`
  //! The column it passes on unchanged; for `*` or `t.*` one relation's "*". Unset (no table, no candidates) when
  //! it is computed.
  ColumnUse source;
  std::string computed;  //!< what a computed column is: "an aggregate", "a window function", "an expression"
  bool operator==(const OutputColumn&) const = default;
};

//! One SELECT (or the UPDATE/DELETE/MERGE itself): the unit an index scan serves. Block 0 is the statement's
//! outermost level; CTEs, subqueries and set-operation arms follow in the order they appear.
struct QueryBlock {
  std::vector<TableName> from;  //!< the relations its FROM names (UPDATE/DELETE/MERGE: target first), as referenced
  std::vector<Predicate> predicates;
  std::vector<JoinCondition> joins;
  std::vector<ColumnUse> selected;      //!< columns the select list reads (covering-index material); "*" for all
  std::vector<std::string> aggregates;  //!< canonical text of each aggregate call, e.g. "count(*)", "sum(amount)"
  std::vector<ColumnUse> group_by;
  std::vector<SortKey> order_by;
  bool has_limit = false;
  bool has_offset = false;
  std::optional<RowLocking> locking;
  std::vector<OutputColumn> outputs;  //!< a SELECT's result columns, in order; empty for set operations and writes
  //! Why PostgreSQL cannot push a condition on the block's result down into it ("LIMIT", "a set operation", "a
  //! window function", "DISTINCT ON"); empty when it can (src/backend/optimizer/path/allpaths.c).
  std::string pushdown_barrier;
  //! Why PostgreSQL does not merge (pull up) the block into the query that reads it ("an aggregate", "GROUP BY",
  //! "DISTINCT", "ORDER BY", …; prepjointree.c, is_simple_subquery); empty when it does, the pushdown barrier aside.
  //! Joins and ORDER BY of the reading query reach the block's tables only when merged.
  std::string merge_barrier;
  bool operator==(const QueryBlock&) const = default;
};

//! A relation whose rows a query of the statement computes: a CTE or a subquery in FROM, and after resolve_facts
//! also a view. Its columns are its block's outputs (renamed by column_names).
struct DerivedRelation {
  TableName name;                         //!< as column uses name it: derived, name.block the block of its query
  std::vector<std::string> column_names;  //!< `AS s(a, b)`, `WITH x(a, b)`: new names for its first columns
  //! Why PostgreSQL computes it apart instead of inlining it where it is read, so that no condition from outside
  //! reaches its tables: a CTE AS MATERIALIZED, referenced twice, recursive, data-modifying or volatile
  //! (PostgreSQL 12+, subselect.c). Empty when it is inlined.
  std::string barrier;
  bool operator==(const DerivedRelation&) const = default;
};

struct QueryFacts {
  //! Select, Insert, Update, Delete or Merge; Utility for any other statement (statement.hpp tells those apart).
  StatementKind kind = StatementKind::Utility;
  std::vector<TableName> tables_read;        //!< stored tables scanned, sorted (UPDATE/DELETE/MERGE targets too)
  std::vector<TableName> tables_written;     //!< INSERT/UPDATE/DELETE/MERGE targets, sorted
  std::vector<std::string> updated_columns;  //!< columns SET by UPDATE or MERGE (they decide HOT updates)
  std::vector<QueryBlock> blocks;
  std::vector<DerivedRelation> derived;  //!< CTEs and subqueries in FROM (views too after resolve_facts), by block
  bool operator==(const QueryFacts&) const = default;
};

//! Facts, or the error that prevented them.
struct FactsOutcome {
  std::optional<QueryFacts> facts;
  std::optional<StatementError> error;  //!< the parse error, with its 1-based position
  //! Set (with error) when the statement was not analyzed for its size or depth ("too large to analyze (…)").
  bool too_large = false;
  explicit operator bool() const { return facts.has_value(); }
};

//! Beyond this size a statement is not analyzed for facts (nor advised on): libpg_query's JSON tree of a statement is
//! about 50 times its text, and a few steps grow with the product of two of its lists (unqualified columns times
//! FROM items, ORDER BY aliases times select-list entries). Within it every step is linear or bounded by that
//! product (128 KiB: at most about 65,000 tokens). It still gets its class, fingerprint and time.
inline constexpr size_t kMaxAnalyzedStatement = size_t{128} << 10;
//! Nor is a statement whose parse tree (libpg_query's JSON) nests deeper than this: the walks over it recurse, and
//! a stack must hold them (realistic statements stay under 100 levels; 1,000 is some 300 nested expressions).
inline constexpr size_t kMaxAnalyzedDepth = 1000;
//! "too large to analyze (1688901 bytes > 131072)".
std::string too_large_note(size_t statement_bytes);

//! Parses one statement (raw or normalized text) and extracts its facts. Several statements are merged. A statement
//! over kMaxAnalyzedStatement is not parsed, one nested deeper than kMaxAnalyzedDepth is not walked: the outcome is
//! then too_large, its error message "too large to analyze (…)" says which bound and by how much.
FactsOutcome extract_facts(std::string_view statement);

//! Canonical text form: one fact a line, stable and diffable (used by tests and `pgadvisor fingerprint`).
std::string render_facts(const QueryFacts& facts);

//! Of the facts of several executions of one query class (same shape, so predicates correspond by position),
//! the constant predicates whose literals are the same in every execution, e.g. `status = 'pending'`:
//! material for partial indexes. A literal that varies between executions is left out.
std::vector<Predicate> stable_constant_predicates(std::span<const QueryFacts> executions);

std::string_view to_string(PredicateKind kind);

}  // namespace pgadvisor::analyzer
