// StatementAnalyzer: one tokenizer pass over the text serves both the split and the shape keys.
// With the cache off, each statement goes straight to libpg_query (the reference the cache is tested against).
#include "analyzer/statement_analyzer.hpp"

namespace pgadvisor::analyzer {

StatementAnalyzer::StatementAnalyzer(StatementAnalyzerOptions options) {
  if (options.shape_cache) cache_.emplace(options.max_shapes);
}

std::vector<AnalyzedStatement> StatementAnalyzer::analyze(std::string_view text) {
  std::vector<AnalyzedStatement> out;
  analyze(text, out);
  return out;
}

void StatementAnalyzer::analyze(std::string_view text, std::vector<AnalyzedStatement>& out) {
  out.clear();
  tokenize(text, tokens_);
  const std::span<const Token> tokens(tokens_);
  split_statements(text, tokens, statements_);
  for (const StatementTokens& s : statements_) {
    if (cache_) {
      out.push_back({s.span, cache_->describe(text, s, tokens)});
    } else {
      out.push_back({s.span, describe_statement(text.substr(s.span.offset, s.span.length), text,
                                                tokens.subspan(s.first_token, s.end_token - s.first_token))});
    }
  }
}

StatementInfo StatementAnalyzer::describe(std::string_view statement) {
  return cache_ ? cache_->describe(statement) : describe_statement(statement);
}

NormalizedText StatementAnalyzer::normalize(std::string_view statement) {
  return cache_ ? cache_->normalize(statement) : normalize_statement(statement);
}

}  // namespace pgadvisor::analyzer
