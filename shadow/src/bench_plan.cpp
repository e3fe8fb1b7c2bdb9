// What the shadow benchmark runs: the steps (advised indexes, or a hand-written script), the query classes with
// their sampled executions, and the advice's materialized views with every execution of the classes they serve, from
// the advice JSON (read by advisor::advice_from_json) or from a --queries file.
#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "advisor/advice_json.hpp"
#include "advisor/view_advice.hpp"
#include "analyzer/query_facts.hpp"
#include "analyzer/statement_analyzer.hpp"
#include "shadow/shadow_bench.hpp"

namespace pgadvisor::shadow {
namespace {

// "orders" and "public.orders" name the same table for matching (pgadvisor's default search path).
std::string qualified(const std::string& name) { return name.find('.') == std::string::npos ? "public." + name : name; }

std::string table_key(const analyzer::TableName& t) { return (t.schema.empty() ? "public" : t.schema) + "." + t.name; }

std::string trim(std::string s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) != 0 || s.back() == ';')) s.pop_back();
  size_t first = s.find_first_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : s.substr(first);
}

// Without leading comments and blanks: what the statement starts with.
std::string_view body(std::string_view s) {
  for (;;) {
    size_t first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    s.remove_prefix(first);
    if (s.starts_with("--")) {
      size_t nl = s.find('\n');
      if (nl == std::string_view::npos) return {};
      s.remove_prefix(nl + 1);
    } else if (s.starts_with("/*")) {
      size_t end = s.find("*/");
      if (end == std::string_view::npos) return {};
      s.remove_prefix(end + 2);
    } else {
      return s;
    }
  }
}

bool has_parameters(const std::string& sql) {
  static const std::regex parameter(R"(\$[0-9]+)");
  return std::regex_search(sql, parameter);
}

bool is_create_index(std::string_view sql) {
  static const std::regex create_index(R"(^CREATE\s+(UNIQUE\s+)?INDEX\b)", std::regex::icase);
  std::string text(body(sql));
  return std::regex_search(text, create_index);
}

std::string kind_name(analyzer::StatementKind kind) {
  std::string k(analyzer::to_string(kind));
  std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return k;
}

// Classes of a file of statements: each statement is one sampled execution of its class.
std::vector<BenchClass> classes_from_queries(const std::string& text, size_t max_instances,
                                             std::vector<std::string>& skipped) {
  analyzer::StatementAnalyzer analyzer;
  std::vector<BenchClass> out;
  std::map<uint64_t, size_t> by_fingerprint;
  for (const auto& s : analyzer.analyze(text)) {
    std::string sql = trim(text.substr(s.span.offset, s.span.length));
    if (sql.empty()) continue;
    using K = analyzer::StatementKind;
    auto kind = s.info.kind;
    std::string shown = sql.size() > 60 ? sql.substr(0, 57) + "..." : sql;
    if (kind == K::Invalid) {
      skipped.push_back(fmt::format("{}: does not parse ({})", shown, s.info.error ? s.info.error->message : ""));
      continue;
    }
    if (kind != K::Select && kind != K::Insert && kind != K::Update && kind != K::Delete && kind != K::Merge) {
      if (kind != K::Transaction) skipped.push_back(fmt::format("{}: not a query ({})", shown, kind_name(kind)));
      continue;
    }
    if (has_parameters(sql)) {
      skipped.push_back(
          fmt::format("{}: has $n parameters but no values (use advice JSON with parameter_sets)", shown));
      continue;
    }
    auto [it, fresh] = by_fingerprint.try_emplace(s.info.fingerprint, out.size());
    if (fresh) {
      BenchClass c;
      c.fingerprint = analyzer::fingerprint_hex(s.info.fingerprint);
      auto normalized = analyzer.normalize(sql);
      c.text = normalized.text ? *normalized.text : sql;
      c.kind = kind_name(kind);
      auto facts = analyzer::extract_facts(sql);
      if (facts.facts) {
        for (const auto& t : facts.facts->tables_read) {
          if (!t.derived) c.reads.push_back(table_key(t));
        }
        for (const auto& t : facts.facts->tables_written) c.writes_tables.push_back(table_key(t));
      }
      c.writes = kind != K::Select || !c.writes_tables.empty();
      out.push_back(std::move(c));
    }
    auto& c = out[it->second];
    if (c.instances.size() < max_instances) c.instances.push_back({sql, {}});
  }
  return out;
}

// A class of the advice's "workload.classes".
std::optional<BenchClass> bench_class(const advisor::AdvisedClass& a, size_t max_instances,
                                      std::vector<std::string>& skipped) {
  BenchClass c;
  c.fingerprint = a.fingerprint;
  c.text = a.text;
  c.kind = a.kind.empty() ? "select" : a.kind;
  std::transform(c.kind.begin(), c.kind.end(), c.kind.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  for (const auto& t : a.reads) c.reads.push_back(qualified(t));
  for (const auto& t : a.writes) c.writes_tables.push_back(qualified(t));
  c.writes = c.kind != "select" || !c.writes_tables.empty();
  if (has_parameters(c.text)) {
    for (const auto& set : a.parameter_sets) {
      if (c.instances.size() >= max_instances) break;
      c.instances.push_back({c.text, set});
    }
  }
  for (const auto& s : a.samples) {
    if (c.instances.size() >= max_instances) break;
    std::string sql = trim(s);
    if (!sql.empty() && !has_parameters(sql)) c.instances.push_back({sql, {}});
  }
  if (c.instances.empty()) {
    skipped.push_back(fmt::format("{}: no sample statement or parameter set to run", c.fingerprint));
    return std::nullopt;
  }
  return c;
}

// The executions of a class a view serves: its samples with their rewrites, its $n text with each parameter set.
ViewBenchClass view_bench_class(const advisor::ViewClass& c, size_t max_timed) {
  ViewBenchClass out;
  out.fingerprint = c.fingerprint;
  out.text = c.text;
  for (size_t i = 0; i < c.samples.size() && i < c.rewritten_samples.size(); ++i) {
    std::string original = trim(c.samples[i]);
    std::string rewritten = trim(c.rewritten_samples[i]);
    if (original.empty() || rewritten.empty() || has_parameters(original)) continue;
    out.executions.push_back({std::move(original), std::move(rewritten), {}});
  }
  const std::string text = trim(c.text);
  const std::string rewritten = trim(c.rewritten);
  if (!text.empty() && !rewritten.empty()) {
    if (has_parameters(text)) {
      for (const auto& set : c.parameter_sets) out.executions.push_back({text, rewritten, set});
    } else if (out.executions.empty()) {
      out.executions.push_back({text, rewritten, {}});
    }
  }
  out.timed = std::min(out.executions.size(), max_timed);
  return out;
}

}  // namespace

std::vector<BenchView> bench_views(const std::vector<advisor::ViewAdvice>& views, size_t max_timed) {
  std::vector<BenchView> out;
  for (const auto& v : views) {
    BenchView view{v.schema, v.name, v.select, v.unique_key, v.filter_columns, {}};
    for (const auto& c : v.classes) view.classes.push_back(view_bench_class(c, max_timed));
    out.push_back(std::move(view));
  }
  return out;
}

BenchPlan plan_from_advice(const std::string& advice_json, const std::optional<std::string>& queries,
                           size_t max_instances) {
  const advisor::Advice advice = advisor::advice_from_json(advice_json);
  BenchPlan plan;
  std::set<std::string> helped;
  std::set<std::string> indexed_tables;
  for (const auto& index : advice.indexes) {
    BenchStep step{advisor::create_index_statement(index), {}};
    for (const auto& q : index.queries) {
      step.helps.push_back(q.fingerprint);
      helped.insert(step.helps.back());
    }
    if (!index.index.table.name.empty()) indexed_tables.insert(qualified(index.index.table.to_string()));
    plan.steps.push_back(std::move(step));
  }
  plan.indexes_only = true;

  std::vector<BenchClass> candidates;
  if (queries) {
    candidates = classes_from_queries(*queries, max_instances, plan.skipped);
  } else if (!advice.classes_advised.empty()) {
    for (const auto& c : advice.classes_advised) {
      if (auto bc = bench_class(c, max_instances, plan.skipped)) candidates.push_back(std::move(*bc));
    }
  } else if (advice.views.empty()) {
    throw std::invalid_argument(
        "the advice lists no workload classes (\"workload.classes\"); pass the workload with --queries FILE");
  }
  for (auto& c : candidates) {
    bool helps = helped.contains(c.fingerprint);
    bool writes_indexed = std::any_of(c.writes_tables.begin(), c.writes_tables.end(),
                                      [&](const std::string& t) { return indexed_tables.contains(t); });
    if (!helps && !writes_indexed) continue;
    c.why = helps ? "helped by the advice" : "writes to an indexed table";
    plan.classes.push_back(std::move(c));
  }
  plan.views = bench_views(advice.views, max_instances);
  return plan;
}

BenchPlan plan_from_script(const std::string& script, const std::string& queries, size_t max_instances) {
  BenchPlan plan;
  analyzer::StatementAnalyzer analyzer;
  static const std::regex concurrently(R"(\s+CONCURRENTLY\b)", std::regex::icase);
  for (const auto& s : analyzer.analyze(script)) {
    std::string sql = trim(script.substr(s.span.offset, s.span.length));
    if (body(sql).empty() || s.info.kind == analyzer::StatementKind::Transaction) continue;
    if (s.info.kind == analyzer::StatementKind::Invalid) {
      throw std::invalid_argument(fmt::format("the script has a statement that does not parse: {}",
                                              s.info.error ? s.info.error->message : sql));
    }
    sql = std::regex_replace(sql, concurrently, "");
    plan.indexes_only = plan.indexes_only && is_create_index(sql);
    plan.steps.push_back({sql, {}});
  }
  if (plan.steps.empty()) throw std::invalid_argument("the script has no statement to apply");
  plan.classes = classes_from_queries(queries, max_instances, plan.skipped);
  for (auto& c : plan.classes) c.why = "in --queries";
  return plan;
}

}  // namespace pgadvisor::shadow
