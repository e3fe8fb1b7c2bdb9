// StatementAnalyzer: statements are cut and described without tokens whenever nothing needs them (cache off or
// skipping, a text the quick scan models); otherwise one tokenizer pass over the text serves the split and the keys.
#include "analyzer/statement_analyzer.hpp"

#include <cstdint>

namespace pgadvisor::analyzer {

StatementAnalyzer::StatementAnalyzer(StatementAnalyzerOptions options) {
  if (options.shape_cache) cache_.emplace(options.max_shapes);
}

std::vector<AnalyzedStatement> StatementAnalyzer::analyze(std::string_view text) {
  std::vector<AnalyzedStatement> out;
  analyze(text, out);
  return out;
}

bool StatementAnalyzer::analyze_quick(std::string_view text, std::vector<AnalyzedStatement>& out) {
  // Same limit as tokenize(), whose exception the exact path then raises.
  if (text.size() >= UINT32_MAX) return false;
  c_text_.assign(text);
  if (!split_statements_quick(c_text_, spans_)) return false;
  for (const StatementSpan& span : spans_) {
    // The byte after a statement is a ';', whitespace or a comment, which no later statement needs: a NUL there
    // lets libpg_query read the statement in place.
    c_text_[span.offset + span.length] = '\0';
    const std::string_view statement(c_text_.data() + span.offset, span.length);
    AnalyzedStatement& a = out.emplace_back();
    a.span = span;
    a.info =
        cache_ && !cache_->skip_next() ? cache_->describe_unskipped(statement) : describe_statement_in_place(statement);
  }
  return true;
}

void StatementAnalyzer::analyze(std::string_view text, std::vector<AnalyzedStatement>& out) {
  out.clear();
  // While the cache builds keys, tokens are needed anyway: one pass over the whole text.
  if ((!cache_ || !cache_->keys_wanted()) && analyze_quick(text, out)) return;
  analyze_tokenized(text, out);
}

void StatementAnalyzer::analyze_tokenized(std::string_view text, std::vector<AnalyzedStatement>& out) {
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
