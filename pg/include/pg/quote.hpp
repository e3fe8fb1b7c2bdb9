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

//! True for keywords that cannot be used as a bare column or table name (PostgreSQL 15's kwlist.h,
//! every category but UNRESERVED_KEYWORD).
bool is_reserved_keyword(std::string_view word);

}  // namespace pgadvisor::pg
