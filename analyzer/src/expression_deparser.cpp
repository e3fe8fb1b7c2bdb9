// A small deparser for the node kinds found in predicates, ORDER BY and select lists: column references,
// constants, parameters, function calls, casts, operators, COLLATE, boolean and null tests, arrays, COALESCE.
#include "expression_deparser.hpp"

#include <fmt/format.h>

#include <cctype>

namespace pgadvisor::analyzer {
namespace {

const nlohmann::json& null_json() {
  static const nlohmann::json null_value;
  return null_value;
}

const nlohmann::json& empty_object() {
  static const nlohmann::json empty = nlohmann::json::object();
  return empty;
}

// Operands that print as one token need no parentheses around them inside a larger expression.
bool is_atomic(std::string_view kind) {
  return kind == "ColumnRef" || kind == "A_Const" || kind == "ParamRef" || kind == "FuncCall" || kind == "TypeCast" ||
         kind == "A_ArrayExpr" || kind == "CoalesceExpr";
}

// Type names come back schema-qualified for SQL-standard spellings (pg_catalog.interval); the short name is
// what a person writes and what PostgreSQL resolves the same way.
std::string type_name_text(const nlohmann::json& type_name) {
  std::string text;
  for (const auto& part : member(type_name, "names")) {
    const std::string name = string_value(part);
    if (name == "pg_catalog") continue;
    if (!text.empty()) text += '.';
    text += quote_identifier(name);
  }
  return text;
}

}  // namespace

std::string_view node_kind(const nlohmann::json& node) {
  if (!node.is_object() || node.size() != 1) return {};
  return node.begin().key();
}

const nlohmann::json& node_body(const nlohmann::json& node) {
  if (!node.is_object() || node.size() != 1) return empty_object();
  return node.begin().value();
}

const nlohmann::json& member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return null_json();
  const auto found = object.find(key);
  return found == object.end() ? null_json() : *found;
}

std::string string_value(const nlohmann::json& node) {
  if (node_kind(node) != "String") return {};
  const auto& sval = member(node_body(node), "sval");
  return sval.is_string() ? sval.get<std::string>() : std::string{};
}

std::string quote_identifier(std::string_view name) {
  bool simple = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) != 0 || name[0] == '_');
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    simple = simple && (std::islower(u) != 0 || std::isdigit(u) != 0 || c == '_' || c == '$');
  }
  if (simple) return std::string(name);
  std::string quoted = "\"";
  for (const char c : name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + '"';
}

std::string quote_literal(std::string_view value) {
  std::string quoted = "'";
  for (const char c : value) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + '\'';
}

std::string ExpressionDeparser::constant_text(const nlohmann::json& a_const) const {
  if (member(a_const, "isnull").is_boolean() && member(a_const, "isnull").get<bool>()) return "NULL";
  if (const auto& ival = member(a_const, "ival"); ival.is_object()) {
    const auto& value = member(ival, "ival");
    return value.is_number_integer() ? std::to_string(value.get<long long>())
                                     : integer_at(a_const.value("location", -1));
  }
  if (const auto& fval = member(a_const, "fval"); fval.is_object()) return member(fval, "fval").get<std::string>();
  if (const auto& sval = member(a_const, "sval"); sval.is_object()) {
    const auto& value = member(sval, "sval");
    return quote_literal(value.is_string() ? value.get<std::string>() : std::string{});
  }
  if (const auto& boolval = member(a_const, "boolval"); boolval.is_object()) {
    const auto& value = member(boolval, "boolval");
    return value.is_boolean() && value.get<bool>() ? "true" : "false";
  }
  if (const auto& bsval = member(a_const, "bsval"); bsval.is_object()) {
    const std::string bits = member(bsval, "bsval").get<std::string>();  // "b0101" or "x1F"
    return bits.empty() ? "B''" : fmt::format("{}'{}'", static_cast<char>(std::toupper(bits[0])), bits.substr(1));
  }
  return "NULL";
}

// libpg_query 15-4.0's JSON output drops integer values that are not positive ("ival": {} for 0 and -1), so
// the integer is read back from the statement text at the constant's location.
std::string ExpressionDeparser::integer_at(int location) const {
  if (location < 0 || static_cast<size_t>(location) >= statement_.size()) return "0";
  std::string digits;
  auto i = static_cast<size_t>(location);
  if (statement_[i] == '-') {
    digits += '-';
    ++i;
    while (i < statement_.size() && std::isspace(static_cast<unsigned char>(statement_[i])) != 0) ++i;
  }
  while (i < statement_.size() &&
         (std::isdigit(static_cast<unsigned char>(statement_[i])) != 0 || statement_[i] == '_')) {
    if (statement_[i] != '_') digits += statement_[i];
    ++i;
  }
  return digits.empty() || digits == "-" ? "0" : digits;
}

std::optional<std::string> ExpressionDeparser::deparse(const nlohmann::json& node) const {
  const std::string_view kind = node_kind(node);
  const auto& body = node_body(node);
  if (kind == "ColumnRef") {
    const auto& fields = member(body, "fields");
    if (fields.empty()) return std::nullopt;
    if (qualified_) {
      std::string text;
      for (const auto& field : fields) {
        if (!text.empty()) text += '.';
        text += node_kind(field) == "A_Star" ? std::string("*") : quote_identifier(string_value(field));
      }
      return text;
    }
    const auto& last = fields.back();
    return node_kind(last) == "A_Star" ? std::string("*") : quote_identifier(string_value(last));
  }
  if (kind == "A_Const") return constant_text(body);
  if (kind == "ParamRef") return fmt::format("${}", body.value("number", 0));
  if (kind == "FuncCall") return deparse_function(body);
  if (kind == "TypeCast") return deparse_type_cast(body);
  if (kind == "CollateClause") {
    auto arg = deparse_operand(member(body, "arg"));
    if (!arg) return std::nullopt;
    std::string collation;
    for (const auto& part : member(body, "collname")) {
      if (!collation.empty()) collation += '.';
      collation += fmt::format("\"{}\"", string_value(part));
    }
    return fmt::format("{} COLLATE {}", *arg, collation);
  }
  if (kind == "A_Expr" && body.value("kind", "") == "AEXPR_OP") {
    const auto& name = member(body, "name");
    if (name.empty()) return std::nullopt;
    const std::string op = string_value(name.back());
    auto right = deparse_operand(member(body, "rexpr"));
    if (!right) return std::nullopt;
    if (member(body, "lexpr").is_null()) return fmt::format("{}{}", op, *right);
    auto left = deparse_operand(member(body, "lexpr"));
    if (!left) return std::nullopt;
    return fmt::format("{} {} {}", *left, op, *right);
  }
  if (kind == "BoolExpr") {
    const std::string boolop = body.value("boolop", "");
    if (boolop == "NOT_EXPR") {
      auto arg = deparse_operand(member(body, "args").at(0));
      return arg ? std::optional(fmt::format("NOT {}", *arg)) : std::nullopt;
    }
    return deparse_list(member(body, "args"), boolop == "AND_EXPR" ? " AND " : " OR ");
  }
  if (kind == "NullTest") {
    auto arg = deparse_operand(member(body, "arg"));
    if (!arg) return std::nullopt;
    return fmt::format("{} {}", *arg, body.value("nulltesttype", "") == "IS_NULL" ? "IS NULL" : "IS NOT NULL");
  }
  if (kind == "A_ArrayExpr") {
    auto elements = deparse_list(member(body, "elements"), ", ");
    return elements ? std::optional(fmt::format("ARRAY[{}]", *elements)) : std::nullopt;
  }
  if (kind == "CoalesceExpr") {
    auto args = deparse_list(member(body, "args"), ", ");
    return args ? std::optional(fmt::format("coalesce({})", *args)) : std::nullopt;
  }
  return std::nullopt;
}

// Wraps compound operands in parentheses so that the text keeps the tree's grouping.
std::optional<std::string> ExpressionDeparser::deparse_operand(const nlohmann::json& node) const {
  auto text = deparse(node);
  if (!text || is_atomic(node_kind(node))) return text;
  return fmt::format("({})", *text);
}

std::optional<std::string> ExpressionDeparser::deparse_list(const nlohmann::json& items,
                                                            std::string_view separator) const {
  std::string text;
  for (const auto& item : items) {
    auto part = deparse_operand(item);
    if (!part) return std::nullopt;
    if (!text.empty()) text += separator;
    text += *part;
  }
  return text;
}

std::optional<std::string> ExpressionDeparser::deparse_function(const nlohmann::json& call) const {
  // Window functions and aggregates with ORDER BY or FILTER are not index material; no text for them.
  if (!member(call, "over").is_null() || !member(call, "agg_order").is_null() ||
      !member(call, "agg_filter").is_null()) {
    return std::nullopt;
  }
  std::string name;
  for (const auto& part : member(call, "funcname")) {
    const std::string piece = string_value(part);
    if (piece == "pg_catalog") continue;
    if (!name.empty()) name += '.';
    name += quote_identifier(piece);
  }
  if (call.value("agg_star", false)) return fmt::format("{}(*)", name);
  auto args = deparse_list(member(call, "args"), ", ");
  if (!args) return std::nullopt;
  return fmt::format("{}({}{})", name, call.value("agg_distinct", false) ? "DISTINCT " : "", *args);
}

std::optional<std::string> ExpressionDeparser::deparse_type_cast(const nlohmann::json& cast) const {
  auto arg = deparse_operand(member(cast, "arg"));
  if (!arg) return std::nullopt;
  const auto& type_name = member(cast, "typeName");
  std::string type = type_name_text(type_name);
  if (const auto& typmods = member(type_name, "typmods"); !typmods.is_null()) {
    auto modifiers = deparse_list(typmods, ", ");
    if (!modifiers) return std::nullopt;
    type += fmt::format("({})", *modifiers);
  }
  for (size_t i = 0; i < member(type_name, "arrayBounds").size(); ++i) type += "[]";
  return fmt::format("{}::{}", *arg, type);
}

}  // namespace pgadvisor::analyzer
