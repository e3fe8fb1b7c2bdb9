// Filling the placeholders of an sql/ template ("COPY {table} ({columns}) FROM STDIN") safely by construction:
// a value is an SqlFragment, which only the quoting helpers and number formatting can make, and a placeholder is
// only recognised where SQL code is expected; one inside a comment, a string literal, a quoted identifier or a
// dollar-quoted string is a defect of the template, refused before anything is sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgadvisor::pg {

//! A piece of SQL text that is safe wherever an identifier, a literal or a number may stand: made only by the
//! factories below (pg::quote_identifier, pg::quote_qualified, pg::quote_literal, formatted numbers, and comma
//! lists of fragments). There is no way to make one from an arbitrary string.
class SqlFragment {
 public:
  //! A name as quote_identifier writes it. Throws std::invalid_argument for an empty name or a NUL byte.
  static SqlFragment identifier(std::string_view name);
  //! qualifier.name, each quoted by quote_identifier ("public"."t", or c."a" for a column of alias c).
  static SqlFragment qualified(std::string_view qualifier, std::string_view name);
  //! A string literal as quote_literal writes it. Throws std::invalid_argument for a NUL byte.
  static SqlFragment literal(std::string_view value);
  static SqlFragment integer(int64_t value);
  //! A finite number in the shortest form that reads back the same. Throws std::invalid_argument for NaN/inf.
  static SqlFragment number(double value);
  //! "a, b, c". Throws std::invalid_argument for an empty list (no SQL list may be empty where one is expected).
  static SqlFragment list(const std::vector<SqlFragment>& items);
  //! identifier() of each name, as a list.
  static SqlFragment identifiers(const std::vector<std::string>& names);
  //! qualified(qualifier, name) of each name, as a list.
  static SqlFragment qualified_identifiers(std::string_view qualifier, const std::vector<std::string>& names);

  const std::string& sql() const { return text_; }
  bool operator==(const SqlFragment&) const = default;

 private:
  explicit SqlFragment(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

//! A placeholder of a template and where it is.
struct TemplatePlaceholder {
  std::string name;
  size_t offset = 0;  //!< of its '{'
  int line = 0;
};

//! What a template's text holds: its placeholders (in SQL code, in order) and its defects: a placeholder inside
//! a comment, a string literal, a quoted identifier or a dollar quote; a '{' that is not a placeholder; an
//! unterminated comment, literal or quoted identifier.
struct TemplateScan {
  std::vector<TemplatePlaceholder> placeholders;
  std::vector<std::string> problems;  //!< "line 2: placeholder {table} inside a comment"
};

//! Lexes `text` as PostgreSQL does (comments nest, '' and "" double, E'' strings take backslash escapes, $tag$
//! quotes) and reports its placeholders "{name}" (name: [a-z_][a-z0-9_]*) and defects.
TemplateScan scan_template(std::string_view text);

//! The embedded sql/ text `name` with each placeholder replaced by its fragment, in one pass (a value is never
//! scanned for placeholders). Throws std::logic_error (a programming error, naming the file) when the template has
//! a defect, a placeholder has no value, or a value has no placeholder.
std::string fill_template(std::string_view name, const std::vector<std::pair<std::string_view, SqlFragment>>& values);

}  // namespace pgadvisor::pg
