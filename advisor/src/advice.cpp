// Building query classes from statements, and the advice pipeline: candidates -> cached what-if costs ->
// Extend-style selection -> per-index evidence. Write overhead is modelled from the workload's own writes,
// since EXPLAIN of a write does not include index maintenance (docs/ARCHITECTURE.md, measured facts).
#include "advisor/advice.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "advisor/index_names.hpp"
#include "advisor/index_rationale.hpp"
#include "advisor/plan_values.hpp"
#include "analyzer/statement_analyzer.hpp"
#include "analyzer/unparsed_class.hpp"

namespace pgadvisor::advisor {
namespace {

using analyzer::StatementKind;

bool is_dml(StatementKind k) {
  return k == StatementKind::Select || k == StatementKind::Insert || k == StatementKind::Update ||
         k == StatementKind::Delete || k == StatementKind::Merge;
}

// The catalog's names for the stored tables a statement reads or writes (schema filled in).
std::vector<analyzer::TableName> stored_tables(const analyzer::QueryFacts& facts, const analyzer::Catalog& catalog) {
  std::vector<analyzer::TableName> out;
  for (const auto* list : {&facts.tables_read, &facts.tables_written}) {
    for (const auto& t : *list) {
      if (const auto* info = catalog.find_table(t)) {
        analyzer::TableName name{info->schema, info->name, false};
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
      }
    }
  }
  return out;
}

// Adds to a class's tables and columns the partitioned tables above each partition it names: an index on one of
// them exists on the partition too, so it is relevant to the class (CachingCostModel's rule).
void add_partitioned_ancestors(WorkloadQuery& query, const analyzer::Catalog& catalog) {
  auto ancestors = [&](const analyzer::TableName& name) {
    std::vector<analyzer::TableName> out;
    const auto* table = catalog.find_table(name);
    for (const auto* at = table != nullptr ? catalog.parent(*table) : nullptr;
         at != nullptr && out.size() <= catalog.tables().size(); at = catalog.parent(*at)) {
      out.push_back(at->table_name());
    }
    return out;
  };
  const auto tables = query.tables;
  for (const auto& t : tables) {
    for (auto& a : ancestors(t)) {
      if (std::find(query.tables.begin(), query.tables.end(), a) == query.tables.end()) query.tables.push_back(a);
    }
  }
  const auto columns = query.columns;
  for (const auto& c : columns) {
    for (auto& a : ancestors(c.table)) {
      ColumnRef ref{std::move(a), c.column};
      if (std::find(query.columns.begin(), query.columns.end(), ref) == query.columns.end()) {
        query.columns.push_back(std::move(ref));
      }
    }
  }
}

// Records the tables of a class no index can be built on; true when that is every one of its tables (then no
// index could help it, and planning it is left out).
bool note_not_indexable(const ClassFacts& c, const analyzer::Catalog& catalog, std::vector<NotIndexable>& tables) {
  size_t unindexable = 0;
  for (const auto& name : c.query.tables) {
    const auto* table = catalog.find_table(name);
    if (table == nullptr) continue;
    std::string reason = not_indexable_reason(*table, catalog);
    if (reason.empty()) continue;
    ++unindexable;
    std::string qualified = table->schema + "." + table->name;
    auto it = std::find_if(tables.begin(), tables.end(), [&](const NotIndexable& n) { return n.table == qualified; });
    if (it == tables.end()) it = tables.insert(tables.end(), NotIndexable{qualified, std::move(reason), {}});
    if (std::find(it->fingerprints.begin(), it->fingerprints.end(), c.query.fingerprint) == it->fingerprints.end()) {
      it->fingerprints.push_back(c.query.fingerprint);
    }
  }
  return unindexable > 0 && unindexable == c.query.tables.size();
}

// "schema.table" of each stored table in `tables`, as the catalog names it.
std::vector<std::string> qualified_names(const std::vector<analyzer::TableName>& tables,
                                         const analyzer::Catalog& catalog) {
  std::vector<std::string> out;
  for (const auto& t : tables) {
    if (const auto* info = catalog.find_table(t)) out.push_back(info->schema + "." + info->name);
  }
  return out;
}

// Whether a plan summary ("Index Scan using x on t; Bitmap Index Scan using y") names the index.
bool plan_uses(const std::string& summary, const std::string& index) {
  const std::string needle = "using " + index;
  for (size_t at = summary.find(needle); at != std::string::npos; at = summary.find(needle, at + 1)) {
    size_t end = at + needle.size();
    if (end == summary.size() || summary[end] == ' ' || summary[end] == ';') return true;
  }
  return false;
}

std::string megabytes(int64_t bytes) { return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6); }

std::string finding_evidence(const analyzer::IndexFinding& f) {
  switch (f.problem) {
    case analyzer::IndexProblem::Invalid:
      return "invalid (a failed CREATE INDEX CONCURRENTLY): maintained on every write, never used by a plan";
    case analyzer::IndexProblem::Duplicate:
      return fmt::format("same definition as {}; {} maintained twice", f.covered_by, megabytes(f.size_bytes));
    case analyzer::IndexProblem::Redundant:
      return fmt::format("its keys are a leading prefix of {}'s, which serves the same scans", f.covered_by);
    case analyzer::IndexProblem::Unused:
      return fmt::format("no scan since the statistics were reset (idx_scan = {}); {} maintained for nothing", f.scans,
                         megabytes(f.size_bytes));
  }
  return "";
}

// Existing indexes that a chosen one makes redundant: a plain btree whose keys are a strict prefix of the new
// index's, with the same predicate, that enforces nothing.
std::vector<analyzer::IndexFinding> made_redundant(const analyzer::TableInfo& table, const IndexCandidate& chosen) {
  std::vector<analyzer::IndexFinding> out;
  if (chosen.method != "btree" || !chosen.include.empty()) return out;
  std::vector<std::string> keys;
  for (const auto& k : chosen.keys) {
    if (!k.expression.empty() || k.descending) return out;
    keys.push_back(k.column);
  }
  for (const auto& x : table.indexes) {
    if (x.method != "btree" || analyzer::protected_index(x) || !x.included.empty() || !x.predicate.empty() ||
        !chosen.predicate.empty() || x.keys.size() >= keys.size() ||
        !std::equal(x.keys.begin(), x.keys.end(), keys.begin())) {
      continue;
    }
    if (!x.attached_to.empty()) continue;  // goes with its partitioned table's index
    out.push_back({analyzer::IndexProblem::Redundant, table.schema, table.name, x.name, x.definition, x.size_bytes,
                   x.scans, chosen.name(), true, table.partitioned()});
  }
  return out;
}

}  // namespace

analyzer::Workload workload_from_statements(std::span<const std::string> texts) {
  analyzer::Workload workload;
  analyzer::StatementAnalyzer analyzer;
  for (const auto& text : texts) {
    for (const auto& s : analyzer.analyze(text)) {
      std::string statement = text.substr(s.span.offset, s.span.length);
      std::string fingerprint =
          s.info.error ? analyzer::unparsed_fingerprint_hex(analyzer::unparsed_class(statement).fingerprint)
                       : analyzer::fingerprint_hex(s.info.fingerprint);
      workload.classes.push_back({fingerprint, statement, 1, 0, {statement}, {}, "queries"});
    }
  }
  return workload;
}

WorkloadClasses classes_from_workload(const analyzer::Workload& workload, const analyzer::Catalog& catalog) {
  WorkloadClasses out;
  out.window_seconds = workload.window_seconds;
  analyzer::StatementAnalyzer analyzer;
  struct Group {
    ClassFacts facts;
    std::vector<analyzer::QueryFacts> executions;
    std::string source;
  };
  std::map<uint64_t, Group> groups;
  std::vector<uint64_t> order;  // first appearance
  for (const auto& wc : workload.classes) {
    // The samples are what was executed; without them (pg_stat_statements) the normalized text stands in.
    std::vector<std::string> texts = wc.samples.empty() ? std::vector<std::string>{wc.text} : wc.samples;
    for (size_t i = 0; i < texts.size(); ++i) {
      const bool representative = i == 0;  // calls and problems are counted once per class, not per sample
      const std::string& text = texts[i];
      for (const auto& s : analyzer.analyze(text)) {
        std::string statement = text.substr(s.span.offset, s.span.length);
        if (s.info.error) {
          // An unparsed class (analyzer/unparsed_class.hpp) keeps its time in the reports, but has no facts.
          if (representative) {
            out.skipped.push_back(
                {wc.fingerprint,
                 "not analyzable: does not parse: " + s.info.error->message + " in: " + statement.substr(0, 80), true});
          }
          continue;
        }
        std::string fingerprint = analyzer::fingerprint_hex(s.info.fingerprint);
        if (!is_dml(s.info.kind)) {
          if (representative) {
            out.skipped.push_back({fingerprint, std::string("not a query an index can serve (") +
                                                    std::string(analyzer::to_string(s.info.kind)) + ")"});
          }
          continue;
        }
        auto facts = analyzer::extract_facts(statement);
        if (!facts) {
          // Parsed above, so only a statement too large to analyze; never index on a guess.
          if (representative && facts.error) {
            out.skipped.push_back({fingerprint, "not analyzable: " + facts.error->message, true});
          }
          continue;
        }
        analyzer::resolve_facts(*facts.facts, catalog);
        auto [it, inserted] = groups.try_emplace(s.info.fingerprint);
        Group& g = it->second;
        if (inserted) {
          order.push_back(s.info.fingerprint);
          g.facts.query.fingerprint = fingerprint;
          g.facts.query.text = statement;
          g.facts.query.weight = 0;
          g.facts.query.tables = stored_tables(*facts.facts, catalog);
          g.facts.query.columns = referenced_columns(*facts.facts, catalog);  // fewer planner calls (the cache)
          g.facts.query.parameters = highest_parameter(statement);
          g.facts.facts = *facts.facts;
          if (highest_parameter(wc.text) > 0) g.facts.normalized_text = wc.text;
          g.source = wc.source;
        }
        if (representative) {
          g.facts.query.weight += wc.calls;
          g.facts.total_ms += wc.total_ms;
        }
        auto& samples = g.facts.samples;
        if (!wc.samples.empty() && samples.size() < kMaxSamplesPerClass &&
            std::find(samples.begin(), samples.end(), statement) == samples.end()) {
          samples.push_back(statement);
        }
        if (representative) {
          for (const auto& set : wc.parameter_sets) {
            if (g.facts.parameter_sets.size() < kMaxSamplesPerClass) g.facts.parameter_sets.push_back(set);
          }
        }
        g.executions.push_back(std::move(*facts.facts));
      }
    }
  }
  for (uint64_t fp : order) {
    auto& g = groups.at(fp);
    if (note_not_indexable(g.facts, catalog, out.not_indexable)) {
      std::string tables;
      for (const auto& t : g.facts.query.tables) tables += (tables.empty() ? "" : ", ") + t.to_string();
      out.skipped.push_back({g.facts.query.fingerprint, "no index can be built on any table it reads or writes (" +
                                                            tables + "): see the tables not indexable"});
      continue;
    }
    add_partitioned_ancestors(g.facts.query, catalog);
    g.facts.stable_constants = analyzer::stable_constant_predicates(g.executions);
    choose_executions(g.facts, catalog);
    out.classes.push_back(std::move(g.facts));
  }
  return out;
}

WorkloadClasses classes_from_statements(std::span<const std::string> statements, const analyzer::Catalog& catalog) {
  return classes_from_workload(workload_from_statements(statements), catalog);
}

double index_write_overhead(std::span<const ClassFacts> classes, const analyzer::Catalog& catalog,
                            const IndexCandidate& index, double cost_per_row) {
  double rows = 0;
  for (const auto& w : index_writes(classes, catalog, index)) rows += w.rows;
  return rows * cost_per_row;
}

namespace {

// `index` of `table` and, for a partitioned table's index, the indexes of its partitions attached to it at any
// depth: the names plans show it by.
std::vector<std::string> attached_names(const analyzer::TableInfo& table, const std::string& index,
                                        const analyzer::Catalog& catalog) {
  std::vector<std::string> names{index};
  if (!table.partitioned()) return names;
  // Pre-order: each partition's parent comes before it, so its attached index is known when its own are looked at.
  std::set<std::pair<std::string, std::string>> attached{{table.schema, index}};  // (schema, index name)
  for (const auto* partition : catalog.all_partitions(table)) {
    const auto* parent = catalog.parent(*partition);
    if (parent == nullptr) continue;
    for (const auto& x : partition->indexes) {
      if (!x.attached_to.empty() && attached.contains({parent->schema, x.attached_to})) {
        attached.insert({partition->schema, x.name});
        names.push_back(x.name);
      }
    }
  }
  return names;
}

// Whether `index`, on a partition, is served by another advised index on a partitioned table above it: that one
// builds an index on every partition (advice.sql), so this one would be a second copy. Served: the same method and
// predicate, its keys a leading prefix of the other's, its INCLUDE columns among the other's columns.
bool served_by_advised_ancestor(const IndexCandidate& index, const Configuration& chosen,
                                const analyzer::Catalog& catalog) {
  const auto* table = catalog.find_table(index.table);
  if (table == nullptr) return false;
  for (const auto& other : chosen) {
    const auto* above = catalog.find_table(other.table);
    bool is_above = false;
    size_t steps = 0;  // a partition tree is acyclic in PostgreSQL; a hand-made catalog is not trusted to be
    for (const auto* at = catalog.parent(*table); at != nullptr && !is_above && steps <= catalog.tables().size();
         at = catalog.parent(*at), ++steps) {
      is_above = at == above;
    }
    if (!is_above) continue;
    IndexCandidate moved = index;  // the same keys, on the table above
    moved.table = other.table;
    auto among_columns = [&](const std::string& c) {
      return std::find(other.include.begin(), other.include.end(), c) != other.include.end() ||
             std::any_of(other.keys.begin(), other.keys.end(),
                         [&](const IndexKey& k) { return k.expression.empty() && k.column == c; });
    };
    if (moved.is_prefix_of(other) && std::all_of(index.include.begin(), index.include.end(), among_columns)) {
      return true;
    }
  }
  return false;
}

// Why the options leave class `c` out before any planner call (its tables, calls, time); empty when they keep it.
std::string unplanned_filter_reason(const ClassFacts& c, const analyzer::Catalog& catalog,
                                    const AdviceOptions& options) {
  const auto& tables = options.candidates.tables;
  const auto& q = c.query;
  if (!tables.empty() && !q.tables.empty() &&
      std::none_of(q.tables.begin(), q.tables.end(), [&](const auto& t) { return tables.allows(t.schema, t.name); })) {
    std::string names;
    for (const auto& n : qualified_names(q.tables, catalog)) names += (names.empty() ? "" : ", ") + n;
    return fmt::format("left out: it touches only tables that may not get indexes ({})", names);
  }
  const auto& f = options.classes;
  if (q.weight < f.min_calls) {
    return fmt::format("left out: {:g} call(s), fewer than the minimum of {:g}", q.weight, f.min_calls);
  }
  if (c.total_ms > 0 && c.total_ms < f.min_total_ms) {
    return fmt::format("left out: {:.3f} ms in all its calls, less than the minimum of {:g} ms", c.total_ms,
                       f.min_total_ms);
  }
  return {};
}

// The classes the options keep; the others go to `filtered` with the reason. The minimum cost asks the planner
// (through the cache, so the selection's own request for the same cost is answered from it); a class it cannot
// plan is kept, for the selection to report as unplanned.
WorkloadClasses kept_classes(const WorkloadClasses& workload, const analyzer::Catalog& catalog,
                             const AdviceOptions& options, WhatIfModel& cache, std::vector<UnplannedQuery>& filtered) {
  WorkloadClasses out;
  out.skipped = workload.skipped;
  out.not_indexable = workload.not_indexable;
  out.window_seconds = workload.window_seconds;
  for (const auto& c : workload.classes) {
    std::string reason = unplanned_filter_reason(c, catalog, options);
    if (reason.empty() && options.classes.min_cost > 0) {
      try {
        double cost = cache.cost(c.query, {});
        if (cost < options.classes.min_cost) {
          reason = fmt::format("left out: estimated cost {:.1f} per execution, below the minimum of {:g}", cost,
                               options.classes.min_cost);
        }
      } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): kept; the selection reports it unplanned
      }
    }
    if (reason.empty()) {
      out.classes.push_back(c);
    } else {
      filtered.push_back({c.query.fingerprint, std::move(reason)});
    }
  }
  return out;
}

// Drops from the catalog's findings and the chosen indexes, each checked against the workload's plans. Tables the
// filter refuses get no advice at all, drops included.
std::vector<DropAdvice> drop_advice(const WorkloadClasses& workload, const analyzer::Catalog& catalog,
                                    WhatIfModel& model, const Configuration& chosen, const TableFilter& tables) {
  std::vector<DropAdvice> drops;
  std::map<std::string, std::string> plans_after;  // fingerprint -> plan summary with the chosen indexes
  auto plan_after = [&](const ClassFacts& c) -> const std::string& {
    auto it = plans_after.find(c.query.fingerprint);
    if (it == plans_after.end()) {
      std::string summary;
      try {
        summary = model.explain(c.query, chosen).summary;
      } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): reported as unplanned already
      }
      it = plans_after.emplace(c.query.fingerprint, std::move(summary)).first;
    }
    return it->second;
  };
  for (const auto& table : catalog.tables()) {
    if (!tables.allows(table.schema, table.name)) continue;
    auto findings = analyzer::index_findings(table, {});
    for (const auto& index : chosen) {
      if (index.table.name != table.name || index.table.schema != table.schema) continue;
      for (auto& f : made_redundant(table, index)) {
        bool known = std::any_of(findings.begin(), findings.end(), [&](const auto& g) { return g.index == f.index; });
        if (!known) findings.push_back(std::move(f));
      }
    }
    for (auto& f : findings) {
      if (!f.droppable) continue;
      // What the workload's own plans (with the advice applied) say about the index.
      size_t users = 0;
      size_t readers = 0;
      // Plans name a partitioned table's index by its partitions' indexes.
      const auto names = attached_names(table, f.index, catalog);
      for (const auto& c : workload.classes) {
        analyzer::TableName name{table.schema, table.name, false};
        if (std::find(c.query.tables.begin(), c.query.tables.end(), name) == c.query.tables.end()) continue;
        ++readers;
        const auto& plan = plan_after(c);
        if (std::any_of(names.begin(), names.end(), [&](const std::string& n) { return plan_uses(plan, n); })) ++users;
      }
      // Statistics say unused but the planner would pick it for this workload: keep it.
      if (users > 0 && f.problem == analyzer::IndexProblem::Unused) continue;
      std::string evidence = finding_evidence(f);
      if (f.problem == analyzer::IndexProblem::Redundant && !f.covered_by.empty() &&
          std::any_of(chosen.begin(), chosen.end(),
                      [&](const IndexCandidate& c) { return c.name() == f.covered_by; })) {
        evidence = fmt::format("redundant once the advised {} exists: its keys are a leading prefix", f.covered_by);
      }
      evidence += users > 0 ? fmt::format("; the plans of {} of the workload's {} class(es) on {} still use it", users,
                                          readers, table.name)
                            : fmt::format("; none of the workload's {} class(es) on {} uses it", readers, table.name);
      drops.push_back({std::move(f), std::move(evidence)});
    }
  }
  return drops;
}

}  // namespace

std::vector<PartitionIndex> partition_indexes(const analyzer::TableName& table, const analyzer::Catalog& catalog) {
  std::vector<PartitionIndex> out;
  const auto* info = catalog.find_table(table);
  if (info == nullptr || !info->partitioned()) return out;
  auto visit = [&](auto& self, const analyzer::TableInfo& at, int parent, size_t depth) -> void {
    if (depth > catalog.tables().size()) return;  // acyclic in PostgreSQL; a hand-made catalog is not trusted
    for (const auto* partition : catalog.partitions(at)) {
      // A foreign partition takes no index; candidate generation leaves such trees out (not_indexable_reason).
      if (partition->foreign()) continue;
      out.push_back({partition->table_name(), "", parent, partition->partitioned()});
      if (partition->partitioned()) self(self, *partition, static_cast<int>(out.size() - 1), depth + 1);
    }
  };
  visit(visit, *info, -1, 0);
  return out;
}

Advice advise(const WorkloadClasses& requested, const analyzer::Catalog& catalog, WhatIfModel& model,
              const AdviceOptions& options) {
  Advice advice;
  CachingWhatIfModel cache(model);  // every cost and plan below goes through it, so its counts are the advice's
  const WorkloadClasses workload = kept_classes(requested, catalog, options, cache, advice.filtered);
  advice.classes = workload.classes.size();
  advice.unplanned = workload.skipped;
  auto candidates = generate_candidates(workload.classes, catalog, options.candidates);
  advice.candidates = candidates.size();

  std::vector<WorkloadQuery> queries;
  for (const auto& c : workload.classes) queries.push_back(c.query);
  auto size = [&](const IndexCandidate& c) { return cache.estimated_size(c); };
  auto overhead = [&](const IndexCandidate& index) {
    return index_write_overhead(workload.classes, catalog, index, options.index_maintenance_cost);
  };
  auto selection = select_indexes(queries, candidates, cache, size, overhead, options.selection);
  advice.unplanned.insert(advice.unplanned.end(), selection.unplanned.begin(), selection.unplanned.end());
  advice.cost_before = selection.cost_before;
  advice.cost_after = selection.cost_after;
  advice.selection = selection.method;

  // An index on a partition that an advised index on a partitioned table above it serves is built by that one.
  {
    Configuration chosen;
    for (const auto& c : selection.chosen) chosen.push_back(c.index);
    std::erase_if(selection.chosen,
                  [&](const ChosenIndex& c) { return served_by_advised_ancestor(c.index, chosen, catalog); });
  }
  // Names free in their schema before anything shows them (the plans below name the indexes too), the indexes
  // advice.sql builds on partitions included.
  std::vector<std::vector<PartitionIndex>> partitions;
  {
    Configuration named;
    for (const auto& c : selection.chosen) {
      named.push_back(c.index);
      partitions.push_back(partition_indexes(c.index.table, catalog));
      for (const auto& p : partitions.back()) {
        IndexCandidate on_partition = c.index;
        on_partition.table = p.table;
        named.push_back(std::move(on_partition));
      }
    }
    auto names = unique_index_names(named, catalog);
    size_t at = 0;
    for (size_t i = 0; i < selection.chosen.size(); ++i) {
      selection.chosen[i].index.assigned_name = names[at++];
      for (auto& p : partitions[i]) p.name = names[at++];
    }
  }
  Configuration all;
  for (const auto& chosen : selection.chosen) all.push_back(chosen.index);
  std::set<std::string> unplanned;
  for (const auto& u : selection.unplanned) unplanned.insert(u.fingerprint);
  for (size_t i = 0; i < selection.chosen.size(); ++i) {
    const auto& chosen = selection.chosen[i];
    IndexAdvice index{chosen.index, chosen.size_bytes, chosen.write_overhead, {}};
    const auto* table = catalog.find_table(chosen.index.table);
    index.on_partitioned_table = table != nullptr && table->partitioned();
    index.partitions = std::move(partitions[i]);
    Configuration others;
    for (const auto& c : all) {
      if (!(c == chosen.index)) others.push_back(c);
    }
    // The classes it serves, with the costs the selection compared (answered by the cache); plans, which name the
    // indexes and so are planner calls of their own, only for those it saves most: 100 indexes serving 100
    // classes each would otherwise ask 20,000.
    std::vector<const WorkloadQuery*> served_queries;
    for (const auto& q : queries) {
      if (!CachingCostModel::is_relevant(q, chosen.index) || unplanned.contains(q.fingerprint)) continue;
      double before = cache.cost(q, others);
      double after = cache.cost(q, all);
      if (after < before) {
        index.queries.push_back({q.fingerprint, q.weight, before, after, "", "", planned_values(q)});
        served_queries.push_back(&q);
      }
    }
    std::vector<size_t> order(index.queries.size());
    std::iota(order.begin(), order.end(), size_t{0});
    auto saving = [&](size_t at) {
      return index.queries[at].weight * (index.queries[at].cost_before - index.queries[at].cost_after);
    };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return saving(a) > saving(b); });
    std::vector<QueryEvidence> sorted;
    for (size_t k = 0; k < order.size(); ++k) {
      sorted.push_back(std::move(index.queries[order[k]]));
      if (k < kPlannedQueriesPerIndex) {
        sorted.back().plan_before = cache.explain(*served_queries[order[k]], others).summary;
        sorted.back().plan_after = cache.explain(*served_queries[order[k]], all).summary;
      }
    }
    index.queries = std::move(sorted);
    std::vector<const ClassFacts*> served;
    for (const auto& q : index.queries) {
      auto it = std::find_if(workload.classes.begin(), workload.classes.end(),
                             [&](const ClassFacts& c) { return c.query.fingerprint == q.fingerprint; });
      if (it != workload.classes.end()) served.push_back(&*it);
    }
    index.rationale = explain_index(chosen.index, served, workload.classes, catalog, options.candidates,
                                    options.index_maintenance_cost);
    advice.indexes.push_back(std::move(index));
  }
  advice.drops = drop_advice(workload, catalog, cache, all, options.candidates.tables);
  advice.not_indexable = workload.not_indexable;
  advice.refused_candidates = cache.refused();
  // Per class: every answer here was already asked for by the selection.
  for (const auto& c : workload.classes) {
    AdvisedClass out{c.query.fingerprint,
                     c.query.text,
                     std::string(analyzer::to_string(c.facts.kind)),
                     c.query.weight,
                     qualified_names(c.facts.tables_read, catalog),
                     qualified_names(c.facts.tables_written, catalog),
                     c.samples,
                     c.parameter_sets,
                     cache.source(c.query),
                     cache.fallback_reason(c.query)};
    out.planned = std::none_of(advice.unplanned.begin(), advice.unplanned.end(),
                               [&](const UnplannedQuery& u) { return u.fingerprint == c.query.fingerprint; });
    if (out.planned) {
      out.cost_before = cache.cost(c.query, {});
      out.cost_after = cache.cost(c.query, all);
    }
    advice.classes_advised.push_back(std::move(out));
  }
  if (options.views.enabled) {
    std::vector<double> cost_with_indexes;
    for (const auto& c : advice.classes_advised) cost_with_indexes.push_back(c.planned ? c.cost_after : 0);
    std::vector<analyzer::TableName> index_names;  // the views' names must not take theirs
    for (const auto& index : advice.indexes) {
      const auto* table = catalog.find_table(index.index.table);  // as unique_index_names reads the schema
      index_names.push_back({table != nullptr ? table->schema : index.index.table.schema, index.index.name()});
      for (const auto& p : index.partitions) index_names.push_back({p.table.schema, p.name});
    }
    auto view_options = options.views;
    view_options.workload_seconds = workload.window_seconds;
    auto views = advise_views(workload.classes, cost_with_indexes, catalog, cache, view_options, index_names);
    advice.views = std::move(views.views);
    advice.refused_views = std::move(views.refused);
  }
  advice.requests = cache.stats();
  return advice;
}

}  // namespace pgadvisor::advisor
