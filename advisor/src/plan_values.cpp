// Choosing the values a class is planned with. Sampled values describe the real workload best; pg_stats values
// describe a typical execution; a generic plan is what the server would use after five executions of a prepared
// statement, but it does not know the values and often underestimates what an index gives.
#include "advisor/plan_values.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "analyzer/query_facts.hpp"
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

// A column is skewed when its most common value holds this many times the average value's share of the rows: a
// heavy tenant among thousands, which a design must serve as well as the median one.
constexpr double kSkew = 5;

}  // namespace

std::optional<analyzer::ParameterSet> heavy_values(const analyzer::QueryFacts& facts,
                                                   const analyzer::ParameterSet& base,
                                                   const analyzer::Catalog& catalog) {
  analyzer::ParameterSet heavy = base;
  bool changed = false;
  for (const auto& block : facts.blocks) {
    for (const auto& predicate : block.predicates) {
      if (predicate.kind != analyzer::PredicateKind::Equality || predicate.op != "=" || predicate.in_disjunction ||
          predicate.subject.ambiguous() || !predicate.subject.expression.empty() || predicate.operands.size() != 1) {
        continue;
      }
      const auto& operand = predicate.operands.front();
      if (operand.kind != analyzer::Operand::Kind::Parameter || operand.parameter < 1 ||
          static_cast<size_t>(operand.parameter) > heavy.size()) {
        continue;
      }
      const auto* table = catalog.find_table(predicate.subject.table);
      const auto* column = table != nullptr ? table->find_column(predicate.subject.column) : nullptr;
      if (column == nullptr || !column->statistics) continue;
      const auto& stats = *column->statistics;
      const double distinct = distinct_values(*column, *table);
      if (stats.most_common_values.empty() || stats.most_common_frequencies.empty() || distinct < 2 ||
          stats.most_common_frequencies.front() < kSkew / distinct) {
        continue;
      }
      auto& slot = heavy[static_cast<size_t>(operand.parameter - 1)];
      if (slot != stats.most_common_values.front()) {
        slot = stats.most_common_values.front();
        changed = true;
      }
    }
  }
  return changed ? std::optional(std::move(heavy)) : std::nullopt;
}

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

std::optional<analyzer::ParameterSet> parameters_in(std::string_view normalized, std::string_view concrete) {
  const int parameters = highest_parameter(normalized);
  if (parameters <= 0 || parameters > kMaxBindParameters) return std::nullopt;
  std::vector<analyzer::Token> a;
  std::vector<analyzer::Token> b;
  analyzer::tokenize(normalized, a);
  analyzer::tokenize(concrete, b);
  if (a.size() != b.size()) return std::nullopt;  // `$1` against `-1`, or a different statement
  analyzer::ParameterSet out(static_cast<size_t>(parameters));
  for (size_t i = 0; i < a.size(); ++i) {
    const auto na = analyzer::token_text(normalized, a[i]);
    const auto nb = analyzer::token_text(concrete, b[i]);
    if (a[i].kind != analyzer::TokenKind::Param) {
      if (na != nb) return std::nullopt;
      continue;
    }
    std::string value;
    if (b[i].kind == analyzer::TokenKind::Integer || b[i].kind == analyzer::TokenKind::Numeric) {
      value = std::string(nb);
    } else if (b[i].kind == analyzer::TokenKind::String && nb.size() >= 2) {
      for (size_t k = 1; k + 1 < nb.size(); ++k) {
        value += nb[k];
        if (nb[k] == '\'' && nb[k + 1] == '\'') ++k;  // '' is one quote
      }
    } else {
      return std::nullopt;  // E'', B'', X'', $$…$$: not worth their own rules here
    }
    int n = 0;
    for (char ch : na.substr(1)) {
      if (ch < '0' || ch > '9') return std::nullopt;
      n = n * 10 + (ch - '0');  // at most highest_parameter, which is bounded
    }
    if (n < 1 || n > parameters) return std::nullopt;  // $0
    auto& slot = out[static_cast<size_t>(n - 1)];
    if (slot && *slot != value) return std::nullopt;
    slot = std::move(value);
  }
  for (const auto& v : out) {
    if (!v) return std::nullopt;
  }
  return out;
}

namespace {

// Classes planned with their concrete statements: when their $n text is known and a concrete statement lines up
// with it, the heavy values of its skewed columns are costed too, as for sampled classes.
void add_heavy_literals(ClassFacts& c, const std::string& concrete, const analyzer::Catalog& catalog) {
  if (c.normalized_text.empty()) return;
  auto base = parameters_in(c.normalized_text, concrete);
  if (!base) return;
  auto facts = analyzer::extract_facts(c.normalized_text);
  if (!facts) return;
  analyzer::resolve_facts(*facts.facts, catalog);
  auto heavy = heavy_values(*facts.facts, *base, catalog);
  if (!heavy) return;
  auto& q = c.query;
  if (q.executions.empty()) q.executions.push_back({q.text, {}});  // the statement itself, as before
  q.executions.push_back({c.normalized_text, std::move(*heavy)});
  q.heavy_values = true;
}

}  // namespace

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
    if (!concrete.empty()) add_heavy_literals(c, *concrete.front(), catalog);
    return;
  }
  for (const auto& set : c.parameter_sets) {
    if (set.size() >= static_cast<size_t>(q.parameters) && q.executions.size() < kMaxPlannedExecutions) {
      q.executions.push_back({q.text, analyzer::ParameterSet(set.begin(), set.begin() + q.parameters)});
    }
  }
  if (!q.executions.empty()) {
    q.source = PlanSource::Sampled;
    // Samples are few: the heaviest value of a skewed column is costed too, so that a design that only fits the
    // sampled (typical) tenants does not win over one robust to the heavy one.
    if (auto heavy = heavy_values(c.facts, q.executions.front().parameters, catalog)) {
      bool sampled = std::any_of(q.executions.begin(), q.executions.end(),
                                 [&](const Execution& e) { return e.parameters == *heavy; });
      if (!sampled) {
        q.executions.push_back({q.text, std::move(*heavy)});
        q.heavy_values = true;
      }
    }
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
