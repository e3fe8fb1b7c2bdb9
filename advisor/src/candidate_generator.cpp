// Candidate generation (see the header). The column order follows the usual btree rules (PostgreSQL docs,
// "Multicolumn Indexes" and "Indexes and ORDER BY"): equality columns lead, one range column ends the
// searchable prefix, and ORDER BY columns after equality columns let an index scan return rows in order.
#include "advisor/candidate_generator.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "pg/quote.hpp"

namespace pgadvisor::advisor {
namespace {

using analyzer::ColumnUse;
using analyzer::Predicate;
using analyzer::PredicateKind;
using analyzer::QueryBlock;
using analyzer::SortKey;
using analyzer::TableInfo;

// The text of a literal as pg_stats shows values: 'pending'::text -> pending, true -> t.
std::string literal_value(std::string_view text) {
  if (auto cast = text.rfind("::"); cast != std::string_view::npos && text.front() == '\'') {
    text = text.substr(0, cast);
  }
  if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
    std::string out;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      out += text[i];
      if (text[i] == '\'' && text[i + 1] == '\'') ++i;  // '' is one quote
    }
    return out;
  }
  if (text == "true") return "t";
  if (text == "false") return "f";
  return std::string(text);
}

IndexKey key_of(const ColumnUse& c, SortKey::Direction direction = SortKey::Direction::Unspecified,
                SortKey::Nulls nulls = SortKey::Nulls::Unspecified) {
  IndexKey k{c.expression.empty() ? c.column : "", c.expression, direction == SortKey::Direction::Descending,
             std::nullopt};
  if (nulls != SortKey::Nulls::Unspecified) k.nulls_first = nulls == SortKey::Nulls::First;
  return k;
}

std::string key_text(const IndexKey& k) { return k.expression.empty() ? k.column : k.expression; }

bool same_key_column(const IndexKey& a, const IndexKey& b) { return key_text(a) == key_text(b); }

// Where a column use lives: the catalog's table, or nullptr for derived, ambiguous or unknown relations.
const TableInfo* table_of(const ColumnUse& c, const analyzer::Catalog& catalog) {
  if (c.ambiguous() || c.table.derived) return nullptr;
  return catalog.find_table(c.table);
}

double selectivity_rank(const IndexKey& key, const TableInfo& table) {
  if (!key.expression.empty()) {
    // docs/ARCHITECTURE.md, measured facts: the base column's statistics are a good proxy for lower(col) and similar
    // expressions.
    return 0;
  }
  const auto* column = table.find_column(key.column);
  return column != nullptr ? distinct_values(*column, table) : 0;
}

}  // namespace

namespace {

// "orders" names orders in any schema, "shop.orders" only the one in shop.
bool names_table(std::string_view pattern, std::string_view schema, std::string_view name) {
  auto dot = pattern.find('.');
  if (dot == std::string_view::npos) return pattern == name;
  return pattern.substr(0, dot) == schema && pattern.substr(dot + 1) == name;
}

bool any_names_table(const std::vector<std::string>& patterns, std::string_view schema, std::string_view name) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return names_table(p, schema, name); });
}

}  // namespace

bool TableFilter::allows(std::string_view schema, std::string_view name) const {
  if (!include.empty() && !any_names_table(include, schema, name)) return false;
  return !any_names_table(exclude, schema, name);
}

std::vector<std::string> unmatched_table_names(const TableFilter& filter, const analyzer::Catalog& catalog) {
  std::vector<std::string> out;
  for (const auto* list : {&filter.include, &filter.exclude}) {
    for (const auto& pattern : *list) {
      bool found = std::any_of(catalog.tables().begin(), catalog.tables().end(),
                               [&](const TableInfo& t) { return names_table(pattern, t.schema, t.name); });
      if (!found && std::find(out.begin(), out.end(), pattern) == out.end()) out.push_back(pattern);
    }
  }
  return out;
}

double write_share(const TableInfo& t) {
  // Every row a table holds was inserted once: its load is not a write rate. Counting it made every freshly loaded
  // (or append-only) table look write-heavy, and no covering index was ever proposed for a dashboard over it.
  auto inserted = static_cast<double>(std::max<int64_t>(t.activity.inserts - t.activity.live_tuples, 0));
  auto writes = inserted + static_cast<double>(t.activity.updates + t.activity.deletes);
  auto reads = static_cast<double>(t.activity.seq_scans + t.activity.index_scans);
  return writes + reads > 0 ? writes / (writes + reads) : 0;
}

namespace {

struct TableUse {
  std::vector<IndexKey> equality;
  std::vector<IndexKey> range;
  std::vector<IndexKey> joins;
  std::vector<IndexKey> order;  //!< only when every ORDER BY key is on this table
  //! Every plain column the block reads from the table (select list, predicates, joins, GROUP BY, ORDER BY): what
  //! an index must hold for an index-only scan.
  std::vector<std::string> referenced;
  bool selects_all = false;
  std::vector<const Predicate*> partial_predicates;  //!< stable, selective constants on this table
  //! Every constant a partial index on this table may state (stable, with evidence), selective or not: a
  //! selective one and `deleted_at IS NULL` beside it make one small index.
  std::vector<const Predicate*> partial_material;
  //! Share of rows each equality key keeps, when pg_stats tells (the most selective predicate on the key).
  std::map<std::string, double> equality_fraction;
};

void add_unique(std::vector<IndexKey>& keys, const IndexKey& k) {
  if (std::none_of(keys.begin(), keys.end(), [&](const IndexKey& x) { return same_key_column(x, k); })) {
    keys.push_back(k);
  }
}

class Generator {
 public:
  Generator(const analyzer::Catalog& catalog, const CandidateOptions& options) : catalog_(catalog), options_(options) {}

  void add_class(const ClassFacts& c) {
    for (const auto& block : c.facts.blocks) add_block(block, c);
  }

  std::vector<IndexCandidate> result() && {
    std::vector<IndexCandidate> out;
    for (auto& [identity, candidate] : candidates_) out.push_back(std::move(candidate));
    return out;
  }

 private:
  void add_block(const QueryBlock& block, const ClassFacts& c) {
    std::map<const TableInfo*, TableUse> uses;
    for (const auto& p : block.predicates) {
      const TableInfo* t = table_of(p.subject, catalog_);
      if (t == nullptr || p.in_disjunction) continue;
      if (is_partial_material(p, c, *t)) {
        uses[t].partial_material.push_back(&p);
        auto fraction = predicate_fraction(p, *t);
        if (fraction && *fraction <= options_.partial_max_fraction) uses[t].partial_predicates.push_back(&p);
      }
      if (!p.subject.expression.empty() && unselective_expression(p, *t)) continue;
      switch (p.kind) {
        case PredicateKind::Equality:
        case PredicateKind::NullTest:  // IS NULL is an equality for a btree
          add_unique(uses[t].equality, key_of(p.subject));
          if (auto f = equality_fraction(p, *t)) {
            auto [it, inserted] = uses[t].equality_fraction.emplace(key_text(key_of(p.subject)), *f);
            if (!inserted) it->second = std::min(it->second, *f);
          }
          break;
        case PredicateKind::Range:
        case PredicateKind::LikePrefix:
          add_unique(uses[t].range, key_of(p.subject));
          break;
        default:
          break;
      }
    }
    for (const auto& j : block.joins) {
      if (j.in_disjunction) continue;
      for (const auto* side : {&j.left, &j.right}) {
        if (const TableInfo* t = table_of(*side, catalog_)) add_unique(uses[t].joins, key_of(*side));
      }
    }
    if (!block.order_by.empty() && block.group_by.empty()) {
      const TableInfo* t = table_of(block.order_by.front().key, catalog_);
      bool one_table = t != nullptr && std::all_of(block.order_by.begin(), block.order_by.end(),
                                                   [&](const SortKey& s) { return table_of(s.key, catalog_) == t; });
      if (one_table) {
        for (const auto& s : block.order_by) uses[t].order.push_back(key_of(s.key, s.direction, s.nulls));
      }
    }
    for (const auto& s : block.selected) {
      const TableInfo* t = table_of(s, catalog_);
      if (t != nullptr && s.column == "*") uses[t].selects_all = true;
    }
    auto reference = [&](const ColumnUse& c) {
      const TableInfo* t = table_of(c, catalog_);
      if (t == nullptr || c.column.empty() || c.column == "*") return;
      auto& referenced = uses[t].referenced;
      if (std::find(referenced.begin(), referenced.end(), c.column) == referenced.end()) referenced.push_back(c.column);
    };
    for (const auto& s : block.selected) reference(s);
    for (const auto& p : block.predicates) reference(p.subject);
    for (const auto& j : block.joins) {
      reference(j.left);
      reference(j.right);
    }
    for (const auto& g : block.group_by) reference(g);
    for (const auto& o : block.order_by) reference(o.key);
    for (auto& [table, use] : uses) {
      if (not_indexable_reason(*table, catalog_).empty()) add_table_candidates(*table, use);
    }
  }

  // An equality on an expression whose base column has few distinct values (see expression_max_fraction).
  bool unselective_expression(const Predicate& p, const TableInfo& t) const {
    if (p.kind != PredicateKind::Equality) return false;
    const auto* column = t.find_column(p.subject.column);
    if (column == nullptr) return false;
    double distinct = distinct_values(*column, t);
    return distinct > 0 && 1 / distinct > options_.expression_max_fraction;
  }

  // The share of rows an equality predicate keeps: pg_stats for a constant, 1 / distinct values for a parameter.
  static std::optional<double> equality_fraction(const Predicate& p, const TableInfo& t) {
    if (p.constant()) {
      if (auto f = predicate_fraction(p, t)) return f;
    }
    if (p.kind != PredicateKind::Equality || p.op != "=" || !p.subject.expression.empty()) return std::nullopt;
    const auto* column = t.find_column(p.subject.column);
    double distinct = column != nullptr ? distinct_values(*column, t) : 0;
    return distinct > 0 ? std::optional<double>(1 / distinct) : std::nullopt;
  }

  bool is_partial_material(const Predicate& p, const ClassFacts& c, const TableInfo& t) const {
    return partial_evidence(p, c, t, options_).allowed;
  }

  void add_table_candidates(const TableInfo& table, TableUse& use) {
    // A table that fits in one page is read in one page: an index can only add a page to read. (The planner may
    // still find an index scan a little cheaper in CPU, and in a workload of tiny tables that little counts.)
    if (table.relpages == 1 || (table.relpages == 0 && table.reltuples == 0)) return;
    auto by_selectivity = [&](const IndexKey& a, const IndexKey& b) {
      return selectivity_rank(a, table) > selectivity_rank(b, table);
    };
    std::stable_sort(use.equality.begin(), use.equality.end(), by_selectivity);
    std::stable_sort(use.range.begin(), use.range.end(), by_selectivity);

    // The share of rows equality keys keep together (independence assumed), when pg_stats tells for each: an
    // index that only filters on equalities keeping more than key_max_fraction is not worth proposing, however
    // cheap the planner finds a bitmap scan over a quarter of the rows (it rarely is, pages being shared).
    auto unselective = [&](const std::vector<IndexKey>& keys) {
      double fraction = 1;
      for (const auto& k : keys) {
        auto it = use.equality_fraction.find(key_text(k));
        if (it == use.equality_fraction.end()) return false;
        fraction *= it->second;
      }
      return fraction > options_.key_max_fraction;
    };

    // Single columns: every searchable column on its own, including join columns (the inner side of a
    // nested loop) and the first ORDER BY key.
    for (const auto& k : use.equality) {
      if (!unselective({k})) add(table, {k});
    }
    for (const auto* keys : {&use.range, &use.joins}) {
      for (const auto& k : *keys) add(table, {k});
    }
    if (!use.order.empty()) add(table, {use.order.front()});

    // Composite: equality columns, then one range column, or then the ORDER BY keys.
    std::vector<IndexKey> prefix = use.equality;
    if (prefix.size() > 1 && !unselective(prefix)) add(table, prefix);
    for (const auto& r : use.range) {
      auto with_range = prefix;
      add_unique(with_range, r);
      if (with_range.size() > 1) add(table, with_range);
    }
    if (!use.order.empty()) {
      auto with_order = prefix;
      for (const auto& o : use.order) add_unique(with_order, o);
      // Without an equality prefix too: `ORDER BY a, b LIMIT n` over (a) alone needs an Incremental Sort.
      if (with_order.size() > prefix.size() && with_order.size() > 1) add(table, with_order);
    }
    // The same without the equality keys that hardly filter (`status = $1` over four values): they would push
    // the range or ORDER BY keys out of the searchable prefix, or past max_columns.
    std::vector<IndexKey> filtering;
    for (const auto& k : prefix) {
      if (!unselective({k})) filtering.push_back(k);
    }
    if (!filtering.empty() && filtering.size() < prefix.size()) {
      if (filtering.size() > 1) add(table, filtering);
      for (const auto& r : use.range) {
        auto with_range = filtering;
        add_unique(with_range, r);
        add(table, with_range);
      }
      auto with_order = filtering;
      for (const auto& o : use.order) add_unique(with_order, o);
      if (with_order.size() > filtering.size()) add(table, with_order);
    }
    for (const auto& j : use.joins) {
      if (prefix.empty()) break;
      auto with_join = prefix;
      add_unique(with_join, j);
      if (with_join.size() > 1) add(table, with_join);
    }

    // Covering: the composites with every other column the query reads as INCLUDE, for an index-only scan of a
    // hot read (an aggregate over a tenant's rows, a listing's few columns), when the table is read-mostly.
    std::vector<IndexKey> best = prefix;
    if (!use.range.empty()) add_unique(best, use.range.front());
    const bool may_cover = !use.selects_all && write_share(table) <= options_.covering_max_write_share;
    if (may_cover) {
      std::vector<std::vector<IndexKey>> covered{best};
      auto with_order = prefix;
      for (const auto& o : use.order) add_unique(with_order, o);
      covered.push_back(with_order);
      if (!filtering.empty() && filtering.size() < prefix.size()) {
        auto filtering_range = filtering;
        if (!use.range.empty()) add_unique(filtering_range, use.range.front());
        covered.push_back(filtering_range);
      }
      for (const auto& keys : covered) add_covering(table, use, keys);
    }

    // Partial: the other keys, restricted to rows that satisfy a stable selective constant; and restricted to
    // every constant the query states at once (`state = 'failed' AND archived_at IS NULL`), which is smaller.
    // The latter also when no constant is selective on its own: stating `status = 'published' AND deleted_at IS
    // NULL` takes both out of the keys, so `(project_id, published_at DESC)` serves in order. (One unselective
    // constant alone gives no partial index: it would be nearly the full one, usable by fewer queries.)
    for (const Predicate* p : use.partial_predicates) add_partial(table, use, best, {p});
    if (use.partial_material.size() > 1) {
      add_partial(table, use, best, use.partial_material);
    }
  }

  // `keys` with INCLUDE holding the other columns the block reads from the table; none when they are too many.
  void add_covering(const TableInfo& table, const TableUse& use, std::vector<IndexKey> keys) {
    if (keys.empty()) return;
    if (keys.size() > options_.max_columns) keys.resize(options_.max_columns);
    std::vector<std::string> include;
    for (const auto& c : use.referenced) {
      bool is_key = std::any_of(keys.begin(), keys.end(), [&](const IndexKey& k) { return k.column == c; });
      if (!is_key) include.push_back(c);
      if (include.size() > options_.covering_max_include) return;  // too many: no covering index (bounded work)
    }
    if (!include.empty()) add(table, std::move(keys), std::move(include));
  }

  void add_partial(const TableInfo& table, const TableUse& use, const std::vector<IndexKey>& best,
                   const std::vector<const Predicate*>& predicates) {
    auto stated = [&](const IndexKey& k) {
      return std::any_of(predicates.begin(), predicates.end(), [&](const Predicate* p) {
        return key_text(k) == (p->subject.expression.empty() ? p->subject.column : p->subject.expression);
      });
    };
    std::vector<IndexKey> keys;
    for (const auto& k : best) {
      if (!stated(k)) keys.push_back(k);
    }
    for (const auto& o : use.order) add_unique(keys, o);
    if (keys.empty()) keys.push_back(key_of(predicates.front()->subject));  // the constant column, for a tiny index
    std::string sql;
    for (const Predicate* p : predicates) sql += (sql.empty() ? "" : " AND ") + partial_predicate_sql(*p);
    add(table, keys, {}, sql);
  }

  void add(const TableInfo& table, std::vector<IndexKey> keys, std::vector<std::string> include = {},
           std::string predicate = {}) {
    if (!options_.tables.allows(table.schema, table.name)) return;
    if (keys.size() > options_.max_columns) keys.resize(options_.max_columns);
    IndexCandidate c;
    c.table = analyzer::TableName{table.schema, table.name, false};
    c.keys = std::move(keys);
    c.include = std::move(include);
    c.predicate = std::move(predicate);
    if (served_by_existing(c, table, catalog_)) return;
    candidates_.emplace(c.identity(), std::move(c));
  }

  const analyzer::Catalog& catalog_;
  const CandidateOptions& options_;
  std::map<std::string, IndexCandidate> candidates_;  //!< by identity: deduplicated, deterministic order
};

}  // namespace

double distinct_values(const analyzer::ColumnInfo& column, const TableInfo& table) {
  if (!column.statistics) return 0;
  double n = column.statistics->n_distinct;
  return n >= 0 ? n : -n * std::max(table.reltuples, 0.0);
}

std::optional<double> predicate_fraction(const Predicate& p, const TableInfo& table) {
  if (!p.subject.expression.empty()) return std::nullopt;
  const auto* column = table.find_column(p.subject.column);
  if (column == nullptr || !column->statistics) return std::nullopt;
  const auto& s = *column->statistics;
  if (p.kind == PredicateKind::NullTest) return p.op == "IS NULL" ? s.null_frac : 1 - s.null_frac;
  bool equality = p.kind == PredicateKind::Equality && p.op == "=" && p.operands.size() == 1;
  if (p.kind != PredicateKind::Boolean && !equality) return std::nullopt;
  // Booleans appear in pg_stats as t and f. (Built with append: GCC 12 warns falsely on assigning a literal.)
  std::string value = equality ? literal_value(p.operands.front().text) : std::string(1, p.op == "IS TRUE" ? 't' : 'f');
  double mcv_total = 0;
  for (size_t i = 0; i < s.most_common_values.size() && i < s.most_common_frequencies.size(); ++i) {
    if (s.most_common_values[i] == value) return s.most_common_frequencies[i];
    mcv_total += s.most_common_frequencies[i];
  }
  // Not a common value: the planner's rule, the rest spread evenly over the other distinct values.
  double others = distinct_values(*column, table) - static_cast<double>(s.most_common_values.size());
  return others >= 1 ? std::max(0.0, 1 - mcv_total - s.null_frac) / others : 0.0;
}

std::string partial_predicate_sql(const Predicate& p) {
  if (!p.constant() || p.in_disjunction) return {};
  std::string subject =
      p.subject.expression.empty() ? pg::quote_identifier(p.subject.column) : "(" + p.subject.expression + ")";
  if (p.kind == PredicateKind::NullTest) return subject + " " + p.op;
  if (p.kind == PredicateKind::Boolean) return p.op == "IS TRUE" ? subject : "NOT " + subject;
  if (p.kind == PredicateKind::Equality && p.op == "=" && p.operands.size() == 1) {
    return subject + " = " + p.operands.front().text;
  }
  return {};
}

// A literal is one value of a parameter that happened to be sampled unless the evidence says the application fixes
// it: a few-valued column by pg_stats, and a class executed often enough with the literal unchanged.
PartialEvidence partial_evidence(const Predicate& p, const ClassFacts& c, const TableInfo& t,
                                 const CandidateOptions& options) {
  const std::string sql = partial_predicate_sql(p);
  if (sql.empty()) return {false, "cannot be stated as a partial index's WHERE clause"};
  const auto& stable = c.stable_constants;
  if (std::find(stable.begin(), stable.end(), p) == stable.end()) {
    return {false, fmt::format("{} differs between the class's samples: a parameter", sql)};
  }
  if (p.kind == PredicateKind::NullTest || p.kind == PredicateKind::Boolean) {
    return {true, fmt::format("{} is part of the statement's text, not a value", sql)};
  }
  if (c.query.weight < options.partial_min_calls) {
    return {false, fmt::format("{} was seen in {:.0f} execution(s) only: a literal is a parameter of its class until "
                               "at least {:.0f} executions agree",
                               sql, c.query.weight, options.partial_min_calls)};
  }
  const auto* column = p.subject.expression.empty() ? t.find_column(p.subject.column) : nullptr;
  if (column == nullptr) return {false, fmt::format("{}: pg_stats knows nothing of an expression's values", sql)};
  const double distinct = distinct_values(*column, t);
  if (distinct <= 0) {
    return {false, fmt::format("{}: pg_stats does not tell how many values the column has (run ANALYZE)", sql)};
  }
  if (distinct > options.partial_max_distinct) {
    return {false, fmt::format("{}: the column has about {:.0f} distinct values, so a literal is one value of a "
                               "parameter (a partial index needs at most {:.0f})",
                               sql, distinct, options.partial_max_distinct)};
  }
  return {true, fmt::format("{}: the column has {:.0f} distinct values and the literal is the same in every "
                            "statement kept of {:.0f} executions ({} distinct): a value the application fixes",
                            sql, distinct, c.query.weight, std::max<size_t>(c.samples.size(), 1))};
}

bool served_by_existing(const IndexCandidate& candidate, const TableInfo& table) {
  for (const auto& index : table.indexes) {
    if (!index.valid || index.method != candidate.method || index.predicate != candidate.predicate) continue;
    if (candidate.keys.size() > index.keys.size()) continue;
    bool prefix = std::equal(candidate.keys.begin(), candidate.keys.end(), index.keys.begin(),
                             [](const IndexKey& k, const std::string& existing) { return key_text(k) == existing; });
    if (!prefix) continue;
    bool covered = std::all_of(candidate.include.begin(), candidate.include.end(), [&](const std::string& c) {
      return std::find(index.keys.begin(), index.keys.end(), c) != index.keys.end() ||
             std::find(index.included.begin(), index.included.end(), c) != index.included.end();
    });
    if (covered) return true;
  }
  return false;
}

bool served_by_existing(const IndexCandidate& candidate, const TableInfo& table, const analyzer::Catalog& catalog) {
  size_t depth = 0;  // a partition tree is acyclic in PostgreSQL; a hand-made catalog is not trusted to be
  for (const TableInfo* at = &table; at != nullptr && depth <= catalog.tables().size();
       at = catalog.parent(*at), ++depth) {
    if (served_by_existing(candidate, *at)) return true;
  }
  return false;
}

std::string not_indexable_reason(const TableInfo& table, const analyzer::Catalog& catalog) {
  if (table.foreign()) {
    return "a foreign table: PostgreSQL cannot build an index on one (the foreign server's own indexes serve it)";
  }
  if (!table.partitioned()) return {};
  for (const auto* partition : catalog.all_partitions(table)) {
    if (partition->foreign()) {
      return fmt::format(
          "a partitioned table with the foreign table {} among its partitions: an index built partition by "
          "partition would stay invalid, as a foreign table takes none (index its other partitions one by one)",
          pg::quote_qualified_printable(partition->schema, partition->name));
    }
  }
  return {};
}

std::vector<ColumnRef> referenced_columns(const analyzer::QueryFacts& facts, const analyzer::Catalog& catalog) {
  std::vector<ColumnRef> out;
  // Position in `out` of each reference, by "schema.name\0column" (a linear search per column made wide select
  // lists quadratic). A column both searched and read is searched.
  std::unordered_map<std::string, size_t> seen;
  auto add_use = [&](const ColumnUse& c, bool searched) {
    if (c.column.empty() || (searched && c.column == "*")) return;
    auto add_on = [&](const analyzer::TableName& name) {
      if (name.derived) return;
      if (const TableInfo* t = catalog.find_table(name)) {
        auto [it, added] = seen.emplace(t->schema + '.' + t->name + '\0' + c.column, out.size());
        if (added) {
          out.push_back({analyzer::TableName{t->schema, t->name, false}, c.column, searched});
        } else if (searched) {
          out[it->second].searched = true;
        }
      }
    };
    if (!c.ambiguous()) {
      add_on(c.table);
    } else {
      for (const auto& candidate : c.candidates) add_on(candidate);
    }
  };
  for (const auto& block : facts.blocks) {
    for (const auto& p : block.predicates) add_use(p.subject, true);
    for (const auto& j : block.joins) {
      add_use(j.left, true);
      add_use(j.right, true);
    }
    for (const auto& s : block.selected) add_use(s, false);
    for (const auto& g : block.group_by) add_use(g, true);
    for (const auto& o : block.order_by) add_use(o.key, true);
  }
  return out;
}

std::vector<IndexCandidate> generate_candidates(std::span<const ClassFacts> classes, const analyzer::Catalog& catalog,
                                                const CandidateOptions& options) {
  Generator generator(catalog, options);
  for (const auto& c : classes) generator.add_class(c);
  return std::move(generator).result();
}

}  // namespace pgadvisor::advisor
