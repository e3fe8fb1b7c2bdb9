// Statements of a SQL text: splitting a text into statements, their kind, and what libpg_query says about one
// statement (fingerprint, normalized text, parse error). This is the slow path; shape_cache.hpp is the fast one.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/sql_tokenizer.hpp"

namespace pgadvisor::analyzer {

//! What a statement does, from its top-level parse node (see GLOSSARY.md, "statement kind").
enum class StatementKind : uint8_t {
  Select,         //!< SelectStmt: SELECT, VALUES, TABLE, WITH ... SELECT, SELECT INTO
  Insert,         //!< InsertStmt
  Update,         //!< UpdateStmt
  Delete,         //!< DeleteStmt
  Merge,          //!< MergeStmt
  Ddl,            //!< Create*, Alter* (but ALTER SYSTEM), Drop*, COMMENT, GRANT/REVOKE, TRUNCATE, SECURITY LABEL...
  Transaction,    //!< TransactionStmt: BEGIN, COMMIT, ROLLBACK, SAVEPOINT, PREPARE TRANSACTION...
  Configuration,  //!< SET, RESET, SHOW, SET CONSTRAINTS, ALTER SYSTEM
  Explain,        //!< ExplainStmt
  Copy,           //!< CopyStmt
  Maintenance,    //!< VACUUM, ANALYZE, CLUSTER, REINDEX, CHECKPOINT, REFRESH MATERIALIZED VIEW
  Prepared,       //!< PREPARE name, EXECUTE, DEALLOCATE
  Utility,        //!< any other utility statement: LOCK, LISTEN, NOTIFY, DO, CALL, DECLARE, FETCH, DISCARD...
  Invalid,        //!< the statement does not parse
};

std::string_view to_string(StatementKind kind);

//! Why a statement does not parse.
struct StatementError {
  std::string message;  //!< the parser's message, e.g. "syntax error at or near \"FRM\""
  int position = 0;     //!< 1-based character (UTF-8 code point, not byte) offset in the statement, 0 when unknown
  bool operator==(const StatementError&) const = default;
};

//! The byte offset in statement of an error's 1-based character position (for a caret under the text); the
//! statement's size when the position is past its end, 0 when the position is unknown.
size_t error_byte_offset(std::string_view statement, int position);

//! A statement's place in a text: byte offset and length, from its first token to its last (no trailing ';').
struct StatementSpan {
  size_t offset = 0;
  size_t length = 0;
  bool operator==(const StatementSpan&) const = default;
};

//! A statement's span plus its tokens' range in the tokenized text.
struct StatementTokens {
  StatementSpan span;
  size_t first_token = 0;  //!< index of its first token
  size_t end_token = 0;    //!< one past its last token (excluding the ';')
};

//! Splits at semicolons that are not inside quotes, dollar quotes, comments or a CREATE FUNCTION/PROCEDURE
//! BEGIN ATOMIC ... END body (psql's rule), drops empty statements. Never fails: an unterminated quote or comment
//! runs to the end of the text, which is then one statement that does not parse.
std::vector<StatementSpan> split_statements(std::string_view text);
std::vector<StatementTokens> split_statements(std::string_view text, std::span<const Token> tokens);
//! Same, into a buffer the caller reuses (cleared first).
void split_statements(std::string_view text, std::span<const Token> tokens, std::vector<StatementTokens>& out);

//! split_statements without tokens, for texts that need no more than a boundary scan: quotes, comments and dollar
//! quotes are skipped whole, the rest is jumped over to the next byte that may matter. Either the spans are exactly
//! split_statements' spans, or false comes back (out then holds nothing useful) when the text holds something this
//! scan does not model: an unterminated quote or comment, a backslash in a possible E'' string, a '$' after a
//! digit, a NUL byte outside comments, a ';' in a statement that does not start with a word other than CREATE.
//! Precondition: text.data()[text.size()] == '\0' (the scan relies on it, as libpg_query does).
bool split_statements_quick(std::string_view text, std::vector<StatementSpan>& out);

//! What libpg_query says about one statement; shared by all statements of one shape.
struct StatementInfo {
  uint64_t fingerprint = 0;  //!< libpg_query's fingerprint, 0 when the statement does not parse
  StatementKind kind = StatementKind::Invalid;
  std::optional<StatementError> error;  //!< set exactly when kind is Invalid
  bool operator==(const StatementInfo&) const = default;
};

//! 16 lower-case hex digits, exactly as libpg_query prints a fingerprint.
std::string fingerprint_hex(uint64_t fingerprint);

//! The normalized text of a statement (pg_query_normalize: constants replaced by $n), or why it failed.
struct NormalizedText {
  std::optional<std::string> text;
  std::optional<StatementError> error;
  bool operator==(const NormalizedText&) const = default;
};

//! The slow path: libpg_query's fingerprint of the statement, its kind from its tokens (or from its parse tree
//! when the tokens do not tell), its parse error.
StatementInfo describe_statement(std::string_view statement);
//! Same, with the statement's tokens at hand: they index text, of which statement is a part.
StatementInfo describe_statement(std::string_view statement, std::string_view text, std::span<const Token> tokens);
//! Same, for a statement whose tokens the caller does not have, NUL-terminated in memory
//! (statement.data()[statement.size()] == '\0'): libpg_query reads it in place, the kind comes from
//! kind_from_text, or from its tokens and then its parse tree when that does not tell.
StatementInfo describe_statement_in_place(std::string_view statement);
//! Beyond this size a statement is its own normalized text (pg_query_normalize's memory grows by about 9 KB per
//! select-list entry).
inline constexpr size_t kMaxNormalizedStatement = size_t{128} << 10;
//! pg_query_normalize of the statement; the statement itself beyond kMaxNormalizedStatement, unchecked.
NormalizedText normalize_statement(std::string_view statement);

//! The kind as the parse tree says (pg_query_parse): the reference that kind_from_tokens is tested against.
StatementKind kind_from_parse_tree(std::string_view statement);
//! The kind told by a statement's leading tokens, assuming it parses; nullopt when they do not tell for sure.
std::optional<StatementKind> kind_from_tokens(std::string_view text, std::span<const Token> tokens);
//! kind_from_tokens without tokens: the statement's first word (and its second, after ALTER or PREPARE) read by a
//! tiny scanner. It never answers differently from kind_from_tokens; it returns nullopt when it cannot be sure
//! (WITH, a comment right after the first word...), and kind_from_tokens then decides.
std::optional<StatementKind> kind_from_text(std::string_view statement);

}  // namespace pgadvisor::analyzer
