// Materialized-view advice: aggregate classes → view designs (analyzer/aggregate_view.hpp), shared where classes
// need the same view, estimated on the source, refused with the reason where a view would not pay.
#include "advisor/view_advice.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "advisor/index_names.hpp"
#include "analyzer/aggregate_view.hpp"
#include "pg/quote.hpp"

namespace pgadvisor::advisor {
namespace {

bool aggregates(const ClassFacts& c) {
  if (c.facts.kind != analyzer::StatementKind::Select || c.facts.blocks.empty()) return false;
  const auto& block = c.facts.blocks.front();
  return !block.aggregates.empty() || !block.group_by.empty();
}

// The class's executions as the view designer wants them: its $n text with the logged values, else its samples.
analyzer::ClassExecutions executions_of(const ClassFacts& c) {
  analyzer::ClassExecutions executions;
  if (c.query.parameters > 0 && !c.parameter_sets.empty()) {
    executions.queries.push_back(analyzer::parse_aggregate_query(c.query.text));
    executions.parameter_sets = c.parameter_sets;
  } else if (!c.samples.empty()) {
    for (const auto& sample : c.samples) executions.queries.push_back(analyzer::parse_aggregate_query(sample));
  } else {
    executions.queries.push_back(analyzer::parse_aggregate_query(c.query.text));
  }
  return executions;
}

// Relation names taken in each schema ("schema\0name"): the catalog's tables, views and indexes, the advised
// indexes', and (as they are chosen) the views' and theirs.
class TakenNames {
 public:
  TakenNames(const analyzer::Catalog& catalog, std::span<const analyzer::TableName> taken) : catalog_(catalog) {
    for (const auto& t : catalog.tables()) {
      names_.insert(key(t.schema, t.name));
      for (const auto& index : t.indexes) names_.insert(key(t.schema, index.name));
    }
    for (const auto& t : taken) names_.insert(key(t.schema, t.name));
  }

  //! `stem` + `suffix` within 63 bytes, else with "_2", "_3"… before the suffix: free in `schema`, and taken from now.
  std::string take(const std::string& schema, const std::string& stem, const std::string& suffix) {
    std::string name = truncate_utf8(stem, kMaxNameBytes - suffix.size()) + suffix;
    for (int i = 2; taken(schema, name); ++i) {
      const std::string numbered = fmt::format("_{}{}", i, suffix);
      name = truncate_utf8(stem, kMaxNameBytes - numbered.size()) + numbered;
    }
    names_.insert(key(schema, name));
    return name;
  }

 private:
  static std::string key(const std::string& schema, const std::string& name) { return schema + '\0' + name; }
  bool taken(const std::string& schema, const std::string& name) const {
    const analyzer::TableName t{schema, name};
    return names_.contains(key(schema, name)) || catalog_.find_view(t) != nullptr || catalog_.find_table(t) != nullptr;
  }

  const analyzer::Catalog& catalog_;
  std::set<std::string> names_;
};

// "<table>_<key>_mv", and its indexes "<view>_key" (unique) and "<view>_filter_idx", each free in the schema.
void name_view(ViewAdvice& view, const std::string& table, TakenNames& taken) {
  std::string stem = table;
  for (const auto& column : view.unique_key) stem += "_" + column;
  view.name = taken.take(view.schema, stem, "_mv");
  if (!view.unique_key.empty()) view.unique_index = taken.take(view.schema, view.name, "_key");
  if (filter_index_needed(view.filter_columns, view.unique_key)) {
    view.filter_index = taken.take(view.schema, view.name, "_filter_idx");
  }
}

// Seconds since the epoch of a pg_stats bound of a date or timestamp column ("2026-09-28 19:43:24.12+00"; the zone is
// ignored: an estimate within a bucket is all that is asked).
std::optional<double> epoch_seconds(const std::string& text) {
  static const std::regex timestamp(R"(^(-?\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?))?)");
  std::smatch m;
  if (!std::regex_search(text, m, timestamp)) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{std::stoi(m[1].str())},
                                         std::chrono::month{static_cast<unsigned>(std::stoi(m[2].str()))},
                                         std::chrono::day{static_cast<unsigned>(std::stoi(m[3].str()))}};
  if (!date.ok()) return std::nullopt;
  double seconds = static_cast<double>(std::chrono::sys_days{date}.time_since_epoch().count()) * 86400;
  if (m[4].matched) seconds += std::stod(m[4].str()) * 3600 + std::stod(m[5].str()) * 60 + std::stod(m[6].str());
  return seconds;
}

// The statistics of a column named as the query writes it (`o.created_at`, `created_at`): the one table read that
// has a column of that name.
const analyzer::ColumnInfo* column_of(const std::string& written, const ClassFacts& c, const analyzer::Catalog& catalog,
                                      double& table_rows) {
  std::string name = written.substr(written.rfind('.') == std::string::npos ? 0 : written.rfind('.') + 1);
  if (name.empty() || name.front() == '"') return nullptr;  // a quoted name: not worth unquoting for an estimate
  const analyzer::ColumnInfo* found = nullptr;
  for (const auto& t : c.facts.tables_read) {
    const auto* table = catalog.find_table(t);
    const auto* column = table != nullptr ? table->find_column(name) : nullptr;
    if (column == nullptr) continue;
    if (found != nullptr) return nullptr;  // several tables have it
    found = column;
    table_rows = table->reltuples;
  }
  return found;
}

// How many rows the view's grouping makes, by its keys' statistics: a date_trunc bucket of a column spans its
// histogram's first to last bound in units; a plain column has its n_distinct. The product, at most the rows of
// the base table. nullopt when a key has no statistics. (The planner estimates a GROUP BY over an expression from
// the column's own distinct values: for a day's bucket of a timestamp, nearly one group per row.)
std::optional<double> grouping_rows(const analyzer::ViewDesign& design, const ClassFacts& c,
                                    const analyzer::Catalog& catalog, double base_rows) {
  static const std::regex bucket(R"(^date_trunc\('([a-z]+)', (.+)\)$)");
  static const std::map<std::string, double, std::less<>> unit_seconds = {
      {"second", 1},    {"minute", 60},     {"hour", 3600},       {"day", 86400},
      {"week", 604800}, {"month", 2629746}, {"quarter", 7889238}, {"year", 31556952}};
  double product = 1;
  for (const auto& key : design.key_expressions) {
    std::smatch m;
    double table_rows = 0;
    if (std::regex_match(key, m, bucket)) {
      const auto* column = column_of(m[2].str(), c, catalog, table_rows);
      const auto unit = unit_seconds.find(m[1].str());
      if (column == nullptr || !column->statistics || unit == unit_seconds.end() ||
          column->statistics->histogram_bounds.size() < 2) {
        return std::nullopt;
      }
      const auto first = epoch_seconds(column->statistics->histogram_bounds.front());
      const auto last = epoch_seconds(column->statistics->histogram_bounds.back());
      if (!first || !last) return std::nullopt;
      product *= std::floor(std::abs(*last - *first) / unit->second) + 1;
    } else {
      const auto* column = column_of(key, c, catalog, table_rows);
      if (column == nullptr || !column->statistics) return std::nullopt;
      const double distinct = column->statistics->n_distinct;
      product *= distinct >= 0 ? std::max(distinct, 1.0) : -distinct * table_rows;
    }
  }
  return std::min(product, std::max(base_rows, 1.0));
}

struct Candidate {
  analyzer::ViewDesign design;
  std::vector<size_t> classes;  // positions in the workload, answered one row for one row
  //! Classes answered by grouping the view's rows again (analyzer::rewrite_rolled_up), with their own designs.
  std::vector<std::pair<size_t, analyzer::ViewDesign>> rolled_up;
};

// Whether `view` answers every execution of `coarser`'s classes by rolling its rows up.
bool answers_rolled_up(const analyzer::ViewDesign& view, const Candidate& coarser,
                       std::span<const ClassFacts> classes) {
  for (size_t i : coarser.classes) {
    for (const auto& execution : executions_of(classes[i]).queries) {
      if (analyzer::rewrite_rolled_up(execution, coarser.design, view, "v").empty()) return false;
    }
  }
  return true;
}

// A candidate whose every execution a finer candidate's view answers, rolled up, is served by that view: one view
// and one refresh instead of two. Finer views (more keys) are tried first.
std::vector<Candidate> share_finer_views(std::vector<Candidate> candidates, std::span<const ClassFacts> classes) {
  std::ranges::stable_sort(candidates, std::greater{}, [](const Candidate& c) { return c.design.unique_key.size(); });
  std::vector<Candidate> kept;
  for (auto& candidate : candidates) {
    auto finer =
        std::ranges::find_if(kept, [&](const Candidate& k) { return answers_rolled_up(k.design, candidate, classes); });
    if (finer == kept.end()) {
      kept.push_back(std::move(candidate));
      continue;
    }
    for (size_t i : candidate.classes) finer->rolled_up.emplace_back(i, candidate.design);
  }
  return kept;
}

}  // namespace

bool filter_index_needed(std::span<const std::string> filter_columns, std::span<const std::string> unique_key) {
  if (filter_columns.empty()) return false;
  if (filter_columns.size() > unique_key.size()) return true;
  const std::set<std::string> filters(filter_columns.begin(), filter_columns.end());
  const std::set<std::string> leading(unique_key.begin(),
                                      unique_key.begin() + static_cast<std::ptrdiff_t>(filter_columns.size()));
  return filters != leading;
}

double estimate_view_read(double rows, double width) {
  constexpr double kRandomPage = 4.0;
  constexpr double kTuple = 0.01;
  constexpr double kIndexTuple = 0.005;
  constexpr double kPageBytes = 8192;
  constexpr double kTupleOverhead = 28;  // heap tuple header and line pointer
  const double rows_per_page = std::max(1.0, std::floor(kPageBytes / (width + kTupleOverhead)));
  const double pages = std::ceil(std::max(rows, 1.0) / rows_per_page);
  return kRandomPage * (2 + pages) + std::max(rows, 1.0) * (kTuple + kIndexTuple);
}

ViewAdviceResult advise_views(std::span<const ClassFacts> classes, std::span<const double> cost_with_indexes,
                              const analyzer::Catalog& catalog, WhatIfModel& model, const ViewOptions& options,
                              std::span<const analyzer::TableName> taken_names) {
  ViewAdviceResult result;
  auto refuse = [&](const ClassFacts& c, std::string reason) {
    result.refused.push_back(RefusedView{c.query.fingerprint, c.query.text, std::move(reason)});
  };

  // Designs, one per distinct view query: classes that need the same view share it.
  std::vector<Candidate> candidates;
  std::map<std::string, size_t> by_select;
  for (size_t i = 0; i < classes.size(); ++i) {
    const ClassFacts& c = classes[i];
    if (!aggregates(c)) continue;
    auto design = analyzer::design_view(executions_of(c));
    if (!design.refusal.empty()) {
      refuse(c, design.refusal);
      continue;
    }
    auto [at, inserted] = by_select.emplace(design.select, candidates.size());
    if (inserted) candidates.push_back(Candidate{std::move(design), {}, {}});
    candidates[at->second].classes.push_back(i);
  }

  candidates = share_finer_views(std::move(candidates), classes);

  TakenNames taken(catalog, taken_names);
  for (size_t n = 0; n < candidates.size(); ++n) {  // refuse_all may append candidates
    const Candidate candidate = candidates[n];
    const ClassFacts& first = classes[candidate.classes.front()];
    // The view is refused for the classes it was designed for; those it would have served rolled up get their own.
    auto refuse_all = [&](const std::string& reason) {
      for (size_t i : candidate.classes) refuse(classes[i], reason);
      std::map<std::string, size_t> own;
      for (const auto& [i, design] : candidate.rolled_up) {
        auto [at, inserted] = own.emplace(design.select, candidates.size());
        if (inserted) candidates.push_back(Candidate{design, {}, {}});
        candidates[at->second].classes.push_back(i);
      }
    };
    ViewAdvice view;
    double base_rows = 0;
    const analyzer::TableInfo* largest = nullptr;
    for (const auto& t : first.facts.tables_read) {
      const auto* info = catalog.find_table(t);
      if (info == nullptr) continue;
      view.base_tables.push_back(info->schema + "." + info->name);
      if (largest == nullptr || info->reltuples > base_rows) {
        largest = info;
        base_rows = info->reltuples;
      }
    }
    if (largest == nullptr) {
      refuse_all("its tables are not in the catalog");
      continue;
    }
    view.base_rows = base_rows;
    if (base_rows < options.min_base_rows) {
      refuse_all(fmt::format("its largest table, {}.{}, holds about {:.0f} rows: too few for a view to matter",
                             largest->schema, largest->name, base_rows));
      continue;
    }
    auto estimate = model.estimate(candidate.design.select);
    if (!estimate) {
      refuse_all("the view's query could not be planned on the source");
      continue;
    }
    if (auto rows = grouping_rows(candidate.design, first, catalog, base_rows)) {
      estimate->rows = std::min(estimate->rows, *rows);
    }
    if (estimate->rows > options.max_view_share * base_rows) {
      refuse_all(
          fmt::format("the view would keep about {:.0f} rows, {:.0f}% of {}.{}'s {:.0f}: reading it would "
                      "save too little",
                      estimate->rows, 100 * estimate->rows / base_rows, largest->schema, largest->name, base_rows));
      continue;
    }
    view.schema = largest->schema;
    view.select = candidate.design.select;
    view.columns = candidate.design.columns;
    view.unique_key = candidate.design.unique_key;
    view.filter_columns = candidate.design.filter_columns;
    name_view(view, largest->name, taken);
    const std::string qualified = pg::quote_qualified(view.schema, view.name);
    view.estimated_rows = estimate->rows;
    view.estimated_bytes = static_cast<int64_t>(estimate->rows * (estimate->width + 28));
    view.refresh_cost = estimate->cost;

    // Every class the view would serve: those it was designed for, then those it answers rolled up. A class it
    // does not save enough on is refused alone; the view stands while it serves one.
    std::vector<std::pair<size_t, const analyzer::ViewDesign*>> servable;
    for (size_t i : candidate.classes) servable.emplace_back(i, nullptr);
    for (const auto& [i, design] : candidate.rolled_up) servable.emplace_back(i, &design);
    double reads = 0;
    for (const auto& entry : servable) {
      const size_t i = entry.first;  // not a structured binding: the lambda below captures them (clang 14 cannot)
      const analyzer::ViewDesign* own = entry.second;
      const ClassFacts& c = classes[i];
      auto rewrite = [&](const std::string& statement) {
        const auto execution = analyzer::parse_aggregate_query(statement);
        return own == nullptr ? analyzer::rewrite_for_view(execution, candidate.design, qualified)
                              : analyzer::rewrite_rolled_up(execution, *own, candidate.design, qualified);
      };
      ViewClass served;
      served.fingerprint = c.query.fingerprint;
      served.text = c.query.text;
      served.calls = c.query.weight;
      served.parameter_sets = c.parameter_sets;
      served.rewritten = rewrite(c.query.text);
      for (const auto& sample : c.samples) {
        if (served.samples.size() >= 5) break;
        auto rewritten = rewrite(sample);
        if (rewritten.empty()) continue;
        served.samples.push_back(sample);
        served.rewritten_samples.push_back(std::move(rewritten));
      }
      if (served.rewritten.empty() && served.samples.empty()) {
        refuse(c, "the class's executions do not fit one view");
        continue;
      }
      // Rows one execution reads from the view: what the query returns (its first sample's estimate), else all; never
      // more than the view holds (the planner estimates about a group per row of the base table). Rolled up, it
      // reads more rows than it returns: all of them, at most.
      double rows = estimate->rows;
      if (own == nullptr && !c.samples.empty() && c.query.parameters == 0) {
        if (auto sample = model.estimate(c.samples.front())) rows = std::min(sample->rows, estimate->rows);
      }
      served.cost_before = i < cost_with_indexes.size() ? cost_with_indexes[i] : 0;
      served.cost_after = estimate_view_read(rows, estimate->width);
      if (served.cost_before < options.min_saving_ratio * served.cost_after) {
        refuse(c, fmt::format("reading the view would cost about {:.1f} against {:.1f} with the advised indexes: too "
                              "little saving",
                              served.cost_after, served.cost_before));
        continue;
      }
      view.saving += served.calls * (served.cost_before - served.cost_after);
      reads += served.calls;
      view.classes.push_back(std::move(served));
    }
    if (view.classes.empty()) continue;  // each class refused with its reason
    const std::set<std::string> bases(view.base_tables.begin(), view.base_tables.end());
    for (const auto& c : classes) {
      if (std::ranges::any_of(c.facts.tables_written, [&](const analyzer::TableName& t) {
            const auto* info = catalog.find_table(t);
            return info != nullptr && bases.contains(info->schema + "." + info->name);
          })) {
        view.base_writes += c.query.weight;
      }
    }
    // Refresh when the view has saved four times what a refresh costs; without writes, never (the build, like an
    // index's, is a one-off cost reported apart). The writes between two refreshes follow from the writes per
    // execution served, so a workload shorter than one refresh interval is extrapolated, not capped.
    const double saving_per_call = view.saving / std::max(reads, 1.0);
    view.refresh_every_calls = std::ceil(4 * view.refresh_cost / std::max(saving_per_call, 1e-9));
    const double refreshes = view.base_writes > 0 ? reads / view.refresh_every_calls : 0.0;
    view.stale_writes = view.base_writes * view.refresh_every_calls / std::max(reads, 1.0);
    if (view.stale_writes > options.max_stale_share * base_rows) {
      refuse_all(fmt::format(
          "its base tables take about {:.0f} writes between two refreshes (one every {:.0f} "
          "executions, for refreshes to cost a quarter of what the view saves), more than "
          "{:.0f}% of {}.{}'s rows: too stale, or refreshed at a loss",
          view.stale_writes, view.refresh_every_calls, 100 * options.max_stale_share, largest->schema, largest->name));
      continue;
    }
    view.net_saving = view.saving - refreshes * view.refresh_cost;
    if (options.workload_seconds > 0 && reads > 0) {
      view.refresh_every_seconds = view.refresh_every_calls * options.workload_seconds / reads;
      view.net_saving_per_hour = view.net_saving * 3600 / options.workload_seconds;
    }
    result.views.push_back(std::move(view));
  }
  std::ranges::sort(result.views, [](const ViewAdvice& a, const ViewAdvice& b) { return a.net_saving > b.net_saving; });
  return result;
}

}  // namespace pgadvisor::advisor
