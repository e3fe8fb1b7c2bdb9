// The analyzer's entry point for SQL text: splits a text into statements and describes each one (fingerprint,
// kind, parse error), through the shape cache or, when it is turned off, straight through libpg_query.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/shape_cache.hpp"
#include "analyzer/statement.hpp"

namespace pgadvisor::analyzer {

struct AnalyzedStatement {
  StatementSpan span;  //!< where the statement is in the analyzed text
  StatementInfo info;  //!< its fingerprint, kind and parse error
};

struct StatementAnalyzerOptions {
  bool shape_cache = true;              //!< share one parse among statements of one shape
  size_t max_shapes = size_t{1} << 20;  //!< the cache is emptied when it reaches this many shapes
};

//! Not thread-safe: one per thread. Results are the same with or without the shape cache.
class StatementAnalyzer {
 public:
  explicit StatementAnalyzer(StatementAnalyzerOptions options = {});

  //! Every statement of text, in order. A statement that does not scan or parse comes back with its error and
  //! never hides the statements around it.
  std::vector<AnalyzedStatement> analyze(std::string_view text);
  //! Same, into a buffer the caller reuses (cleared first): the hot loop of a log reader allocates nothing.
  void analyze(std::string_view text, std::vector<AnalyzedStatement>& out);
  //! One statement, already split (no ';' separators).
  StatementInfo describe(std::string_view statement);
  //! The normalized text of one statement (pg_query_normalize), through the cache's templates when on.
  NormalizedText normalize(std::string_view statement);

  //! The shape cache, or nullptr when it is off (for its statistics, or to attach facts to shapes).
  ShapeCache* shape_cache() { return cache_ ? &*cache_ : nullptr; }

 private:
  //! The quick path: no tokens at all when the cache is off or skipping (split_statements_quick, kind_from_text);
  //! false when the text needs the tokenizer (nothing was appended to out then).
  bool analyze_quick(std::string_view text, std::vector<AnalyzedStatement>& out);
  //! The exact path: one tokenizer pass over the text serves the split and the shape keys. Kept out of line so that
  //! the quick path's code stays small (libpg_query evicts it from the instruction cache at every statement).
  [[gnu::noinline]] void analyze_tokenized(std::string_view text, std::vector<AnalyzedStatement>& out);

  std::optional<ShapeCache> cache_;
  std::vector<Token> tokens_;                //!< reused token buffer
  std::vector<StatementTokens> statements_;  //!< reused split buffer
  std::vector<StatementSpan> spans_;         //!< reused split buffer of the quick path
  std::string c_text_;  //!< the text, NUL-terminated, and NUL after each statement: what libpg_query reads
};

}  // namespace pgadvisor::analyzer
