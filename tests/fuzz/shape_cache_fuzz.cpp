// libFuzzer target for the tokenizer, the splitter and the shape cache, differential against libpg_query: any text
// must give the same fingerprint, kind, error and normalized text through the cache as straight from libpg_query.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/shape_cache.hpp"
#include "analyzer/statement_analyzer.hpp"

namespace {

using namespace pgadvisor::analyzer;

[[noreturn]] void fail(const char* what, std::string_view a, std::string_view b) {
  std::fprintf(stderr, "shape cache disagrees with libpg_query (%s)\n  text:  %.*s\n  other: %.*s\n", what,
               static_cast<int>(a.size()), a.data(), static_cast<int>(b.size()), b.data());
  std::abort();
}

// The statement with every literal replaced by another literal of the same token kind: the sibling shares the
// statement's shape key whenever the key abstracts literal values, so the cache answers it from the statement's
// parse, which is what must be checked.
std::string sibling(std::string_view text, const std::vector<Token>& tokens) {
  std::string out;
  size_t copied = 0;
  for (const Token& t : tokens) {
    const char* replacement = nullptr;
    switch (t.kind) {
      case TokenKind::Integer:
        replacement = (t.end - t.begin) % 2 == 0 ? "7" : "2147483647";
        break;
      case TokenKind::Numeric:
        replacement = (t.end - t.begin) % 2 == 0 ? "1.5" : "9e9";
        break;
      case TokenKind::String:
        replacement = (t.end - t.begin) % 2 == 0 ? "'x'" : "'it''s; -- /*'";
        break;
      case TokenKind::EscapeString:
        replacement = "E'y'";
        break;
      case TokenKind::BitString:
        replacement = "B'01'";
        break;
      case TokenKind::HexString:
        replacement = "X'ff'";
        break;
      case TokenKind::DollarString:
        replacement = "$q$a;b$q$";
        break;
      default:
        break;
    }
    if (replacement == nullptr) continue;
    out.append(text.substr(copied, t.begin - copied));
    out.append(replacement);
    copied = t.end;
  }
  out.append(text.substr(copied));
  return out;
}

void check_statement(ShapeCache& cache, const std::string& statement) {
  if (!(cache.describe(statement) == describe_statement(statement))) fail("describe", statement, "");
  if (!(cache.normalize(statement) == normalize_statement(statement))) fail("normalize", statement, "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);

  // Splitting never fails and statements come back in order, inside the text.
  StatementAnalyzer with_cache;
  StatementAnalyzer without_cache({.shape_cache = false});
  const auto cached = with_cache.analyze(text);
  const auto direct = without_cache.analyze(text);
  if (cached.size() != direct.size()) fail("statement count", text, "");
  size_t previous_end = 0;
  for (size_t k = 0; k < cached.size(); ++k) {
    if (cached[k].span.offset < previous_end || cached[k].span.offset + cached[k].span.length > text.size()) {
      fail("span", text, "");
    }
    previous_end = cached[k].span.offset + cached[k].span.length;
    if (!(cached[k].info == direct[k].info)) fail("analyze", text, "");
  }

  // Each statement, then its sibling through the same cache (a hit on the statement's shape when the key allows).
  ShapeCache cache;
  std::vector<Token> tokens;
  for (const AnalyzedStatement& s : cached) {
    const std::string statement = text.substr(s.span.offset, s.span.length);
    if (statement.find('\0') != std::string::npos) continue;  // libpg_query reads C strings
    check_statement(cache, statement);
    tokenize(statement, tokens);
    const std::string other = sibling(statement, tokens);
    if (!(cache.describe(other) == describe_statement(other))) fail("describe of a sibling", statement, other);
    if (!(cache.normalize(other) == normalize_statement(other))) fail("normalize of a sibling", statement, other);
  }
  return 0;
}
