// Secret redaction on tokens (sql_tokenizer): the tokenizer already knows every quoting PostgreSQL 15 has, so a
// secret literal is found by what precedes it, never by guessing where a quote ends.
#include "analyzer/secret_redaction.hpp"

#include <algorithm>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "analyzer/sql_tokenizer.hpp"

namespace pgadvisor::analyzer {
namespace {

constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_lower(std::string_view text, size_t at, std::string_view lower_word) {
  if (at + lower_word.size() > text.size()) return false;
  for (size_t k = 0; k < lower_word.size(); ++k) {
    if (lower(text[at + k]) != lower_word[k]) return false;
  }
  return true;
}

constexpr std::string_view kPassword = "password";
constexpr std::string_view kProgram = "program";

// The pre-check looks for byte pairs that are rare in SQL: "sw" (password), "og" (program), ":/" (a URI), any case,
// 16 positions at a time with SSE2; each hit is then checked for the whole word. Ordinary statements are not
// tokenized (bench/redaction: about a third of memchr's speed, 15-20 times the tokenizer's).
bool secret_word_at(std::string_view s, size_t pair) {
  const char first = lower(s[pair]);
  if (first == 's') return pair >= 3 && equals_lower(s, pair - 3, kPassword);
  if (first == 'o') return pair >= 2 && equals_lower(s, pair - 2, kProgram);
  return s.substr(pair, 3) == "://";
}

bool is_pair(char a, char b) {
  a = static_cast<char>(a | 0x20);
  b = static_cast<char>(b | 0x20);
  return (a == 's' && b == 'w') || (a == 'o' && b == 'g') || (a == ':' && b == '/');
}

bool has_secret_word(std::string_view s) {
#if defined(__SSE2__)
  if (s.size() >= 17) {
    const __m128i case_bit = _mm_set1_epi8(0x20);
    const __m128i s_ = _mm_set1_epi8('s');
    const __m128i w_ = _mm_set1_epi8('w');
    const __m128i o_ = _mm_set1_epi8('o');
    const __m128i g_ = _mm_set1_epi8('g');
    const __m128i colon = _mm_set1_epi8(':');
    const __m128i slash = _mm_set1_epi8('/');
    // Pairs starting at i..i+15; the last block overlaps the one before, so no byte is left to a scalar tail.
    for (size_t i = 0;; i = std::min(i + 16, s.size() - 17)) {
      const __m128i a = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i)), case_bit);
      const __m128i b = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i + 1)), case_bit);
      const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(a, s_), _mm_cmpeq_epi8(b, w_)),
                                                     _mm_and_si128(_mm_cmpeq_epi8(a, o_), _mm_cmpeq_epi8(b, g_))),
                                        _mm_and_si128(_mm_cmpeq_epi8(a, colon), _mm_cmpeq_epi8(b, slash)));
      for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits)); mask != 0; mask &= mask - 1) {
        if (secret_word_at(s, i + static_cast<size_t>(__builtin_ctz(mask)))) return true;
      }
      if (i + 17 >= s.size()) return false;
    }
  }
#endif
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (is_pair(s[i], s[i + 1]) && secret_word_at(s, i)) return true;
  }
  return false;
}

bool is_string_literal(TokenKind k) {
  return k == TokenKind::String || k == TokenKind::EscapeString || k == TokenKind::EscapeStringBackslash ||
         k == TokenKind::DollarString || k == TokenKind::BitString || k == TokenKind::HexString;
}

struct Replacement {
  size_t begin = 0;
  size_t end = 0;
  std::string_view with;
};

class Redactor {
 public:
  explicit Redactor(std::string_view sql) : sql_(sql) { tokenize(sql, tokens_); }

  SecretRedaction run(std::string& out) {
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (is_secret_name(tokens_[i])) {
        i = after_secret_name(i);
      } else if (is_string_literal(tokens_[i].kind)) {
        mask_inside_literal(tokens_[i]);
      }
    }
    out.clear();
    size_t done = 0;
    for (const auto& r : replacements_) {
      out.append(sql_.substr(done, r.begin - done));
      out.append(r.with);
      done = r.end;
    }
    out.append(sql_.substr(done));
    result_.changed = !replacements_.empty();
    return result_;
  }

 private:
  std::string_view text(const Token& t) const { return token_text(sql_, t); }

  // PASSWORD, sslpassword, PROGRAM as words, "password" and "sslpassword" as quoted identifiers (OPTIONS).
  bool is_secret_name(const Token& t) const {
    if (t.kind == TokenKind::Word) {
      return is_keyword(sql_, t, "password") || is_keyword(sql_, t, "sslpassword") || is_keyword(sql_, t, "program");
    }
    if (t.kind == TokenKind::QuotedIdentifier) {
      auto name = text(t);
      return name == "\"password\"" || name == "\"sslpassword\"";
    }
    return false;
  }

  bool is_operator(size_t k, std::string_view op) const {
    return k < tokens_.size() &&
           (tokens_[k].kind == TokenKind::Operator || tokens_[k].kind == TokenKind::Punctuation) &&
           text(tokens_[k]) == op;
  }

  // The secret after a secret's name: [=|:=] [N | U&] literal [continuations] [UESCAPE 'c']. Returns the last
  // token index it consumed.
  size_t after_secret_name(size_t i) {
    size_t j = i + 1;
    if (is_operator(j, "=") || is_operator(j, ":=")) ++j;
    if (j >= tokens_.size()) return i;
    size_t start = j;
    const Token& t = tokens_[j];
    if (t.kind == TokenKind::Word && t.end - t.begin == 1 && lower(sql_[t.begin]) == 'n' && j + 1 < tokens_.size() &&
        tokens_[j + 1].kind == TokenKind::String && !tokens_[j + 1].gap_before) {
      ++j;  // N'...'
    } else if (t.kind == TokenKind::Word && t.end - t.begin == 1 && lower(sql_[t.begin]) == 'u' &&
               is_operator(j + 1, "&") && j + 2 < tokens_.size() && is_string_literal(tokens_[j + 2].kind)) {
      j += 2;  // U&'...'
    }
    if (tokens_[j].kind == TokenKind::Param) {
      result_.secret_parameters = true;
      return j;
    }
    if (!is_string_literal(tokens_[j].kind)) return i;  // PASSWORD NULL, a column named password, ...
    size_t last = j;
    // 'a'<newline>'b' is one string constant: its continuations are part of the secret.
    while (last + 1 < tokens_.size() && tokens_[last + 1].kind == TokenKind::String &&
           continues_string(tokens_[last], tokens_[last + 1])) {
      ++last;
    }
    if (last + 2 < tokens_.size() && is_keyword(sql_, tokens_[last + 1], "uescape") &&
        is_string_literal(tokens_[last + 2].kind)) {
      last += 2;
    }
    replacements_.push_back({tokens_[start].begin, tokens_[last].end, kRedactedLiteral});
    return last;
  }

  // Whitespace with a newline and no comment between two string literals: scan.l's quotecontinue.
  bool continues_string(const Token& a, const Token& b) const {
    if (b.comment_before) return false;
    return sql_.substr(a.end, b.begin - a.end).find('\n') != std::string_view::npos;
  }

  // The text between a literal's delimiters (to the end of the text when it is unterminated).
  std::pair<size_t, size_t> literal_body(const Token& t) const {
    std::string_view s = text(t);
    size_t open = s.find_first_of("'$");
    if (open == std::string_view::npos) return {t.begin, t.begin};
    size_t delimiter = 1;
    if (s[open] == '$') delimiter = s.find('$', open + 1) - open + 1;
    size_t begin = t.begin + open + delimiter;
    size_t end = t.doubtful ? t.end : t.end - delimiter;
    return {begin, std::max(begin, end)};
  }

  // A conninfo's or URI's password inside a literal: `password=x`, `password = 'x y'`, `user:x@host`.
  void mask_inside_literal(const Token& t) {
    auto [body_begin, body_end] = literal_body(t);
    std::string_view body = sql_.substr(body_begin, body_end - body_begin);
    size_t first = replacements_.size();
    for (size_t at = 0; at + kPassword.size() <= body.size(); ++at) {
      if (!equals_lower(body, at, kPassword)) continue;
      size_t k = at + kPassword.size();
      while (k < body.size() && (body[k] == ' ' || body[k] == '\t')) ++k;
      if (k >= body.size() || body[k] != '=') continue;
      ++k;
      while (k < body.size() && (body[k] == ' ' || body[k] == '\t')) ++k;
      size_t value_end = conninfo_value_end(body, k);
      if (value_end > k) replacements_.push_back({body_begin + k, body_begin + value_end, "***"});
      at = value_end;
    }
    for (size_t scheme = body.find("://"); scheme != std::string_view::npos; scheme = body.find("://", scheme + 3)) {
      size_t authority = scheme + 3;
      size_t uri_end = body.find_first_of(" \t\n\r\f'", authority);
      if (uri_end == std::string_view::npos) uri_end = body.size();
      std::string_view uri = body.substr(authority, uri_end - authority);
      size_t at = uri.rfind('@');  // in doubt, the password runs to the last '@'
      size_t colon = uri.find(':');
      if (at != std::string_view::npos && colon != std::string_view::npos && colon < at) {
        replacements_.push_back({body_begin + authority + colon + 1, body_begin + authority + at, "***"});
      }
    }
    // Overlapping masks (a URI's ?password=): keep the first of each overlap, in text order.
    std::sort(replacements_.begin() + static_cast<long>(first), replacements_.end(),
              [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
    auto keep = replacements_.begin() + static_cast<long>(first);
    for (auto r = keep; r != replacements_.end(); ++r) {
      if (keep != replacements_.begin() + static_cast<long>(first) && r->begin < (keep - 1)->end) {
        (keep - 1)->end = std::max((keep - 1)->end, r->end);
        continue;
      }
      *keep++ = *r;
    }
    replacements_.erase(keep, replacements_.end());
  }

  // A conninfo value from `k`: quoted (by ', '' or \' inside the literal) to its closing quote, else to a blank or
  // '&'. Never stops inside a doubled quote, so the literal stays well formed.
  static size_t conninfo_value_end(std::string_view body, size_t k) {
    std::string_view quote;
    if (body.substr(k, 2) == "''" || body.substr(k, 2) == "\\'") {
      quote = body.substr(k, 2);
    } else if (k < body.size() && body[k] == '\'') {
      quote = body.substr(k, 1);
    }
    if (!quote.empty()) {
      for (size_t e = k + quote.size(); e < body.size(); ++e) {
        if (body[e] == '\\') {
          ++e;  // an escaped quote inside the conninfo value
          continue;
        }
        if (body.substr(e, quote.size()) == quote) return e + quote.size();
      }
      return body.size();
    }
    size_t e = k;
    while (e < body.size() && body[e] != ' ' && body[e] != '\t' && body[e] != '\n' && body[e] != '&') {
      e += body.substr(e, 2) == "''" ? 2 : 1;
    }
    return std::min(e, body.size());
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  std::vector<Replacement> replacements_;
  SecretRedaction result_;
};

}  // namespace

bool may_hold_secrets(std::string_view sql) { return has_secret_word(sql); }

SecretRedaction redact_secrets(std::string_view sql, std::string& out) {
  if (!may_hold_secrets(sql)) {
    out.assign(sql);
    return {};
  }
  return Redactor(sql).run(out);
}

std::string redact_secrets(std::string_view sql) {
  std::string out;
  redact_secrets(sql, out);
  return out;
}

std::string redact_parameter_values(std::string_view parameters) {
  std::vector<Token> tokens;
  tokenize(parameters, tokens);
  std::string out;
  size_t done = 0;
  for (const auto& t : tokens) {
    if (!is_literal(t.kind)) continue;
    out.append(parameters.substr(done, t.begin - done));
    out.append(kRedactedLiteral);
    done = t.end;
  }
  out.append(parameters.substr(done));
  return out;
}

}  // namespace pgadvisor::analyzer
