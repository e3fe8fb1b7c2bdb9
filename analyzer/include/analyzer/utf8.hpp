// UTF-8 checks for text from logs and databases, which may hold any bytes (a LATIN1 database writes 'caf\xe9'):
// such text is stored as it came, and made valid only where it is shown (JSON must be valid UTF-8, and a terminal
// or a psql script should not get stray bytes). One policy everywhere: every byte that is not part of a
// well-formed UTF-8 sequence becomes U+FFFD, the replacement character.
#pragma once

#include <string>
#include <string_view>

namespace pgadvisor::analyzer {

//! Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF), as JSON
//! parsers and PostgreSQL's UTF8 encoding require.
bool is_valid_utf8(std::string_view text);

//! `text` with every byte that does not belong to a well-formed sequence replaced by U+FFFD ("\xEF\xBF\xBD");
//! valid text comes back unchanged. Deterministic: the same bytes always give the same text.
std::string utf8_sanitize(std::string_view text);

//! The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a multi-byte sequence.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);

}  // namespace pgadvisor::analyzer
