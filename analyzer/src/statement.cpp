// Statement splitting (psql's rules on our tokenizer), statement kinds, and the slow path that asks libpg_query
// about one statement. The kind comes from the leading tokens when they tell for sure, else from the parse tree.
#include "analyzer/statement.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

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

// ASCII case-insensitive comparison with a lower-case keyword, as is_keyword compares a Word token.
bool equals_keyword(std::string_view word, std::string_view lower_keyword) {
  if (word.size() != lower_keyword.size()) return false;
  for (size_t k = 0; k < lower_keyword.size(); ++k) {
    char c = word[k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_keyword[k]) return false;
  }
  return true;
}

// The kind told by a statement's first word alone (ALTER, PREPARE and WITH need more, see kind_from_tokens).
// This runs for every statement on the quick path: words of up to 8 bytes are compared as one integer, against
// the keywords of their length only.
std::optional<StatementKind> kind_of_first_word(std::string_view word) {
  struct Entry {
    uint64_t packed;  //!< the keyword's bytes, the first one lowest
    StatementKind kind;
  };
  using K = StatementKind;
  static constexpr auto pack = [](std::string_view w) {
    uint64_t v = 0;
    for (size_t k = 0; k < w.size(); ++k) v |= uint64_t{static_cast<unsigned char>(w[k])} << (8 * k);
    return v;
  };
  static constexpr Entry kLength2[] = {{pack("do"), K::Utility}};
  static constexpr Entry kLength3[] = {{pack("end"), K::Transaction}, {pack("set"), K::Configuration}};
  static constexpr Entry kLength4[] = {{pack("drop"), K::Ddl},     {pack("show"), K::Configuration},
                                       {pack("copy"), K::Copy},    {pack("lock"), K::Utility},
                                       {pack("load"), K::Utility}, {pack("move"), K::Utility},
                                       {pack("call"), K::Utility}};
  static constexpr Entry kLength5[] = {
      {pack("table"), K::Select},        {pack("merge"), K::Merge},       {pack("grant"), K::Ddl},
      {pack("begin"), K::Transaction},   {pack("start"), K::Transaction}, {pack("abort"), K::Transaction},
      {pack("reset"), K::Configuration}, {pack("fetch"), K::Utility},     {pack("close"), K::Utility}};
  static constexpr Entry kLength6[] = {
      {pack("select"), K::Select},      {pack("insert"), K::Insert},  {pack("update"), K::Update},
      {pack("delete"), K::Delete},      {pack("values"), K::Select},  {pack("create"), K::Ddl},
      {pack("revoke"), K::Ddl},         {pack("import"), K::Ddl},     {pack("commit"), K::Transaction},
      {pack("vacuum"), K::Maintenance}, {pack("listen"), K::Utility}, {pack("notify"), K::Utility}};
  static constexpr Entry kLength7[] = {
      {pack("comment"), K::Ddl},         {pack("release"), K::Transaction}, {pack("explain"), K::Explain},
      {pack("analyze"), K::Maintenance}, {pack("analyse"), K::Maintenance}, {pack("cluster"), K::Maintenance},
      {pack("reindex"), K::Maintenance}, {pack("refresh"), K::Maintenance}, {pack("execute"), K::Prepared},
      {pack("declare"), K::Utility},     {pack("discard"), K::Utility}};
  static constexpr Entry kLength8[] = {{pack("truncate"), K::Ddl},
                                       {pack("security"), K::Ddl},
                                       {pack("reassign"), K::Ddl},
                                       {pack("rollback"), K::Transaction},
                                       {pack("unlisten"), K::Utility}};
  static constexpr std::span<const Entry> kByLength[] = {{},       {},       kLength2, kLength3, kLength4,
                                                         kLength5, kLength6, kLength7, kLength8};
  if (word.size() > 8) {
    if (equals_keyword(word, "savepoint")) return K::Transaction;
    if (equals_keyword(word, "checkpoint")) return K::Maintenance;
    if (equals_keyword(word, "deallocate")) return K::Prepared;
    return std::nullopt;
  }
  uint64_t packed = 0;
  for (size_t k = 0; k < word.size(); ++k) {
    const auto c = static_cast<unsigned char>(word[k]);
    packed |= uint64_t{c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c | 0x20) : c} << (8 * k);
  }
  for (const Entry& e : kByLength[word.size()]) {
    if (e.packed == packed) return e.kind;
  }
  return std::nullopt;
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

// kind_after_with on the text after WITH (from offset k): the same walk, over what it needs only: parentheses, commas
// and words at depth 0, quoted runs skipped whole. Where token boundaries could be read differently from the
// tokenizer (a comment, a dollar quote, a number with trailing letters, an E'' string with a backslash...) it
// gives up (nullopt), and kind_from_tokens decides.
// Out of line and cold: one statement in twenty or so starts with WITH, and the quick path's code must stay small
// (libpg_query's code evicts it from the instruction cache at every statement).
[[gnu::noinline, gnu::cold]] std::optional<StatementKind> kind_after_with_text(std::string_view s, size_t k) {
  const size_t n = s.size();
  const auto at = [&](size_t j) { return j < n ? static_cast<unsigned char>(s[j]) : '\0'; };
  int depth = 0;
  bool after_close = false;
  while (k < n) {
    const unsigned char c = at(k);
    if (is_sql_space(c)) {
      ++k;
      continue;
    }
    if ((c == '-' && at(k + 1) == '-') || (c == '/' && at(k + 1) == '*')) return std::nullopt;
    if (c == '(') {
      if (depth == 0 && after_close) return StatementKind::Select;  // WITH x AS (...) (SELECT ...)
      ++depth;
      after_close = false;
      ++k;
      continue;
    }
    if (c == ')') {
      --depth;
      after_close = depth == 0;
      ++k;
      continue;
    }
    size_t end = k + 1;  // one token, or a piece of one that cannot hide a parenthesis
    bool word = false;
    if (is_sql_ident_start(c)) {
      word = true;
      while (end < n && is_sql_ident_cont(at(end))) ++end;
    } else if (is_sql_digit(c) || (c == '$' && is_sql_digit(at(k + 1)))) {
      while (end < n && (is_sql_digit(at(end)) || at(end) == '.')) ++end;
      if (is_sql_ident_cont(at(end))) return std::nullopt;  // exponent or trailing junk: the tokenizer's call
    } else if (c == '$') {
      return std::nullopt;  // a dollar quote, or the '$' of a failed one
    } else if (c == '\'' || c == '"') {
      for (;;) {
        while (end < n && at(end) != c) ++end;
        if (end >= n) return std::nullopt;  // unterminated
        if (at(end + 1) != c) break;
        end += 2;
      }
      if (c == '\'' && k > 0 && (at(k - 1) | 0x20) == 'e' &&
          s.substr(k, end - k).find('\\') != std::string_view::npos) {
        return std::nullopt;
      }
      ++end;
    }
    if (depth == 0 && after_close && c != ',') {
      const std::string_view w = s.substr(k, end - k);
      if (!(word && equals_keyword(w, "as"))) {
        if (!word) return std::nullopt;
        static constexpr std::pair<std::string_view, StatementKind> kMain[] = {
            {"select", StatementKind::Select}, {"values", StatementKind::Select}, {"table", StatementKind::Select},
            {"insert", StatementKind::Insert}, {"update", StatementKind::Update}, {"delete", StatementKind::Delete},
            {"merge", StatementKind::Merge}};
        for (const auto& [keyword, kind] : kMain) {
          if (equals_keyword(w, keyword)) return kind;
        }
        return std::nullopt;
      }
    }
    after_close = false;
    k = end;
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

// The quick scan jumps with strcspn to the next byte that may start a quote, a comment, a dollar quote or end a
// statement; what lies between is tokens and whitespace only (the tokenizer's tokens cover every byte that is not
// whitespace or comment), so a statement spans its first to last such byte. Each construct is skipped exactly as
// the tokenizer reads it; whatever would need the tokenizer's finer rules makes it give up.
bool split_statements_quick(std::string_view text, std::vector<StatementSpan>& out) {
  // NOLINTNEXTLINE(readability-simplify-subscript-expr): the NUL lies past the view, out of operator[]'s range.
  assert(text.data()[text.size()] == '\0');
  out.clear();
  const char* const s = text.data();
  const auto at = [s](size_t k) { return static_cast<unsigned char>(s[k]); };
  const size_t n = text.size();
  constexpr size_t kNone = std::string_view::npos;
  size_t first = kNone;  // first byte of the current statement's first token
  size_t last_end = 0;   // one past its last token's last byte
  // Notes the tokens of a run [a, b) free of quotes, comments and semicolons.
  const auto plain = [&](size_t a, size_t b) {
    while (a < b && is_sql_space(at(a))) ++a;
    if (a == b) return;
    if (first == kNone) first = a;
    while (is_sql_space(at(b - 1))) --b;
    last_end = b;
  };
  const auto token = [&](size_t a, size_t b) {
    if (first == kNone) first = a;
    last_end = b;
  };
  size_t i = 0;                  // where the search for the next special byte resumes
  size_t run = 0;                // start of the run not yet noted
  size_t construct_end = kNone;  // end of the last quote, comment or dollar quote: a '$' there starts a token
  for (;;) {
    const size_t j = i + std::strcspn(s + i, ";'\"$-/");
    if (j >= n) {
      plain(run, n);
      if (first != kNone) out.push_back({first, last_end - first});
      return true;
    }
    size_t end = 0;  // where the construct at j ends, set by each case that reaches the loop's end
    switch (s[j]) {
      case '\0':
        return false;  // libpg_query would stop there; the tokenizer reads on
      case ';':
        plain(run, j);
        if (first != kNone) {
          // psql's BEGIN ATOMIC rule (see AtomicBodyTracker) applies when the first Word token is CREATE: the quick
          // scan keeps only statements whose first token is a word other than CREATE (not a string prefix either).
          size_t w = first;
          if (!is_sql_ident_start(at(w))) return false;
          while (w < j && is_sql_ident_cont(at(w))) ++w;
          if (at(w) == '\'' || at(w) == '&' || equals_keyword(text.substr(first, w - first), "create")) return false;
          out.push_back({first, last_end - first});
          first = kNone;
        }
        i = run = j + 1;
        continue;
      case '-':
        if (at(j + 1) != '-') {
          i = j + 1;
          continue;
        }
        end = j + 2 + std::strcspn(s + j + 2, "\r\n");  // the line comment, up to the line's end
        if (end < n && s[end] == '\0') return false;
        plain(run, j);
        break;
      case '/': {
        if (at(j + 1) != '*') {
          i = j + 1;
          continue;
        }
        // xc: nested /* */ comments, read as the tokenizer's skip_block_comment reads them.
        int depth = 0;
        size_t k = j;
        while (k < n) {
          if (at(k) == '/' && at(k + 1) == '*') {
            ++depth;
            k += 2;
          } else if (at(k) == '*' && at(k + 1) == '/') {
            k += 2;
            if (--depth == 0) break;
          } else {
            ++k;
          }
        }
        if (depth != 0) return false;  // unterminated: a doubtful token for the tokenizer
        plain(run, j);
        end = k;
        break;
      }
      case '\'':
      case '"': {
        // A quoted run: a doubled quote is part of it. With an E prefix a backslash escapes the next byte; a
        // string right after an 'e' holding a backslash is left to the tokenizer, which knows whether it is E''.
        const char q = s[j];
        size_t k = j + 1;
        for (;;) {
          const void* close = std::memchr(s + k, q, n - k);
          if (close == nullptr) return false;  // unterminated
          k = static_cast<size_t>(static_cast<const char*>(close) - s);
          if (at(k + 1) != static_cast<unsigned char>(q)) break;
          k += 2;
        }
        if (q == '\'' && j > 0 && (at(j - 1) | 0x20) == 'e' && std::memchr(s + j + 1, '\\', k - j - 1) != nullptr) {
          return false;
        }
        plain(run, j);
        end = k + 1;
        token(j, end);
        break;
      }
      case '$': {
        if (is_sql_digit(at(j + 1))) {  // a parameter $n
          i = j + 1;
          continue;
        }
        if (j > 0 && j != construct_end && is_sql_ident_cont(at(j - 1))) {
          // Inside a word ('$' is ident_cont): not a token start. After a digit it may be one (a parameter or
          // a number ended there, with trailing junk): left to the tokenizer.
          if (is_sql_digit(at(j - 1))) return false;
          i = j + 1;
          continue;
        }
        // dolqdelim: \$({dolq_start}{dolq_cont}*)?\$; dolqfailed leaves a '$' token and reads on after it.
        size_t k = j + 1;
        if (is_sql_ident_start(at(k))) {
          ++k;
          while (is_sql_ident_start(at(k)) || is_sql_digit(at(k))) ++k;
        }
        if (at(k) != '$') {
          i = j + 1;
          continue;
        }
        const std::string_view tag = text.substr(j, k + 1 - j);
        const size_t close = text.find(tag, k + 1);
        if (close == kNone) return false;  // unterminated
        plain(run, j);
        end = close + tag.size();
        token(j, end);
        break;
      }
      default:
        return false;  // not reached: strcspn stops at the bytes above only
    }
    i = run = construct_end = end;
  }
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
  const std::string_view word = token_text(text, t);
  if (const auto kind = kind_of_first_word(word)) return kind;
  const bool has_second = tokens.size() > 1 && tokens[1].kind == TokenKind::Word;
  if (equals_keyword(word, "alter")) {
    return has_second && is_keyword(text, tokens[1], "system") ? StatementKind::Configuration : StatementKind::Ddl;
  }
  if (equals_keyword(word, "prepare")) {
    return has_second && is_keyword(text, tokens[1], "transaction") ? StatementKind::Transaction
                                                                    : StatementKind::Prepared;
  }
  if (equals_keyword(word, "with")) return kind_after_with(text, tokens);
  return std::nullopt;
}

std::optional<StatementKind> kind_from_text(std::string_view statement) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(statement[k]); };
  const size_t n = statement.size();
  if (n == 0) return std::nullopt;
  if (at(0) == '(') return StatementKind::Select;
  if (!is_sql_ident_start(at(0))) return std::nullopt;
  // No keyword is longer than 10 bytes: a longer word is not read to its end.
  size_t k = 1;
  while (k < n && k <= 10 && is_sql_ident_cont(at(k))) ++k;
  // A one-letter word is no keyword; it may also be the prefix of E'', B'', X'', N'' or U&'' (not a Word token).
  if (k == 1 || k > 10) return std::nullopt;
  const std::string_view word = statement.substr(0, k);
  if (const auto kind = kind_of_first_word(word)) return kind;
  if (equals_keyword(word, "with")) return kind_after_with_text(statement, k);
  const bool alter = equals_keyword(word, "alter");
  if (!alter && !equals_keyword(word, "prepare")) return std::nullopt;
  // The second token: it starts after the whitespace, unless a comment hides where.
  size_t j = k;
  while (j < n && is_sql_space(at(j))) ++j;
  if (j + 1 < n && ((at(j) == '-' && at(j + 1) == '-') || (at(j) == '/' && at(j + 1) == '*'))) return std::nullopt;
  size_t e = j;
  if (e < n && is_sql_ident_start(at(e))) {
    while (e < n && is_sql_ident_cont(at(e))) ++e;
  }
  const std::string_view second = statement.substr(j, e - j);
  if (alter) return equals_keyword(second, "system") ? StatementKind::Configuration : StatementKind::Ddl;
  return equals_keyword(second, "transaction") ? StatementKind::Transaction : StatementKind::Prepared;
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

namespace {

// The kind when kind_from_text cannot tell: the statement's tokens are those it has inside any text (see
// split_statements_quick), so kind_from_tokens answers here what it answers on the tokens of the whole text.
[[gnu::noinline, gnu::cold]] StatementKind kind_from_tokens_or_tree(std::string_view statement) {
  thread_local std::vector<Token> tokens;
  tokenize(statement, tokens);
  const auto kind = kind_from_tokens(statement, tokens);
  return kind ? *kind : kind_from_parse_tree(statement);
}

}  // namespace

StatementInfo describe_statement_in_place(std::string_view statement) {
  // NOLINTNEXTLINE(readability-simplify-subscript-expr): the NUL lies past the view, out of operator[]'s range.
  assert(statement.data()[statement.size()] == '\0');
  const auto fp = pg_query_adapter::fingerprint_value(statement.data());
  if (!fp) return StatementInfo{0, StatementKind::Invalid, to_statement_error(*fp.error)};
  const auto kind = kind_from_text(statement);
  return StatementInfo{*fp.value, kind ? *kind : kind_from_tokens_or_tree(statement), std::nullopt};
}

NormalizedText normalize_statement(std::string_view statement) {
  // pg_query_normalize keeps about 9 KB per select-list entry until it returns (measured: a 0.8 MB SELECT of 100,000
  // columns took 880 MB). A statement that large is shown as it is: a normalization from the tokens would differ
  // from libpg_query's (typmods, ORDER BY 1, booleans) and could even stop parsing.
  if (statement.size() > kMaxNormalizedStatement) return NormalizedText{std::string(statement), std::nullopt};
  const auto normalized = pg_query_adapter::normalize(std::string(statement));
  if (!normalized) return NormalizedText{std::nullopt, to_statement_error(*normalized.error)};
  return NormalizedText{*normalized.value, std::nullopt};
}

}  // namespace pgadvisor::analyzer
