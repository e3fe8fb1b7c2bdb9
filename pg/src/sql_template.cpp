// SqlFragment's factories and the template lexer (PostgreSQL's scan.l rules for comments, literals, quoted
// identifiers and dollar quotes; everything else is SQL code, where placeholders may stand).
#include "pg/sql_template.hpp"

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "pg/quote.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::pg {

SqlFragment SqlFragment::identifier(std::string_view name) { return SqlFragment(quote_identifier(name)); }

SqlFragment SqlFragment::qualified(std::string_view qualifier, std::string_view name) {
  if (qualifier.empty()) throw std::invalid_argument("a qualified name needs its qualifier (schema or alias)");
  return SqlFragment(quote_qualified(qualifier, name));
}

SqlFragment SqlFragment::literal(std::string_view value) { return SqlFragment(quote_literal(value)); }

SqlFragment SqlFragment::integer(int64_t value) { return SqlFragment(fmt::format("{}", value)); }

SqlFragment SqlFragment::number(double value) {
  if (!std::isfinite(value)) throw std::invalid_argument("an SQL number must be finite");
  return SqlFragment(fmt::format("{}", value));
}

SqlFragment SqlFragment::list(const std::vector<SqlFragment>& items) {
  if (items.empty()) throw std::invalid_argument("an SQL list cannot be empty");
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item.sql();
  }
  return SqlFragment(std::move(out));
}

SqlFragment SqlFragment::identifiers(const std::vector<std::string>& names) {
  std::vector<SqlFragment> items;
  items.reserve(names.size());
  for (const auto& n : names) items.push_back(identifier(n));
  return list(items);
}

SqlFragment SqlFragment::qualified_identifiers(std::string_view qualifier, const std::vector<std::string>& names) {
  std::vector<SqlFragment> items;
  items.reserve(names.size());
  for (const auto& n : names) items.push_back(qualified(qualifier, n));
  return list(items);
}

namespace {

bool is_ident_start(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$'; }
bool is_placeholder_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool is_placeholder_char(char c) { return is_placeholder_start(c) || (c >= '0' && c <= '9'); }

// The length of "{name}" at `at`, 0 when there is none.
size_t placeholder_at(std::string_view text, size_t at) {
  if (at + 2 >= text.size() || text[at] != '{' || !is_placeholder_start(text[at + 1])) return 0;
  size_t end = at + 1;
  while (end < text.size() && is_placeholder_char(text[end])) ++end;
  return end < text.size() && text[end] == '}' ? end + 1 - at : 0;
}

class TemplateLexer {
 public:
  explicit TemplateLexer(std::string_view text) : text_(text) {}

  TemplateScan run() {
    while (at_ < text_.size()) code_step();
    return std::move(scan_);
  }

 private:
  char peek(size_t ahead = 0) const { return at_ + ahead < text_.size() ? text_[at_ + ahead] : '\0'; }
  void advance(size_t n = 1) {
    for (size_t i = 0; i < n && at_ < text_.size(); ++i, ++at_) {
      if (text_[at_] == '\n') ++line_;
    }
  }
  void problem(int line, const std::string& what) { scan_.problems.push_back(fmt::format("line {}: {}", line, what)); }

  // Inside a comment, literal or quoted identifier: a placeholder there would be pasted where no quoting applies.
  void check_quoted_char(const char* where) {
    if (size_t n = placeholder_at(text_, at_); n > 0) {
      problem(line_, fmt::format("placeholder {} inside a {}", text_.substr(at_, n), where));
    }
  }

  void code_step() {
    char c = peek();
    bool after_ident = at_ > 0 && is_ident_char(text_[at_ - 1]);
    if (c == '-' && peek(1) == '-') {
      line_comment();
    } else if (c == '/' && peek(1) == '*') {
      block_comment();
    } else if (c == '\'') {
      bool extended =
          at_ > 0 && (text_[at_ - 1] == 'E' || text_[at_ - 1] == 'e') && (at_ < 2 || !is_ident_char(text_[at_ - 2]));
      quoted('\'', extended, "string literal");
    } else if (c == '"') {
      quoted('"', false, "quoted identifier");
    } else if (c == '$' && !after_ident && dollar_quote()) {
      // consumed
    } else if (c == '{') {
      if (size_t n = placeholder_at(text_, at_); n > 0) {
        scan_.placeholders.push_back({std::string(text_.substr(at_ + 1, n - 2)), at_, line_});
        advance(n);
      } else {
        problem(line_, "a '{' that is not a placeholder {name}");
        advance();
      }
    } else {
      advance();
    }
  }

  void line_comment() {
    while (at_ < text_.size() && peek() != '\n' && peek() != '\r') {
      check_quoted_char("comment");
      advance();
    }
  }

  void block_comment() {
    int start = line_;
    int depth = 0;
    while (at_ < text_.size()) {
      if (peek() == '/' && peek(1) == '*') {
        ++depth;
        advance(2);
      } else if (peek() == '*' && peek(1) == '/') {
        advance(2);
        if (--depth == 0) return;
      } else {
        check_quoted_char("comment");
        advance();
      }
    }
    problem(start, "unterminated /* comment");
  }

  void quoted(char quote, bool backslash_escapes, const char* where) {
    int start = line_;
    advance();
    while (at_ < text_.size()) {
      char c = peek();
      if ((backslash_escapes && c == '\\') || (c == quote && peek(1) == quote)) {
        advance(2);  // an escaped character or a doubled quote
      } else if (c == quote) {
        advance();
        return;
      } else {
        check_quoted_char(where);
        advance();
      }
    }
    problem(start, fmt::format("unterminated {}", where));
  }

  // $tag$ … $tag$ (tag empty or an identifier without '$'); false when '$' starts no dollar quote ($1, a lone $).
  bool dollar_quote() {
    size_t end = at_ + 1;
    if (end < text_.size() && is_ident_start(text_[end])) {
      while (end < text_.size() && is_ident_char(text_[end]) && text_[end] != '$') ++end;
    }
    if (end >= text_.size() || text_[end] != '$') return false;
    std::string_view delimiter = text_.substr(at_, end + 1 - at_);
    int start = line_;
    advance(delimiter.size());
    while (at_ < text_.size()) {
      if (text_.substr(at_, delimiter.size()) == delimiter) {
        advance(delimiter.size());
        return true;
      }
      check_quoted_char("dollar-quoted string");
      advance();
    }
    problem(start, "unterminated dollar-quoted string");
    return true;
  }

  std::string_view text_;
  size_t at_ = 0;
  int line_ = 1;
  TemplateScan scan_;
};

}  // namespace

TemplateScan scan_template(std::string_view text) { return TemplateLexer(text).run(); }

std::string fill_template(std::string_view name, const std::vector<std::pair<std::string_view, SqlFragment>>& values) {
  std::string_view text = sql::text(name);
  auto where = [&](const std::string& what) { return std::logic_error(fmt::format("sql/{}.sql: {}", name, what)); };
  auto scan = scan_template(text);
  if (!scan.problems.empty()) throw where(scan.problems.front());
  std::map<std::string_view, const SqlFragment*> by_name;
  for (const auto& [placeholder, value] : values) {
    if (!by_name.emplace(placeholder, &value).second) throw where(fmt::format("two values for {{{}}}", placeholder));
  }
  std::set<std::string_view> used;
  std::string out;
  out.reserve(text.size() + 64);
  size_t at = 0;
  for (const auto& p : scan.placeholders) {
    auto value = by_name.find(p.name);
    if (value == by_name.end()) throw where(fmt::format("line {}: no value for {{{}}}", p.line, p.name));
    out.append(text.substr(at, p.offset - at));
    out += value->second->sql();
    used.insert(value->first);
    at = p.offset + p.name.size() + 2;
  }
  out.append(text.substr(at));
  for (const auto& [placeholder, value] : by_name) {
    if (!used.contains(placeholder)) throw where(fmt::format("no placeholder {{{}}} for its value", placeholder));
  }
  return out;
}

}  // namespace pgadvisor::pg
