// Wraps libpg_query's C API: each pg_query_<verb> result is freed by its pg_query_free_<verb>_result
// through a scope guard, and PgQueryError becomes a ParseError value.
#include "pg_query_adapter.hpp"

#include <pg_query.h>

namespace pgadvisor::analyzer::pg_query_adapter {
namespace {

// Calls free_fn(result) at scope exit, whatever happens in between.
template <typename Result, typename Free>
struct Freeing {
  Freeing(Result r, Free f) : result(r), free_fn(f) {}
  ~Freeing() { free_fn(result); }
  Result result;
  Free free_fn;
  Freeing(const Freeing&) = delete;
  Freeing& operator=(const Freeing&) = delete;
};

ParseError to_error(const PgQueryError& e) {
  return ParseError{e.message != nullptr ? e.message : "unknown libpg_query error", e.cursorpos};
}

template <typename T>
Outcome<T> failed(const PgQueryError& e) {
  return Outcome<T>{std::nullopt, to_error(e)};
}

std::vector<StatementSpan> spans_of(const PgQuerySplitResult& r) {
  std::vector<StatementSpan> spans;
  spans.reserve(static_cast<size_t>(r.n_stmts));
  for (int i = 0; i < r.n_stmts; ++i) {
    spans.push_back(StatementSpan{r.stmts[i]->stmt_location, r.stmts[i]->stmt_len});
  }
  return spans;
}

}  // namespace

Outcome<Fingerprint> fingerprint(const std::string& text) {
  Freeing r{pg_query_fingerprint(text.c_str()), pg_query_free_fingerprint_result};
  if (r.result.error != nullptr) return failed<Fingerprint>(*r.result.error);
  return {Fingerprint{r.result.fingerprint, r.result.fingerprint_str}, std::nullopt};
}

Outcome<uint64_t> fingerprint_value(const char* text) {
  Freeing r{pg_query_fingerprint(text), pg_query_free_fingerprint_result};
  if (r.result.error != nullptr) return failed<uint64_t>(*r.result.error);
  return {r.result.fingerprint, std::nullopt};
}

Outcome<std::string> normalize(const std::string& text) {
  Freeing r{pg_query_normalize(text.c_str()), pg_query_free_normalize_result};
  if (r.result.error != nullptr) return failed<std::string>(*r.result.error);
  return {std::string(r.result.normalized_query), std::nullopt};
}

Outcome<std::string> parse_json(const std::string& text) {
  Freeing r{pg_query_parse(text.c_str()), pg_query_free_parse_result};
  if (r.result.error != nullptr) return failed<std::string>(*r.result.error);
  return {std::string(r.result.parse_tree), std::nullopt};
}

Outcome<std::vector<StatementSpan>> split_with_scanner(const std::string& text) {
  Freeing r{pg_query_split_with_scanner(text.c_str()), pg_query_free_split_result};
  if (r.result.error != nullptr) return failed<std::vector<StatementSpan>>(*r.result.error);
  return {spans_of(r.result), std::nullopt};
}

Outcome<std::vector<StatementSpan>> split_with_parser(const std::string& text) {
  Freeing r{pg_query_split_with_parser(text.c_str()), pg_query_free_split_result};
  if (r.result.error != nullptr) return failed<std::vector<StatementSpan>>(*r.result.error);
  return {spans_of(r.result), std::nullopt};
}

}  // namespace pgadvisor::analyzer::pg_query_adapter
