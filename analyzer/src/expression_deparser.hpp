// Turns the expression nodes of libpg_query's JSON parse tree that appear in predicates back into canonical SQL
// text (`lower(email)`, `'2020-01-01'::date`), so expression and partial indexes can be written from facts.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pgadvisor::analyzer {

//! The kind of a parse-tree node ({"ColumnRef": {...}} → "ColumnRef"), or "" for anything else.
std::string_view node_kind(const nlohmann::json& node);
//! The body of a node ({"ColumnRef": {...}} → {...}), or an empty object.
const nlohmann::json& node_body(const nlohmann::json& node);
//! A member of an object, or null when absent (const nlohmann::json has no safe operator[]).
const nlohmann::json& member(const nlohmann::json& object, std::string_view key);
//! The sval of a {"String": {"sval": …}} node, or "" for anything else.
std::string string_value(const nlohmann::json& node);

//! Quotes an identifier only when it needs it (anything but a lower-case simple name).
std::string quote_identifier(std::string_view name);
//! A standard-conforming SQL string literal: 'it''s'.
std::string quote_literal(std::string_view value);

class ExpressionDeparser {
 public:
  //! statement: the text that was parsed; integer constants are read back from it (see constant_text).
  explicit ExpressionDeparser(std::string_view statement) : statement_(statement) {}
  //! qualified: column references print every field as written (`o.created_at`), for text that must name a
  //! column of one of several relations (a materialized view's query); otherwise the column name only.
  ExpressionDeparser(std::string_view statement, bool qualified) : statement_(statement), qualified_(qualified) {}

  //! Canonical SQL of an expression, or nullopt when it contains a node kind this deparser does not know
  //! (better no text than a wrong index definition). Column references print the column name only, as
  //! in an index expression on that table.
  std::optional<std::string> deparse(const nlohmann::json& node) const;
  //! The SQL literal of an A_Const body: 'text', 42, -1.5, true, NULL.
  std::string constant_text(const nlohmann::json& a_const) const;

 private:
  std::optional<std::string> deparse_operand(const nlohmann::json& node) const;
  std::optional<std::string> deparse_function(const nlohmann::json& call) const;
  std::optional<std::string> deparse_type_cast(const nlohmann::json& cast) const;
  std::optional<std::string> deparse_list(const nlohmann::json& items, std::string_view separator) const;
  std::string integer_at(int location) const;

  std::string_view statement_;  //!< the parsed text, for the integers the JSON tree loses
  bool qualified_ = false;
};

}  // namespace pgadvisor::analyzer
