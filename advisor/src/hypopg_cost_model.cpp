// HypoPGCostModel: hypopg_create_index/hypopg_drop_index to reach a configuration, EXPLAIN (FORMAT JSON) to
// read the planner's estimate. Only the difference between configurations is created or dropped.
#include "advisor/hypopg_cost_model.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "advisor/expression_proxy.hpp"
#include "pg/error.hpp"
#include "pg/quote.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::advisor {
namespace {

// HypoPG names a hypothetical index "<oid>btree_table_col"; the oid tells which candidate it is.
std::string index_display_name(const std::string& name, const std::map<uint32_t, std::string>& names) {
  if (name.size() > 2 && name.front() == '<') {
    auto close = name.find('>');
    if (close != std::string::npos) {
      auto it = names.find(static_cast<uint32_t>(std::stoul(name.substr(1, close - 1))));
      if (it != names.end()) return it->second;
    }
  }
  return name;
}

// Scans, joins and sorts of the plan, depth first: enough to see what an index changed.
void summarize(const nlohmann::json& node, const std::map<uint32_t, std::string>& names, std::string& out) {
  std::string type = node.value("Node Type", "");
  static const std::set<std::string> interesting = {
      "Seq Scan", "Index Scan",       "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan",
      "Sort",     "Incremental Sort", "Hash Join",       "Merge Join",       "Nested Loop"};
  if (interesting.contains(type)) {
    std::string part = type;
    if (node.contains("Index Name")) part += " using " + index_display_name(node["Index Name"], names);
    if (node.contains("Relation Name")) part += " on " + node["Relation Name"].get<std::string>();
    out += (out.empty() ? "" : "; ") + part;
  }
  if (node.contains("Plans")) {
    for (const auto& child : node["Plans"]) summarize(child, names, out);
  }
}

}  // namespace

HypoPGCostModel::HypoPGCostModel(pg::Connection& session) : session_(session) {
  session_.query(sql::text("advisor/hypopg_reset"));
}

HypoPGCostModel::~HypoPGCostModel() {
  try {
    session_.query(sql::text("advisor/hypopg_reset"));
  } catch (...) {  // NOLINT(bugprone-empty-catch): the session ends soon anyway, taking its hypothetical indexes
  }
}

uint32_t HypoPGCostModel::create(const IndexCandidate& candidate) {
  auto r = session_.query(sql::text("advisor/hypopg_create_index"), "CREATE INDEX " + candidate.definition_body());
  auto oid = static_cast<uint32_t>(r.get<int64_t>(0, 0));
  names_[oid] = candidate.name();
  return oid;
}

void HypoPGCostModel::realize(std::span<const IndexCandidate> configuration) {
  std::map<std::string, const IndexCandidate*> wanted;
  for (const auto& c : configuration) wanted.emplace(c.identity(), &c);
  for (auto it = present_.begin(); it != present_.end();) {
    if (!wanted.contains(it->first)) {
      session_.query(sql::text("advisor/hypopg_drop_index"), static_cast<int64_t>(it->second));
      names_.erase(it->second);
      it = present_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [identity, candidate] : wanted) {
    auto present = present_.find(identity);
    if (present != present_.end()) {
      names_[present->second] = candidate->name();  // the same index may have been given its advice's name since
    } else if (!refused_.contains(identity)) {
      realize_one(*candidate);
    }
  }
}

std::string HypoPGCostModel::explain_json(const std::string& text, const analyzer::ParameterSet& parameters) {
  // The prefix file ends with a newline, so the statement starts on a line of its own. Values travel as
  // parameters of the extended protocol: the planner sees them as it would a custom plan's.
  return session_.query(std::string(sql::text("advisor/explain_json_prefix")) + text, parameters)
      .get<std::string>(0, 0);
}

std::string HypoPGCostModel::explain_generic_json(const WorkloadQuery& query) {
  if (!generic_plans_set_) {
    session_.query(sql::text("advisor/force_generic_plan"));
    generic_plans_set_ = true;
  }
  // EXECUTE's argument list grows with the highest $n of the text: a hostile $2000000000 must not build 12 GB.
  constexpr int kMaxBindParameters = 65535;  // what a Bind message can carry
  if (query.parameters > kMaxBindParameters) {
    throw std::runtime_error("$" + std::to_string(query.parameters) +
                             " is beyond the 65535 parameters a statement can have");
  }
  session_.query(std::string(sql::text("advisor/prepare_prefix")) + query.text);
  std::string arguments = "(";
  for (int i = 0; i < query.parameters; ++i) arguments += i == 0 ? "NULL" : ", NULL";
  arguments += ")";
  try {
    auto plan = session_.query(std::string(sql::text("advisor/explain_execute_prefix")) + arguments);
    session_.query(sql::text("advisor/deallocate"));
    return plan.get<std::string>(0, 0);
  } catch (...) {
    session_.query(sql::text("advisor/deallocate"));
    throw;
  }
}

ExplainedQuery HypoPGCostModel::explain_one(const std::string& plan_json) const {
  auto plan = nlohmann::json::parse(plan_json).at(0).at("Plan");
  ExplainedQuery out;
  out.total_cost = plan.at("Total Cost").get<double>();
  summarize(plan, names_, out.summary);
  return out;
}

std::optional<QueryEstimate> HypoPGCostModel::estimate(const std::string& select) {
  try {  // row estimates do not depend on which hypothetical indexes exist: no configuration to realize
    auto plan = nlohmann::json::parse(explain_json(select, {})).at(0).at("Plan");
    return QueryEstimate{plan.at("Plan Rows").get<double>(), plan.at("Plan Width").get<double>(),
                         plan.at("Total Cost").get<double>()};
  } catch (const std::exception&) {
    return std::nullopt;  // the caller refuses the view with "could not be planned"
  }
}

PlanSource HypoPGCostModel::source(const WorkloadQuery& query) const {
  return fallbacks_.contains(query.fingerprint) ? PlanSource::Generic : query.source;
}

std::string HypoPGCostModel::fallback_reason(const WorkloadQuery& query) const {
  auto it = fallbacks_.find(query.fingerprint);
  return it != fallbacks_.end() ? it->second : std::string();
}

ExplainedQuery HypoPGCostModel::explain(const WorkloadQuery& query, std::span<const IndexCandidate> configuration) {
  auto proxy = expression_proxy(query, configuration);
  if (!proxy) return explain_as_is(query, configuration);
  auto out = explain_as_is(proxy->query, proxy->configuration);
  // The rewritten query also skips evaluating the function on every row: only a plan that uses a proxied index
  // stands for the expression index. Any other plan is the original query's.
  bool uses_proxy = std::any_of(proxy->renames.begin(), proxy->renames.end(), [&](const auto& rename) {
    return out.summary.find(rename.first) != std::string::npos;
  });
  if (!uses_proxy) return explain_as_is(query, configuration);
  for (const auto& [proxy_name, name] : proxy->renames) {
    for (size_t at = out.summary.find(proxy_name); at != std::string::npos; at = out.summary.find(proxy_name, at)) {
      out.summary.replace(at, proxy_name.size(), name);
      at += name.size();
    }
  }
  return out;
}

ExplainedQuery HypoPGCostModel::explain_as_is(const WorkloadQuery& query,
                                              std::span<const IndexCandidate> configuration) {
  realize(configuration);
  bool has_values = std::any_of(query.executions.begin(), query.executions.end(),
                                [](const Execution& e) { return !e.parameters.empty(); });
  if (!query.executions.empty() && !fallbacks_.contains(query.fingerprint)) {
    try {
      ExplainedQuery mean;
      for (const auto& execution : query.executions) {
        auto one = explain_one(explain_json(execution.text, execution.parameters));
        mean.total_cost += one.total_cost / static_cast<double>(query.executions.size());
        if (mean.summary.empty()) mean.summary = one.summary;  // the first execution's plan stands for the class
      }
      return mean;
    } catch (const pg::ConnectionError&) {
      throw;
    } catch (const pg::Error& e) {
      // A sampled or drawn value the server will not take for its parameter (a truncated log value, a type
      // the values do not fit): the generic plan still answers, or for a class planned with its literals (and
      // the heavy values, plan_values.hpp), the statement itself. Executions without values have no fallback.
      if (!has_values) throw;
      fallbacks_.emplace(query.fingerprint, e.what());
    }
  }
  if (query.parameters == 0) return explain_one(explain_json(query.text, {}));
  return explain_one(explain_generic_json(query));
}

void HypoPGCostModel::realize_one(const IndexCandidate& candidate) {
  try {
    present_.emplace(candidate.identity(), create(candidate));
  } catch (const pg::ConnectionError&) {
    throw;
  } catch (const pg::Error& e) {
    // HypoPG cannot represent it (or the server refuses it): costed as absent, so it is never chosen.
    refused_.emplace(candidate.identity(),
                     RefusedCandidate{"CREATE INDEX " + pg::quote_identifier_printable(candidate.name()) + " " +
                                          candidate.definition_body(),
                                      e.primary()});
  }
}

std::vector<RefusedCandidate> HypoPGCostModel::refused() const {
  std::vector<RefusedCandidate> out;
  for (const auto& [identity, r] : refused_) out.push_back(r);
  return out;
}

const std::vector<analyzer::TableName>& HypoPGCostModel::leaf_partitions(const analyzer::TableName& table) {
  const std::string key = pg::quote_qualified(table.schema, table.name);
  auto it = leaves_.find(key);
  if (it == leaves_.end()) {
    std::vector<analyzer::TableName> leaves;
    auto r = session_.query(sql::text("advisor/leaf_partitions"), key);
    leaves.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      leaves.push_back({r.get<std::string>(i, "schema"), r.get<std::string>(i, "name"), false});
    }
    it = leaves_.emplace(key, std::move(leaves)).first;
  }
  return it->second;
}

int64_t HypoPGCostModel::hypothetical_size(uint32_t oid) {
  return session_.query(sql::text("advisor/hypopg_relation_size"), static_cast<int64_t>(oid)).get<int64_t>(0, 0);
}

int64_t HypoPGCostModel::estimated_size(const IndexCandidate& candidate) {
  if (!refused_.contains(candidate.identity()) && !present_.contains(candidate.identity())) {
    realize_one(candidate);
  }
  auto it = present_.find(candidate.identity());
  if (it == present_.end()) return kRefusedSize;
  const auto& leaves = leaf_partitions(candidate.table);
  if (leaves.empty()) return hypothetical_size(it->second);
  // A partitioned table's index is one index per leaf partition. HypoPG sizes a hypothetical index on the
  // partitioned table from that table's own statistics, which autovacuum never gathers (a page for 400,000 rows,
  // docs/ARCHITECTURE.md, measured facts): each leaf's is sized from the leaf's and dropped again at once, so that
  // no plan sees it.
  int64_t total = 0;
  for (const auto& leaf : leaves) {
    IndexCandidate on_leaf = candidate;
    on_leaf.table = leaf;
    uint32_t oid = 0;
    try {
      oid = static_cast<uint32_t>(
          session_.query(sql::text("advisor/hypopg_create_index"), "CREATE INDEX " + on_leaf.definition_body())
              .get<int64_t>(0, 0));
      total += hypothetical_size(oid);
      session_.query(sql::text("advisor/hypopg_drop_index"), static_cast<int64_t>(oid));
    } catch (const pg::ConnectionError&) {
      throw;
    } catch (const pg::Error& e) {
      if (oid != 0) session_.query(sql::text("advisor/hypopg_drop_index"), static_cast<int64_t>(oid));
      // Not on every partition: as good as refused (an index on the partitioned table needs them all).
      session_.query(sql::text("advisor/hypopg_drop_index"), static_cast<int64_t>(it->second));
      names_.erase(it->second);
      present_.erase(it);
      refused_.emplace(
          candidate.identity(),
          RefusedCandidate{
              "CREATE INDEX " + pg::quote_identifier_printable(candidate.name()) + " " + candidate.definition_body(),
              "on partition " + pg::quote_qualified_printable(leaf.schema, leaf.name) + ": " + e.primary()});
      return kRefusedSize;
    }
  }
  return total;
}

}  // namespace pgadvisor::advisor
