// Aggregate queries as materialized views: parsing a GROUP BY query into its parts, designing the view that answers
// a class one row for one row, and rewriting each execution against it (aggregate_view.hpp says the rules).
#include "analyzer/aggregate_view.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "expression_deparser.hpp"
#include "pg_query_adapter.hpp"

namespace pgadvisor::analyzer {
namespace {

using json = nlohmann::json;

// Functions whose result depends on nothing but their arguments: a view computed from them at refresh time gives
// what the query would compute now. date_trunc and date_part on timestamptz depend on the session's TimeZone
// (stable): they are allowed as the bucket a view groups by, and the bench's result check runs in one time zone.
const std::set<std::string, std::less<>>& immutable_functions() {
  static const std::set<std::string, std::less<>> names = {
      "abs",  "btrim",      "ceil",   "ceiling",   "char_length", "date_part", "date_trunc", "extract",  "floor",
      "left", "length",     "lower",  "ltrim",     "md5",         "nullif",    "right",      "round",    "rtrim",
      "sign", "split_part", "substr", "substring", "trunc",       "upper",     "coalesce",   "greatest", "least"};
  return names;
}

const std::set<std::string, std::less<>>& aggregate_functions() {
  static const std::set<std::string, std::less<>> names = {
      "count",  "sum",        "min",         "max",        "avg",       "bool_and", "bool_or",
      "every",  "bit_and",    "bit_or",      "string_agg", "array_agg", "json_agg", "jsonb_agg",
      "stddev", "stddev_pop", "stddev_samp", "variance",   "var_pop",   "var_samp"};
  return names;
}

std::string function_name(const json& call) {
  const auto& names = member(call, "funcname");
  return names.empty() ? std::string{} : string_value(names.back());
}

// The first thing in the tree that a view must not compute at refresh time, in words; empty when there is none.
std::string unsafe_expression(const json& node) {
  if (node.is_array()) {
    for (const auto& item : node) {
      if (auto reason = unsafe_expression(item); !reason.empty()) return reason;
    }
    return {};
  }
  if (!node.is_object()) return {};
  const std::string_view kind = node_kind(node);
  const auto& body = node_body(node);
  if (kind == "SQLValueFunction") {
    return "a value of the moment (CURRENT_DATE, current_user, …): the view would keep the value of its refresh";
  }
  if (kind == "SubLink") return "a subquery";
  if (kind == "FuncCall") {
    const std::string name = function_name(body);
    if (!member(body, "over").is_null()) return fmt::format("a window function ({}() OVER …)", name);
    if (!immutable_functions().contains(name) && !aggregate_functions().contains(name)) {
      return fmt::format(
          "{}(), which pgadvisor does not know to be immutable: the view would keep the value of its "
          "refresh",
          name);
    }
  }
  for (const auto& [key, value] : node.items()) {
    if (key == "location") continue;
    if (auto reason = unsafe_expression(value); !reason.empty()) return reason;
  }
  return {};
}

// The name PostgreSQL gives an unaliased result column (FigureColname): a column's name, a function's, else ?column?.
std::string figure_name(const json& value) {
  const std::string_view kind = node_kind(value);
  const auto& body = node_body(value);
  if (kind == "ColumnRef") {
    const auto& fields = member(body, "fields");
    return fields.empty() ? "?column?" : string_value(fields.back());
  }
  if (kind == "FuncCall") return function_name(body);
  if (kind == "TypeCast") return figure_name(member(body, "arg"));
  if (kind == "CoalesceExpr") return "coalesce";
  return "?column?";
}

std::string relation_text(const json& node, const ExpressionDeparser& deparser, std::string& refusal) {
  const std::string_view kind = node_kind(node);
  const auto& body = node_body(node);
  if (kind == "RangeVar") {
    std::string text;
    if (const auto& schema = member(body, "schemaname"); schema.is_string()) {
      text = quote_identifier(schema.get<std::string>()) + ".";
    }
    text += quote_identifier(body.value("relname", ""));
    if (!body.value("inh", true)) text = "ONLY " + text;
    if (const auto& alias = member(body, "alias"); alias.is_object()) {
      if (!member(alias, "colnames").is_null()) refusal = "a FROM alias that renames columns";
      text += " AS " + quote_identifier(alias.value("aliasname", ""));
    }
    return text;
  }
  if (kind == "JoinExpr") {
    static const std::map<std::string, std::string, std::less<>> joins = {
        {"JOIN_INNER", "JOIN"}, {"JOIN_LEFT", "LEFT JOIN"}, {"JOIN_RIGHT", "RIGHT JOIN"}, {"JOIN_FULL", "FULL JOIN"}};
    const auto join = joins.find(body.value("jointype", ""));
    if (join == joins.end() || body.value("isNatural", false) || !member(body, "alias").is_null()) {
      refusal = "a join pgadvisor does not rewrite (NATURAL, aliased or semi-join)";
      return {};
    }
    std::string text = fmt::format("{} {} {}", relation_text(member(body, "larg"), deparser, refusal), join->second,
                                   relation_text(member(body, "rarg"), deparser, refusal));
    if (const auto& quals = member(body, "quals"); !quals.is_null()) {
      auto on = deparser.deparse(quals);
      if (!on) refusal = "a join condition pgadvisor cannot write back";
      return text + " ON " + on.value_or("");
    }
    if (const auto& using_clause = member(body, "usingClause"); !using_clause.is_null()) {
      std::string columns;
      for (const auto& column : using_clause)
        columns += (columns.empty() ? "" : ", ") + quote_identifier(string_value(column));
      return text + " USING (" + columns + ")";
    }
    if (join->first != "JOIN_INNER") refusal = "an outer join without a condition";
    return text.replace(text.find(" JOIN "), 6, " CROSS JOIN ");
  }
  refusal = kind == "RangeSubselect"  ? "a subquery in FROM"
            : kind == "RangeFunction" ? "a function in FROM"
                                      : "a FROM item pgadvisor does not rewrite";
  return {};
}

void split_conjuncts(const json& node, std::vector<const json*>& out) {
  if (node_kind(node) == "BoolExpr" && node_body(node).value("boolop", "") == "AND_EXPR") {
    for (const auto& arg : member(node_body(node), "args")) split_conjuncts(arg, out);
    return;
  }
  out.push_back(&node);
}

AggregateFilter filter_from(const json& node, const ExpressionDeparser& deparser, std::string& refusal) {
  AggregateFilter filter;
  auto text = deparser.deparse(node);
  if (node_kind(node) != "A_Expr") {
    if (!text) refusal = "a WHERE condition pgadvisor cannot write back";
    filter.text = text.value_or("");
    return filter;
  }
  filter.text = text.value_or("");
  const auto& body = node_body(node);
  const auto& left = member(body, "lexpr");
  if (node_kind(left) != "ColumnRef") return filter;
  const std::string kind = body.value("kind", "");
  const auto& name = member(body, "name");
  const auto& right = member(body, "rexpr");
  if (kind == "AEXPR_OP" && !name.empty() && node_kind(right) != "ColumnRef") {
    auto values = deparser.deparse(right);
    if (!values || values->find('(') != std::string::npos) return filter;  // a function of values: not a constant
    filter.subject = deparser.deparse(left).value_or("");
    filter.op = string_value(name.back());
    filter.values = *values;
  } else if (kind == "AEXPR_IN" && node_kind(right) == "List") {
    std::string values;
    for (const auto& item : member(node_body(right), "items")) {
      auto value = deparser.deparse(item);
      if (!value) return filter;
      values += (values.empty() ? "" : ", ") + *value;
    }
    filter.subject = deparser.deparse(left).value_or("");
    filter.op = string_value(name.back()) == "=" ? "IN" : "NOT IN";
    filter.values = "(" + values + ")";
    if (filter.text.empty()) filter.text = fmt::format("{} {} {}", filter.subject, filter.op, filter.values);
  }
  if (filter.text.empty()) refusal = "a WHERE condition pgadvisor cannot write back";
  return filter;
}

// ORDER BY item → "<position>[ DESC][ NULLS …]": by position, output name, or the output's very expression.
std::optional<std::string> order_item(const json& sort_by, const AggregateQuery& query,
                                      const ExpressionDeparser& deparser) {
  const auto& node = member(sort_by, "node");
  size_t position = 0;
  if (node_kind(node) == "A_Const") {
    const auto text = deparser.constant_text(node_body(node));
    position = static_cast<size_t>(std::max(0L, std::strtol(text.c_str(), nullptr, 10)));
  } else if (auto text = deparser.deparse(node)) {
    for (size_t i = 0; i < query.outputs.size() && position == 0; ++i) {
      if (query.outputs[i].expression == *text || quote_identifier(query.outputs[i].name) == *text) position = i + 1;
    }
  }
  if (position == 0 || position > query.outputs.size()) return std::nullopt;
  std::string item = std::to_string(position);
  const std::string direction = sort_by.value("sortby_dir", "SORTBY_DEFAULT");
  if (direction == "SORTBY_DESC") item += " DESC";
  if (direction == "SORTBY_USING") return std::nullopt;
  const std::string nulls = sort_by.value("sortby_nulls", "SORTBY_NULLS_DEFAULT");
  if (nulls == "SORTBY_NULLS_FIRST") item += " NULLS FIRST";
  if (nulls == "SORTBY_NULLS_LAST") item += " NULLS LAST";
  return item;
}

// Marks an aggregate of HAVING in AggregateQuery::having: kHavingMark, the output's position, kHavingMark.
constexpr char kHavingMark = '\x1e';

// The aggregates in `node` (not looking inside them), and whether a column is named outside of them.
void having_aggregates(const json& node, std::vector<const json*>& aggregates, bool& bare_column) {
  if (node.is_array()) {
    for (const auto& item : node) having_aggregates(item, aggregates, bare_column);
    return;
  }
  if (!node.is_object()) return;
  const std::string_view kind = node_kind(node);
  if (kind == "FuncCall" && aggregate_functions().contains(function_name(node_body(node)))) {
    aggregates.push_back(&node);
    return;
  }
  if (kind == "ColumnRef") bare_column = true;
  for (const auto& [key, value] : node.items()) having_aggregates(value, aggregates, bare_column);
}

// HAVING as a condition on the view's rows (one per group): every aggregate it tests is an output of the query, so
// a column of the view, marked by its output's position; empty with `refusal` set otherwise.
std::string having_text(const json& having, const AggregateQuery& query, const ExpressionDeparser& deparser,
                        std::string& refusal) {
  auto text = deparser.deparse(having);
  if (!text) {
    refusal = "a HAVING condition pgadvisor cannot write back";
    return {};
  }
  std::vector<const json*> aggregates;
  bool bare_column = false;
  having_aggregates(having, aggregates, bare_column);
  if (bare_column) {
    refusal = "HAVING on a column outside an aggregate";
    return {};
  }
  std::vector<std::pair<std::string, size_t>> marks;  // an aggregate's text, the output it is
  for (const json* aggregate : aggregates) {
    auto aggregate_text = deparser.deparse(*aggregate);
    auto output = std::ranges::find_if(query.outputs, [&](const AggregateOutput& o) {
      return o.aggregate && aggregate_text && o.expression == *aggregate_text;
    });
    if (output == query.outputs.end()) {
      refusal =
          fmt::format("HAVING on {}, which the select list does not return", aggregate_text.value_or("an aggregate"));
      return {};
    }
    marks.emplace_back(*aggregate_text, static_cast<size_t>(output - query.outputs.begin()));
  }
  // Longest first, so that no aggregate's text is replaced inside a longer one's.
  std::ranges::sort(marks, [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [aggregate_text, position] : marks) {
    const std::string mark = fmt::format("{}{}{}", kHavingMark, position, kHavingMark);
    for (size_t at = text->find(aggregate_text); at != std::string::npos;
         at = text->find(aggregate_text, at + mark.size())) {
      text->replace(at, aggregate_text.size(), mark);
    }
  }
  return *text;
}

AggregateQuery parse_select(const json& select, std::string_view statement) {
  AggregateQuery query;
  const ExpressionDeparser deparser(statement, true);
  auto refuse = [&](std::string reason) {
    if (query.refusal.empty()) query.refusal = std::move(reason);
  };
  if (select.value("op", "SETOP_NONE") != "SETOP_NONE") refuse("a set operation (UNION, INTERSECT, EXCEPT)");
  if (!member(select, "withClause").is_null()) refuse("a WITH clause");
  if (!member(select, "distinctClause").is_null()) refuse("DISTINCT");
  if (!member(select, "windowClause").is_null()) refuse("a window function");
  if (!member(select, "lockingClause").is_null()) refuse("a row lock (FOR UPDATE)");
  if (!member(select, "intoClause").is_null()) refuse("SELECT INTO");
  if (member(select, "fromClause").empty()) refuse("no FROM clause");
  if (!query.refusal.empty()) return query;
  if (auto reason = unsafe_expression(select); !reason.empty()) {
    refuse(reason);
    return query;
  }

  std::string refusal;
  for (const auto& item : member(select, "fromClause")) {
    query.from += (query.from.empty() ? "" : ", ") + relation_text(item, deparser, refusal);
  }
  if (const auto& where = member(select, "whereClause"); !where.is_null()) {
    std::vector<const json*> conjuncts;
    split_conjuncts(where, conjuncts);
    for (const auto* conjunct : conjuncts) {
      query.filters.push_back(filter_from(*conjunct, deparser, refusal));
      if (query.filters.back().text.empty()) refuse("a WHERE condition pgadvisor cannot write back");
    }
  }
  for (const auto& target : member(select, "targetList")) {
    const auto& body = node_body(target);
    const auto& value = member(body, "val");
    AggregateOutput output;
    auto text = deparser.deparse(value);
    if (!text || text->find('*') == 0 || text->ends_with(".*")) {
      refuse(text ? "a * in the select list" : "a select-list entry pgadvisor cannot write back");
      continue;
    }
    output.expression = *text;
    output.name = member(body, "name").is_string() ? body["name"].get<std::string>() : figure_name(value);
    if (node_kind(value) == "FuncCall" && aggregate_functions().contains(function_name(node_body(value)))) {
      output.aggregate = true;
      output.count = function_name(node_body(value)) == "count";
    }
    query.outputs.push_back(std::move(output));
  }
  for (const auto& item : member(select, "groupClause")) {
    if (node_kind(item) == "A_Const") {
      const auto position = std::strtol(deparser.constant_text(node_body(item)).c_str(), nullptr, 10);
      if (position < 1 || static_cast<size_t>(position) > query.outputs.size()) {
        refuse("GROUP BY a position outside the select list");
        continue;
      }
      query.group_by.push_back(query.outputs[static_cast<size_t>(position) - 1].expression);
    } else if (node_kind(item) == "GroupingSet") {
      refuse("GROUPING SETS, ROLLUP or CUBE");
    } else if (auto text = deparser.deparse(item)) {
      // A bare name that is an output's alias groups by that output (when no input column has the name, which the
      // view's query resolves the same way).
      std::string expression = *text;
      for (const auto& output : query.outputs) {
        if (quote_identifier(output.name) == *text && output.expression != *text && output.name != figure_name(item)) {
          expression = output.expression;
        }
      }
      query.group_by.push_back(expression);
    } else {
      refuse("a GROUP BY expression pgadvisor cannot write back");
    }
  }
  if (const auto& having = member(select, "havingClause"); !having.is_null()) {
    if (query.group_by.empty()) {
      refuse("HAVING without GROUP BY");
    } else {
      query.having = having_text(having, query, deparser, refusal);
    }
  }
  if (query.group_by.empty() && !std::ranges::any_of(query.outputs, &AggregateOutput::aggregate)) {
    refuse("no aggregate and no GROUP BY: a materialized view would copy rows, not summarize them");
  }
  for (const auto& sort_by : member(select, "sortClause")) {
    auto item = order_item(node_body(sort_by), query, deparser);
    if (!item) {
      refuse("ORDER BY something other than a column of the result");
      continue;
    }
    query.order_by.push_back(*item);
  }
  if (const auto& limit = member(select, "limitCount"); !limit.is_null()) {
    query.limit = deparser.deparse(limit).value_or("ALL");
    if (query.order_by.empty()) refuse("LIMIT without ORDER BY: which rows it returns is not defined");
  }
  if (const auto& offset = member(select, "limitOffset"); !offset.is_null()) {
    query.offset = deparser.deparse(offset).value_or("0");
  }
  if (select.value("limitOption", "") == "LIMIT_OPTION_WITH_TIES") refuse("FETCH … WITH TIES");
  if (!refusal.empty()) refuse(refusal);
  return query;
}

// A literal or parameter value without its quotes and cast: `'2026-11-01'::date` → 2026-11-01.
std::string bare_value(std::string_view text) {
  if (const auto cast = text.rfind("::"); cast != std::string_view::npos && text.front() == '\'') {
    text = text.substr(0, cast);
  }
  if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') text = text.substr(1, text.size() - 2);
  return std::string(text);
}

int weekday(int year, int month, int day) {  // 0 = Monday (Zeller's congruence, shifted)
  if (month < 3) {
    month += 12;
    year -= 1;
  }
  const int k = year % 100;
  const int j = year / 100;
  const int h = (day + 13 * (month + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7;  // 0 = Saturday
  return (h + 5) % 7;
}

// Whether a timestamp value (without a time zone: one with an offset is on a boundary of that zone, not the
// session's) starts a bucket of date_trunc's `unit`.
bool on_bucket_boundary(const std::string& value, std::string_view unit) {
  static const std::regex timestamp(R"(^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$)");
  std::smatch m;
  if (!std::regex_match(value, m, timestamp)) return false;
  auto number = [&](size_t group) { return m[group].matched ? std::stoi(m[group].str()) : 0; };
  const bool fraction_zero = !m[7].matched || m[7].str().find_first_not_of('0') == std::string::npos;
  const bool second = number(6) == 0 && fraction_zero;
  const bool minute = second && number(5) == 0;
  const bool hour = minute && number(4) == 0;
  if (unit == "second") return fraction_zero;
  if (unit == "minute") return second;
  if (unit == "hour") return minute;
  if (unit == "day") return hour;
  if (unit == "week") return hour && weekday(number(1), number(2), number(3)) == 0;
  if (unit == "month") return hour && number(3) == 1;
  if (unit == "quarter") return hour && number(3) == 1 && (number(2) - 1) % 3 == 0;
  if (unit == "year") return hour && number(3) == 1 && number(2) == 1;
  return false;
}

// The values of one filter across the class's executions, as bare text (parameters from the parameter sets).
std::vector<std::optional<std::string>> filter_values(const ClassExecutions& executions, size_t filter) {
  std::vector<std::optional<std::string>> values;
  static const std::regex parameter(R"(^\$(\d+)$)");
  for (const auto& query : executions.queries) {
    const std::string& text = query.filters[filter].values;
    std::smatch m;
    if (std::regex_match(text, m, parameter)) {
      const auto index = static_cast<size_t>(std::stoul(m[1].str())) - 1;
      for (const auto& set : executions.parameter_sets)
        values.push_back(index < set.size() ? set[index] : std::nullopt);
    } else {
      // A literal of a $n text is in every execution the parameter sets stand for.
      const size_t executions_of_text = std::max<size_t>(1, executions.parameter_sets.size());
      for (size_t i = 0; i < executions_of_text; ++i) values.emplace_back(bare_value(text));
    }
  }
  return values;
}

// `text` with each $n replaced by the n-th value as a literal (a view's query has no parameters).
std::string with_values(const std::string& text, const ParameterSet& values) {
  static const std::regex parameter(R"(\$(\d+))");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), parameter);
  size_t copied = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto index = static_cast<size_t>(std::stoul((*it)[1].str())) - 1;
    out += text.substr(copied, static_cast<size_t>(it->position()) - copied);
    out += index < values.size() && values[index] ? quote_literal(*values[index]) : std::string("NULL");
    copied = static_cast<size_t>(it->position() + it->length());
  }
  return out + text.substr(copied);
}

std::string unique_name(std::string name, std::set<std::string>& taken) {
  if (name.empty() || name == "?column?") name = "value";
  std::string candidate = name;
  for (int i = 2; taken.contains(candidate); ++i) candidate = fmt::format("{}_{}", name, i);
  taken.insert(candidate);
  return candidate;
}

}  // namespace

AggregateQuery parse_aggregate_query(std::string_view statement) {
  const std::string text(statement);
  const auto parsed = pg_query_adapter::parse_json(text);
  AggregateQuery query;
  if (!parsed) {
    query.refusal = "does not parse: " + parsed.error->message;
    return query;
  }
  const json tree = json::parse(*parsed.value);
  const auto& statements = member(tree, "stmts");
  if (statements.size() != 1 || node_kind(member(statements.front(), "stmt")) != "SelectStmt") {
    query.refusal = "not a single SELECT";
    return query;
  }
  return parse_select(node_body(member(statements.front(), "stmt")), text);
}

ViewDesign design_view(const ClassExecutions& executions) {
  ViewDesign design;
  if (executions.queries.empty()) {
    design.refusal = "no execution to design from";
    return design;
  }
  const AggregateQuery& query = executions.queries.front();
  if (!query.refusal.empty()) {
    design.refusal = query.refusal;
    return design;
  }
  for (const auto& other : executions.queries) {
    if (other.from != query.from || other.outputs != query.outputs || other.group_by != query.group_by ||
        other.filters.size() != query.filters.size()) {
      design.refusal = "executions of the class differ in more than their values";
      return design;
    }
  }
  design.scalar = query.group_by.empty();

  std::set<std::string> taken;
  std::vector<std::string> select_list;
  std::vector<std::string> group_list = query.group_by;
  // The class's outputs, under their own names where free.
  for (const auto& output : query.outputs) {
    const std::string column = unique_name(output.name, taken);
    design.columns.push_back(column);
    design.expressions.push_back(output.expression);
    design.output_columns.push_back(column);
    select_list.push_back(fmt::format("{} AS {}", output.expression, quote_identifier(column)));
  }
  // The view column holding a grouping expression: an output's, or a column of its own.
  std::map<std::string, std::string> grouped;
  for (const auto& key : query.group_by) {
    if (grouped.contains(key)) continue;
    const auto output = std::ranges::find(query.outputs, key, &AggregateOutput::expression);
    if (output != query.outputs.end()) {
      grouped[key] = design.columns[static_cast<size_t>(output - query.outputs.begin())];
    } else {
      const std::string column = unique_name("group", taken);
      design.columns.push_back(column);
      design.expressions.push_back(key);
      select_list.push_back(fmt::format("{} AS {}", key, quote_identifier(column)));
      grouped[key] = column;
    }
    design.unique_key.push_back(grouped[key]);
    design.key_expressions.push_back(key);
  }

  std::vector<std::string> where;
  for (size_t f = 0; f < query.filters.size(); ++f) {
    const AggregateFilter& filter = query.filters[f];
    const auto values = filter_values(executions, f);
    const bool all_equal = std::ranges::all_of(values, [&](const auto& v) { return v == values.front(); });
    const bool same_everywhere = values.size() >= 2 && all_equal;
    // A parameter with fewer than two known values may take any value; literals vary when the samples differ.
    const bool has_parameter = filter.values.find('$') != std::string::npos;
    const bool varies = !all_equal || (has_parameter && values.size() < 2);
    FilterRole role;
    auto keep_fixed = [&](std::string_view why_not_movable) {
      if (varies) {
        design.refusal = fmt::format("the filter {} varies between executions and {}", filter.text, why_not_movable);
        return;
      }
      role.fixed = true;
      role.text = filter.text;
      where.push_back(executions.parameter_sets.empty() ? filter.text
                                                        : with_values(filter.text, executions.parameter_sets.front()));
    };
    if (filter.subject.empty() || same_everywhere) {
      keep_fixed("is not a comparison of a column with values");
    } else if (grouped.contains(filter.subject)) {
      role.column = grouped[filter.subject];  // the query groups by the column: any comparison filters whole groups
    } else if (filter.op == "=") {
      const std::string name = filter.subject.substr(filter.subject.rfind('.') + 1);
      role.column = unique_name(name.front() == '"' ? "filter" : name, taken);
      design.columns.push_back(role.column);
      design.expressions.push_back(filter.subject);
      select_list.push_back(fmt::format("{} AS {}", filter.subject, quote_identifier(role.column)));
      group_list.push_back(filter.subject);
      grouped[filter.subject] = role.column;
      design.unique_key.push_back(role.column);
      design.key_expressions.push_back(filter.subject);
    } else if (filter.op == ">=" || filter.op == "<" || filter.op == ">" || filter.op == "<=") {
      std::string bucket_unit;
      for (const auto& key : query.group_by) {
        static const std::regex bucket(R"(^date_trunc\('([a-z]+)', (.+)\)$)");
        std::smatch m;
        if (std::regex_match(key, m, bucket) && m[2].str() == filter.subject) {
          bucket_unit = m[1].str();
          role.column = grouped[key];
        }
      }
      if (bucket_unit.empty()) {
        keep_fixed(
            fmt::format("ranges over {}, which the query does not group by (continuous values: the view "
                        "would keep every row)",
                        filter.subject));
      } else if (filter.op == ">" || filter.op == "<=") {
        design.refusal = fmt::format(
            "the filter {} cuts a {} bucket at its boundary ({} keeps or drops the whole "
            "bucket, not its first instant); write >= and <",
            filter.text, bucket_unit, filter.op);
      } else if (values.empty()) {
        design.refusal = fmt::format(
            "the bounds of {} are unknown (no sampled values): whether they fall on {} "
            "boundaries cannot be checked",
            filter.text, bucket_unit);
      } else {
        for (const auto& value : values) {
          if (!value || !on_bucket_boundary(*value, bucket_unit)) {
            design.refusal = fmt::format(
                "the filter {} has a bound that is not on a {} boundary ({}): the view's "
                "{} buckets cannot answer it",
                filter.text, bucket_unit, value.value_or("NULL"), bucket_unit);
            break;
          }
        }
      }
    } else {
      keep_fixed(fmt::format("compares {} with {}, which only the query's own grouping could keep", filter.subject,
                             filter.op));
    }
    if (!design.refusal.empty()) return design;
    design.filters.push_back(role);
    if (!role.fixed && std::ranges::find(design.filter_columns, role.column) == design.filter_columns.end()) {
      design.filter_columns.push_back(role.column);
    }
  }
  if (design.unique_key.empty()) {
    design.refusal = "no grouping and no varying filter: the view would hold one row (cache it instead)";
    return design;
  }
  // Columns the view groups by beyond the query's are only those its filters fix in every execution.
  std::string select = "SELECT ";
  for (size_t i = 0; i < select_list.size(); ++i) select += (i ? ", " : "") + select_list[i];
  select += " FROM " + query.from;
  for (size_t i = 0; i < where.size(); ++i) select += (i ? " AND " : " WHERE ") + where[i];
  design.from = query.from;
  design.where = where;
  for (size_t i = 0; i < group_list.size(); ++i) select += (i ? ", " : " GROUP BY ") + group_list[i];
  design.select = std::move(select);
  return design;
}

namespace {

// HAVING's marked aggregates replaced by the view's columns.
std::string having_on_view(const std::string& having, const ViewDesign& design) {
  std::string out;
  for (size_t at = 0; at < having.size();) {
    const size_t mark = having.find(kHavingMark, at);
    out += having.substr(at, mark - at);
    if (mark == std::string::npos) break;
    const size_t end = having.find(kHavingMark, mark + 1);
    const auto position = std::stoul(having.substr(mark + 1, end - mark - 1));
    out += "v." + quote_identifier(design.output_columns.at(position));
    at = end + 1;
  }
  return out;
}

}  // namespace

std::string rewrite_for_view(const AggregateQuery& execution, const ViewDesign& design, std::string_view view) {
  if (!design.refusal.empty() || !execution.refusal.empty() || execution.filters.size() != design.filters.size() ||
      execution.outputs.size() != design.output_columns.size()) {
    return {};
  }
  std::vector<std::string> conditions;
  for (size_t f = 0; f < design.filters.size(); ++f) {
    const FilterRole& role = design.filters[f];
    const AggregateFilter& filter = execution.filters[f];
    if (role.fixed) {
      if (filter.text != role.text) return {};
      continue;
    }
    conditions.push_back(fmt::format("v.{} {} {}", quote_identifier(role.column), filter.op, filter.values));
  }
  if (!execution.having.empty()) conditions.push_back("(" + having_on_view(execution.having, design) + ")");
  std::string where;
  for (size_t i = 0; i < conditions.size(); ++i) where += (i ? " AND " : "") + conditions[i];
  std::string select = "SELECT ";
  for (size_t i = 0; i < execution.outputs.size(); ++i) {
    const std::string column = "v." + quote_identifier(design.output_columns[i]);
    // Over no rows an aggregate query without GROUP BY still returns its one row: counts 0, the others NULL.
    const std::string value =
        design.scalar && execution.outputs[i].count ? fmt::format("coalesce({}, 0)", column) : column;
    select += fmt::format("{}{} AS {}", i ? ", " : "", value, quote_identifier(execution.outputs[i].name));
  }
  if (design.scalar) {
    select += fmt::format(" FROM (SELECT) AS one LEFT JOIN {} AS v ON {}", view, where.empty() ? "true" : where);
  } else {
    select += fmt::format(" FROM {} AS v", view);
    if (!where.empty()) select += " WHERE " + where;
  }
  for (size_t i = 0; i < execution.order_by.size(); ++i) select += (i ? ", " : " ORDER BY ") + execution.order_by[i];
  if (!execution.limit.empty()) select += " LIMIT " + execution.limit;
  if (!execution.offset.empty()) select += " OFFSET " + execution.offset;
  return select;
}

}  // namespace pgadvisor::analyzer
