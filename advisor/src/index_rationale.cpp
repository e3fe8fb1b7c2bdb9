// Explaining an advised index (see the header). Each sentence is derived from the facts of the classes the index
// serves and from the rules candidate generation applied, never from the index alone: a key's role is what the
// queries do with it, a partial predicate's evidence is what pg_stats and the samples say.
#include "advisor/index_rationale.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzer/utf8.hpp"

namespace pgadvisor::advisor {
namespace {

using analyzer::PredicateKind;
using analyzer::StatementKind;

std::string key_text(const IndexKey& k) { return k.expression.empty() ? k.column : k.expression; }

std::string use_text(const analyzer::ColumnUse& c) { return c.expression.empty() ? c.column : c.expression; }

bool same_table(const analyzer::TableName& t, const analyzer::Catalog& catalog, const analyzer::TableName& index) {
  if (t.name.empty() || t.derived) return false;
  const auto* info = catalog.find_table(t);
  return info != nullptr && info->schema == index.schema && info->name == index.name;
}

bool on_key(const analyzer::ColumnUse& c, const analyzer::Catalog& catalog, const IndexCandidate& index,
            const IndexKey& key) {
  return !c.ambiguous() && use_text(c) == key_text(key) && same_table(c.table, catalog, index.table);
}

// How the served classes use one key: the number of classes per role.
struct KeyUse {
  size_t equality = 0;
  size_t range = 0;
  size_t order = 0;
  size_t join = 0;
  size_t group = 0;
  bool limit = false;  //!< a class that orders by it stops at a LIMIT
};

KeyUse key_use(const IndexKey& key, const IndexCandidate& index, std::span<const ClassFacts* const> served,
               const analyzer::Catalog& catalog) {
  KeyUse use;
  for (const ClassFacts* c : served) {
    KeyUse one;
    for (const auto& block : c->facts.blocks) {
      for (const auto& p : block.predicates) {
        if (p.in_disjunction || !on_key(p.subject, catalog, index, key)) continue;
        if (p.kind == PredicateKind::Equality || p.kind == PredicateKind::NullTest ||
            p.kind == PredicateKind::Boolean) {
          one.equality = 1;
        } else if (p.kind == PredicateKind::Range || p.kind == PredicateKind::LikePrefix) {
          one.range = 1;
        }
      }
      for (const auto& j : block.joins) {
        if (on_key(j.left, catalog, index, key) || on_key(j.right, catalog, index, key)) one.join = 1;
      }
      for (const auto& s : block.order_by) {
        if (on_key(s.key, catalog, index, key)) {
          one.order = 1;
          one.limit = one.limit || block.has_limit;
        }
      }
      for (const auto& g : block.group_by) {
        if (on_key(g, catalog, index, key)) one.group = 1;
      }
    }
    use.equality += one.equality;
    use.range += one.range;
    use.order += one.order;
    use.join += one.join;
    use.group += one.group;
    use.limit = use.limit || one.limit;
  }
  return use;
}

enum class Role { Equality, Range, Order, Join, Group, Other };

Role primary_role(const KeyUse& u) {
  if (u.equality > 0) return Role::Equality;
  if (u.range > 0) return Role::Range;
  if (u.order > 0) return Role::Order;
  if (u.join > 0) return Role::Join;
  if (u.group > 0) return Role::Group;
  return Role::Other;
}

std::string classes_count(size_t n) { return fmt::format("{} class{}", n, n == 1 ? "" : "es"); }

// "tenant_id (equality in 3 classes, about 8000 distinct values)".
std::string key_sentence(const IndexKey& key, const KeyUse& u, const analyzer::TableInfo* table) {
  std::vector<std::string> parts;
  if (u.equality > 0) parts.push_back("equality in " + classes_count(u.equality));
  if (u.range > 0) parts.push_back("range in " + classes_count(u.range));
  if (u.order > 0) parts.push_back("ORDER BY in " + classes_count(u.order));
  if (u.join > 0) parts.push_back("join in " + classes_count(u.join));
  if (u.group > 0) parts.push_back("GROUP BY in " + classes_count(u.group));
  if (parts.empty()) parts.emplace_back("named by the classes");
  if (table != nullptr && key.expression.empty()) {
    if (const auto* column = table->find_column(key.column)) {
      if (double distinct = distinct_values(*column, *table); distinct > 0) {
        parts.push_back(fmt::format("about {:.0f} distinct values", distinct));
      }
    }
  }
  std::string out = key_text(key) + (key.descending ? " DESC" : "") + " (";
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ", ") + parts[i];
  return out + ")";
}

// Why the keys come in this order, from the roles in sequence.
std::string order_sentence(const IndexCandidate& index, const std::vector<KeyUse>& uses) {
  std::vector<Role> roles;
  roles.reserve(uses.size());
  for (const auto& u : uses) roles.push_back(primary_role(u));
  size_t equalities = 0;
  while (equalities < roles.size() && roles[equalities] == Role::Equality) ++equalities;
  std::vector<std::string> out;
  if (equalities > 1) {
    out.emplace_back("the equality keys lead, the one with the most distinct values first");
  } else if (equalities == 1 && roles.size() > 1) {
    out.push_back("the equality key " + key_text(index.keys[0]) + " leads");
  }
  bool limit = std::any_of(uses.begin(), uses.end(), [](const KeyUse& u) { return u.limit; });
  for (size_t i = equalities; i < roles.size(); ++i) {
    const std::string name = key_text(index.keys[i]);
    switch (roles[i]) {
      case Role::Range:
        out.push_back(name + "'s range " + (i == 0 ? "is the scan's bound" : "follows") +
                      ": a range ends the searchable part of a btree key");
        break;
      case Role::Order: {
        // Consecutive ORDER BY keys make one phrase.
        std::string keys = name;
        while (i + 1 < roles.size() && roles[i + 1] == Role::Order) keys += ", " + key_text(index.keys[++i]);
        out.push_back(keys +
                      " in the ORDER BY's order and directions, so the scan returns rows in order without a "
                      "sort" +
                      (limit ? " and stops at the LIMIT" : ""));
        break;
      }
      case Role::Join:
        out.push_back(name + " for the join: the inner side of a nested loop looks it up");
        break;
      case Role::Group:
        out.push_back(name + " in GROUP BY order, for a grouped index scan");
        break;
      case Role::Equality:
      case Role::Other:
        out.push_back(name + " filters inside the index");
        break;
    }
  }
  if (out.empty()) return "";
  std::string text = "order: ";
  for (size_t i = 0; i < out.size(); ++i) text += (i == 0 ? "" : "; then ") + out[i];
  return text;
}

std::string percent(double fraction) { return fmt::format("{:.1f} %", 100 * fraction); }

// The constant predicates of the served classes on the index's table, with the class that states each.
std::vector<std::pair<const analyzer::Predicate*, const ClassFacts*>> constants_on_table(
    const IndexCandidate& index, std::span<const ClassFacts* const> served, const analyzer::Catalog& catalog) {
  std::vector<std::pair<const analyzer::Predicate*, const ClassFacts*>> out;
  std::set<std::string> seen;
  for (const ClassFacts* c : served) {
    for (const auto& block : c->facts.blocks) {
      for (const auto& p : block.predicates) {
        if (p.in_disjunction || !p.constant() || p.subject.ambiguous() ||
            !same_table(p.subject.table, catalog, index.table)) {
          continue;
        }
        std::string sql = partial_predicate_sql(p);
        if (!sql.empty() && seen.insert(sql).second) out.emplace_back(&p, c);
      }
    }
  }
  return out;
}

std::string partial_sentence(const IndexCandidate& index, std::span<const ClassFacts* const> served,
                             const analyzer::Catalog& catalog, const analyzer::TableInfo* table,
                             const CandidateOptions& options) {
  auto constants = constants_on_table(index, served, catalog);
  if (!index.predicate.empty()) {
    std::string out = "partial: WHERE " + index.predicate + ", which every class it serves states";
    for (const auto& [p, c] : constants) {
      const std::string sql = partial_predicate_sql(*p);
      if (index.predicate.find(sql) == std::string::npos || table == nullptr) continue;
      out += "; " + partial_evidence(*p, *c, *table, options).reason;
      if (auto f = predicate_fraction(*p, *table))
        out += fmt::format(" (keeps {} of the rows by pg_stats)", percent(*f));
    }
    return out;
  }
  if (constants.empty() || table == nullptr)
    return "full: the classes it serves state no constant a partial index could keep";
  std::string out = "full, not partial";
  for (const auto& [p, c] : constants) {
    auto evidence = partial_evidence(*p, *c, *table, options);
    auto fraction = predicate_fraction(*p, *table);
    if (evidence.allowed && fraction && *fraction > options.partial_max_fraction) {
      out += fmt::format("; {} keeps {} of the rows by pg_stats: nearly the full index, usable by fewer queries",
                         partial_predicate_sql(*p), percent(*fraction));
    } else if (evidence.allowed) {
      out += "; a partial index on " + partial_predicate_sql(*p) +
             " was a candidate, and this full one served the workload better";
    } else {
      out += "; " + evidence.reason;
    }
  }
  return out;
}

std::string covering_sentence(const IndexCandidate& index, const analyzer::TableInfo* table) {
  if (index.include.empty()) return "";
  std::string columns;
  for (const auto& c : index.include) columns += (columns.empty() ? "" : ", ") + c;
  std::string out = "covering: INCLUDE (" + columns +
                    ") holds the other columns the classes read, so an index-only scan answers them without "
                    "visiting the table";
  if (table != nullptr) out += fmt::format("; writes are {} of the table's activity", percent(write_share(*table)));
  return out;
}

std::string writes_sentence(const IndexCandidate& index, std::span<const ClassFacts> all,
                            const analyzer::Catalog& catalog, double cost_per_row) {
  std::vector<const ClassFacts*> hot;
  auto writes = index_writes(all, catalog, index, &hot);
  std::string out;
  if (writes.empty()) {
    out = "writes: no statement of the workload changes it";
  } else {
    double rows = 0;
    for (const auto& w : writes) rows += w.rows;
    out = fmt::format("writes: {:.0f} row change(s) at {:.1f} cost units each = {:.0f}, from", rows, cost_per_row,
                      rows * cost_per_row);
    constexpr size_t kListed = 4;
    for (size_t i = 0; i < writes.size() && i < kListed; ++i) {
      const auto& f = writes[i].writer->facts;
      std::string sets;
      if (f.kind == StatementKind::Update) {
        for (const auto& column : f.updated_columns) {
          if (index.names_column(column)) sets += (sets.empty() ? " setting " : ", ") + column;
        }
      }
      out += fmt::format("{} {} x{:.0f}{} ({})", i == 0 ? "" : ",", analyzer::to_string(f.kind), writes[i].rows, sets,
                         writes[i].writer->query.fingerprint);
    }
    if (writes.size() > kListed) out += fmt::format(" and {} more", writes.size() - kListed);
  }
  if (!hot.empty()) {
    out += fmt::format("; {} UPDATE class(es) set none of its columns and can stay HOT", hot.size());
  }
  return out;
}

// What the kind of table means for the index: one per partition, or rebuilt by each REFRESH.
std::string kind_sentence(const analyzer::TableInfo* table, const analyzer::Catalog& catalog) {
  if (table == nullptr) return {};
  if (table->partitioned()) {
    size_t leaves = 0;
    size_t partitioned = 0;
    for (const auto* p : catalog.all_partitions(*table)) (p->partitioned() ? partitioned : leaves) += 1;
    return fmt::format(
        "partitions: {} is partitioned, so the index is one per partition ({} leaf partition(s){}), made on it "
        "alone, then partition by partition and attached (advice.sql); its size is the sum of theirs",
        table->name, leaves, partitioned > 0 ? fmt::format(", {} partitioned ones with their own", partitioned) : "");
  }
  if (table->kind == analyzer::TableKind::MaterializedView) {
    return fmt::format("materialized view: every REFRESH MATERIALIZED VIEW {} rebuilds the index with its rows",
                       table->name);
  }
  return {};
}

std::string value_text(const std::optional<std::string>& v) {
  if (!v) return "NULL";
  constexpr size_t kWidth = 24;
  if (v->size() <= kWidth) return "'" + *v + "'";
  return "'" + std::string(analyzer::utf8_prefix(*v, kWidth)) + "…'";
}

}  // namespace

std::vector<IndexWrite> index_writes(std::span<const ClassFacts> classes, const analyzer::Catalog& catalog,
                                     const IndexCandidate& index, std::vector<const ClassFacts*>* hot) {
  std::vector<IndexWrite> out;
  const auto* indexed = catalog.find_table(index.table);
  for (const auto& c : classes) {
    const auto& f = c.facts;
    // A partition's rows are its partitioned table's: a write to either maintains an index on the other (every
    // row written through a partitioned table is counted, though only some reach a given partition).
    bool writes_table = std::any_of(f.tables_written.begin(), f.tables_written.end(), [&](const auto& t) {
      if (same_table(t, catalog, index.table)) return true;
      const auto* written = t.derived || t.name.empty() ? nullptr : catalog.find_table(t);
      return written != nullptr && indexed != nullptr && catalog.shares_rows(*written, *indexed);
    });
    if (!writes_table) continue;
    // An update that sets none of the index's columns leaves it alone (a HOT update when there is room); one
    // that sets a predicate's column moves rows in or out of a partial index.
    if (f.kind == StatementKind::Update &&
        std::none_of(f.updated_columns.begin(), f.updated_columns.end(),
                     [&](const std::string& column) { return index.names_column(column); })) {
      if (hot != nullptr) hot->push_back(&c);
      continue;
    }
    out.push_back({&c, c.query.weight});
  }
  std::stable_sort(out.begin(), out.end(), [](const IndexWrite& a, const IndexWrite& b) { return a.rows > b.rows; });
  return out;
}

std::vector<std::string> explain_index(const IndexCandidate& index, std::span<const ClassFacts* const> served,
                                       std::span<const ClassFacts> all, const analyzer::Catalog& catalog,
                                       const CandidateOptions& options, double cost_per_row) {
  const analyzer::TableInfo* table = catalog.find_table(index.table);
  std::vector<KeyUse> uses;
  std::string keys = "keys: ";
  for (size_t i = 0; i < index.keys.size(); ++i) {
    uses.push_back(key_use(index.keys[i], index, served, catalog));
    keys += (i == 0 ? "" : ", ") + key_sentence(index.keys[i], uses.back(), table);
  }
  std::vector<std::string> out{keys};
  if (auto order = order_sentence(index, uses); !order.empty()) out.push_back(std::move(order));
  out.push_back(partial_sentence(index, served, catalog, table, options));
  if (auto covering = covering_sentence(index, table); !covering.empty()) out.push_back(std::move(covering));
  out.push_back(writes_sentence(index, all, catalog, cost_per_row));
  if (auto kind = kind_sentence(table, catalog); !kind.empty()) out.push_back(std::move(kind));
  return out;
}

std::string planned_values(const WorkloadQuery& query) {
  const size_t n = query.executions.size();
  // "($1 = '42', $2 = NULL)"
  auto set_text = [](const analyzer::ParameterSet& parameters) {
    std::string out = "(";
    for (size_t p = 0; p < parameters.size(); ++p) {
      out += fmt::format("{}${} = {}", p == 0 ? "" : ", ", p + 1, value_text(parameters[p]));
    }
    return out + ")";
  };
  auto sets = [&] {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += (i == 0 ? " " : "; ") + set_text(query.executions[i].parameters);
    return out;
  };
  auto heavy_set = [&] { return " " + set_text(query.executions.back().parameters); };
  switch (query.source) {
    case PlanSource::Literals:
      if (query.heavy_values) {
        return fmt::format(
            "the literals of {} executed statement(s) and the heaviest value of a skewed column by "
            "pg_stats:{}",
            n - 1, heavy_set());
      }
      return n == 0 ? "the statement's own literals" : fmt::format("the literals of {} executed statements", n);
    case PlanSource::Sampled:
      if (query.heavy_values) {
        return fmt::format(
            "{} sampled parameter set(s) and the heaviest value of a skewed column by pg_stats (the "
            "last):{}",
            n - 1, sets());
      }
      return fmt::format("{} sampled parameter set(s):{}", n, sets());
    case PlanSource::PgStats:
      return fmt::format(
          "values from pg_stats (a most common value and the median; a tenth of the rows for a "
          "range):{}",
          sets());
    case PlanSource::Generic:
      return "a generic plan: no parameter values were known";
  }
  return "";
}

}  // namespace pgadvisor::advisor
