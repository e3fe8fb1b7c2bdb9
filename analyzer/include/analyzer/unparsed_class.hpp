// Query classes of statements that libpg_query cannot parse (PostgreSQL 16+ syntax such as `SELECT 0x1F`, a
// `DECLARE … CURSOR` fragment, a truncated text): they still ran and took time, so they get a class of their own,
// from their tokens instead of a parse tree, marked as such everywhere (see GLOSSARY.md, "unparsed class").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pgadvisor::analyzer {

//! The kind stored and shown for an unparsed class, in place of a StatementKind.
inline constexpr std::string_view kUnparsedKind = "unparsed";

//! What an unparsable statement's class is made of.
struct UnparsedClass {
  //! A stable 60-bit hash of the normalized token stream (see unparsed_class()); printed by unparsed_fingerprint_hex.
  uint64_t fingerprint = 0;
  //! The statement with every literal replaced by $n (numbered after its own highest $n, as pg_query_normalize
  //! does), comments dropped and each gap between tokens one space; words keep their spelling.
  std::string normalized;
};

//! The token-based class of a statement: its tokens (sql_tokenizer.hpp) with every literal abstracted (a number
//! with trailing junk, `0x1F`, `1_000`, `0o17`, counts as one literal), unquoted words folded to lower case,
//! whitespace and comments dropped. Two statements differing only there share a fingerprint: `SELECT 0x1F` and
//! `select 0x2A`. Linear in the statement's size; never fails.
UnparsedClass unparsed_class(std::string_view statement);

//! "u" and 15 lower-case hex digits: 16 characters like libpg_query's fingerprints, but never one of them (those are
//! 16 hex digits, and 'u' is not a hex digit), so an unparsed class cannot share a fingerprint with a parsed one.
std::string unparsed_fingerprint_hex(uint64_t fingerprint);

//! Whether a fingerprint's text is an unparsed class's.
constexpr bool is_unparsed_fingerprint(std::string_view fingerprint) {
  return fingerprint.size() == 16 && fingerprint.front() == 'u';
}

}  // namespace pgadvisor::analyzer
