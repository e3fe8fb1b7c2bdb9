// Roll-ups: an execution of one class answered by the finer view designed for another class, the view's rows
// grouped again (aggregate_view.hpp: rewrite_rolled_up).
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "analyzer/aggregate_view.hpp"
#include "expression_deparser.hpp"

namespace pgadvisor::analyzer {
namespace {

// Whether every bucket of unit `finer` lies within one bucket of unit `coarser`: a day within a month, yes; a week
// within a month, no (weeks straddle months).
bool nests(const std::string& finer, const std::string& coarser) {
  static const std::map<std::string, std::set<std::string>, std::less<>> within = {
      {"second", {"minute", "hour", "day", "week", "month", "quarter", "year"}},
      {"minute", {"hour", "day", "week", "month", "quarter", "year"}},
      {"hour", {"day", "week", "month", "quarter", "year"}},
      {"day", {"week", "month", "quarter", "year"}},
      {"month", {"quarter", "year"}},
      {"quarter", {"year"}}};
  if (finer == coarser) return true;
  const auto it = within.find(finer);
  return it != within.end() && it->second.contains(coarser);
}

struct Bucket {
  std::string unit;
  std::string column;
};

std::optional<Bucket> bucket_of(const std::string& expression) {
  static const std::regex bucket(R"(^date_trunc\('([a-z]+)', (.+)\)$)");
  std::smatch m;
  if (!std::regex_match(expression, m, bucket)) return std::nullopt;
  return Bucket{m[1].str(), m[2].str()};
}

std::string on_view(const std::string& column) { return "v." + quote_identifier(column); }

// An expression the class groups by, over the view's rows: one of the view's keys, or a coarser bucket of one.
std::optional<std::string> key_on_view(const std::string& expression, const ViewDesign& view) {
  for (size_t k = 0; k < view.key_expressions.size(); ++k) {
    if (view.key_expressions[k] == expression) return on_view(view.unique_key[k]);
  }
  const auto wanted = bucket_of(expression);
  if (!wanted) return std::nullopt;
  for (size_t k = 0; k < view.key_expressions.size(); ++k) {
    const auto kept = bucket_of(view.key_expressions[k]);
    if (kept && kept->column == wanted->column && nests(kept->unit, wanted->unit)) {
      return fmt::format("date_trunc('{}', {})", wanted->unit, on_view(view.unique_key[k]));
    }
  }
  return std::nullopt;
}

// The view's column computing exactly `expression` (one of the class's outputs it was designed for).
std::optional<std::string> column_computing(const std::string& expression, const ViewDesign& view) {
  for (size_t c = 0; c < view.columns.size() && c < view.expressions.size(); ++c) {
    if (view.expressions[c] == expression) return on_view(view.columns[c]);
  }
  return std::nullopt;
}

// "sum(total)" → {"sum", "total"}: a call whose parentheses close at the end (not `count(*) FILTER (…)`).
std::optional<std::pair<std::string, std::string>> call_of(const std::string& expression) {
  const auto open = expression.find('(');
  if (open == std::string::npos || open == 0 || expression.back() != ')') return std::nullopt;
  int depth = 0;
  for (size_t i = open; i < expression.size(); ++i) {
    if (expression[i] == '(') ++depth;
    if (expression[i] == ')' && --depth == 0 && i + 1 != expression.size()) return std::nullopt;
  }
  return std::pair{expression.substr(0, open), expression.substr(open + 1, expression.size() - open - 2)};
}

// An aggregate of the class computed from the view's aggregates over its groups: counts and sums add up, minima and
// maxima of minima and maxima, an average as the sum of sums over the sum of counts (never an average of averages).
std::optional<std::string> rolled_up(const std::string& expression, const ViewDesign& view, std::string& why) {
  const auto call = call_of(expression);
  if (!call || call->second.starts_with("DISTINCT ")) {
    why = fmt::format("{} does not roll up", expression);
    return std::nullopt;
  }
  const auto& [function, argument] = *call;
  if (function == "avg") {
    const auto sum = column_computing(fmt::format("sum({})", argument), view);
    const auto count = column_computing(fmt::format("count({})", argument), view);
    if (!sum || !count) {
      why = fmt::format("{} rolls up only from sum({}) and count({}), which the view does not keep", expression,
                        argument, argument);
      return std::nullopt;
    }
    return fmt::format("sum({}) / nullif(sum({}), 0)", *sum, *count);
  }
  const auto column = column_computing(expression, view);
  if (function != "count" && function != "sum" && function != "min" && function != "max") {
    why = fmt::format("{}() does not roll up", function);
    return std::nullopt;
  }
  if (!column) {
    why = fmt::format("the view does not keep {}", expression);
    return std::nullopt;
  }
  if (function == "count") return fmt::format("sum({})::bigint", *column);
  return fmt::format("{}({})", function, *column);
}

}  // namespace

std::string rewrite_rolled_up(const AggregateQuery& execution, const ViewDesign& own, const ViewDesign& view,
                              std::string_view view_name, std::string* why) {
  std::string reason;
  auto fail = [&](std::string text) {
    if (why != nullptr) *why = std::move(text);
    return std::string{};
  };
  if (!own.refusal.empty() || !view.refusal.empty() || !execution.refusal.empty()) return fail("no design");
  if (own.scalar) return fail("no GROUP BY: its one row over no rows is not a roll-up");
  if (!execution.having.empty()) return fail("HAVING over a roll-up");
  if (own.from != view.from) return fail("another FROM clause");
  if (std::multiset(own.where.begin(), own.where.end()) != std::multiset(view.where.begin(), view.where.end())) {
    return fail("other fixed filters");
  }
  if (execution.filters.size() != own.filters.size()) return fail("the execution does not fit its class");
  std::vector<std::string> conditions;
  for (size_t f = 0; f < own.filters.size(); ++f) {
    const FilterRole& role = own.filters[f];
    const AggregateFilter& filter = execution.filters[f];
    if (role.fixed) {
      if (filter.text != role.text) return fail("the execution does not fit its class");
      continue;
    }
    std::optional<std::string> subject = key_on_view(filter.subject, view);
    if (!subject) {  // a range on the column a bucket of the class groups by: the view's bucket of it, as fine or finer
      const auto own_key = std::ranges::find(own.unique_key, role.column) - own.unique_key.begin();
      const auto own_bucket = static_cast<size_t>(own_key) < own.key_expressions.size()
                                  ? bucket_of(own.key_expressions[static_cast<size_t>(own_key)])
                                  : std::nullopt;
      for (size_t k = 0; own_bucket && k < view.key_expressions.size() && !subject; ++k) {
        const auto kept = bucket_of(view.key_expressions[k]);
        if (kept && kept->column == filter.subject && nests(kept->unit, own_bucket->unit)) {
          subject = on_view(view.unique_key[k]);
        }
      }
    }
    if (!subject) return fail(fmt::format("the view cannot filter {}", filter.text));
    conditions.push_back(fmt::format("{} {} {}", *subject, filter.op, filter.values));
  }
  std::string select = "SELECT ";
  for (size_t i = 0; i < execution.outputs.size(); ++i) {
    const AggregateOutput& output = execution.outputs[i];
    auto value = output.aggregate ? rolled_up(output.expression, view, reason) : key_on_view(output.expression, view);
    if (!value) return fail(reason.empty() ? fmt::format("the view does not keep {}", output.expression) : reason);
    select += fmt::format("{}{} AS {}", i ? ", " : "", *value, quote_identifier(output.name));
  }
  select += fmt::format(" FROM {} AS v", view_name);
  for (size_t i = 0; i < conditions.size(); ++i) select += (i ? " AND " : " WHERE ") + conditions[i];
  for (size_t i = 0; i < execution.group_by.size(); ++i) {
    const auto key = key_on_view(execution.group_by[i], view);
    if (!key) return fail(fmt::format("it groups by {}, which the view does not keep", execution.group_by[i]));
    select += (i ? ", " : " GROUP BY ") + *key;
  }
  for (size_t i = 0; i < execution.order_by.size(); ++i) select += (i ? ", " : " ORDER BY ") + execution.order_by[i];
  if (!execution.limit.empty()) select += " LIMIT " + execution.limit;
  if (!execution.offset.empty()) select += " OFFSET " + execution.offset;
  return select;
}

}  // namespace pgadvisor::analyzer
