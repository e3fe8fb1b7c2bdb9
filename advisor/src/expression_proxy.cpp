// The expression-index proxy: a token-level rewrite of the query, so that comments, case and spacing inside the
// call do not matter and string literals are never touched.
#include "advisor/expression_proxy.hpp"

#include <algorithm>
#include <cctype>

#include "analyzer/sql_tokenizer.hpp"

namespace pgadvisor::advisor {
namespace {

bool is_plain_name(std::string_view s) {
  return !s.empty() && analyzer::is_sql_ident_start(static_cast<unsigned char>(s[0])) &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return analyzer::is_sql_ident_cont(static_cast<unsigned char>(c)); });
}

bool same_name(std::string_view text, const analyzer::Token& t, std::string_view lower_name) {
  return t.kind == analyzer::TokenKind::Word && analyzer::is_keyword(text, t, lower_name);
}

bool is_punctuation(std::string_view text, const analyzer::Token& t, char c) {
  return t.kind == analyzer::TokenKind::Punctuation && t.end == t.begin + 1 && text[t.begin] == c;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> single_column_function(std::string_view expression) {
  auto open = expression.find('(');
  if (open == std::string_view::npos || expression.empty() || expression.back() != ')') return std::nullopt;
  std::string_view function = expression.substr(0, open);
  std::string_view column = expression.substr(open + 1, expression.size() - open - 2);
  if (!is_plain_name(function) || !is_plain_name(column)) return std::nullopt;
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  return std::pair{lower(function), lower(column)};
}

std::optional<std::string> replace_function_call(std::string_view text, std::string_view function,
                                                 std::string_view column) {
  std::vector<analyzer::Token> tokens;
  analyzer::tokenize(text, tokens);
  std::string out;
  size_t copied = 0;  // bytes of text already in out
  bool replaced = false;
  for (size_t i = 0; i + 3 < tokens.size(); ++i) {
    if (!same_name(text, tokens[i], function) || !is_punctuation(text, tokens[i + 1], '(')) continue;
    // function ( column )  or  function ( alias . column )
    size_t column_at = i + 2;
    if (column_at + 2 < tokens.size() && is_punctuation(text, tokens[column_at + 1], '.')) column_at += 2;
    if (column_at + 1 >= tokens.size() || !same_name(text, tokens[column_at], column) ||
        !is_punctuation(text, tokens[column_at + 1], ')')) {
      continue;
    }
    out.append(text.substr(copied, tokens[i].begin - copied));
    out.append(text.substr(tokens[i + 2].begin, tokens[column_at].end - tokens[i + 2].begin));  // [alias.]column
    copied = tokens[column_at + 1].end;
    i = column_at + 1;
    replaced = true;
  }
  if (!replaced) return std::nullopt;
  out.append(text.substr(copied));
  return out;
}

std::optional<ExpressionProxy> expression_proxy(const WorkloadQuery& query,
                                                std::span<const IndexCandidate> configuration) {
  ExpressionProxy proxy{query, {configuration.begin(), configuration.end()}, {}};
  bool used = false;
  for (auto& index : proxy.configuration) {
    bool changed = false;
    std::string original_name = index.name();
    for (auto& key : index.keys) {
      if (key.expression.empty()) continue;
      auto call = single_column_function(key.expression);
      if (!call) continue;
      auto rewritten = replace_function_call(proxy.query.text, call->first, call->second);
      if (!rewritten) continue;
      proxy.query.text = std::move(*rewritten);
      for (auto& e : proxy.query.executions) {
        if (auto r = replace_function_call(e.text, call->first, call->second)) e.text = std::move(*r);
      }
      key.column = call->second;
      key.expression.clear();
      // A covering index of lower(email) may INCLUDE email; as a key, the column must leave INCLUDE (HypoPG refuses
      // included columns that are also keys).
      std::erase(index.include, key.column);
      changed = true;
    }
    if (changed) {
      index.assigned_name.clear();  // the proxy is another index: its own derived name tells it apart in plans
      proxy.renames.emplace_back(index.name(), original_name);
      used = true;
    }
  }
  if (!used) return std::nullopt;
  return proxy;
}

}  // namespace pgadvisor::advisor
