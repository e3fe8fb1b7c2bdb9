// Choosing the values a class is planned with. Sampled values describe the real workload best; pg_stats values
// describe a typical execution; a generic plan is what the server would use after five executions of a prepared
// statement, but it does not know the values and often underestimates what an index gives.
#include "advisor/plan_values.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "analyzer/sql_tokenizer.hpp"

namespace pgadvisor::advisor {
namespace {

// The value of pg_stats' histogram at quantile q (0…1).
std::optional<std::string> histogram_quantile(const analyzer::ColumnStatistics& stats, double q) {
  const auto& bounds = stats.histogram_bounds;
  if (bounds.empty()) return std::nullopt;
  auto index = static_cast<size_t>(q * static_cast<double>(bounds.size() - 1));  // floor: the bound below q
  return bounds[std::min(index, bounds.size() - 1)];
}

// An array literal of one element for `= ANY($n)`: {"value"} with the array quoting rules.
std::string one_element_array(const std::string& value) {
  std::string out = "{\"";
  for (char ch : value) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"}";
}

// Values for one parameter compared with `column` by `predicate`: one per set (two sets for equality when
// both a most common value and a histogram exist, else one); empty when the statistics say nothing.
std::vector<std::string> values_for(const analyzer::Predicate& predicate, size_t operand,
                                    const analyzer::ColumnStatistics& stats) {
  std::vector<std::string> values;
  auto add = [&](const std::optional<std::string>& v) {
    if (v) values.push_back(*v);
  };
  if (predicate.kind == analyzer::PredicateKind::Range) {
    // `col > $1` and `BETWEEN $1 AND …` keep the top tenth; `col < $1` and the BETWEEN's upper bound the bottom.
    bool lower_bound = predicate.op == ">" || predicate.op == ">=" ||
                       (predicate.op.find("BETWEEN") != std::string::npos && operand == 0);
    bool between = predicate.op.find("BETWEEN") != std::string::npos;
    double q = between ? (operand == 0 ? 0.45 : 0.55) : (lower_bound ? 0.9 : 0.1);
    add(histogram_quantile(stats, q));
    return values;
  }
  if (!stats.most_common_values.empty()) values.push_back(stats.most_common_values.front());
  add(histogram_quantile(stats, 0.5));
  // Without a histogram (every value is common), the least common of them stands for the rest.
  if (values.size() < 2 && stats.most_common_values.size() > 1) values.push_back(stats.most_common_values.back());
  if (predicate.op.find("ANY") != std::string::npos) {
    for (auto& v : values) v = one_element_array(v);
  }
  return values;
}

constexpr int kMaxBindParameters = 65535;

}  // namespace

int highest_parameter(std::string_view text) {
  std::vector<analyzer::Token> tokens;
  analyzer::tokenize(text, tokens);
  int highest = 0;
  for (const auto& t : tokens) {
    if (t.kind != analyzer::TokenKind::Param) continue;
    // Saturating: a hostile $99999999999 must not throw (std::stoi did).
    int64_t n = 0;
    for (const char c : analyzer::token_text(text, t).substr(1)) {
      if (c < '0' || c > '9') break;
      n = std::min<int64_t>(n * 10 + (c - '0'), std::numeric_limits<int>::max());
    }
    highest = std::max(highest, static_cast<int>(n));
  }
  return highest;
}

std::optional<std::vector<analyzer::ParameterSet>> values_from_statistics(const analyzer::QueryFacts& facts,
                                                                          int parameters,
                                                                          const analyzer::Catalog& catalog) {
  // A Bind message carries at most 65,535 parameters: beyond, no values to draw (and no vector of that size).
  if (parameters <= 0 || parameters > kMaxBindParameters) return std::nullopt;
  std::vector<std::vector<std::string>> per_parameter(static_cast<size_t>(parameters));
  for (const auto& block : facts.blocks) {
    for (const auto& predicate : block.predicates) {
      if (predicate.subject.ambiguous() || !predicate.subject.expression.empty()) continue;
      const auto* table = catalog.find_table(predicate.subject.table);
      const auto* column = table != nullptr ? table->find_column(predicate.subject.column) : nullptr;
      if (column == nullptr || !column->statistics) continue;
      for (size_t i = 0; i < predicate.operands.size(); ++i) {
        const auto& operand = predicate.operands[i];
        if (operand.kind != analyzer::Operand::Kind::Parameter || operand.parameter < 1 ||
            operand.parameter > parameters) {
          continue;
        }
        auto& slot = per_parameter[static_cast<size_t>(operand.parameter - 1)];
        if (slot.empty()) slot = values_for(predicate, i, *column->statistics);
      }
    }
  }
  size_t sets = 0;
  for (const auto& values : per_parameter) {
    if (values.empty()) return std::nullopt;
    sets = std::max(sets, values.size());
  }
  std::vector<analyzer::ParameterSet> out(sets);
  for (size_t s = 0; s < sets; ++s) {
    for (const auto& values : per_parameter) out[s].emplace_back(values[std::min(s, values.size() - 1)]);
  }
  return out;
}

void choose_executions(ClassFacts& c, const analyzer::Catalog& catalog) {
  auto& q = c.query;
  q.executions.clear();
  // Concrete statements describe the workload best, even when others of the class were sent with $n (a driver's
  // prepared statements, or psql errors): plan those, and the class's text becomes the first of them.
  std::vector<const std::string*> concrete;
  for (const auto& sample : c.samples) {
    if (highest_parameter(sample) == 0) concrete.push_back(&sample);
  }
  if (q.parameters == 0 || !concrete.empty()) {
    q.source = PlanSource::Literals;
    if (!concrete.empty() && q.parameters != 0) {
      q.text = *concrete.front();
      q.parameters = 0;
    }
    // Several concrete statements: their mean. One: the text itself.
    if (concrete.size() > 1) {
      for (size_t i = 0; i < concrete.size() && i < kMaxPlannedExecutions; ++i) {
        q.executions.push_back({*concrete[i], {}});
      }
    }
    return;
  }
  for (const auto& set : c.parameter_sets) {
    if (set.size() >= static_cast<size_t>(q.parameters) && q.executions.size() < kMaxPlannedExecutions) {
      q.executions.push_back({q.text, analyzer::ParameterSet(set.begin(), set.begin() + q.parameters)});
    }
  }
  if (!q.executions.empty()) {
    q.source = PlanSource::Sampled;
    return;
  }
  if (auto sets = values_from_statistics(c.facts, q.parameters, catalog)) {
    for (auto& set : *sets) q.executions.push_back({q.text, std::move(set)});
    q.source = PlanSource::PgStats;
    return;
  }
  q.source = PlanSource::Generic;
}

}  // namespace pgadvisor::advisor
