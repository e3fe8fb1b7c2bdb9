// A what-if model without a server, for advise() tests: a query class's cost is a deterministic function of the
// configuration, scripted per class (a base cost, and what an index saves it), with index sizes, refusals and
// planning failures; it counts every request, so tests can assert which indexes are chosen and how many planner
// calls the advice made. Also a hand-built catalog and workload to advise on (no server either).
//
//   FakeWhatIfModel fake;
//   fake.base_cost("SELECT * FROM orders WHERE customer_id = 1", 1000)
//       .saves("SELECT * FROM orders WHERE customer_id = 1", "orders(customer_id)", 990)
//       .size("orders(customer_id)", 2'000'000);
//
// A statement stands for its query class (any statement of the class, its constants aside). An index spec is
// `[schema.]table(key, …) [INCLUDE (column, …)] [WHERE predicate]`; keys are column names or expression texts as
// the candidates spell them ("lower(email)").
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "advisor/advice.hpp"
#include "advisor/what_if_model.hpp"
#include "analyzer/catalog.hpp"

namespace pgadvisor::test {

//! Indexes described by a spec (see above). `saves` rules match by leading keys, sizes and refusals exactly.
class IndexSpec {
 public:
  IndexSpec(const char* spec) : IndexSpec(std::string(spec)) {}  // NOLINT(google-explicit-constructor): a literal
  IndexSpec(const std::string& spec) {                           // NOLINT(google-explicit-constructor)
    auto open = spec.find('(');
    if (open == std::string::npos) throw std::invalid_argument("index spec without keys: " + spec);
    auto table = trim(spec.substr(0, open));
    if (auto dot = table.find('.'); dot != std::string::npos) {
      schema_ = table.substr(0, dot);
      table = table.substr(dot + 1);
    }
    table_ = table;
    // An expression key holds parentheses of its own: the key list ends at the matching one.
    size_t close = open;
    for (int depth = 0; close < spec.size(); ++close) {
      depth += spec[close] == '(' ? 1 : spec[close] == ')' ? -1 : 0;
      if (depth == 0) break;
    }
    if (close == spec.size()) throw std::invalid_argument("index spec without its ')': " + spec);
    keys_ = split(spec.substr(open + 1, close - open - 1));
    std::string rest = trim(spec.substr(std::min(close + 1, spec.size())));
    if (rest.rfind("INCLUDE", 0) == 0) {
      auto end = rest.find(')');
      include_ = split(rest.substr(rest.find('(') + 1, end - rest.find('(') - 1));
      rest = trim(rest.substr(end + 1));
    }
    if (rest.rfind("WHERE ", 0) == 0) predicate_ = trim(rest.substr(6));
  }

  //! On its table, with its keys leading, its INCLUDE columns among the index's, and its predicate (or none).
  bool serves(const advisor::IndexCandidate& index) const {
    if (!on_table(index) || index.keys.size() < keys_.size() || index.predicate != predicate_) return false;
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (key_text(index.keys[i]) != keys_[i]) return false;
    }
    return std::all_of(include_.begin(), include_.end(), [&](const std::string& c) {
      return std::find(index.include.begin(), index.include.end(), c) != index.include.end();
    });
  }
  //! Exactly this index.
  bool is(const advisor::IndexCandidate& index) const {
    return serves(index) && index.keys.size() == keys_.size() && index.include.size() == include_.size();
  }

 private:
  static std::string trim(std::string s) {
    auto first = s.find_first_not_of(' ');
    auto last = s.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
  }
  // Comma-separated at the top level (an expression key may hold commas).
  static std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> out;
    std::string part;
    int depth = 0;
    for (char c : list) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        out.push_back(trim(part));
        part.clear();
      } else {
        part += c;
      }
    }
    if (!trim(part).empty()) out.push_back(trim(part));
    return out;
  }
  static std::string key_text(const advisor::IndexKey& k) { return k.expression.empty() ? k.column : k.expression; }
  bool on_table(const advisor::IndexCandidate& index) const {
    return index.table.name == table_ && (schema_.empty() || index.table.schema == schema_);
  }

  std::string schema_;
  std::string table_;
  std::vector<std::string> keys_;
  std::vector<std::string> include_;
  std::string predicate_;
};

//! The fingerprint of the class `statement` belongs to.
inline std::string class_of(const std::string& statement) {
  auto workload = advisor::workload_from_statements(std::vector<std::string>{statement});
  if (workload.classes.size() != 1) throw std::invalid_argument("not one statement: " + statement);
  return workload.classes.front().fingerprint;
}

//! The scripted what-if model. A class's cost under a configuration: its base cost minus, for each table it
//! reads, the largest saving of an index of the configuration on that table (a scan uses one index), at least 0.
//! Unscripted classes cost `default_base_cost` and no index helps them.
class FakeWhatIfModel : public advisor::WhatIfModel {
 public:
  double default_base_cost = 1000;
  //! Size of an index without a `size` rule: this much per key and INCLUDE column.
  int64_t default_size_per_column = 1'000'000;

  FakeWhatIfModel& base_cost(const std::string& statement, double cost) {
    classes_[class_of(statement)].base = cost;
    return *this;
  }
  //! An index that `index` serves saves `saving` for the statement's class (the largest of its rules counts).
  FakeWhatIfModel& saves(const std::string& statement, IndexSpec index, double saving) {
    classes_[class_of(statement)].savings.emplace_back(std::move(index), saving);
    return *this;
  }
  FakeWhatIfModel& size(IndexSpec index, int64_t bytes) {
    sizes_.emplace_back(std::move(index), bytes);
    return *this;
  }
  //! The model will not create it: refused() lists it, it saves nothing and its size is kRefusedSize.
  FakeWhatIfModel& refuse(IndexSpec index, std::string reason) {
    refusals_.emplace_back(std::move(index), std::move(reason));
    return *this;
  }
  //! Planning the statement's class throws std::runtime_error(reason).
  FakeWhatIfModel& fails(const std::string& statement, std::string reason) {
    classes_[class_of(statement)].failure = std::move(reason);
    return *this;
  }
  //! The statement's class scans `table` with the existing index `index` when no index of the configuration saves
  //! it anything there (drop advice keeps an index the workload's plans use).
  FakeWhatIfModel& uses_existing(const std::string& statement, const std::string& table, std::string index) {
    classes_[class_of(statement)].existing[table] = std::move(index);
    return *this;
  }

  advisor::ExplainedQuery explain(const advisor::WorkloadQuery& query,
                                  std::span<const advisor::IndexCandidate> configuration) override {
    ++explains;
    std::string question = query.fingerprint;
    for (const auto& c : configuration) question += " | " + c.identity();
    ++asked[question];
    auto scripted = classes_.find(query.fingerprint);
    if (scripted != classes_.end() && scripted->second.failure) throw std::runtime_error(*scripted->second.failure);
    advisor::ExplainedQuery out;
    out.total_cost = scripted != classes_.end() ? scripted->second.base : default_base_cost;
    for (const auto& table : query.tables) {
      const advisor::IndexCandidate* best = nullptr;
      double best_saving = 0;
      for (const auto& index : configuration) {
        if (!(index.table == table) || refusal(index)) continue;
        double saving = scripted != classes_.end() ? scripted->second.saving(index) : 0;
        if (saving > best_saving) {
          best = &index;
          best_saving = saving;
        }
      }
      out.total_cost -= best_saving;
      std::string scan = "Seq Scan on " + table.name;
      if (best) {
        scan = "Index Scan using " + best->name() + " on " + table.name;
      } else if (scripted != classes_.end() && scripted->second.existing.count(table.name) != 0) {
        scan = "Index Scan using " + scripted->second.existing.at(table.name) + " on " + table.name;
      }
      out.summary += (out.summary.empty() ? "" : "; ") + scan;
    }
    out.total_cost = std::max(out.total_cost, 0.0);
    return out;
  }

  int64_t estimated_size(const advisor::IndexCandidate& candidate) override {
    ++sizes_asked;
    if (refusal(candidate)) return kRefusedSize;
    for (const auto& [spec, bytes] : sizes_) {
      if (spec.is(candidate)) return bytes;
    }
    return default_size_per_column * static_cast<int64_t>(candidate.keys.size() + candidate.include.size());
  }

  std::vector<advisor::RefusedCandidate> refused() const override {
    std::vector<advisor::RefusedCandidate> out;
    for (const auto& [identity, r] : refused_seen_) out.push_back(r);
    return out;
  }
  advisor::PlanSource source(const advisor::WorkloadQuery& query) const override { return query.source; }
  std::string fallback_reason(const advisor::WorkloadQuery&) const override { return {}; }
  //! estimate() answers a SELECT that contains `text` (the first such rule) with `estimate`; others get nullopt.
  FakeWhatIfModel& estimates(std::string text, advisor::QueryEstimate estimate) {
    estimates_.emplace_back(std::move(text), estimate);
    return *this;
  }
  std::optional<advisor::QueryEstimate> estimate(const std::string& select) override {
    ++estimates_asked;
    for (const auto& [text, estimate] : estimates_) {
      if (select.find(text) != std::string::npos) return estimate;
    }
    return std::nullopt;
  }
  size_t estimates_asked = 0;

  size_t explains = 0;               //!< cost and plan requests that reached the model (planner calls)
  size_t sizes_asked = 0;            //!< size requests
  std::map<std::string, int> asked;  //!< "fingerprint | identity | …" -> times that question reached the model

 private:
  struct ScriptedClass {
    double base = 1000;
    std::vector<std::pair<IndexSpec, double>> savings;
    std::optional<std::string> failure;
    std::map<std::string, std::string> existing;  //!< table name -> existing index its plan uses
    double saving(const advisor::IndexCandidate& index) const {
      double out = 0;
      for (const auto& [spec, amount] : savings) {
        if (spec.serves(index)) out = std::max(out, amount);
      }
      return out;
    }
  };
  // A refusal is recorded when the model first meets the candidate, as HypoPG records it when creating it.
  bool refusal(const advisor::IndexCandidate& index) {
    for (const auto& [spec, reason] : refusals_) {
      if (spec.is(index)) {
        refused_seen_.emplace(index.identity(),
                              advisor::RefusedCandidate{"CREATE INDEX " + index.definition_body(), reason});
        return true;
      }
    }
    return false;
  }

  std::map<std::string, ScriptedClass> classes_;  //!< fingerprint -> script
  std::vector<std::pair<IndexSpec, int64_t>> sizes_;
  std::vector<std::pair<IndexSpec, std::string>> refusals_;
  std::map<std::string, advisor::RefusedCandidate> refused_seen_;
  std::vector<std::pair<std::string, advisor::QueryEstimate>> estimates_;
};

//! A table for a hand-built catalog: `rows` rows over `rows / 100` pages, each column with its distinct values
//! (negative: minus a fraction of the rows, as pg_stats has it). `qualified` is "table" (public) or "schema.table".
inline analyzer::TableInfo table(const std::string& qualified, double rows,
                                 const std::vector<std::pair<std::string, double>>& columns) {
  analyzer::TableInfo t;
  if (auto dot = qualified.find('.'); dot != std::string::npos) {
    t.schema = qualified.substr(0, dot);
    t.name = qualified.substr(dot + 1);
  } else {
    t.name = qualified;
  }
  t.reltuples = rows;
  t.relpages = std::max<int64_t>(static_cast<int64_t>(rows / 100), 2);
  t.size_bytes = t.relpages * 8192;
  for (const auto& [name, distinct] : columns) {
    analyzer::ColumnStatistics s;
    s.n_distinct = distinct;
    t.columns.push_back({name, "integer", true, s});
  }
  return t;
}

//! The classes of `statements`, each executed `calls` times (every statement its own execution).
inline advisor::WorkloadClasses classes_of(const std::vector<std::pair<std::string, double>>& statements,
                                           const analyzer::Catalog& catalog) {
  analyzer::Workload workload;
  for (const auto& [statement, calls] : statements) {
    auto one = advisor::workload_from_statements(std::vector<std::string>{statement});
    for (auto& c : one.classes) {
      c.calls = calls;
      workload.classes.push_back(std::move(c));
    }
  }
  return advisor::classes_from_workload(workload, catalog);
}

}  // namespace pgadvisor::test
