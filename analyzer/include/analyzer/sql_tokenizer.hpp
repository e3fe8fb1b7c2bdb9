// A light SQL tokenizer that follows PostgreSQL 15's scanner (scan.l) closely enough to split statements and to
// build shape keys, without a parse. Wherever it cannot be sure it agrees with the real scanner it says so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace pgadvisor::analyzer {

enum class TokenKind : uint8_t {
  Word,                   //!< keyword or unquoted identifier
  QuotedIdentifier,       //!< "..." with "" escapes
  Param,                  //!< $1, $2, ...
  Integer,                //!< digits that fit in int32: the scanner's ICONST
  Numeric,                //!< decimals, exponents and integers beyond int32: the scanner's FCONST
  String,                 //!< '...' (standard_conforming_strings is on)
  EscapeString,           //!< E'...' without any backslash
  EscapeStringBackslash,  //!< E'...' with a backslash: its value can make the scan fail, so it is never abstracted
  BitString,              //!< B'...'
  HexString,              //!< X'...'
  DollarString,           //!< $$...$$ or $tag$...$tag$
  Operator,               //!< a run of operator characters, cut as the scanner cuts it
  Punctuation,            //!< one of , ( ) [ ] ; . : or :: := ..
  Other,                  //!< any other byte, passed to the parser as is
};

//! True for the kinds that are literal constants of the grammar (AexprConst candidates).
constexpr bool is_literal(TokenKind kind) {
  return kind >= TokenKind::Integer && kind <= TokenKind::DollarString;  // the literal kinds are contiguous
}

struct Token {
  uint32_t begin = 0;  //!< byte offset of the first character
  uint32_t end = 0;    //!< byte offset one past the last character
  TokenKind kind = TokenKind::Other;
  bool gap_before = false;      //!< whitespace or a comment separates it from the previous token
  bool comment_before = false;  //!< that gap holds a comment
  bool doubtful = false;  //!< the real scanner may read this differently (unterminated quote, U&'', trailing junk...)
};

//! scan.l's character classes, shared by the tokenizer and the quick statement scanner (statement.hpp).
//! space: [ \t\n\r\f] (\v is not whitespace before PostgreSQL 16).
constexpr bool is_sql_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
constexpr bool is_sql_digit(unsigned char c) { return c >= '0' && c <= '9'; }
//! ident_start: [A-Za-z\200-\377_]
constexpr bool is_sql_ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '_';
}
//! ident_cont: [A-Za-z\200-\377_0-9\$]
constexpr bool is_sql_ident_cont(unsigned char c) { return is_sql_ident_start(c) || is_sql_digit(c) || c == '$'; }

//! Tokenizes text into tokens (comments and whitespace become gap_before flags). Never fails: text it cannot
//! read with certainty yields doubtful tokens. Appends to out after clearing it, so a caller can reuse the buffer.
//! Text longer than 4 GiB - 1 is rejected with std::length_error (offsets are 32-bit to keep tokens small).
void tokenize(std::string_view text, std::vector<Token>& out);

//! The token's text.
inline std::string_view token_text(std::string_view text, const Token& t) {
  return text.substr(t.begin, t.end - t.begin);
}

//! Case-insensitive comparison of a Word token with a lower-case ASCII keyword.
bool is_keyword(std::string_view text, const Token& t, std::string_view lower_keyword);

}  // namespace pgadvisor::analyzer
