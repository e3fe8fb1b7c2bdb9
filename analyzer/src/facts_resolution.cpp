// Resolving QueryFacts against a Catalog (catalog.hpp, resolve_facts): views expanded into their queries, ORDER BY n
// behind a `*` found, ambiguous columns attributed, and columns of derived relations (CTEs, subqueries in FROM,
// views) traced down to the stored tables' columns they pass on, where PostgreSQL lets a condition reach them.
// Also Catalog::add_view, which analyzes a view's definition once.
#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "analyzer/catalog.hpp"
#include "analyzer/statement.hpp"

namespace pgadvisor::analyzer {
namespace {

//! Derived relations over derived relations followed at most (views of views, CTEs over CTEs): deeper chains are
//! left untraced rather than walked without bound.
constexpr size_t kMaxDepth = 32;
//! Views expanded into one statement's facts at most (each distinct view once, however often it is named).
constexpr size_t kMaxViews = 64;
//! Merged relations whose conditions one block gathers at most: views reading a view twice, over and over, would
//! otherwise double the work at each level.
constexpr size_t kMaxMerged = 256;

//! Calls visit on every column use of a block's facts (not its outputs' sources).
template <typename Visit>
void for_each_use(QueryBlock& block, const Visit& visit) {
  for (auto& p : block.predicates) visit(p.subject);
  for (auto& j : block.joins) {
    visit(j.left);
    visit(j.right);
  }
  for (auto& c : block.selected) visit(c);
  for (auto& c : block.group_by) visit(c);
  for (auto& k : block.order_by) visit(k.key);
}

//! Calls visit on every relation name a block holds: its FROM list, its uses' and outputs' relations and candidates.
template <typename Visit>
void for_each_relation(QueryBlock& block, const Visit& visit) {
  const auto in_use = [&](ColumnUse& use) {
    visit(use.table);
    for (auto& candidate : use.candidates) visit(candidate);
  };
  for (auto& t : block.from) visit(t);
  for_each_use(block, in_use);
  for (auto& o : block.outputs) in_use(o.source);
}

std::string joined(const std::vector<TableName>& tables) {
  std::string text;
  for (const auto& table : tables) text += (text.empty() ? "" : ", ") + table.to_string();
  return text;
}

ColumnUse plain_column(const TableName& table, std::string column) {
  ColumnUse use;
  use.table = table;
  use.column = std::move(column);
  return use;
}

// The uses in order, each once (a hash set: select lists run to thousands of columns).
std::vector<ColumnUse> without_repeats(std::vector<ColumnUse> uses) {
  std::unordered_set<std::string> seen;
  std::vector<ColumnUse> out;
  out.reserve(uses.size());
  for (auto& use : uses) {
    std::string key = fmt::format("{} {} {}", use.table.derived, use.table.block, use.to_string());
    if (seen.insert(std::move(key)).second) out.push_back(std::move(use));
  }
  return out;
}

// What tells two conditions apart, as text.
std::string condition_key(const Predicate& p) {
  std::string key = fmt::format("p {} {} {} {}", p.subject.table.block, p.subject.to_string(), p.op, p.in_disjunction);
  for (const auto& operand : p.operands) key += ' ' + operand.text;
  return key;
}

std::string condition_key(const JoinCondition& j) {
  return fmt::format("j {} {} {} {} {} {}", j.left.table.block, j.left.to_string(), j.op, j.right.table.block,
                     j.right.to_string(), j.in_disjunction);
}

bool is_star(const OutputColumn& output) {
  return output.computed.empty() && output.source.column == "*" && !output.source.ambiguous();
}

//! The columns a relation shows, in order, each with the column it passes on (or what it computes).
struct Columns {
  std::vector<OutputColumn> list;
  std::unordered_map<std::string, size_t> by_name;  //!< name → position; SIZE_MAX when the name repeats
  std::string unknown;                              //!< why the columns are unknown (list then empty)
};

//! What a traced use needs of each derived relation on its way down.
enum class Reach {
  Filter,  //!< a condition: the relation must be inlined and let conditions be pushed into it
  Merge,   //!< a join, sort, grouping or select-list column: the relation must also be merged into its reader
};

class Resolver {
 public:
  Resolver(QueryFacts& facts, const Catalog& catalog) : facts_(facts), catalog_(catalog) { index_derived(); }

  size_t expand_views();
  size_t find_positions();
  size_t attribute();
  size_t trace();
  size_t merge();

 private:
  void index_derived();
  const DerivedRelation* derived_of(const TableName& table) const;
  TableName append_view(const ViewDefinition& view);
  void write_through(const TableName& name, const ViewDefinition* view);

  const Columns& columns_of(const TableName& relation, size_t depth);
  Columns expand(const std::vector<OutputColumn>& outputs, const std::vector<std::string>& renames, size_t depth);

  bool attribute(ColumnUse& use);
  bool trace(ColumnUse& use, Reach reach);
  std::string step_down(ColumnUse& use, Reach reach);
  std::string barrier(const TableName& table, Reach reach) const;
  bool trace_star(const ColumnUse& star, std::vector<ColumnUse>& out, size_t depth);

  QueryFacts& facts_;
  const Catalog& catalog_;
  std::unordered_map<size_t, size_t> derived_by_block_;  //!< a derived relation's block → its position in facts_
  //! columns_of's answers: valid while the facts do not change (resolve_facts takes a resolver per step)
  std::map<TableName, Columns> columns_;
};

void Resolver::index_derived() {
  derived_by_block_.clear();
  for (size_t k = 0; k < facts_.derived.size(); ++k) derived_by_block_[facts_.derived[k].name.block] = k;
}

const DerivedRelation* Resolver::derived_of(const TableName& table) const {
  if (!table.derived || table.block == 0) return nullptr;
  const auto found = derived_by_block_.find(table.block);
  return found == derived_by_block_.end() ? nullptr : &facts_.derived[found->second];
}

// ---- 1. Views ----

size_t Resolver::expand_views() {
  std::map<const ViewDefinition*, TableName> expanded;
  for (bool changed = true; changed;) {
    changed = false;
    // Views read are expanded; a view only written (INSERT INTO v) is its base table, below.
    for (const TableName& name : std::set<TableName>(facts_.tables_read.begin(), facts_.tables_read.end())) {
      const ViewDefinition* view = catalog_.find_view(name);
      if (view == nullptr || !view->facts) continue;
      auto found = expanded.find(view);
      if (found == expanded.end()) {
        if (expanded.size() >= kMaxViews) continue;
        found = expanded.emplace(view, append_view(*view)).first;
        changed = true;  // its query may name views in turn
      }
      const TableName& derived = found->second;
      for (auto& block : facts_.blocks) {
        for_each_relation(block, [&](TableName& t) {
          if (t == name) t = derived;
        });
      }
      std::erase(facts_.tables_read, name);
    }
  }
  for (const TableName& name : std::set<TableName>(facts_.tables_written.begin(), facts_.tables_written.end())) {
    const ViewDefinition* view = catalog_.find_view(name);
    if (view != nullptr && view->facts) write_through(name, view);
  }
  std::sort(facts_.tables_read.begin(), facts_.tables_read.end());
  facts_.tables_read.erase(std::unique(facts_.tables_read.begin(), facts_.tables_read.end()), facts_.tables_read.end());
  index_derived();
  return expanded.size();
}

// The view's blocks and derived relations go after the statement's, their block numbers shifted; the view becomes a
// derived relation whose query is its block 0. What the view reads, the statement reads.
TableName Resolver::append_view(const ViewDefinition& view) {
  const size_t offset = facts_.blocks.size();
  const auto shift = [offset](TableName& t) {
    if (t.derived && t.block != 0) t.block += offset;
  };
  for (QueryBlock block : view.facts->blocks) {
    for_each_relation(block, shift);
    facts_.blocks.push_back(std::move(block));
  }
  for (DerivedRelation derived : view.facts->derived) {
    shift(derived.name);
    facts_.derived.push_back(std::move(derived));
  }
  facts_.derived.push_back(DerivedRelation{TableName{"", view.name, true, offset}, {}, ""});
  facts_.tables_read.insert(facts_.tables_read.end(), view.facts->tables_read.begin(), view.facts->tables_read.end());
  index_derived();
  return facts_.derived.back().name;
}

// A write through a simple view (one relation in its FROM, as PostgreSQL's automatically updatable views have)
// writes that relation, a view in turn, and the columns it sets are the ones their columns pass on.
void Resolver::write_through(const TableName& name, const ViewDefinition* view) {
  const auto written = std::find(facts_.tables_written.begin(), facts_.tables_written.end(), name);
  if (written == facts_.tables_written.end()) return;
  for (size_t depth = 0; view != nullptr && view->facts && depth <= kMaxDepth; ++depth) {
    const QueryBlock& query = view->facts->blocks.front();
    if (query.from.size() != 1 || query.from.front().derived) break;
    *written = query.from.front();
    for (auto& column : facts_.updated_columns) {
      for (const auto& output : query.outputs) {
        if (output.name != column || !output.computed.empty() || output.source.ambiguous()) continue;
        column = output.source.column;
        break;
      }
    }
    view = catalog_.find_view(*written);
  }
  std::sort(facts_.tables_written.begin(), facts_.tables_written.end());
}

// ---- Columns of relations ----

const Columns& Resolver::columns_of(const TableName& relation, size_t depth) {
  if (const auto found = columns_.find(relation); found != columns_.end()) return found->second;
  Columns columns;
  if (depth > kMaxDepth) {
    columns.unknown = "derived relations nested too deep";
  } else if (!relation.derived) {
    if (const TableInfo* table = catalog_.find_table(relation)) {
      for (const auto& column : table->columns)
        columns.list.push_back({column.name, plain_column(relation, column.name), ""});
    } else {
      columns.unknown = fmt::format("table {} is not in the catalog", relation.to_string());
    }
  } else if (const DerivedRelation* derived = derived_of(relation)) {
    const QueryBlock& block = facts_.blocks[derived->name.block];
    if (block.outputs.empty()) {
      columns.unknown = fmt::format("the columns of {} are unknown", relation.to_string());
    } else {
      columns = expand(block.outputs, derived->column_names, depth);
    }
  } else {
    columns.unknown = fmt::format("the columns of {} are unknown", relation.to_string());
  }
  if (columns.unknown.empty()) {
    for (size_t k = 0; k < columns.list.size(); ++k) {
      const auto [it, inserted] = columns.by_name.emplace(columns.list[k].name, k);
      if (!inserted) it->second = SIZE_MAX;
    }
  }
  return columns_.emplace(relation, std::move(columns)).first->second;
}

// A select list with each `*` replaced by the columns of its relation, then renamed by `AS s(a, b)`.
Columns Resolver::expand(const std::vector<OutputColumn>& outputs, const std::vector<std::string>& renames,
                         size_t depth) {
  Columns columns;
  for (const auto& output : outputs) {
    if (!is_star(output)) {
      columns.list.push_back(output);
      continue;
    }
    const Columns& inner = columns_of(output.source.table, depth + 1);
    if (!inner.unknown.empty()) return Columns{{}, {}, inner.unknown};
    columns.list.insert(columns.list.end(), inner.list.begin(), inner.list.end());
  }
  for (size_t k = 0; k < renames.size() && k < columns.list.size(); ++k) columns.list[k].name = renames[k];
  return columns;
}

// ---- 2. ORDER BY n and GROUP BY n behind a `*` ----

size_t Resolver::find_positions() {
  size_t found = 0;
  for (auto& block : facts_.blocks) {
    std::optional<Columns> expanded;  // the block's select list, expanded once
    const auto find = [&](ColumnUse& use) {
      if (use.output_position == 0 || !use.ambiguous()) return;
      const size_t n = use.output_position;
      if (!expanded) expanded = expand(block.outputs, {}, 0);
      const Columns& columns = *expanded;
      if (!columns.unknown.empty()) {
        use.ambiguity = fmt::format("position {}: {}", n, columns.unknown);
      } else if (n > columns.list.size()) {
        use.ambiguity = fmt::format("position {} is past the select list's {} columns", n, columns.list.size());
      } else if (const OutputColumn& output = columns.list[n - 1]; !output.computed.empty()) {
        use.ambiguity = fmt::format("position {} is {}", n, output.computed);
      } else {
        use = output.source;
        ++found;
      }
    };
    for (auto& key : block.group_by) find(key);
    for (auto& key : block.order_by) find(key.key);
  }
  return found;
}

// ---- 3. Ambiguous columns ----

// Counts the uses attributed, not the outputs' sources (an output is mostly a select-list column counted already).
size_t Resolver::attribute() {
  size_t attributed = 0;
  for (auto& block : facts_.blocks) {
    for_each_use(block, [&](ColumnUse& use) { attributed += attribute(use) ? 1 : 0; });
    for (auto& output : block.outputs) attribute(output.source);
  }
  return attributed;
}

// Attributes one ambiguous use, or rewrites its reason; true when attributed. As in SQL, the column's own
// block is searched first, then the enclosing ones (taken together: the text form keeps no finer levels).
bool Resolver::attribute(ColumnUse& use) {
  if (!use.ambiguous() || use.candidates.empty() || use.output_position != 0) return false;
  const std::vector<TableName> all = use.candidates;
  const size_t own = std::min(use.own_block_candidates, all.size());
  for (const auto level : {std::span(all).first(own), std::span(all).subspan(own)}) {
    std::vector<TableName> owners;
    for (const auto& candidate : level) {
      // A candidate whose columns are unknown might own the column: attributing elsewhere would be a guess.
      const Columns& columns = columns_of(candidate, 0);
      if (!columns.unknown.empty()) {
        use.ambiguity = candidate.derived ? fmt::format("{} may belong to {}, whose columns are unknown", use.column,
                                                        candidate.to_string())
                                          : columns.unknown;
        return false;
      }
      if (columns.by_name.contains(use.column)) owners.push_back(candidate);
    }
    if (owners.size() > 1) {
      use.ambiguity = fmt::format("column {} exists in {}", use.column, joined(owners));
      return false;
    }
    if (owners.size() == 1) {
      use.table = owners.front();
      use.candidates.clear();
      use.own_block_candidates = 0;
      use.ambiguity.clear();
      return true;
    }
  }
  use.ambiguity = fmt::format("no candidate table has a column {}", use.column);
  return false;
}

// ---- 4. Tracing through derived relations ----

size_t Resolver::trace() {
  size_t traced = 0;
  for (auto& block : facts_.blocks) {
    for (auto& p : block.predicates) traced += trace(p.subject, Reach::Filter) ? 1 : 0;
    for (auto& j : block.joins) {
      traced += trace(j.left, Reach::Merge) ? 1 : 0;
      traced += trace(j.right, Reach::Merge) ? 1 : 0;
    }
    for (auto& g : block.group_by) traced += trace(g, Reach::Merge) ? 1 : 0;
    for (auto& k : block.order_by) traced += trace(k.key, Reach::Merge) ? 1 : 0;
    std::vector<ColumnUse> selected;
    for (auto& s : block.selected) {
      if (s.column == "*" && s.table.derived && !s.ambiguous()) {
        if (std::vector<ColumnUse> columns; trace_star(s, columns, 0)) {
          traced += 1;
          std::move(columns.begin(), columns.end(), std::back_inserter(selected));
          continue;
        }
      } else {
        traced += trace(s, Reach::Merge) ? 1 : 0;
      }
      selected.push_back(std::move(s));
    }
    block.selected = without_repeats(std::move(selected));
  }
  return traced;
}

// Follows a use down derived relations until it names a stored table's column; true when it got there. Otherwise
// the use is left as it was, with the reason in untraced.
bool Resolver::trace(ColumnUse& use, Reach reach) {
  if (use.ambiguous() || !use.table.derived) return false;
  ColumnUse current = use;
  for (size_t depth = 0; depth <= kMaxDepth; ++depth) {
    if (!current.table.derived) {
      current.untraced.clear();
      use = std::move(current);
      return true;
    }
    if (std::string why = step_down(current, reach); !why.empty()) {
      use.untraced = std::move(why);
      return false;
    }
  }
  use.untraced = "derived relations nested too deep";
  return false;
}

// Why a use's reach stops at this derived relation, or "".
std::string Resolver::barrier(const TableName& table, Reach reach) const {
  const DerivedRelation* derived = derived_of(table);
  if (derived == nullptr) return fmt::format("{} is a function's result", table.to_string());
  if (!derived->barrier.empty()) return fmt::format("{} is not inlined: {}", table.to_string(), derived->barrier);
  const QueryBlock& block = facts_.blocks[derived->name.block];
  if (!block.pushdown_barrier.empty()) {
    return fmt::format("conditions are not pushed into {}: {}", table.to_string(), block.pushdown_barrier);
  }
  if (reach == Reach::Merge && !block.merge_barrier.empty()) {
    return fmt::format("{} is not merged: {}", table.to_string(), block.merge_barrier);
  }
  return "";
}

// Moves a use one derived relation down: to the column of the relation's query that its column passes on.
std::string Resolver::step_down(ColumnUse& use, Reach reach) {
  if (std::string why = barrier(use.table, reach); !why.empty()) return why;
  const Columns& columns = columns_of(use.table, 0);
  if (!columns.unknown.empty()) return columns.unknown;
  const auto found = columns.by_name.find(use.column);
  if (found == columns.by_name.end()) return fmt::format("{} has no column {}", use.table.to_string(), use.column);
  if (found->second == SIZE_MAX) return fmt::format("{} has two columns {}", use.table.to_string(), use.column);
  const OutputColumn& output = columns.list[found->second];
  if (!output.computed.empty()) return fmt::format("{}.{} is {}", use.table.to_string(), use.column, output.computed);
  if (output.source.ambiguous()) {
    return fmt::format("{}.{} is ambiguous: {}", use.table.to_string(), use.column, output.source.ambiguity);
  }
  if (!use.expression.empty()) {
    // The expression's text names the relation's columns: it holds below only if they are one relation's columns
    // under the same names (only its first column is known here).
    const bool unchanged = std::all_of(columns.list.begin(), columns.list.end(), [&](const OutputColumn& c) {
      return c.computed.empty() && !c.source.ambiguous() && c.source.column == c.name &&
             c.source.table == output.source.table;
    });
    if (!unchanged) {
      return fmt::format("an expression over {}, whose columns are renamed, computed or from several relations",
                         use.table.to_string());
    }
  }
  ColumnUse next = output.source;
  next.expression = use.expression;
  use = std::move(next);
  return "";
}

// `(x).*` in a merged relation's reader: every column x passes on, each traced (a stored table's `*` as such).
bool Resolver::trace_star(const ColumnUse& star, std::vector<ColumnUse>& out, size_t depth) {
  if (depth > kMaxDepth || !barrier(star.table, Reach::Merge).empty()) return false;
  const DerivedRelation* derived = derived_of(star.table);
  for (const auto& output : facts_.blocks[derived->name.block].outputs) {
    if (!output.computed.empty()) continue;  // what it computes from is read in its own block
    ColumnUse use = output.source;
    if (use.ambiguous()) return false;
    if (is_star(output) && use.table.derived) {
      if (!trace_star(use, out, depth + 1)) return false;
      continue;
    }
    if (!is_star(output) && use.table.derived && !trace(use, Reach::Merge)) return false;
    out.push_back(std::move(use));
  }
  return true;
}

// ---- 5. Merged relations' conditions ----

size_t Resolver::merge() {
  // The conditions of each block before any is added, on stored tables only.
  std::vector<QueryBlock> own(facts_.blocks.size());
  for (size_t b = 0; b < facts_.blocks.size(); ++b) {
    for (const auto& p : facts_.blocks[b].predicates) {
      if (!p.subject.ambiguous() && !p.subject.table.derived) own[b].predicates.push_back(p);
    }
    for (const auto& j : facts_.blocks[b].joins) {
      const auto stored = [](const ColumnUse& c) { return !c.ambiguous() && !c.table.derived; };
      if (stored(j.left) && stored(j.right)) own[b].joins.push_back(j);
    }
  }
  // The conditions a block gains: those of each merged relation it reads, and of theirs in turn.
  const auto gather = [&](size_t block, QueryBlock& into) {
    std::vector<std::pair<size_t, size_t>> pending{{block, 0}};  // (block, depth)
    for (size_t visited = 0; !pending.empty() && visited < kMaxMerged; ++visited) {
      const auto [b, depth] = pending.back();
      pending.pop_back();
      if (depth > kMaxDepth) continue;
      for (const auto& relation : facts_.blocks[b].from) {
        if (!relation.derived || !barrier(relation, Reach::Merge).empty()) continue;
        const size_t query = relation.block;
        into.predicates.insert(into.predicates.end(), own[query].predicates.begin(), own[query].predicates.end());
        into.joins.insert(into.joins.end(), own[query].joins.begin(), own[query].joins.end());
        pending.emplace_back(query, depth + 1);
      }
    }
  };
  size_t merged = 0;
  for (size_t b = 0; b < facts_.blocks.size(); ++b) {
    QueryBlock added;
    gather(b, added);
    if (added.predicates.empty() && added.joins.empty()) continue;
    // Each condition once: a relation read twice (a self-join of a view) brings its conditions twice.
    auto& block = facts_.blocks[b];
    std::unordered_set<std::string> seen;
    const auto fresh = [&](const auto& condition) { return seen.insert(condition_key(condition)).second; };
    for (const auto& p : block.predicates) fresh(p);
    for (const auto& j : block.joins) fresh(j);
    for (auto& p : added.predicates) {
      if (!fresh(p)) continue;
      block.predicates.push_back(std::move(p));
      ++merged;
    }
    for (auto& j : added.joins) {
      if (!fresh(j)) continue;
      block.joins.push_back(std::move(j));
      ++merged;
    }
  }
  return merged;
}

}  // namespace

// Here rather than in catalog.cpp: a catalog's lookups need no parser.
void Catalog::add_view(std::string schema, std::string name, std::string_view definition) {
  ViewDefinition view{std::move(schema), std::move(name), std::nullopt, ""};
  // pg_get_viewdef prints one SELECT (ending with ';'); anything else is not read through.
  if (split_statements(definition).size() != 1) {
    view.unanalyzable = "not one statement";
  } else if (auto outcome = extract_facts(definition); !outcome) {
    view.unanalyzable = outcome.error ? outcome.error->message : "not analyzable";
  } else if (outcome.facts->kind != StatementKind::Select) {
    view.unanalyzable = "not a SELECT";
  } else {
    view.facts = std::move(outcome.facts);
  }
  auto& positions = views_by_name_[view.name];
  for (const size_t position : positions) {
    if (views_[position].schema == view.schema) {
      views_[position] = std::move(view);
      return;
    }
  }
  positions.push_back(views_.size());
  views_.push_back(std::move(view));
}

size_t resolve_ambiguous_columns(QueryFacts& facts, const Catalog& catalog) {
  return Resolver(facts, catalog).attribute();
}

FactsResolution resolve_facts(QueryFacts& facts, const Catalog& catalog) {
  FactsResolution done;
  // Each step changes the facts the next reads: one resolver each, so that no answer is kept across them.
  done.views = Resolver(facts, catalog).expand_views();
  done.positions = Resolver(facts, catalog).find_positions();
  done.attributed = Resolver(facts, catalog).attribute();
  done.traced = Resolver(facts, catalog).trace();
  done.merged = Resolver(facts, catalog).merge();
  std::stable_sort(facts.derived.begin(), facts.derived.end(),
                   [](const DerivedRelation& a, const DerivedRelation& b) { return a.name.block < b.name.block; });
  return done;
}

}  // namespace pgadvisor::analyzer
