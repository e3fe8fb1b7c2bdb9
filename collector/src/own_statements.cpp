// Recognizing pgadvisor's own statements (see the header): the fingerprints of the embedded SQL texts, computed
// once, the templates' fixed tokens around their placeholders, and the prefixes pgadvisor puts before a workload
// statement.
#include "collector/own_statements.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "analyzer/sql_tokenizer.hpp"
#include "analyzer/statement.hpp"
#include "analyzer/statement_analyzer.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::collector {
namespace {

// The demo's schema and workload are a user's statements; the store's texts run on SQLite, never on a server.
bool sent_to_servers(std::string_view name) { return !name.starts_with("demo/") && !name.starts_with("store/"); }

// A text without its comment lines and surrounding whitespace: what a prefix file puts before a statement.
std::string without_comments(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    if (!line.starts_with("--")) out += std::string(line) + " ";
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\r')) out.pop_back();
  return out;
}

// A token as a template fixes it: its kind and text (words in lower case); any literal stands for any literal or
// $n, since pg_stat_statements shows constants as $n.
struct FixedToken {
  analyzer::TokenKind kind;
  std::string text;
};

std::vector<FixedToken> fixed_tokens(std::string_view text) {
  std::vector<analyzer::Token> tokens;
  analyzer::tokenize(text, tokens);
  std::vector<FixedToken> out;
  for (const auto& t : tokens) {
    std::string word(analyzer::token_text(text, t));
    if (t.kind == analyzer::TokenKind::Word) {
      std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
    }
    out.push_back({t.kind, std::move(word)});
  }
  return out;
}

bool constant(analyzer::TokenKind kind) { return analyzer::is_literal(kind) || kind == analyzer::TokenKind::Param; }

bool same(const FixedToken& fixed, const FixedToken& seen) {
  if (constant(fixed.kind)) return constant(seen.kind);
  return fixed.kind == seen.kind && fixed.text == seen.text;
}

// A filled template (pg::fill_template) as a glob over tokens: its fixed segments in order, each placeholder any
// run of tokens. Only templates with enough fixed tokens to be told from a user's statement are kept: `DROP INDEX
// {index}` would claim every DROP INDEX.
constexpr size_t kMinTemplateTokens = 8;

struct TemplateShape {
  std::vector<std::vector<FixedToken>> segments;  // between placeholders; the first and last may be empty
};

std::optional<TemplateShape> template_shape(std::string_view text) {
  static const std::regex placeholder(R"(\{[a-z_]+\})");
  const std::string body = without_comments(text);
  TemplateShape shape;
  size_t fixed = 0;
  auto begin = std::sregex_iterator(body.begin(), body.end(), placeholder);
  size_t at = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    shape.segments.push_back(fixed_tokens(std::string_view(body).substr(at, static_cast<size_t>(it->position()) - at)));
    fixed += shape.segments.back().size();
    at = static_cast<size_t>(it->position() + it->length());
  }
  if (shape.segments.empty()) return std::nullopt;  // not a template
  shape.segments.push_back(fixed_tokens(std::string_view(body).substr(at)));
  fixed += shape.segments.back().size();
  if (fixed < kMinTemplateTokens) return std::nullopt;
  return shape;
}

bool segment_at(const std::vector<FixedToken>& seen, size_t at, const std::vector<FixedToken>& segment) {
  if (at + segment.size() > seen.size()) return false;
  for (size_t i = 0; i < segment.size(); ++i) {
    if (!same(segment[i], seen[at + i])) return false;
  }
  return true;
}

// Glob matching: the first segment at the start, the last at the end, each one between at its earliest place.
bool matches(const TemplateShape& shape, const std::vector<FixedToken>& seen) {
  const auto& first = shape.segments.front();
  const auto& last = shape.segments.back();
  if (first.size() + last.size() > seen.size() || !segment_at(seen, 0, first) ||
      !segment_at(seen, seen.size() - last.size(), last)) {
    return false;
  }
  size_t at = first.size();
  const size_t end = seen.size() - last.size();
  for (size_t s = 1; s + 1 < shape.segments.size(); ++s) {
    const auto& segment = shape.segments[s];
    while (at + segment.size() <= end && !segment_at(seen, at, segment)) ++at;
    if (at + segment.size() > end) return false;
    at += segment.size();
  }
  return true;
}

struct Known {
  std::set<uint64_t> fingerprints;
  std::vector<TemplateShape> templates;
  std::vector<std::string> prefixes;
};

const Known& known() {
  static const Known k = [] {
    Known out;
    analyzer::StatementAnalyzer analyzer;
    for (const auto& t : sql::all()) {
      if (!sent_to_servers(t.name)) continue;
      if (t.name.ends_with("_prefix")) {
        out.prefixes.push_back(without_comments(t.text));
        continue;
      }
      if (auto shape = template_shape(t.text)) {
        out.templates.push_back(std::move(*shape));
        continue;
      }
      for (const auto& s : analyzer.analyze(t.text)) {
        if (!s.info.error) out.fingerprints.insert(s.info.fingerprint);
      }
    }
    return out;
  }();
  return k;
}

}  // namespace

bool is_own_statement(std::string_view text) {
  const auto& k = known();
  // As sent: pgadvisor's files open with comment lines, which the log and pg_stat_statements keep.
  auto body = text;
  while (true) {
    auto start = body.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return false;
    body.remove_prefix(start);
    if (!body.starts_with("--")) break;
    auto end = body.find('\n');
    if (end == std::string_view::npos) return false;
    body.remove_prefix(end + 1);
  }
  for (const auto& prefix : k.prefixes) {
    if (body.starts_with(prefix)) return true;
  }
  if (!k.templates.empty()) {
    auto seen = fixed_tokens(body);
    while (!seen.empty() && seen.back().kind == analyzer::TokenKind::Punctuation && seen.back().text == ";") {
      seen.pop_back();
    }
    for (const auto& shape : k.templates) {
      if (matches(shape, seen)) return true;
    }
  }
  analyzer::StatementAnalyzer analyzer;
  auto statements = analyzer.analyze(text);
  return !statements.empty() && std::all_of(statements.begin(), statements.end(), [&](const auto& s) {
    return !s.info.error && k.fingerprints.contains(s.info.fingerprint);
  });
}

}  // namespace pgadvisor::collector
