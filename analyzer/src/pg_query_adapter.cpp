// Wraps libpg_query's C API: each pg_query_<verb> result is freed by its pg_query_free_<verb>_result
// through a scope guard, and PgQueryError becomes a ParseError value.
#include "pg_query_adapter.hpp"

#include <cstdlib>

#include <pg_query.h>

#include "analyzer/utf8.hpp"

// The steps pg_query_fingerprint is made of in libpg_query 15-4.0 (src/pg_query_fingerprint.c): enter a memory
// context, pg_query_raw_parse, pg_query_fingerprint_node of the statement list, then asprintf of the hex string,
// exit the context. All are exported by libpg_query; the first ones are declared in the installed
// <pg_query/pg_query_internal.h>, which needs PostgreSQL's server headers (not installed), the last in the source
// tree's pg_query_fingerprint.h. Their declarations are repeated here with opaque pointers (List *, MemoryContext).
// fingerprint_value calls them without the hex string, which costs libpg_query's asprintf about 3,500
// instructions (6 % of a fingerprint); tests/analyzer/statement_test.cpp checks it against pg_query_fingerprint.
extern "C" {
struct PgQueryInternalParsetreeAndError {
  void* tree;  // List * of RawStmt, NULL on error or for an empty statement
  char* stderr_buffer;
  PgQueryError* error;
};
PgQueryInternalParsetreeAndError pg_query_raw_parse(const char* input);
void pg_query_free_error(PgQueryError* error);
void* pg_query_enter_memory_context();
void pg_query_exit_memory_context(void* ctx);
uint64_t pg_query_fingerprint_node(const void* node);
// PostgreSQL's log_min_messages setting, per thread in libpg_query (src/postgres/include/utils/elog.h: WARNING 19,
// ERROR 21). libpg_query 15-4.0 fingerprints an A_Const (every literal) by elog(WARNING, "could not fingerprint
// unrecognized node type") and its send_message_to_server_log is empty: the message is formatted and dropped,
// about 1,400 instructions per literal. Below ERROR, errstart returns before formatting anything.
extern __thread int log_min_messages;
}

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
  Freeing(Freeing&&) = delete;
  Freeing& operator=(Freeing&&) = delete;
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
  // As pg_query_fingerprint_with_opts does, less the hex string and the dropped warnings. The parse tree lives in the
  // memory context, the error and the stderr copy in malloc'ed memory. The setting is restored for other callers.
  constexpr int kElogError = 21;
  struct QuietWarnings {
    int saved = log_min_messages;
    QuietWarnings() { log_min_messages = kElogError; }
    ~QuietWarnings() { log_min_messages = saved; }
    QuietWarnings(const QuietWarnings&) = delete;
    QuietWarnings& operator=(const QuietWarnings&) = delete;
    QuietWarnings(QuietWarnings&&) = delete;
    QuietWarnings& operator=(QuietWarnings&&) = delete;
  } quiet;
  Freeing context{pg_query_enter_memory_context(), pg_query_exit_memory_context};
  const PgQueryInternalParsetreeAndError parsed = pg_query_raw_parse(text);
  // NOLINTNEXTLINE(cppcoreguidelines-no-malloc): libpg_query mallocs the stderr copy and leaves it to free().
  std::free(parsed.stderr_buffer);
  if (parsed.error != nullptr) {
    Freeing error{parsed.error, pg_query_free_error};
    return failed<uint64_t>(*parsed.error);
  }
  return {pg_query_fingerprint_node(parsed.tree), std::nullopt};
}

Outcome<std::string> normalize(const std::string& text) {
  Freeing r{pg_query_normalize(text.c_str()), pg_query_free_normalize_result};
  if (r.result.error != nullptr) return failed<std::string>(*r.result.error);
  return {std::string(r.result.normalized_query), std::nullopt};
}

Outcome<std::string> parse_json(const std::string& text) {
  Freeing r{pg_query_parse(text.c_str()), pg_query_free_parse_result};
  if (r.result.error != nullptr) return failed<std::string>(*r.result.error);
  // libpg_query copies a statement's bytes into the tree's JSON strings as they are: text that is not UTF-8 (a
  // LATIN1 database's 'caf\xe9') would make the JSON unreadable, so each stray byte becomes U+FFFD there. The
  // fingerprint and the normalized text are computed from the bytes, not from this JSON.
  return {analyzer::utf8_sanitize(r.result.parse_tree), std::nullopt};
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
