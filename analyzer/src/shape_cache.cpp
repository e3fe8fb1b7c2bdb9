// Shape keys, the shape cache and normalize templates. The key keeps every token's exact text except the values
// of literals in DML, and whether tokens touch; anything the tokenizer is unsure about takes the slow path.
#include "analyzer/shape_cache.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

namespace pgadvisor::analyzer {
namespace {

constexpr char kGap = '\x01';                // tokens separated by whitespace or comments
constexpr char kTouching = '\x02';           // tokens with nothing between them
constexpr char kLiteral = '\x03';            // an abstracted literal, followed by its kind
constexpr char kCommentAfterMinus = '\x04';  // a gap holding a comment, right after a "-" operator
constexpr char kLiteralList = '\x05';        // the literals of an IN list, however many

bool is_punct(std::string_view text, const Token& t, char c) {
  return t.kind == TokenKind::Punctuation && t.end - t.begin == 1 && text[t.begin] == c;
}

bool is_quoted(TokenKind kind) { return is_literal(kind) || kind == TokenKind::QuotedIdentifier; }

// Literal values are abstracted only in statements that start like DML (SELECT, INSERT, UPDATE, DELETE, MERGE,
// VALUES, TABLE, WITH, '('): there every literal the tokenizer sees is an A_Const, which the fingerprint ignores.
// In utility statements literals also fill DefElem strings, file names, comments..., which it does not ignore.
bool abstracts_literals(std::string_view text, const Token& first) {
  if (is_punct(text, first, '(')) return true;
  if (first.kind != TokenKind::Word) return false;
  static constexpr std::string_view kDml[] = {"select", "insert", "update", "delete",
                                              "merge",  "values", "table",  "with"};
  return std::ranges::any_of(kDml, [&](std::string_view word) { return is_keyword(text, first, word); });
}

// Whether a literal's value may change the parse, which then keeps it verbatim in the key. In PostgreSQL 15's
// grammar a literal in DML is an AexprConst (an A_Const, ignored by the fingerprint) except where an Iconst is
// read directly: these are the cases whose value reaches the tree outside an A_Const (the other direct Iconst
// uses, character(n), timestamp(n), interval(n), second(n), become A_Const typmods):
// - inside [ ]: array bounds (x::int[3], int ARRAY[3]) are Integer nodes, which the fingerprint hashes;
// - float(p): p chooses float4 or float8, and p < 1 or p > 53 is an error;
// - current_time(p), current_timestamp(p), localtime(p), localtimestamp(p): p is SQLValueFunction's typmod.
// And E'...' with a backslash: escapes can make the scan fail (invalid UTF-8, bad Unicode escapes).
bool value_matters(std::string_view text, std::span<const Token> tokens, size_t k, int bracket_depth) {
  if (tokens[k].kind == TokenKind::EscapeStringBackslash || bracket_depth > 0) return true;
  if (k < 2 || !is_punct(text, tokens[k - 1], '(') || tokens[k - 2].kind != TokenKind::Word) return false;
  static constexpr std::string_view kPrecisionTakers[] = {"float", "current_time", "current_timestamp", "localtime",
                                                          "localtimestamp"};
  return std::ranges::any_of(kPrecisionTakers,
                             [&](std::string_view word) { return is_keyword(text, tokens[k - 2], word); });
}

// The normalized text of a statement per its template: its own text, with each replaced token run as $n.
std::string apply_template(std::string_view text, std::span<const Token> tokens, const NormalizeTemplate& tpl) {
  std::string out;
  out.reserve(text.size() + 8);
  size_t copied = 0;
  int param = tpl.first_param;
  for (const NormalizeTemplate::Replacement& r : tpl.replacements) {
    out.append(text.substr(copied, tokens[r.token].begin - copied));
    out.push_back('$');
    out.append(std::to_string(param++));
    copied = tokens[r.token + r.count - 1].end;
  }
  out.append(text.substr(copied));
  return out;
}

// Learns the template from one statement and its pg_query_normalize output: the output must be the statement's
// text with some token runs replaced by $n, $n+1, ... in order; a run is one token, or "-" and the token after it
// (pg_query_normalize's fill_in_constant_lengths takes the minus of a negative constant). Anything else makes the
// template Unusable, and statements of the shape are then normalized one by one.
NormalizeTemplate derive_template(std::string_view text, std::span<const Token> tokens, std::string_view normalized) {
  NormalizeTemplate tpl;
  tpl.state = NormalizeTemplate::State::Unusable;
  size_t j = 0;
  size_t copied = 0;
  int next_param = -1;
  auto matches = [&](std::string_view piece) {
    if (normalized.substr(j, piece.size()) != piece) return false;
    j += piece.size();
    return true;
  };
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (!matches(text.substr(copied, t.begin - copied))) return tpl;
    // A literal never starts with "$<digit>" (dollar-quote tags cannot start with a digit), so "$<digit>" in the
    // output where the text has no such parameter is a replacement.
    const std::string_view own = token_text(text, t);
    if (j + 1 < normalized.size() && normalized[j] == '$' && normalized[j + 1] >= '0' && normalized[j + 1] <= '9' &&
        !(t.kind == TokenKind::Param && normalized.substr(j, own.size()) == own)) {
      size_t digits_end = j + 1;
      int number = 0;
      while (digits_end < normalized.size() && normalized[digits_end] >= '0' && normalized[digits_end] <= '9' &&
             number < 100000) {
        number = number * 10 + (normalized[digits_end++] - '0');
      }
      if (next_param != -1 && number != next_param) return tpl;
      if (next_param == -1) tpl.first_param = number;
      next_param = number + 1;
      const bool minus = t.kind == TokenKind::Operator && own == "-" && k + 1 < tokens.size();
      if (minus && tokens[k + 1].comment_before) return tpl;
      const uint32_t count = minus ? 2 : 1;
      tpl.replacements.push_back({static_cast<uint32_t>(k), count});
      j = digits_end;
      k += count - 1;
      copied = tokens[k].end;
      continue;
    }
    if (!matches(own)) return tpl;
    copied = t.end;
  }
  if (!matches(text.substr(copied)) || j != normalized.size()) return tpl;
  tpl.state = NormalizeTemplate::State::Usable;
  return tpl;
}

// The end (index of its ')') of the IN list opening at tokens[open], when the list holds abstractable literals only:
// `x IN (1, 2, 3)` and `x IN (4)` have one fingerprint (the list's A_Consts are ignored, however many) and parse
// alike. Only in_expr is folded: inside POSITION(a IN b), b = ('a', 'b') would be a row, so the caller excludes it.
std::optional<size_t> literal_list_end(std::string_view text, std::span<const Token> tokens, size_t open) {
  size_t j = open + 1;
  while (j + 1 < tokens.size()) {
    const Token& t = tokens[j];
    if (t.doubtful || !is_literal(t.kind) || t.kind == TokenKind::EscapeStringBackslash) return std::nullopt;
    if (is_punct(text, tokens[j + 1], ')')) return j + 1;
    if (!is_punct(text, tokens[j + 1], ',')) return std::nullopt;
    j += 2;
  }
  return std::nullopt;
}

}  // namespace

ShapeCache::ShapeCache(size_t max_shapes) : max_shapes_(max_shapes == 0 ? 1 : max_shapes) {}

bool ShapeCache::shape_key(std::string_view text, std::span<const Token> tokens, std::string& key) {
  key.clear();
  if (tokens.empty()) return false;
  const size_t begin = tokens.front().begin;
  // libpg_query reads a C string: a NUL byte would end the statement early for it.
  if (std::memchr(text.data() + begin, '\0', tokens.back().end - begin) != nullptr) return false;
  const bool abstract = abstracts_literals(text, tokens.front());
  // Written through a pointer into a buffer sized for the worst case (this runs for every statement of a log):
  // a token adds its separator and at most max(its text, 2 bytes for a literal marker).
  key.resize(tokens.back().end - begin + 3 * tokens.size());
  char* out = key.data();
  int bracket_depth = 0;
  // Parentheses opened by POSITION, one bit per depth (deeper than 64: nothing is folded).
  uint64_t position_parens = 0;
  int paren_depth = 0;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (t.doubtful) return false;
    const bool literal = is_literal(t.kind);
    // quotecontinue: 'a' <newline> 'b' is one string; whether the gap holds a newline is not in the key.
    if (literal && k + 1 < tokens.size() && tokens[k + 1].gap_before && text[tokens[k + 1].begin] == '\'') {
      return false;
    }
    char separator = k == 0 || t.gap_before ? kGap : kTouching;
    // pg_query_normalize replaces "- <comment> 5" oddly (up to the comment's end only), so a comment there must
    // be in the key: then every member of the shape has one, and the shape is normalized statement by statement.
    if (t.comment_before && k > 0 && tokens[k - 1].kind == TokenKind::Operator &&
        token_text(text, tokens[k - 1]) == "-") {
      separator = kCommentAfterMinus;
    }
    *out++ = separator;
    if (t.kind == TokenKind::Punctuation) {
      const char c = text[t.begin];
      bracket_depth += c == '[' ? 1 : c == ']' ? -1 : 0;
      if (c == '(' && t.end - t.begin == 1) {
        const bool after_word = k > 0 && tokens[k - 1].kind == TokenKind::Word;
        const bool in_position = paren_depth > 0 && paren_depth <= 64 && ((position_parens >> (paren_depth - 1)) & 1);
        if (abstract && after_word && !in_position && bracket_depth == 0 && paren_depth < 64 &&
            is_keyword(text, tokens[k - 1], "in")) {
          if (const auto end = literal_list_end(text, tokens, k)) {
            *out++ = '(';
            *out++ = kLiteralList;
            *out++ = ')';
            k = *end;
            continue;
          }
        }
        ++paren_depth;
        if (paren_depth <= 64) {
          const uint64_t bit = uint64_t{1} << (paren_depth - 1);
          position_parens = after_word && is_keyword(text, tokens[k - 1], "position") ? position_parens | bit
                                                                                      : position_parens & ~bit;
        }
      } else if (c == ')' && paren_depth > 0) {
        --paren_depth;
      }
    } else if (literal && abstract && !value_matters(text, tokens, k, bracket_depth)) {
      *out++ = kLiteral;
      *out++ = static_cast<char>('a' + static_cast<int>(t.kind));
      continue;
    }
    const std::string_view own = token_text(text, t);
    // The separators must not occur inside a verbatim token, or two token lists could share a key.
    if (is_quoted(t.kind)) {
      for (const char c : own) {
        if (c >= kGap && c <= kLiteralList) return false;
      }
    }
    std::memcpy(out, own.data(), own.size());
    out += own.size();
  }
  key.resize(static_cast<size_t>(out - key.data()));
  return true;
}

StatementInfo ShapeCache::lookup(std::string_view text, std::span<const Token> tokens, std::string_view statement,
                                 Shape** shape) {
  if (skip_next()) {
    *shape = nullptr;
    return describe_statement(statement, text, tokens);
  }
  return lookup_unskipped(text, tokens, statement, shape);
}

StatementInfo ShapeCache::lookup_unskipped(std::string_view text, std::span<const Token> tokens,
                                           std::string_view statement, Shape** shape) {
  *shape = nullptr;
  if (!shape_key(text, tokens, key_)) {
    ++stats_.bypasses;
    return describe_statement(statement, text, tokens);
  }
  if (const auto it = shapes_.find(std::string_view(key_)); it != shapes_.end()) {
    ++stats_.hits;
    record_lookup(true);
    *shape = &it->second;
    return it->second.info;
  }
  StatementInfo info = describe_statement(statement, text, tokens);
  // Parse errors quote the statement's own text and positions: an invalid statement is never shared.
  if (info.error) {
    ++stats_.bypasses;
    return info;
  }
  ++stats_.misses;
  record_lookup(false);
  if (shapes_.size() >= max_shapes_) {
    shapes_.clear();
    ++stats_.evictions;
  }
  *shape = &shapes_.emplace(key_, Shape{info, {}, nullptr}).first->second;
  return info;
}

void ShapeCache::record_lookup(bool hit) {
  ++window_lookups_;
  window_hits_ += hit ? 1 : 0;
  if (window_lookups_ < (skipping_ ? kWindow / kProbeEvery : kWindow)) return;
  skipping_ = skipping_ ? window_hits_ * 4 < window_lookups_ : window_hits_ * 8 < window_lookups_;
  window_lookups_ = window_hits_ = 0;
}

StatementInfo ShapeCache::describe(std::string_view statement) {
  tokenize(statement, tokens_);
  Shape* shape = nullptr;
  return lookup(statement, tokens_, statement, &shape);
}

StatementInfo ShapeCache::describe_unskipped(std::string_view statement) {
  tokenize(statement, tokens_);
  Shape* shape = nullptr;
  return lookup_unskipped(statement, tokens_, statement, &shape);
}

StatementInfo ShapeCache::describe(std::string_view text, const StatementTokens& statement,
                                   std::span<const Token> tokens) {
  Shape* shape = nullptr;
  return lookup(text, tokens.subspan(statement.first_token, statement.end_token - statement.first_token),
                text.substr(statement.span.offset, statement.span.length), &shape);
}

Shape* ShapeCache::shape_of(std::string_view statement) {
  tokenize(statement, tokens_);
  Shape* shape = nullptr;
  lookup(statement, tokens_, statement, &shape);
  return shape;
}

NormalizedText ShapeCache::normalize(std::string_view statement) {
  Shape* shape = shape_of(statement);
  // Members of a shape with a folded IN list differ in their number of tokens: no template fits them all.
  if (shape == nullptr || key_.find(kLiteralList) != std::string::npos) return normalize_statement(statement);
  NormalizeTemplate& tpl = shape->normalize_template;
  if (tpl.state == NormalizeTemplate::State::Usable) return NormalizedText{apply_template(statement, tokens_, tpl), {}};
  NormalizedText direct = normalize_statement(statement);
  // Not from a statement too large to be normalized: its text would become the template of the small ones.
  if (tpl.state == NormalizeTemplate::State::Unknown && direct.text && statement.size() <= kMaxNormalizedStatement) {
    tpl = derive_template(statement, tokens_, *direct.text);
  }
  return direct;
}

}  // namespace pgadvisor::analyzer
