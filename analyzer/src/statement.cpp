// Statement splitting (psql's rules on our tokenizer), statement kinds, and the slow path that asks libpg_query
// about one statement. The kind comes from the leading tokens when they tell for sure, else from the parse tree.
#include "analyzer/statement.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#include <nlohmann/json.hpp>

#include "pg_query_adapter.hpp"

namespace pgadvisor::analyzer {
namespace {

StatementError to_statement_error(const pg_query_adapter::ParseError& e) { return {e.message, e.position}; }

// Tracks psql's heuristic for CREATE [OR REPLACE] {FUNCTION|PROCEDURE} ... BEGIN ATOMIC ... END bodies, whose
// semicolons do not end the statement (psqlscan.l, PostgreSQL 15): the first four words are remembered, and at
// parenthesis depth 0 BEGIN opens a block, CASE opens one inside a block, END closes one.
class AtomicBodyTracker {
 public:
  void word(std::string_view text, const Token& t, int paren_depth) {
    if (words_ == 0 && !is_keyword(text, t, "create")) words_ = kNotRoutine;
    if (words_ == kNotRoutine) return;  // the common case, kept cheap
    if (words_ < leading_.size()) {
      static constexpr std::array<std::string_view, 5> kTracked = {"create", "function", "procedure", "or", "replace"};
      for (const std::string_view k : kTracked) {
        if (is_keyword(text, t, k)) leading_[words_] = k[0];
      }
    }
    ++words_;
    const bool routine = leading_[0] == 'c' &&
                         (leading_[1] == 'f' || leading_[1] == 'p' ||
                          (leading_[1] == 'o' && leading_[2] == 'r' && (leading_[3] == 'f' || leading_[3] == 'p')));
    if (!routine || paren_depth != 0) return;
    if (is_keyword(text, t, "begin")) {
      ++depth_;
    } else if (is_keyword(text, t, "case")) {
      if (depth_ >= 1) ++depth_;
    } else if (is_keyword(text, t, "end")) {
      if (depth_ > 0) --depth_;
    }
  }
  bool inside_body() const { return depth_ > 0; }

 private:
  static constexpr size_t kNotRoutine = SIZE_MAX;  //!< the statement does not start with CREATE
  std::array<char, 4> leading_{};
  size_t words_ = 0;
  int depth_ = 0;
};

bool is_punct(std::string_view text, const Token& t, char c) {
  return t.kind == TokenKind::Punctuation && t.end - t.begin == 1 && text[t.begin] == c;
}

// The top-level node of a parse tree, as pg_query_parse names it, mapped to a kind.
StatementKind kind_of_node(std::string_view node) {
  static const std::pair<std::string_view, StatementKind> kExact[] = {
      {"SelectStmt", StatementKind::Select},
      {"InsertStmt", StatementKind::Insert},
      {"UpdateStmt", StatementKind::Update},
      {"DeleteStmt", StatementKind::Delete},
      {"MergeStmt", StatementKind::Merge},
      {"TransactionStmt", StatementKind::Transaction},
      {"VariableSetStmt", StatementKind::Configuration},
      {"VariableShowStmt", StatementKind::Configuration},
      {"ConstraintsSetStmt", StatementKind::Configuration},
      {"AlterSystemStmt", StatementKind::Configuration},
      {"ExplainStmt", StatementKind::Explain},
      {"CopyStmt", StatementKind::Copy},
      {"VacuumStmt", StatementKind::Maintenance},
      {"ClusterStmt", StatementKind::Maintenance},
      {"ReindexStmt", StatementKind::Maintenance},
      {"CheckPointStmt", StatementKind::Maintenance},
      {"RefreshMatViewStmt", StatementKind::Maintenance},
      {"PrepareStmt", StatementKind::Prepared},
      {"ExecuteStmt", StatementKind::Prepared},
      {"DeallocateStmt", StatementKind::Prepared},
      {"IndexStmt", StatementKind::Ddl},
      {"ViewStmt", StatementKind::Ddl},
      {"DefineStmt", StatementKind::Ddl},
      {"CompositeTypeStmt", StatementKind::Ddl},
      {"RuleStmt", StatementKind::Ddl},
      {"RenameStmt", StatementKind::Ddl},
      {"CommentStmt", StatementKind::Ddl},
      {"GrantStmt", StatementKind::Ddl},
      {"GrantRoleStmt", StatementKind::Ddl},
      {"SecLabelStmt", StatementKind::Ddl},
      {"ImportForeignSchemaStmt", StatementKind::Ddl},
      {"ReassignOwnedStmt", StatementKind::Ddl},
      {"TruncateStmt", StatementKind::Ddl},
  };
  for (const auto& [name, kind] : kExact) {
    if (node == name) return kind;
  }
  if (node.starts_with("Create") || node.starts_with("Alter") || node.starts_with("Drop")) return StatementKind::Ddl;
  return StatementKind::Utility;
}

// The main statement after WITH's common table expressions: the first depth-0 token right after a ')' closing a
// CTE body that is not AS or ','. Anything else (SEARCH/CYCLE clauses...) is left to the parse tree.
std::optional<StatementKind> kind_after_with(std::string_view text, std::span<const Token> tokens) {
  int depth = 0;
  bool after_close = false;
  for (size_t k = 1; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (is_punct(text, t, '(')) {
      if (depth == 0 && after_close) return StatementKind::Select;  // WITH x AS (...) (SELECT ...)
      ++depth;
      after_close = false;
      continue;
    }
    if (is_punct(text, t, ')')) {
      --depth;
      after_close = depth == 0;
      continue;
    }
    if (depth != 0) continue;
    if (after_close && !is_punct(text, t, ',') && !is_keyword(text, t, "as")) {
      static constexpr std::pair<std::string_view, StatementKind> kMain[] = {
          {"select", StatementKind::Select}, {"values", StatementKind::Select}, {"table", StatementKind::Select},
          {"insert", StatementKind::Insert}, {"update", StatementKind::Update}, {"delete", StatementKind::Delete},
          {"merge", StatementKind::Merge}};
      for (const auto& [word, kind] : kMain) {
        if (t.kind == TokenKind::Word && is_keyword(text, t, word)) return kind;
      }
      return std::nullopt;
    }
    after_close = false;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(StatementKind kind) {
  switch (kind) {
    case StatementKind::Select:
      return "select";
    case StatementKind::Insert:
      return "insert";
    case StatementKind::Update:
      return "update";
    case StatementKind::Delete:
      return "delete";
    case StatementKind::Merge:
      return "merge";
    case StatementKind::Ddl:
      return "ddl";
    case StatementKind::Transaction:
      return "transaction";
    case StatementKind::Configuration:
      return "configuration";
    case StatementKind::Explain:
      return "explain";
    case StatementKind::Copy:
      return "copy";
    case StatementKind::Maintenance:
      return "maintenance";
    case StatementKind::Prepared:
      return "prepared";
    case StatementKind::Utility:
      return "utility";
    case StatementKind::Invalid:
      return "invalid";
  }
  return "invalid";
}

std::vector<StatementTokens> split_statements(std::string_view text, std::span<const Token> tokens) {
  std::vector<StatementTokens> out;
  split_statements(text, tokens, out);
  return out;
}

void split_statements(std::string_view text, std::span<const Token> tokens, std::vector<StatementTokens>& out) {
  out.clear();
  size_t first = 0;
  int paren_depth = 0;
  AtomicBodyTracker atomic;
  auto close = [&](size_t end) {
    if (end > first) {
      const size_t offset = tokens[first].begin;
      out.push_back(StatementTokens{{offset, tokens[end - 1].end - offset}, first, end});
    }
    first = end + 1;
    paren_depth = 0;
    atomic = AtomicBodyTracker{};
  };
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (t.kind == TokenKind::Word) {
      atomic.word(text, t, paren_depth);
    } else if (is_punct(text, t, '(')) {
      ++paren_depth;
    } else if (is_punct(text, t, ')')) {
      --paren_depth;
    } else if (is_punct(text, t, ';') && !atomic.inside_body()) {
      // Unlike psql we also split inside parentheses: a ';' there is a syntax error anyway, and splitting keeps
      // an unbalanced '(' from swallowing the statements after it.
      close(k);
    }
  }
  close(tokens.size());
}

std::vector<StatementSpan> split_statements(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, tokens);
  std::vector<StatementSpan> spans;
  for (const StatementTokens& s : split_statements(text, tokens)) spans.push_back(s.span);
  return spans;
}

size_t error_byte_offset(std::string_view statement, int position) {
  if (position <= 1) return 0;
  int characters = 0;
  for (size_t k = 0; k < statement.size(); ++k) {
    // PostgreSQL counts characters (pg_mbstrlen); UTF-8 continuation bytes are 10xxxxxx.
    if ((static_cast<unsigned char>(statement[k]) & 0xC0) != 0x80 && ++characters == position) return k;
  }
  return statement.size();
}

std::string fingerprint_hex(uint64_t fingerprint) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(16, '0');
  for (int k = 15; k >= 0; --k, fingerprint >>= 4) hex[static_cast<size_t>(k)] = kDigits[fingerprint & 0xf];
  return hex;
}

std::optional<StatementKind> kind_from_tokens(std::string_view text, std::span<const Token> tokens) {
  if (tokens.empty()) return std::nullopt;
  const Token& t = tokens[0];
  if (is_punct(text, t, '(')) return StatementKind::Select;
  if (t.kind != TokenKind::Word) return std::nullopt;
  static constexpr std::pair<std::string_view, StatementKind> kFirstWord[] = {
      {"select", StatementKind::Select},
      {"values", StatementKind::Select},
      {"table", StatementKind::Select},
      {"insert", StatementKind::Insert},
      {"update", StatementKind::Update},
      {"delete", StatementKind::Delete},
      {"merge", StatementKind::Merge},
      {"create", StatementKind::Ddl},
      {"drop", StatementKind::Ddl},
      {"comment", StatementKind::Ddl},
      {"grant", StatementKind::Ddl},
      {"revoke", StatementKind::Ddl},
      {"truncate", StatementKind::Ddl},
      {"security", StatementKind::Ddl},
      {"import", StatementKind::Ddl},
      {"reassign", StatementKind::Ddl},
      {"begin", StatementKind::Transaction},
      {"start", StatementKind::Transaction},
      {"commit", StatementKind::Transaction},
      {"end", StatementKind::Transaction},
      {"rollback", StatementKind::Transaction},
      {"abort", StatementKind::Transaction},
      {"savepoint", StatementKind::Transaction},
      {"release", StatementKind::Transaction},
      {"set", StatementKind::Configuration},
      {"reset", StatementKind::Configuration},
      {"show", StatementKind::Configuration},
      {"explain", StatementKind::Explain},
      {"copy", StatementKind::Copy},
      {"vacuum", StatementKind::Maintenance},
      {"analyze", StatementKind::Maintenance},
      {"analyse", StatementKind::Maintenance},
      {"cluster", StatementKind::Maintenance},
      {"reindex", StatementKind::Maintenance},
      {"checkpoint", StatementKind::Maintenance},
      {"refresh", StatementKind::Maintenance},
      {"execute", StatementKind::Prepared},
      {"deallocate", StatementKind::Prepared},
      {"lock", StatementKind::Utility},
      {"listen", StatementKind::Utility},
      {"notify", StatementKind::Utility},
      {"unlisten", StatementKind::Utility},
      {"do", StatementKind::Utility},
      {"call", StatementKind::Utility},
      {"declare", StatementKind::Utility},
      {"fetch", StatementKind::Utility},
      {"move", StatementKind::Utility},
      {"close", StatementKind::Utility},
      {"discard", StatementKind::Utility},
      {"load", StatementKind::Utility},
  };
  for (const auto& [word, kind] : kFirstWord) {
    if (is_keyword(text, t, word)) return kind;
  }
  const bool has_second = tokens.size() > 1 && tokens[1].kind == TokenKind::Word;
  if (is_keyword(text, t, "alter")) {
    return has_second && is_keyword(text, tokens[1], "system") ? StatementKind::Configuration : StatementKind::Ddl;
  }
  if (is_keyword(text, t, "prepare")) {
    return has_second && is_keyword(text, tokens[1], "transaction") ? StatementKind::Transaction
                                                                    : StatementKind::Prepared;
  }
  if (is_keyword(text, t, "with")) return kind_after_with(text, tokens);
  return std::nullopt;
}

StatementKind kind_from_parse_tree(std::string_view statement) {
  const auto tree = pg_query_adapter::parse_json(std::string(statement));
  if (!tree) return StatementKind::Invalid;
  const auto json = nlohmann::json::parse(*tree.value);
  const auto& stmts = json.at("stmts");
  if (stmts.empty()) return StatementKind::Utility;
  const auto& stmt = stmts.at(0).at("stmt");
  return kind_of_node(stmt.begin().key());
}

StatementInfo describe_statement(std::string_view statement) {
  std::vector<Token> tokens;
  tokenize(statement, tokens);
  return describe_statement(statement, statement, tokens);
}

StatementInfo describe_statement(std::string_view statement, std::string_view text, std::span<const Token> tokens) {
  // libpg_query reads a C string; a buffer per thread saves an allocation per statement.
  thread_local std::string buffer;
  buffer.assign(statement);
  const auto fp = pg_query_adapter::fingerprint_value(buffer.c_str());
  if (!fp) return StatementInfo{0, StatementKind::Invalid, to_statement_error(*fp.error)};
  const auto kind = kind_from_tokens(text, tokens);
  return StatementInfo{*fp.value, kind ? *kind : kind_from_parse_tree(statement), std::nullopt};
}

NormalizedText normalize_statement(std::string_view statement) {
  const auto normalized = pg_query_adapter::normalize(std::string(statement));
  if (!normalized) return NormalizedText{std::nullopt, to_statement_error(*normalized.error)};
  return NormalizedText{*normalized.value, std::nullopt};
}

}  // namespace pgadvisor::analyzer
