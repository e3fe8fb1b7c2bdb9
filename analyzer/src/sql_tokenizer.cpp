// SQL tokenizer: a hand-written subset of PostgreSQL 15's scan.l (standard_conforming_strings = on).
// Rules are cited by their scan.l names; every case the subset does not model marks the token doubtful.
#include "analyzer/sql_tokenizer.hpp"

#include <array>
#include <stdexcept>

namespace pgadvisor::analyzer {
namespace {

// Character classes of scan.l, looked up in one table (the tokenizer runs on every statement of a log).
enum CharClass : uint8_t {
  kSpace = 1,  // space [ \t\n\r\f]; \v is not whitespace before PostgreSQL 16
  kDigit = 2,
  kIdentStart = 4,  // ident_start [A-Za-z\200-\377_]
  kIdentCont = 8,   // ident_cont [A-Za-z\200-\377_0-9\$]
  kOpChar = 16,     // op_chars [\~\!\@\#\^\&\|\`\?\+\-\*\/\%\<\>\=]
  kControl = 32,    // control characters: not whitespace for the scanner; we do not model what it makes of them
};

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> c{};
  for (int k = 0; k < 256; ++k) {
    const auto u = static_cast<unsigned char>(k);
    const bool space = is_sql_space(u);
    c[static_cast<size_t>(k)] = static_cast<uint8_t>(
        (space ? kSpace : 0) | (is_sql_digit(u) ? kDigit : 0) | (is_sql_ident_start(u) ? kIdentStart : 0) |
        (is_sql_ident_cont(u) ? kIdentCont : 0) | (((k < 0x20 && !space) || k == 0x7f) ? kControl : 0));
  }
  for (const char op : std::string_view("~!@#^&|`?+-*/%<>=")) c[static_cast<unsigned char>(op)] |= kOpChar;
  return c;
}
constexpr std::array<uint8_t, 256> kClasses = make_classes();

bool has_class(unsigned char c, CharClass cls) { return (kClasses[c] & cls) != 0; }
bool is_space(unsigned char c) { return has_class(c, kSpace); }
bool is_digit(unsigned char c) { return has_class(c, kDigit); }
bool is_ident_start(unsigned char c) { return has_class(c, kIdentStart); }
bool is_ident_cont(unsigned char c) { return has_class(c, kIdentCont); }
bool is_op_char(unsigned char c) { return has_class(c, kOpChar); }
bool is_control(unsigned char c) { return has_class(c, kControl); }

class Scanner {
 public:
  Scanner(std::string_view text, std::vector<Token>& out) : s_(text), out_(out) {}

  void run() {
    bool gap = false;
    comment_ = false;
    while (i_ < s_.size()) {
      const unsigned char c = at(i_);
      if (is_space(c)) {
        ++i_;
        gap = true;
      } else if (c == '-' && at(i_ + 1) == '-') {
        skip_line_comment();
        gap = comment_ = true;
      } else if (c == '/' && at(i_ + 1) == '*') {
        if (!skip_block_comment()) emit(s_.size(), TokenKind::Other, gap, true);  // unterminated: error for the scanner
        gap = comment_ = true;
      } else {
        scan_token(gap);
        gap = comment_ = false;
      }
    }
  }

 private:
  unsigned char at(size_t k) const { return k < s_.size() ? static_cast<unsigned char>(s_[k]) : '\0'; }

  void emit(size_t end, TokenKind kind, bool gap, bool doubtful = false) {
    out_.push_back(Token{static_cast<uint32_t>(i_), static_cast<uint32_t>(end), kind, gap, comment_, doubtful});
    i_ = end;
  }

  void skip_line_comment() {
    while (i_ < s_.size() && at(i_) != '\n' && at(i_) != '\r') ++i_;
  }

  // xc: /* ... */ comments nest. Returns false when the comment never ends.
  bool skip_block_comment() {
    const size_t start = i_;
    int depth = 0;
    while (i_ < s_.size()) {
      if (at(i_) == '/' && at(i_ + 1) == '*') {
        ++depth;
        i_ += 2;
      } else if (at(i_) == '*' && at(i_ + 1) == '/') {
        i_ += 2;
        if (--depth == 0) return true;
      } else {
        ++i_;
      }
    }
    i_ = start;
    return false;
  }

  // End of a quoted run starting at the opening quote q (position open): a doubled quote is part of the text.
  // With backslash_escapes, a backslash escapes the next byte (xe). Returns npos when unterminated.
  size_t quoted_end(size_t open, char q, bool backslash_escapes, bool* saw_backslash) const {
    size_t k = open + 1;
    while (k < s_.size()) {
      const char c = s_[k];
      if (backslash_escapes && c == '\\') {
        if (saw_backslash != nullptr) *saw_backslash = true;
        k += 2;
      } else if (c == q) {
        if (at(k + 1) == static_cast<unsigned char>(q)) {
          k += 2;
        } else {
          return k + 1;
        }
      } else {
        ++k;
      }
    }
    return std::string_view::npos;
  }

  void scan_quoted(size_t open, char q, TokenKind kind, bool gap, bool backslash_escapes = false) {
    bool saw_backslash = false;
    const size_t end = quoted_end(open, q, backslash_escapes, &saw_backslash);
    if (end == std::string_view::npos) {
      emit(s_.size(), kind, gap, true);
      return;
    }
    if (kind == TokenKind::EscapeString && saw_backslash) kind = TokenKind::EscapeStringBackslash;
    emit(end, kind, gap);
  }

  void scan_token(bool gap) {
    const unsigned char c = at(i_);
    if (is_ident_start(c)) {  // the most frequent case first
      scan_word(gap);
    } else if (is_control(c)) {
      emit(i_ + 1, TokenKind::Other, gap, true);
    } else if (c == '\'') {
      scan_quoted(i_, '\'', TokenKind::String, gap);
    } else if (c == '"') {
      scan_quoted(i_, '"', TokenKind::QuotedIdentifier, gap);
      if (out_.back().end - out_.back().begin == 2) out_.back().doubtful = true;  // zero-length "" is an error
    } else if (c == '$') {
      scan_dollar(gap);
    } else if (is_digit(c) || (c == '.' && is_digit(at(i_ + 1)))) {
      scan_number(gap);
    } else if (c == ':') {
      emit(i_ + ((at(i_ + 1) == ':' || at(i_ + 1) == '=') ? 2 : 1), TokenKind::Punctuation, gap);
    } else if (c == '.') {
      emit(i_ + (at(i_ + 1) == '.' ? 2 : 1), TokenKind::Punctuation, gap);
    } else if (c == ',' || c == '(' || c == ')' || c == '[' || c == ']' || c == ';') {
      emit(i_ + 1, TokenKind::Punctuation, gap);
    } else if (is_op_char(c)) {
      scan_operator(gap);
    } else {
      emit(i_ + 1, TokenKind::Other, gap);
    }
  }

  void scan_word(bool gap) {
    const unsigned char c = at(i_);
    const unsigned char next = at(i_ + 1);
    if (next == '\'') {
      switch (c) {
        case 'e':
        case 'E':
          scan_quoted(i_ + 1, '\'', TokenKind::EscapeString, gap, true);
          return;
        case 'b':
        case 'B':
          scan_quoted(i_ + 1, '\'', TokenKind::BitString, gap);
          return;
        case 'x':
        case 'X':
          scan_quoted(i_ + 1, '\'', TokenKind::HexString, gap);
          return;
        // xnstart: the scanner returns the identifier "nchar" for N, then reads '...' as a plain string.
        case 'n':
        case 'N':
          emit(i_ + 1, TokenKind::Word, gap);
          return;
        default:
          break;
      }
    }
    // U&'...' and U&"...": Unicode escapes with an optional UESCAPE clause; not modelled.
    const bool unicode_quote = (c == 'u' || c == 'U') && next == '&' && (at(i_ + 2) == '\'' || at(i_ + 2) == '"');
    size_t k = i_ + 1;
    const char* const data = s_.data();
    while (k < s_.size() && is_ident_cont(static_cast<unsigned char>(data[k]))) ++k;
    const bool uescape =
        k - i_ == 7 && is_keyword(s_, Token{static_cast<uint32_t>(i_), static_cast<uint32_t>(k)}, "uescape");
    emit(k, TokenKind::Word, gap, unicode_quote || uescape);
  }

  void scan_dollar(bool gap) {
    const unsigned char next = at(i_ + 1);
    if (is_digit(next)) {  // param: \${decinteger}; param_junk (an identifier right after) is an error
      size_t k = i_ + 1;
      while (is_digit(at(k))) ++k;
      emit(k, TokenKind::Param, gap, is_ident_cont(at(k)));
      return;
    }
    // dolqdelim \$({dolq_start}{dolq_cont}*)?\$ with dolq_cont [A-Za-z\200-\377_0-9]
    size_t k = i_ + 1;
    if (is_ident_start(next)) {
      ++k;
      while (is_ident_start(at(k)) || is_digit(at(k))) ++k;
    }
    if (at(k) != '$') {  // dolqfailed: the scanner backs up and returns '$' alone; not modelled
      emit(i_ + 1, TokenKind::Other, gap, true);
      return;
    }
    const std::string_view tag = s_.substr(i_, k + 1 - i_);
    const size_t close = s_.find(tag, k + 1);
    if (close == std::string_view::npos) {
      emit(s_.size(), TokenKind::DollarString, gap, true);
      return;
    }
    emit(close + tag.size(), TokenKind::DollarString, gap);
  }

  // decinteger, decimal, real; integer_junk, numeric_junk, real_junk (PostgreSQL 15) and ".." are doubtful.
  void scan_number(bool gap) {
    size_t k = i_;
    bool integral = true;
    while (is_digit(at(k))) ++k;
    if (at(k) == '.') {
      if (at(k + 1) == '.') {  // "1..": the scanner keeps the integer and returns DOT_DOT; not modelled
        emit(k, TokenKind::Integer, gap, true);
        return;
      }
      integral = false;
      ++k;
      while (is_digit(at(k))) ++k;
    }
    bool doubtful = false;
    if (at(k) == 'e' || at(k) == 'E') {
      size_t e = k + 1;
      if (at(e) == '+' || at(e) == '-') ++e;
      if (is_digit(at(e))) {
        integral = false;
        k = e;
        while (is_digit(at(k))) ++k;
      } else {
        doubtful = true;  // realfail
      }
    }
    if (is_ident_cont(at(k)) || at(k) == '.') doubtful = true;  // trailing junk, or "1.2.3"
    TokenKind kind = TokenKind::Numeric;
    if (integral) {
      // process_integer_literal: ICONST when strtoint succeeds (fits in int32), FCONST otherwise.
      uint64_t value = 0;
      for (size_t d = i_; d < k && value <= 2147483647ULL; ++d) value = value * 10 + (at(d) - '0');
      if (value <= 2147483647ULL) kind = TokenKind::Integer;
    }
    emit(k, kind, gap, doubtful);
  }

  // operator: {op_chars}+, cut before an embedded comment start, and without trailing + or - unless the
  // operator contains one of ~ ! @ # ^ & | ` ? % (scan.l's rule for unary minus after an operator).
  void scan_operator(bool gap) {
    size_t k = i_;
    while (is_op_char(at(k))) {
      if (k > i_ && ((at(k) == '-' && at(k + 1) == '-') || (at(k) == '/' && at(k + 1) == '*'))) break;
      ++k;
    }
    size_t len = k - i_;
    if (len > 1 && (at(k - 1) == '+' || at(k - 1) == '-')) {
      bool special = false;
      for (size_t d = i_; d < k; ++d) {
        const unsigned char o = at(d);
        special = special || o == '~' || o == '!' || o == '@' || o == '#' || o == '^' || o == '&' || o == '|' ||
                  o == '`' || o == '?' || o == '%';
      }
      if (!special) {
        while (len > 1 && (at(i_ + len - 1) == '+' || at(i_ + len - 1) == '-')) --len;
      }
    }
    emit(i_ + len, TokenKind::Operator, gap);
  }

  std::string_view s_;
  std::vector<Token>& out_;
  size_t i_ = 0;
  bool comment_ = false;  //!< the current gap holds a comment
};

}  // namespace

bool is_keyword(std::string_view text, const Token& t, std::string_view lower_keyword) {
  if (t.end - t.begin != lower_keyword.size()) return false;
  for (size_t k = 0; k < lower_keyword.size(); ++k) {
    char c = text[t.begin + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_keyword[k]) return false;
  }
  return true;
}

void tokenize(std::string_view text, std::vector<Token>& out) {
  if (text.size() >= UINT32_MAX) throw std::length_error("SQL text longer than 4 GiB");
  out.clear();
  out.reserve(text.size() / 4 + 8);  // statements average about 4 bytes a token: one allocation, at most, per buffer
  Scanner(text, out).run();
}

}  // namespace pgadvisor::analyzer
