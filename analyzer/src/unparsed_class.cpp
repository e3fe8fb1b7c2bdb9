// Unparsed classes: a normalization and fingerprint from the tokenizer alone, for statements libpg_query rejects.
#include "analyzer/unparsed_class.hpp"

#include <vector>

#include "analyzer/sql_tokenizer.hpp"

namespace pgadvisor::analyzer {
namespace {

constexpr unsigned char kLiteralMarker = 0xff;  // not a TokenKind value

bool is_number(TokenKind kind) { return kind == TokenKind::Integer || kind == TokenKind::Numeric; }

// FNV-1a over the canonical stream, then SplitMix64's finalizer so that the top bits (the ones kept) mix every input
// byte. Both are fixed: the same statement gets the same fingerprint in every run and every version of pgadvisor.
class StreamHash {
 public:
  void byte(unsigned char b) {
    state_ ^= b;
    state_ *= 0x100000001b3ULL;
  }
  void bytes(std::string_view s) {
    for (const char c : s) byte(static_cast<unsigned char>(c));
  }
  //! A length before each token's text: no two token lists hash the same stream.
  void length(size_t n) {
    for (int k = 0; k < 4; ++k) byte(static_cast<unsigned char>(n >> (8 * k)));
  }
  uint64_t finish() const {
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_ = 0xcbf29ce484222325ULL;
};

// The highest $n of the statement's own parameters (literals are numbered after it, as pg_query_normalize does).
uint64_t highest_parameter(std::string_view text, const std::vector<Token>& tokens) {
  uint64_t highest = 0;
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::Param) continue;
    uint64_t n = 0;
    for (const char c : token_text(text, t).substr(1)) {
      if (c < '0' || c > '9' || n > 1'000'000'000) break;
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (n > highest) highest = n;
  }
  return highest;
}

}  // namespace

UnparsedClass unparsed_class(std::string_view statement) {
  std::vector<Token> tokens;
  tokenize(statement, tokens);
  UnparsedClass out;
  out.normalized.reserve(statement.size());
  uint64_t next_param = highest_parameter(statement, tokens) + 1;
  StreamHash hash;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (k > 0 && t.gap_before) out.normalized.push_back(' ');
    if (is_literal(t.kind)) {
      hash.byte(kLiteralMarker);  // values, and which literal kind a value is, do not matter
      // PostgreSQL 16's non-decimal integers and digit separators (0x1F, 0o17, 0b101, 1_000) scan in 15 as a
      // number with trailing junk: a number and the words or numbers touching it are one literal.
      if (is_number(t.kind) && t.doubtful) {
        while (k + 1 < tokens.size() && !tokens[k + 1].gap_before &&
               (tokens[k + 1].kind == TokenKind::Word || is_number(tokens[k + 1].kind))) {
          ++k;
        }
      }
      out.normalized.push_back('$');
      out.normalized.append(std::to_string(next_param++));
      continue;
    }
    hash.byte(static_cast<unsigned char>(t.kind));
    const std::string_view own = token_text(statement, t);
    out.normalized.append(own);
    hash.length(own.size());
    if (t.kind == TokenKind::Word) {
      for (const char c : own) hash.byte(static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    } else {
      hash.bytes(own);
    }
  }
  out.fingerprint = hash.finish() >> 4;
  return out;
}

std::string unparsed_fingerprint_hex(uint64_t fingerprint) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(16, 'u');
  for (int k = 15; k >= 1; --k, fingerprint >>= 4) hex[static_cast<size_t>(k)] = kDigits[fingerprint & 0xf];
  return hex;
}

}  // namespace pgadvisor::analyzer
