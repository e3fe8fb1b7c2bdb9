// Safe SQL identifiers and literals, for the few places where a value cannot be a bound parameter
// (generated DDL, names in utility statements). Values from outside never reach SQL text any other way.
#pragma once

#include <string>
#include <string_view>

namespace pgadvisor::pg {

//! An identifier as PostgreSQL's quote_ident() would write it: bare when it is a plain lower-case name
//! that is not a reserved keyword, otherwise double-quoted with embedded quotes doubled.
//! Throws std::invalid_argument for an empty name or one containing a NUL byte.
std::string quote_identifier(std::string_view name);

//! "schema"."name", each part quoted by quote_identifier; an empty schema gives the bare name.
std::string quote_qualified(std::string_view schema, std::string_view name);

//! A string literal as PostgreSQL's quote_literal() writes it: single quotes doubled, and backslashes
//! doubled with an E prefix, so the text is right whatever standard_conforming_strings says.
//! Throws std::invalid_argument for a value containing a NUL byte (PostgreSQL text cannot hold one).
std::string quote_literal(std::string_view value);

//! `text` made safe to follow `-- ` on one line of an SQL script: line breaks (CR, LF, VT, FF, U+0085, U+2028,
//! U+2029), NUL and other control characters, invisible format characters (bidirectional overrides, zero-width
//! characters, BOM) and bytes that are not UTF-8 become the visible escapes \n, \r, \t, \xNN and \uNNNN, so
//! nothing can end the comment or hide what follows it. Backslashes are kept as they are, so that SQL shown in a
//! comment (U&"…" identifiers, E'…' strings) stays runnable when uncommented.
std::string comment_text(std::string_view text);

//! `-- ` and comment_text(text), ending with a newline: one comment line whatever `text` holds.
std::string comment_line(std::string_view text);

//! quote_identifier, except that a name holding a character comment_text would escape is written as a U&"…"
//! identifier with that character as \XXXX or \+XXXXXX (and a backslash doubled): the same name to the server,
//! all visible on one line to a reviewer. Throws std::invalid_argument as quote_identifier does. Bytes that are
//! not UTF-8 are kept (the server refuses them; comment_text escapes them).
std::string quote_identifier_printable(std::string_view name);

//! quote_qualified with quote_identifier_printable.
std::string quote_qualified_printable(std::string_view schema, std::string_view name);

//! quote_literal, except that a value holding a character comment_text would escape is written as an E'…' string
//! with \n, \r, \t, \xNN or \uXXXX for it. Throws std::invalid_argument for a NUL byte. Bytes that are not
//! UTF-8 are kept, as in quote_identifier_printable.
std::string quote_literal_printable(std::string_view value);

//! `body` between dollar quotes (for a DO block or a function body) whose tag occurs nowhere in it:
//! $pgadvisor$…$pgadvisor$, else $pgadvisor1$…, so that no text inside can end the quote early.
//! Throws std::invalid_argument for a body containing a NUL byte.
std::string dollar_quote(std::string_view body);

//! True for keywords that cannot be used as a bare column or table name (PostgreSQL 15's kwlist.h,
//! every category but UNRESERVED_KEYWORD).
bool is_reserved_keyword(std::string_view word);

}  // namespace pgadvisor::pg
