// Extracts QueryFacts from libpg_query's JSON parse tree: walks each query block with a scope of the relations
// its FROM clause names, attributes columns to them (or keeps them ambiguous), and classifies predicates.
#include "analyzer/query_facts.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "expression_deparser.hpp"
#include "pg_query_adapter.hpp"

namespace pgadvisor::analyzer {
namespace {

using nlohmann::json;

//! A FROM-clause entry as the query's expressions see it.
struct Relation {
  std::string visible_name;  //!< the alias, else the table name: what a qualified column reference names
  TableName table;
};

//! The relations of one query block, chained to the enclosing blocks that correlated subqueries can see.
struct Scope {
  std::vector<Relation> relations;
  const Scope* outer = nullptr;
  size_t block = 0;  //!< the block whose relations these are
};

//! A column reference resolved against a scope; relation is null while the column is ambiguous.
struct ResolvedColumn {
  ColumnUse use;
  const Relation* relation = nullptr;
};

constexpr std::array kAggregateNames = {"array_agg",
                                        "avg",
                                        "bit_and",
                                        "bit_or",
                                        "bool_and",
                                        "bool_or",
                                        "count",
                                        "every",
                                        "json_agg",
                                        "jsonb_agg",
                                        "json_object_agg",
                                        "jsonb_object_agg",
                                        "max",
                                        "min",
                                        "mode",
                                        "percentile_cont",
                                        "percentile_disc",
                                        "stddev",
                                        "stddev_pop",
                                        "stddev_samp",
                                        "string_agg",
                                        "sum",
                                        "var_pop",
                                        "var_samp",
                                        "variance",
                                        "xmlagg"};

//! Relations in scope beyond which an unqualified column is not attributed (see FactsExtractor::resolve).
constexpr size_t kMaxCandidateRelations = 100;

// Volatile functions PostgreSQL will not inline a CTE over, nor merge a subquery whose select list calls one
// (src/backend/optimizer: contain_volatile_functions). Only well-known ones: a function of the schema's own may be
// volatile too, which only makes a candidate the planner then does not use (its cost shows it).
constexpr std::array kVolatileFunctions = {"clock_timestamp", "gen_random_uuid",  "nextval",         "pg_sleep",
                                           "random",          "setseed",          "setval",          "timeofday",
                                           "txid_current",    "uuid_generate_v1", "uuid_generate_v4"};
// Set-returning functions: one in a select list keeps the subquery from being merged (hasTargetSRFs).
constexpr std::array kSetReturningFunctions = {"generate_series",
                                               "generate_subscripts",
                                               "json_array_elements",
                                               "json_array_elements_text",
                                               "json_each",
                                               "json_each_text",
                                               "json_object_keys",
                                               "jsonb_array_elements",
                                               "jsonb_array_elements_text",
                                               "jsonb_each",
                                               "jsonb_each_text",
                                               "jsonb_object_keys",
                                               "jsonb_path_query",
                                               "regexp_matches",
                                               "regexp_split_to_table",
                                               "string_to_table",
                                               "unnest"};

bool is_true(const json& value) { return value.is_boolean() && value.get<bool>(); }

std::string function_name(const json& call) {
  const auto& name = member(call, "funcname");
  return name.empty() ? "" : string_value(name.back());
}

template <size_t N>
bool listed(const std::array<const char*, N>& names, const std::string& name) {
  return std::find_if(names.begin(), names.end(), [&](const char* n) { return name == n; }) != names.end();
}

// The first call of a listed function below node ("" when there is none), in its subqueries too or not (a block's
// own expressions: each block's then scanned once, however deep subqueries nest).
template <size_t N>
std::string first_call_of(const json& node, const std::array<const char*, N>& names, bool into_subqueries) {
  if (node.is_array()) {
    for (const auto& item : node) {
      if (auto found = first_call_of(item, names, into_subqueries); !found.empty()) return found;
    }
    return "";
  }
  if (!node.is_object()) return "";
  const std::string_view kind = node_kind(node);
  if (kind == "SelectStmt" && !into_subqueries) return "";
  if (kind == "FuncCall") {
    if (std::string name = function_name(node_body(node)); listed(names, name)) return name;
  }
  for (const auto& [key, value] : node.items()) {
    if (auto found = first_call_of(value, names, into_subqueries); !found.empty()) return found;
  }
  return "";
}

// Calls visit on every node of an expression tree, stopping at subqueries (their columns belong to their own
// block); visit returns false to stop descending below a node.
template <typename Visit>
void walk_expression(const json& node, const Visit& visit) {
  if (node.is_array()) {
    for (const auto& item : node) walk_expression(item, visit);
    return;
  }
  if (!node.is_object()) return;
  const std::string_view kind = node_kind(node);
  if (!kind.empty() && (kind == "SelectStmt" || !visit(node))) return;
  for (const auto& [key, value] : node.items()) walk_expression(value, visit);
}

// The operator with its operands swapped: `5 < x` is `x > 5`.
std::string commuted(const std::string& op) {
  if (op == "<") return ">";
  if (op == ">") return "<";
  if (op == "<=") return ">=";
  if (op == ">=") return "<=";
  return op;
}

PredicateKind kind_of_operator(const std::string& op) {
  if (op == "=") return PredicateKind::Equality;
  if (op == "<" || op == "<=" || op == ">" || op == ">=") return PredicateKind::Range;
  if (op == "<>") return PredicateKind::Inequality;
  return PredicateKind::Other;
}

// A LIKE pattern serves a btree range scan when it is a literal that starts with characters other than
// wildcards: 'abc%' does, '%abc' and $1 do not.
bool has_literal_prefix(const Operand& pattern) {
  return pattern.kind == Operand::Kind::Literal && pattern.text.size() > 2 && pattern.text[0] == '\'' &&
         pattern.text[1] != '%' && pattern.text[1] != '_';
}

std::string lock_strength(const std::string& strength) {
  if (strength == "LCS_FORNOKEYUPDATE") return "FOR NO KEY UPDATE";
  if (strength == "LCS_FORSHARE") return "FOR SHARE";
  if (strength == "LCS_FORKEYSHARE") return "FOR KEY SHARE";
  return "FOR UPDATE";
}

std::string lock_wait_policy(const std::string& policy) {
  if (policy == "LockWaitSkip") return "SKIP LOCKED";
  if (policy == "LockWaitError") return "NOWAIT";
  return "";
}

ColumnUse plain_column(const TableName& table, std::string column) {
  ColumnUse use;
  use.table = table;
  use.column = std::move(column);
  return use;
}

// `*` or `t.*` in a select list.
bool is_star(const json& value) {
  const auto& fields = member(node_body(value), "fields");
  return node_kind(value) == "ColumnRef" && !fields.empty() && node_kind(fields.back()) == "A_Star";
}

// The name PostgreSQL gives a select-list entry without an alias (FigureColnameInternal, its usual cases).
std::string column_name_of(const json& value) {
  const std::string_view kind = node_kind(value);
  const auto& body = node_body(value);
  if (kind == "ColumnRef" && !member(body, "fields").empty()) return string_value(member(body, "fields").back());
  if (kind == "FuncCall") return function_name(body);
  if (kind == "TypeCast" || kind == "CollateClause") {
    std::string name = column_name_of(member(body, "arg"));
    if (name != "?column?" || kind == "CollateClause") return name;
    const auto& names = member(member(body, "typeName"), "names");
    return names.empty() ? name : string_value(names.back());
  }
  if (kind == "CoalesceExpr") return "coalesce";
  if (kind == "CaseExpr") return "case";
  return "?column?";
}

// Rewrites a predicate into its negation when that is again a simple predicate; false when it is not.
bool negate(Predicate& predicate) {
  struct Negation {
    std::string_view op;
    std::string_view negation;
    PredicateKind kind;
  };
  static constexpr std::array<Negation, 10> kNegations = {{
      {"=", "<>", PredicateKind::Inequality},
      {"<>", "=", PredicateKind::Equality},
      {"IN", "NOT IN", PredicateKind::Inequality},
      {"NOT IN", "IN", PredicateKind::Equality},
      {"<", ">=", PredicateKind::Range},
      {">=", "<", PredicateKind::Range},
      {">", "<=", PredicateKind::Range},
      {"<=", ">", PredicateKind::Range},
      {"IS NULL", "IS NOT NULL", PredicateKind::NullTest},
      {"IS NOT NULL", "IS NULL", PredicateKind::NullTest},
  }};
  for (const auto& [op, negation, kind] : kNegations) {
    if (predicate.op != op) continue;
    predicate.op = negation;
    predicate.kind = kind;
    return true;
  }
  return false;
}

// Lists that keep each item once (the select list's columns, aggregates, SET columns) are appended to freely during
// the walk, which never reads them, and have their later duplicates removed once at the end, through a hash set: a
// linear search per append made a select list of n entries cost n²/2 comparisons (20,000 columns: 13 s).
template <typename T>
void append_unique(std::vector<T>& items, T item) {
  items.push_back(std::move(item));
}

size_t hash_of(const std::string& s) { return std::hash<std::string>{}(s); }

size_t hash_of(const ColumnUse& c) {
  size_t h = std::hash<std::string>{}(c.column);
  for (const std::string* part : {&c.table.schema, &c.table.name, &c.expression}) {
    h = h * 31 + std::hash<std::string>{}(*part);
  }
  return h;
}

//! Keeps the first of equal items, in order; linear on average.
template <typename T>
void remove_later_duplicates(std::vector<T>& items) {
  if (items.size() < 2) return;
  const auto hash = [&items](size_t i) { return hash_of(items[i]); };
  const auto equal = [&items](size_t a, size_t b) { return items[a] == items[b]; };
  std::unordered_set<size_t, decltype(hash), decltype(equal)> seen(items.size(), hash, equal);
  std::vector<bool> keep(items.size());
  for (size_t i = 0; i < items.size(); ++i) keep[i] = seen.insert(i).second;
  seen.clear();
  size_t kept = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!keep[i]) continue;
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
  }
  items.resize(kept);
}

class FactsExtractor {
 public:
  FactsExtractor(std::string_view text, QueryFacts& facts) : deparser_(text), facts_(facts) {}

  //! Walks one statement node ({"SelectStmt": …}, {"UpdateStmt": …}, …).
  void statement(const json& node, const Scope* outer);
  //! Stores the table sets, sorted, once every statement is walked.
  void finish();

 private:
  class WithClause;

  size_t select(const json& body, const Scope* outer, std::optional<size_t> reserved = std::nullopt);
  void update(const json& body, const Scope* outer);
  void delete_rows(const json& body, const Scope* outer);
  void merge(const json& body, const Scope* outer);

  void add_from_item(const json& item, Scope& scope, QueryBlock& block);
  Relation stored_or_cte(const json& range_var, QueryBlock& block);
  Relation relation_of(const json& range_var) const;
  size_t open_block();
  Relation target_relation(const json& range_var, QueryBlock& block);

  void conditions(const json& node, const Scope& scope, QueryBlock& block, bool in_disjunction);
  void comparison(const json& a_expr, const Scope& scope, QueryBlock& block, bool in_disjunction);
  void subqueries(const json& node, const Scope& scope);

  static ResolvedColumn resolve(const json& column_ref, const Scope& scope);
  static std::vector<ResolvedColumn> columns_in(const json& node, const Scope& scope);
  std::optional<ColumnUse> subject_of(const json& node, const Scope& scope) const;
  Operand operand_of(const json& node) const;
  //! The select list of a block, with its output names looked up through a map built on first use (a search of
  //! the list per ORDER BY or GROUP BY key made n keys over n entries cost n²).
  struct OutputList {
    const json& targets;
    std::optional<std::unordered_map<std::string, size_t>> by_name;  //!< the first entry of each name
    std::optional<size_t> first_star;  //!< the position of the first `*` or `t.*`, the list's size if none
  };
  std::optional<ColumnUse> output_key(const json& node, OutputList& outputs, const Scope& scope) const;
  void select_list(const json& target_list, const Scope& scope, QueryBlock& block);
  std::vector<OutputColumn> outputs_of(const json& target_list, const Scope& scope) const;
  static void set_barriers(const json& body, QueryBlock& block);
  void cte_barriers();
  void aggregates_in(const json& node, QueryBlock& block) const;
  void negated_conditions(const json& node, const Scope& scope, QueryBlock& block, bool in_disjunction);
  void row_comparison(const json& a_expr, const Scope& scope, QueryBlock& block, bool in_disjunction);
  void add_predicate(QueryBlock& block, const json& subject_node, const Scope& scope, PredicateKind kind,
                     std::string op, std::vector<Operand> operands, bool in_disjunction) const;

  //! The CTE a name refers to at this point of the walk (its DerivedRelation's position), innermost first.
  std::optional<size_t> cte_named(const std::string& name) const {
    const auto found = std::find_if(cte_names_.rbegin(), cte_names_.rend(),
                                    [&](size_t position) { return facts_.derived[position].name.name == name; });
    if (found == cte_names_.rend()) return std::nullopt;
    return *found;
  }

  //! What decides whether PostgreSQL inlines a CTE, known once the whole statement is walked.
  struct Cte {
    size_t derived = 0;         //!< its DerivedRelation's position
    std::string materialized;   //!< "CTEMaterializeAlways", "CTEMaterializeNever" or "CTEMaterializeDefault"
    bool select = true;         //!< a SELECT, not a data-modifying statement
    std::string volatile_call;  //!< the first volatile function its query calls
    size_t end_block = 0;       //!< its query's blocks are name.block up to this one (excluded)
  };

  ExpressionDeparser deparser_;
  QueryFacts& facts_;
  std::set<TableName> read_;
  std::set<TableName> written_;
  std::vector<size_t> cte_names_;  //!< the CTEs visible at this point of the walk (DerivedRelation positions)
  std::vector<Cte> ctes_;
};

// Makes a WITH clause's names visible for the lifetime of the object and walks each CTE's query. A WITH RECURSIVE
// clause's names are visible in all its queries; a plain one's in the queries after each (`WITH posts AS (SELECT *
// FROM posts)` reads the table).
class FactsExtractor::WithClause {
 public:
  WithClause(FactsExtractor& extractor, const json& with_clause, const Scope* outer)
      : extractor_(extractor), previous_size_(extractor.cte_names_.size()) {
    const bool recursive = is_true(member(with_clause, "recursive"));
    const auto& ctes = member(with_clause, "ctes");
    const size_t first = extractor_.facts_.derived.size();
    const size_t first_cte = extractor_.ctes_.size();
    for (const auto& cte : ctes) {
      const auto& body = node_body(cte);
      DerivedRelation derived{TableName{"", member(body, "ctename").get<std::string>(), true}, {}, ""};
      for (const auto& name : member(body, "aliascolnames")) derived.column_names.push_back(string_value(name));
      extractor_.ctes_.push_back({extractor_.facts_.derived.size(), body.value("ctematerialized", ""),
                                  node_kind(member(body, "ctequery")) == "SelectStmt",
                                  first_call_of(member(body, "ctequery"), kVolatileFunctions, true), 0});
      extractor_.facts_.derived.push_back(std::move(derived));
    }
    if (recursive) {
      for (size_t k = 0; k < ctes.size(); ++k) extractor_.cte_names_.push_back(first + k);
    }
    for (size_t k = 0; k < ctes.size(); ++k) {
      walk(first_cte + k, member(node_body(ctes[k]), "ctequery"), outer);
      if (!recursive) extractor_.cte_names_.push_back(first + k);
    }
  }
  ~WithClause() { extractor_.cte_names_.resize(previous_size_); }
  WithClause(const WithClause&) = delete;
  WithClause& operator=(const WithClause&) = delete;
  WithClause(WithClause&&) = delete;
  WithClause& operator=(WithClause&&) = delete;

 private:
  // A SELECT opens its block first: that block is the CTE's. Any other statement gets an empty block of its own
  // first, so that its number names this CTE alone.
  // (By position: walking the query adds nested CTEs to both vectors.)
  void walk(size_t cte, const json& query, const Scope* outer) {
    auto& facts = extractor_.facts_;
    facts.derived[extractor_.ctes_[cte].derived].name.block =
        node_kind(query) == "SelectStmt" ? facts.blocks.size() : extractor_.open_block();
    extractor_.statement(query, outer);
    extractor_.ctes_[cte].end_block = facts.blocks.size();
  }

  FactsExtractor& extractor_;
  size_t previous_size_;
};

void FactsExtractor::statement(const json& node, const Scope* outer) {
  const std::string_view kind = node_kind(node);
  const auto& body = node_body(node);
  if (kind == "SelectStmt") {
    select(body, outer);
  } else if (kind == "InsertStmt") {
    // The rows' source is the statement's outermost block, numbered before its CTEs as a SELECT's is.
    const size_t index = open_block();
    WithClause with(*this, member(body, "withClause"), outer);
    written_.insert(relation_of(member(body, "relation")).table);  // written, not scanned
    if (const auto& source = member(body, "selectStmt"); node_kind(source) == "SelectStmt") {
      select(node_body(source), outer, index);
    }
    for (const auto& target : member(member(body, "onConflictClause"), "targetList")) {
      append_unique(facts_.updated_columns, node_body(target).value("name", ""));
    }
  } else if (kind == "UpdateStmt") {
    update(body, outer);
  } else if (kind == "DeleteStmt") {
    delete_rows(body, outer);
  } else if (kind == "MergeStmt") {
    merge(body, outer);
  }
}

// UPDATE, DELETE and MERGE scan their target to find the rows they change: it is both read and written.
Relation FactsExtractor::target_relation(const json& range_var, QueryBlock& block) {
  Relation relation = stored_or_cte(range_var, block);
  written_.insert(relation.table);
  return relation;
}

Relation FactsExtractor::stored_or_cte(const json& range_var, QueryBlock& block) {
  Relation relation = relation_of(range_var);
  if (!relation.table.derived) read_.insert(relation.table);
  block.from.push_back(relation.table);
  return relation;
}

Relation FactsExtractor::relation_of(const json& range_var) const {
  const std::string schema = range_var.value("schemaname", "");
  const std::string name = range_var.value("relname", "");
  const std::string alias = member(member(range_var, "alias"), "aliasname").is_string()
                                ? member(member(range_var, "alias"), "aliasname").get<std::string>()
                                : name;
  if (const auto cte = schema.empty() ? cte_named(name) : std::nullopt) {
    return Relation{alias, facts_.derived[*cte].name};
  }
  return Relation{alias, TableName{schema, name, false}};
}

void FactsExtractor::finish() {
  facts_.tables_read.assign(read_.begin(), read_.end());
  facts_.tables_written.assign(written_.begin(), written_.end());
  remove_later_duplicates(facts_.updated_columns);
  for (QueryBlock& block : facts_.blocks) {
    remove_later_duplicates(block.selected);
    remove_later_duplicates(block.aggregates);
  }
  cte_barriers();
  std::stable_sort(facts_.derived.begin(), facts_.derived.end(),
                   [](const DerivedRelation& a, const DerivedRelation& b) { return a.name.block < b.name.block; });
}

// PostgreSQL 12+ inlines a CTE (subselect.c, SS_process_ctes) when it is a SELECT, not recursive, without volatile
// functions, and either NOT MATERIALIZED or, by default, referenced once. Otherwise it is computed once, apart:
// a condition from outside never reaches its tables.
void FactsExtractor::cte_barriers() {
  std::unordered_map<size_t, std::vector<size_t>> referenced_from;  // a CTE's block -> the blocks naming it
  for (size_t b = 0; b < facts_.blocks.size(); ++b) {
    for (const auto& relation : facts_.blocks[b].from) {
      if (relation.derived && relation.block != 0) referenced_from[relation.block].push_back(b);
    }
  }
  for (const Cte& cte : ctes_) {
    DerivedRelation& derived = facts_.derived[cte.derived];
    const auto& references = referenced_from[derived.name.block];
    const bool recursive = std::any_of(references.begin(), references.end(),
                                       [&](size_t b) { return b >= derived.name.block && b < cte.end_block; });
    derived.barrier = !cte.select                                  ? "a data-modifying statement"
                      : cte.materialized == "CTEMaterializeAlways" ? "AS MATERIALIZED"
                      : recursive                                  ? "recursive"
                      : references.size() > 1 && cte.materialized != "CTEMaterializeNever"
                          ? "referenced " + std::to_string(references.size()) + " times"
                      : !cte.volatile_call.empty() ? "a volatile function (" + cte.volatile_call + ")"
                                                   : "";
  }
}

// Reserves the next block number before nested blocks (CTEs, subqueries) take theirs, so that a statement's
// outermost level is block 0; the block is filled in when its walk ends.
size_t FactsExtractor::open_block() {
  facts_.blocks.emplace_back();
  return facts_.blocks.size() - 1;
}

size_t FactsExtractor::select(const json& body, const Scope* outer, std::optional<size_t> reserved) {
  const size_t index = reserved ? *reserved : open_block();
  QueryBlock block;
  WithClause with(*this, member(body, "withClause"), outer);

  Scope scope{{}, outer, index};
  OutputList outputs{member(body, "targetList"), std::nullopt, std::nullopt};
  if (body.value("op", "SETOP_NONE") != "SETOP_NONE") {
    // A set operation's arms are blocks of their own; this block keeps only what applies to the whole result.
    select(member(body, "larg"), outer);
    select(member(body, "rarg"), outer);
  } else {
    for (const auto& item : member(body, "fromClause")) add_from_item(item, scope, block);
    conditions(member(body, "whereClause"), scope, block, false);
    select_list(member(body, "targetList"), scope, block);
    subqueries(member(body, "havingClause"), scope);
    aggregates_in(member(body, "havingClause"), block);
    for (const auto& item : member(body, "groupClause")) {
      if (auto key = output_key(item, outputs, scope)) block.group_by.push_back(std::move(*key));
    }
    for (const auto& values : member(body, "valuesLists")) subqueries(values, scope);
    block.outputs = outputs_of(member(body, "targetList"), scope);
  }
  // A set operation's ORDER BY names its output columns, which belong to no stored table: not recorded.
  const bool set_operation = body.value("op", "SETOP_NONE") != "SETOP_NONE";
  for (const auto& item : member(body, "sortClause")) {
    if (set_operation) break;
    const auto& sort_by = node_body(item);
    auto key = output_key(member(sort_by, "node"), outputs, scope);
    if (!key) continue;
    const std::string direction = sort_by.value("sortby_dir", "");
    const std::string nulls = sort_by.value("sortby_nulls", "");
    block.order_by.push_back(SortKey{std::move(*key),
                                     direction == "SORTBY_ASC"    ? SortKey::Direction::Ascending
                                     : direction == "SORTBY_DESC" ? SortKey::Direction::Descending
                                                                  : SortKey::Direction::Unspecified,
                                     nulls == "SORTBY_NULLS_FIRST"  ? SortKey::Nulls::First
                                     : nulls == "SORTBY_NULLS_LAST" ? SortKey::Nulls::Last
                                                                    : SortKey::Nulls::Unspecified});
  }
  // LIMIT ALL and LIMIT NULL parse to a NULL constant: no limit at all.
  const auto& limit = member(body, "limitCount");
  block.has_limit = !limit.is_null() && !(node_kind(limit) == "A_Const" && is_true(member(node_body(limit), "isnull")));
  block.has_offset = !member(body, "limitOffset").is_null();
  if (const auto& locking = member(body, "lockingClause"); !locking.empty()) {
    const auto& clause = node_body(locking.front());
    block.locking =
        RowLocking{lock_strength(clause.value("strength", "")), lock_wait_policy(clause.value("waitPolicy", ""))};
  }
  set_barriers(body, block);
  facts_.blocks[index] = std::move(block);
  return index;
}

// Why a condition on this SELECT's result would stay outside it, or the SELECT would not merge into the query
// reading it: PostgreSQL 15's rules (allpaths.c, subquery_is_pushdown_safe and check_output_expressions, taken
// for every column; prepjointree.c, is_simple_subquery), as far as a parse tree tells them.
void FactsExtractor::set_barriers(const json& body, QueryBlock& block) {
  bool window = false;
  walk_expression(member(body, "targetList"), [&](const json& node) {
    if (node_kind(node) == "FuncCall" && !member(node_body(node), "over").is_null()) window = true;
    return !window;
  });
  const auto& distinct = member(body, "distinctClause");
  const bool distinct_on = !distinct.empty() && !(distinct.size() == 1 && distinct.front().empty());
  block.pushdown_barrier = body.value("op", "SETOP_NONE") != "SETOP_NONE" ? "a set operation"
                           : block.has_limit                              ? "LIMIT"
                           : block.has_offset                             ? "OFFSET"
                           : window                                       ? "a window function"
                           : distinct_on                                  ? "DISTINCT ON"
                                                                          : "";
  const std::string volatile_call = first_call_of(member(body, "targetList"), kVolatileFunctions, false);
  const std::string set_returning = first_call_of(member(body, "targetList"), kSetReturningFunctions, false);
  block.merge_barrier = !block.aggregates.empty()                 ? "an aggregate"
                        : !member(body, "groupClause").empty()    ? "GROUP BY"
                        : !member(body, "havingClause").is_null() ? "HAVING"
                        : !distinct.empty()                       ? "DISTINCT"
                        : !member(body, "sortClause").empty()     ? "ORDER BY"
                        : block.locking                           ? block.locking->strength
                        : !member(body, "withClause").is_null()   ? "a WITH clause"
                        : !volatile_call.empty()                  ? "a volatile function (" + volatile_call + ")"
                        : !set_returning.empty()                  ? "a set-returning function (" + set_returning + ")"
                                                                  : "";
}

void FactsExtractor::update(const json& body, const Scope* outer) {
  const size_t index = open_block();
  QueryBlock block;
  WithClause with(*this, member(body, "withClause"), outer);
  Scope scope{{target_relation(member(body, "relation"), block)}, outer, index};
  for (const auto& item : member(body, "fromClause")) add_from_item(item, scope, block);
  conditions(member(body, "whereClause"), scope, block, false);
  for (const auto& target : member(body, "targetList")) {
    append_unique(facts_.updated_columns, node_body(target).value("name", ""));
    subqueries(member(node_body(target), "val"), scope);
  }
  facts_.blocks[index] = std::move(block);
}

void FactsExtractor::delete_rows(const json& body, const Scope* outer) {
  const size_t index = open_block();
  QueryBlock block;
  WithClause with(*this, member(body, "withClause"), outer);
  Scope scope{{target_relation(member(body, "relation"), block)}, outer, index};
  for (const auto& item : member(body, "usingClause")) add_from_item(item, scope, block);
  conditions(member(body, "whereClause"), scope, block, false);
  facts_.blocks[index] = std::move(block);
}

// MERGE joins its target with a source; each WHEN condition only chooses an action, so its predicates do not
// restrict the scan (recorded as in_disjunction).
void FactsExtractor::merge(const json& body, const Scope* outer) {
  const size_t index = open_block();
  QueryBlock block;
  WithClause with(*this, member(body, "withClause"), outer);
  Scope scope{{target_relation(member(body, "relation"), block)}, outer, index};
  add_from_item(member(body, "sourceRelation"), scope, block);
  conditions(member(body, "joinCondition"), scope, block, false);
  for (const auto& when : member(body, "mergeWhenClauses")) {
    const auto& clause = node_body(when);
    conditions(member(clause, "condition"), scope, block, true);
    if (clause.value("commandType", "") != "CMD_UPDATE") continue;
    for (const auto& target : member(clause, "targetList"))
      append_unique(facts_.updated_columns, node_body(target).value("name", ""));
  }
  facts_.blocks[index] = std::move(block);
}

void FactsExtractor::add_from_item(const json& item, Scope& scope, QueryBlock& block) {
  const std::string_view kind = node_kind(item);
  const auto& body = node_body(item);
  if (kind == "RangeVar") {
    scope.relations.push_back(stored_or_cte(body, block));
  } else if (kind == "JoinExpr") {
    const size_t left_start = scope.relations.size();
    add_from_item(member(body, "larg"), scope, block);
    const size_t right_start = scope.relations.size();
    add_from_item(member(body, "rarg"), scope, block);
    // JOIN … USING (col) compares the same-named column of both sides: a join when each side is one relation.
    if (right_start - left_start == 1 && scope.relations.size() - right_start == 1) {
      for (const auto& name : member(body, "usingClause")) {
        const std::string column = string_value(name);
        block.joins.push_back(JoinCondition{plain_column(scope.relations[left_start].table, column),
                                            plain_column(scope.relations[right_start].table, column), "=", false});
      }
    }
    conditions(member(body, "quals"), scope, block, false);
  } else if (kind == "RangeSubselect") {
    // Only a LATERAL subquery sees the FROM items before it; any subquery sees the enclosing blocks.
    const Scope* visible = is_true(member(body, "lateral")) ? &scope : scope.outer;
    const size_t query = select(node_body(member(body, "subquery")), visible);
    const auto& alias = member(body, "alias");
    const std::string name =
        member(alias, "aliasname").is_string() ? member(alias, "aliasname").get<std::string>() : "subquery";
    DerivedRelation derived{TableName{"", name, true, query}, {}, ""};
    for (const auto& column : member(alias, "colnames")) derived.column_names.push_back(string_value(column));
    block.from.push_back(derived.name);
    scope.relations.push_back(Relation{name, derived.name});
    facts_.derived.push_back(std::move(derived));
  } else if (kind == "RangeFunction") {
    const auto& alias = member(member(body, "alias"), "aliasname");
    const std::string name = alias.is_string() ? alias.get<std::string>() : "function";
    block.from.push_back(TableName{"", name, true});
    scope.relations.push_back(Relation{name, TableName{"", name, true}});
  }
}

void FactsExtractor::conditions(const json& node, const Scope& scope, QueryBlock& block, bool in_disjunction) {
  const std::string_view kind = node_kind(node);
  const auto& body = node_body(node);
  if (kind == "BoolExpr") {
    const std::string boolop = body.value("boolop", "");
    const auto& args = member(body, "args");
    if (boolop == "NOT_EXPR" && node_kind(args.at(0)) == "ColumnRef") {
      add_predicate(block, args.at(0), scope, PredicateKind::Boolean, "IS FALSE", {}, in_disjunction);
      return;
    }
    if (boolop == "NOT_EXPR") {
      negated_conditions(args.at(0), scope, block, in_disjunction);
      return;
    }
    for (const auto& arg : args) conditions(arg, scope, block, in_disjunction || boolop != "AND_EXPR");
    return;
  }
  if (kind == "ColumnRef") {
    add_predicate(block, node, scope, PredicateKind::Boolean, "IS TRUE", {}, in_disjunction);
  } else if (kind == "BooleanTest") {
    std::string test = body.value("booltesttype", "");  // IS_TRUE, IS_NOT_FALSE, IS_UNKNOWN, …
    std::replace(test.begin(), test.end(), '_', ' ');
    add_predicate(block, member(body, "arg"), scope, PredicateKind::Boolean, test, {}, in_disjunction);
  } else if (kind == "NullTest") {
    add_predicate(block, member(body, "arg"), scope, PredicateKind::NullTest,
                  body.value("nulltesttype", "") == "IS_NULL" ? "IS NULL" : "IS NOT NULL", {}, in_disjunction);
  } else if (kind == "A_Expr") {
    comparison(body, scope, block, in_disjunction);
  } else if (kind == "SubLink" && !member(body, "testexpr").is_null()) {
    const std::string type = body.value("subLinkType", "");
    const std::string op = member(body, "operName").empty() ? "=" : string_value(member(body, "operName").back());
    const Operand subquery{Operand::Kind::Subquery, "(subquery)", 0};
    if (type == "ANY_SUBLINK" && op == "=") {
      add_predicate(block, member(body, "testexpr"), scope, PredicateKind::Equality, "IN", {subquery}, in_disjunction);
    } else if (type == "ALL_SUBLINK" && op == "<>") {
      add_predicate(block, member(body, "testexpr"), scope, PredicateKind::Inequality, "NOT IN", {subquery},
                    in_disjunction);
    }
  }
  subqueries(node, scope);
}

// NOT over a single comparison is that comparison negated (NOT x IN (…) is x NOT IN (…)); anything that has
// no simple negation is kept, marked as unusable on its own.
void FactsExtractor::negated_conditions(const json& node, const Scope& scope, QueryBlock& block, bool in_disjunction) {
  QueryBlock inner;
  conditions(node, scope, inner, in_disjunction);
  const bool single = inner.predicates.size() == 1 && inner.joins.empty();
  for (auto& predicate : inner.predicates) {
    if (!single || !negate(predicate)) predicate.in_disjunction = true;
    block.predicates.push_back(std::move(predicate));
  }
  for (auto& join : inner.joins) {
    join.in_disjunction = true;
    block.joins.push_back(std::move(join));
  }
}

// A row comparison (a, b) = (1, 2) is one comparison per element; (a, b) > ($1, $2), the keyset-pagination
// pattern, is recorded as a range predicate on each element (a btree on (a, b) serves it).
void FactsExtractor::row_comparison(const json& a_expr, const Scope& scope, QueryBlock& block, bool in_disjunction) {
  const auto& left = member(node_body(member(a_expr, "lexpr")), "args");
  const auto& right = member(node_body(member(a_expr, "rexpr")), "args");
  if (left.size() != right.size()) return;
  for (size_t i = 0; i < left.size(); ++i) {
    json element = a_expr;
    element["lexpr"] = left[i];
    element["rexpr"] = right[i];
    comparison(element, scope, block, in_disjunction);
  }
}

void FactsExtractor::comparison(const json& a_expr, const Scope& scope, QueryBlock& block, bool in_disjunction) {
  const std::string kind = a_expr.value("kind", "");
  const auto& name = member(a_expr, "name");
  std::string op = name.empty() ? "" : string_value(name.back());
  const json* left = &member(a_expr, "lexpr");
  const json* right = &member(a_expr, "rexpr");
  auto list_operands = [&](const json& list) {
    std::vector<Operand> operands;
    for (const auto& item : member(node_body(list), "items")) operands.push_back(operand_of(item));
    return operands;
  };

  if (kind == "AEXPR_OP" && node_kind(*left) == "RowExpr" && node_kind(*right) == "RowExpr") {
    row_comparison(a_expr, scope, block, in_disjunction);
  } else if (kind == "AEXPR_OP") {
    if (left->is_null()) return;  // a prefix operator: no comparison
    auto left_columns = columns_in(*left, scope);
    auto right_columns = columns_in(*right, scope);
    if (left_columns.empty() && !right_columns.empty()) {
      std::swap(left, right);
      std::swap(left_columns, right_columns);
      op = commuted(op);
    }
    if (left_columns.empty()) return;
    if (!right_columns.empty()) {
      // Columns on both sides: a join when each side reads one relation and the relations differ.
      auto left_use = subject_of(*left, scope);
      auto right_use = subject_of(*right, scope);
      const bool same_relation =
          left_columns.front().relation != nullptr && left_columns.front().relation == right_columns.front().relation;
      if (left_use && right_use && !same_relation) {
        block.joins.push_back(JoinCondition{std::move(*left_use), std::move(*right_use), op, in_disjunction});
      }
      return;
    }
    add_predicate(block, *left, scope, kind_of_operator(op), op, {operand_of(*right)}, in_disjunction);
  } else if (kind == "AEXPR_OP_ANY" || kind == "AEXPR_OP_ALL") {
    const bool any = kind == "AEXPR_OP_ANY";
    const PredicateKind predicate_kind = any && op == "="     ? PredicateKind::Equality
                                         : !any && op == "<>" ? PredicateKind::Inequality
                                                              : PredicateKind::Other;
    add_predicate(block, *left, scope, predicate_kind, op + (any ? " ANY" : " ALL"), {operand_of(*right)},
                  in_disjunction);
  } else if (kind == "AEXPR_IN") {
    const bool in = op == "=";
    add_predicate(block, *left, scope, in ? PredicateKind::Equality : PredicateKind::Inequality, in ? "IN" : "NOT IN",
                  list_operands(*right), in_disjunction);
  } else if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_BETWEEN_SYM") {
    add_predicate(block, *left, scope, PredicateKind::Range, "BETWEEN", list_operands(*right), in_disjunction);
  } else if (kind == "AEXPR_NOT_BETWEEN" || kind == "AEXPR_NOT_BETWEEN_SYM") {
    add_predicate(block, *left, scope, PredicateKind::Inequality, "NOT BETWEEN", list_operands(*right), in_disjunction);
  } else if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") {
    const Operand pattern = operand_of(*right);
    const bool negated = !op.empty() && op.front() == '!';
    const std::string verb = std::string(negated ? "NOT " : "") + (kind == "AEXPR_LIKE" ? "LIKE" : "ILIKE");
    const PredicateKind predicate_kind = negated ? PredicateKind::Other
                                         : kind == "AEXPR_LIKE" && has_literal_prefix(pattern)
                                             ? PredicateKind::LikePrefix
                                             : PredicateKind::Like;
    add_predicate(block, *left, scope, predicate_kind, verb, {pattern}, in_disjunction);
  } else if (kind == "AEXPR_NOT_DISTINCT") {
    add_predicate(block, *left, scope, PredicateKind::Equality, "IS NOT DISTINCT FROM", {operand_of(*right)},
                  in_disjunction);
  } else if (kind == "AEXPR_DISTINCT") {
    add_predicate(block, *left, scope, PredicateKind::Inequality, "IS DISTINCT FROM", {operand_of(*right)},
                  in_disjunction);
  } else if (kind == "AEXPR_SIMILAR") {
    add_predicate(block, *left, scope, PredicateKind::Other, "SIMILAR TO", {operand_of(*right)}, in_disjunction);
  }
}

void FactsExtractor::add_predicate(QueryBlock& block, const json& subject_node, const Scope& scope, PredicateKind kind,
                                   std::string op, std::vector<Operand> operands, bool in_disjunction) const {
  auto subject = subject_of(subject_node, scope);
  if (!subject) return;
  block.predicates.push_back(Predicate{std::move(*subject), kind, std::move(op), std::move(operands), in_disjunction});
}

// Every subquery inside an expression is a block of its own, seeing this scope as its outer one.
void FactsExtractor::subqueries(const json& node, const Scope& scope) {
  walk_expression(node, [&](const json& child) {
    if (node_kind(child) != "SubLink") return true;
    const auto& body = node_body(child);
    subqueries(member(body, "testexpr"), scope);
    select(node_body(member(body, "subselect")), &scope);
    return false;
  });
}

ResolvedColumn FactsExtractor::resolve(const json& column_ref, const Scope& scope) {
  std::vector<std::string> names;
  for (const auto& field : member(column_ref, "fields")) {
    names.push_back(node_kind(field) == "A_Star" ? "*" : string_value(field));
  }
  ResolvedColumn resolved;
  resolved.use.column = names.empty() ? "" : names.back();
  if (names.size() >= 2) {
    // q.col names the relation visible as q; s.t.col the table s.t; the innermost scope wins, as in SQL.
    const std::string& qualifier = names[names.size() - 2];
    const std::string schema = names.size() >= 3 ? names[names.size() - 3] : "";
    for (const Scope* level = &scope; level != nullptr; level = level->outer) {
      for (const auto& relation : level->relations) {
        const bool named = schema.empty() ? relation.visible_name == qualifier
                                          : relation.table.schema == schema && relation.table.name == qualifier;
        if (!named) continue;
        resolved.use.table = relation.table;
        resolved.relation = &relation;
        return resolved;
      }
    }
    resolved.use.ambiguity = "no relation named " + qualifier + " in scope";
    return resolved;
  }
  // Unqualified: it may belong to any relation of this block or of an enclosing one (correlation). Beyond
  // kMaxCandidateRelations it is left ambiguous without candidates: every column would otherwise carry a list of
  // every relation (n columns over n FROM items: n² memory and n³ comparisons).
  size_t in_scope = 0;
  for (const Scope* level = &scope; level != nullptr; level = level->outer) in_scope += level->relations.size();
  if (in_scope > kMaxCandidateRelations) {
    resolved.use.ambiguity = std::to_string(in_scope) + " relations in scope, too many to attribute it";
    return resolved;
  }
  const Relation* only = nullptr;
  for (const Scope* level = &scope; level != nullptr; level = level->outer) {
    for (const auto& relation : level->relations) {
      if (std::find(resolved.use.candidates.begin(), resolved.use.candidates.end(), relation.table) !=
          resolved.use.candidates.end()) {
        continue;
      }
      resolved.use.candidates.push_back(relation.table);
      only = &relation;
    }
    if (level == &scope) resolved.use.own_block_candidates = resolved.use.candidates.size();
  }
  if (resolved.use.candidates.size() == 1) {
    resolved.use.table = only->table;
    resolved.use.candidates.clear();
    resolved.use.own_block_candidates = 0;
    resolved.relation = only;
  } else {
    resolved.use.ambiguity = resolved.use.candidates.empty() ? "no relation in scope" : "several relations in scope";
  }
  return resolved;
}

std::vector<ResolvedColumn> FactsExtractor::columns_in(const json& node, const Scope& scope) {
  std::vector<ResolvedColumn> columns;
  walk_expression(node, [&](const json& child) {
    if (node_kind(child) == "SubLink") return false;
    if (node_kind(child) == "ColumnRef") columns.push_back(resolve(node_body(child), scope));
    return true;
  });
  return columns;
}

// The column, or expression over one relation's columns, that a predicate or key is about. An expression
// over several relations, or one that cannot be deparsed, is no index material: nullopt.
std::optional<ColumnUse> FactsExtractor::subject_of(const json& node, const Scope& scope) const {
  if (node_kind(node) == "ColumnRef") return resolve(node_body(node), scope).use;
  const auto columns = columns_in(node, scope);
  if (columns.empty()) return std::nullopt;
  for (const auto& column : columns) {
    if (column.use.table != columns.front().use.table) return std::nullopt;
  }
  auto text = deparser_.deparse(node);
  if (!text) return std::nullopt;
  ColumnUse use = columns.front().use;
  use.expression = std::move(*text);
  return use;
}

Operand FactsExtractor::operand_of(const json& node) const {
  const std::string_view kind = node_kind(node);
  if (kind == "ParamRef")
    return Operand{Operand::Kind::Parameter, *deparser_.deparse(node), node_body(node).value("number", 0)};
  if (kind == "SubLink") return Operand{Operand::Kind::Subquery, "(subquery)", 0};
  // A literal stays a literal under casts and COLLATE: '2020-01-01'::date, 'x' COLLATE "C".
  const json* core = &node;
  while (node_kind(*core) == "TypeCast" || node_kind(*core) == "CollateClause") core = &member(node_body(*core), "arg");
  auto text = deparser_.deparse(node);
  if (node_kind(*core) == "A_Const" && text) return Operand{Operand::Kind::Literal, *text, 0};
  if (node_kind(*core) == "ParamRef" && text) {
    return Operand{Operand::Kind::Parameter, *text, node_body(*core).value("number", 0)};
  }
  return Operand{Operand::Kind::Expression, text.value_or("(expression)"), 0};
}

// An ORDER BY or GROUP BY key may name a select-list entry by position (ORDER BY 2) or output alias.
std::optional<ColumnUse> FactsExtractor::output_key(const json& node, OutputList& outputs, const Scope& scope) const {
  const json& target_list = outputs.targets;
  const auto& body = node_body(node);
  if (node_kind(node) == "A_Const") {
    const auto& position = member(member(body, "ival"), "ival");
    if (!position.is_number_integer()) return std::nullopt;
    const auto index = position.get<long long>() - 1;
    if (index < 0) return std::nullopt;
    // Behind a `*` the position counts the columns it stands for, which the catalog knows: resolved later.
    if (!outputs.first_star) {
      const auto star = std::find_if(target_list.begin(), target_list.end(),
                                     [](const json& target) { return is_star(member(node_body(target), "val")); });
      outputs.first_star = static_cast<size_t>(star - target_list.begin());
    }
    if (static_cast<size_t>(index) >= *outputs.first_star && *outputs.first_star < target_list.size()) {
      ColumnUse use;
      use.output_position = static_cast<size_t>(index) + 1;
      use.ambiguity = "position " + std::to_string(use.output_position) + " counts the columns of *";
      return use;
    }
    if (static_cast<size_t>(index) >= target_list.size()) return std::nullopt;
    return subject_of(member(node_body(target_list[static_cast<size_t>(index)]), "val"), scope);
  }
  if (node_kind(node) == "ColumnRef" && member(body, "fields").size() == 1) {
    const std::string name = string_value(member(body, "fields").front());
    if (!outputs.by_name) {
      outputs.by_name.emplace();
      for (size_t k = 0; k < target_list.size(); ++k) {
        outputs.by_name->try_emplace(node_body(target_list[k]).value("name", ""), k);
      }
    }
    if (const auto it = outputs.by_name->find(name); it != outputs.by_name->end()) {
      return subject_of(member(node_body(target_list[it->second]), "val"), scope);
    }
  }
  return subject_of(node, scope);
}

void FactsExtractor::select_list(const json& target_list, const Scope& scope, QueryBlock& block) {
  for (const auto& target : target_list) {
    const auto& value = member(node_body(target), "val");
    const auto& fields = member(node_body(value), "fields");
    if (is_star(value)) {
      // * reads every column of every relation in this block; t.* those of t.
      if (fields.size() == 1) {
        for (const auto& relation : scope.relations) append_unique(block.selected, plain_column(relation.table, "*"));
      } else {
        append_unique(block.selected, resolve(node_body(value), scope).use);
      }
      continue;
    }
    for (auto& column : columns_in(value, scope)) append_unique(block.selected, std::move(column.use));
    aggregates_in(value, block);
    subqueries(value, scope);
  }
}

// The select list as a result: each entry's name as PostgreSQL gives it (FigureColname, for the usual cases) and the
// column it passes on, or what it computes.
std::vector<OutputColumn> FactsExtractor::outputs_of(const json& target_list, const Scope& scope) const {
  std::vector<OutputColumn> outputs;
  for (const auto& target : target_list) {
    const auto& value = member(node_body(target), "val");
    if (is_star(value)) {
      if (member(node_body(value), "fields").size() == 1) {
        for (const auto& relation : scope.relations) outputs.push_back({"*", plain_column(relation.table, "*"), ""});
      } else {
        outputs.push_back({"*", resolve(node_body(value), scope).use, ""});
      }
      continue;
    }
    OutputColumn output{node_body(target).value("name", ""), {}, ""};
    if (output.name.empty()) output.name = column_name_of(value);
    if (node_kind(value) == "ColumnRef") {
      output.source = resolve(node_body(value), scope).use;
    } else {
      QueryBlock probe;
      aggregates_in(value, probe);
      bool window = false;
      walk_expression(value, [&](const json& node) {
        if (node_kind(node) == "FuncCall" && !member(node_body(node), "over").is_null()) window = true;
        return !window;
      });
      output.computed = !probe.aggregates.empty() ? "an aggregate" : window ? "a window function" : "an expression";
    }
    outputs.push_back(std::move(output));
  }
  return outputs;
}

// Aggregate calls are known by name (window calls, with OVER, are not aggregates here); an aggregate's
// arguments hold no further aggregate, so the walk stops at each one.
void FactsExtractor::aggregates_in(const json& node, QueryBlock& block) const {
  walk_expression(node, [&](const json& child) {
    if (node_kind(child) == "SubLink") return false;
    if (node_kind(child) != "FuncCall") return true;
    const auto& call = node_body(child);
    const auto& name = member(call, "funcname");
    const std::string function = name.empty() ? "" : string_value(name.back());
    const bool aggregate = member(call, "over").is_null() && (is_true(member(call, "agg_star")) ||
                                                              std::find(kAggregateNames.begin(), kAggregateNames.end(),
                                                                        function) != kAggregateNames.end());
    if (!aggregate) return true;
    append_unique(block.aggregates, deparser_.deparse(child).value_or(function + "(...)"));
    return false;
  });
}

}  // namespace

namespace {

//! The nesting depth of a JSON text, by a linear scan (strings skipped), without building anything.
size_t json_depth(std::string_view json_text) {
  size_t depth = 0;
  size_t deepest = 0;
  bool in_string = false;
  for (size_t k = 0; k < json_text.size(); ++k) {
    const char c = json_text[k];
    if (in_string) {
      if (c == '\\') {
        ++k;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string too_deep_note(size_t depth) {
  return "too large to analyze (parse tree " + std::to_string(depth) + " levels deep > " +
         std::to_string(kMaxAnalyzedDepth) + ")";
}

}  // namespace

std::string too_large_note(size_t statement_bytes) {
  return "too large to analyze (" + std::to_string(statement_bytes) + " bytes > " +
         std::to_string(kMaxAnalyzedStatement) + ")";
}

FactsOutcome extract_facts(std::string_view statement) {
  if (statement.size() > kMaxAnalyzedStatement) {
    return FactsOutcome{std::nullopt, StatementError{too_large_note(statement.size()), 0}, true};
  }
  const std::string text(statement);
  const auto parsed = pg_query_adapter::parse_json(text);
  if (!parsed) return FactsOutcome{std::nullopt, StatementError{parsed.error->message, parsed.error->position}};
  // The walks below recurse over the tree: bounded by its depth, checked first (libpg_query's parser goes about
  // 4,000 expressions deep, some 10,000 JSON levels: enough to overflow a thread's stack in our walks).
  if (const size_t depth = json_depth(*parsed.value); depth > kMaxAnalyzedDepth) {
    return FactsOutcome{std::nullopt, StatementError{too_deep_note(depth), 0}, true};
  }
  const json tree = json::parse(*parsed.value);
  QueryFacts facts;
  FactsExtractor extractor(text, facts);
  for (const auto& raw : member(tree, "stmts")) {
    const auto& node = member(raw, "stmt");
    if (&raw == &member(tree, "stmts").front()) {
      const std::string_view kind = node_kind(node);
      facts.kind = kind == "SelectStmt"   ? StatementKind::Select
                   : kind == "InsertStmt" ? StatementKind::Insert
                   : kind == "UpdateStmt" ? StatementKind::Update
                   : kind == "DeleteStmt" ? StatementKind::Delete
                   : kind == "MergeStmt"  ? StatementKind::Merge
                                          : StatementKind::Utility;
    }
    extractor.statement(node, nullptr);
  }
  extractor.finish();
  return FactsOutcome{std::move(facts), std::nullopt};
}

bool Predicate::constant() const {
  return std::all_of(operands.begin(), operands.end(),
                     [](const Operand& operand) { return operand.kind == Operand::Kind::Literal; });
}

std::vector<Predicate> stable_constant_predicates(std::span<const QueryFacts> executions) {
  std::vector<Predicate> stable;
  if (executions.empty()) return stable;
  const QueryFacts& first = executions.front();
  for (size_t b = 0; b < first.blocks.size(); ++b) {
    for (size_t p = 0; p < first.blocks[b].predicates.size(); ++p) {
      const Predicate& candidate = first.blocks[b].predicates[p];
      if (!candidate.constant()) continue;
      // Executions of one class share a shape, so the same block and position hold the same predicate.
      const bool same_everywhere = std::all_of(executions.begin() + 1, executions.end(), [&](const QueryFacts& other) {
        return b < other.blocks.size() && p < other.blocks[b].predicates.size() &&
               other.blocks[b].predicates[p] == candidate;
      });
      if (same_everywhere) stable.push_back(candidate);
    }
  }
  return stable;
}

}  // namespace pgadvisor::analyzer
