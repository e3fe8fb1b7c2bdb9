// Quoting helpers mirroring PostgreSQL's quote_ident() and quote_literal().
#include "pg/quote.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace pgadvisor::pg {
namespace {

// PostgreSQL 15 src/include/parser/kwlist.h: the keywords that are not UNRESERVED_KEYWORD, sorted.
constexpr std::array<std::string_view, 151> kReservedKeywords = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
};

void reject_nul(std::string_view s, const char* what) {
  if (s.find('\0') != std::string_view::npos) {
    throw std::invalid_argument(std::string(what) + " contains a NUL byte, which PostgreSQL text cannot hold");
  }
}

bool is_plain_name(std::string_view name) {
  auto lower_or_underscore = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
  if (!lower_or_underscore(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return lower_or_underscore(c) || (c >= '0' && c <= '9') || c == '$'; });
}

// The code point starting at s[at] and its length in bytes; length 0 when the bytes there are not UTF-8 (a stray
// continuation byte, a truncated or overlong sequence, a surrogate, beyond U+10FFFF).
struct CodePoint {
  char32_t value = 0;
  size_t length = 0;
};

CodePoint decode_utf8(std::string_view s, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) return {lead, 1};
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || at + length > s.size()) return {};
  char32_t value = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return {};
    value = (value << 6) | (byte(at + i) & 0x3F);
  }
  constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kSmallest[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length};
}

// Characters that must not appear raw in a comment line: what ends a line for the server, psql or an editor, what
// is invisible or reorders text on screen (Trojan Source), and control characters.
bool needs_escape(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

bool has_escapes(std::string_view s) {
  for (size_t at = 0; at < s.size();) {
    auto cp = decode_utf8(s, at);
    if (cp.length == 0) {
      ++at;
      continue;
    }
    if (needs_escape(cp.value)) return true;
    at += cp.length;
  }
  return false;
}

// Calls `plain(bytes)` for runs to copy and `special(code point)` for each character needing an escape; bytes
// that are not UTF-8 go to `invalid(byte)`.
template <typename Plain, typename Special, typename Invalid>
void scan(std::string_view s, Plain plain, Special special, Invalid invalid) {
  for (size_t at = 0; at < s.size();) {
    auto cp = decode_utf8(s, at);
    if (cp.length == 0) {
      invalid(static_cast<unsigned char>(s[at]));
      ++at;
    } else if (needs_escape(cp.value)) {
      special(cp.value);
      at += cp.length;
    } else {
      plain(s.substr(at, cp.length));
      at += cp.length;
    }
  }
}

std::string hex(unsigned value, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, value >>= 4) out[static_cast<size_t>(i)] = kDigits[value & 0xF];
  return out;
}

// The escape of one character in a comment and in an E'' literal alike: \n, \r, \t, \xNN below U+0080 (two
// digits: the next character is never read as part of the escape), \uNNNN above.
std::string backslash_escape(char32_t c) {
  if (c == '\n') return "\\n";
  if (c == '\r') return "\\r";
  if (c == '\t') return "\\t";
  return c < 0x80 ? "\\x" + hex(c, 2) : "\\u" + hex(c, 4);
}

}  // namespace

std::string comment_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  scan(
      text, [&](std::string_view bytes) { out += bytes; }, [&](char32_t c) { out += backslash_escape(c); },
      [&](unsigned char b) { out += "\\x" + hex(b, 2); });
  return out;
}

std::string comment_line(std::string_view text) { return "-- " + comment_text(text) + "\n"; }

std::string quote_identifier_printable(std::string_view name) {
  std::string plain = quote_identifier(name);  // validates, and is the answer when nothing needs an escape
  if (!has_escapes(name)) return plain;
  std::string out = "U&\"";
  scan(
      name,
      [&](std::string_view bytes) {
        if (bytes == "\"") out += '"';
        if (bytes == "\\") out += '\\';
        out += bytes;
      },
      [&](char32_t c) { out += "\\" + hex(c, 4); },  // every escaped character is below U+10000
      [&](unsigned char b) { out += static_cast<char>(b); });
  return out + '"';
}

std::string quote_qualified_printable(std::string_view schema, std::string_view name) {
  if (schema.empty()) return quote_identifier_printable(name);
  return quote_identifier_printable(schema) + "." + quote_identifier_printable(name);
}

std::string quote_literal_printable(std::string_view value) {
  std::string plain = quote_literal(value);
  if (!has_escapes(value)) return plain;
  std::string out = "E'";
  scan(
      value,
      [&](std::string_view bytes) {
        if (bytes == "'" || bytes == "\\") out += bytes;
        out += bytes;
      },
      [&](char32_t c) { out += backslash_escape(c); }, [&](unsigned char b) { out += static_cast<char>(b); });
  return out + "'";
}

std::string dollar_quote(std::string_view body) {
  reject_nul(body, "dollar-quoted text");
  // The closing tag must be the first occurrence of the tag after the opening one, even where the body's end and
  // the tag overlap ("…$pgadvisor" + "$pgadvisor$").
  std::string tag = "$pgadvisor$";
  for (int n = 1; (std::string(body) + tag).find(tag) != body.size(); ++n) tag = "$pgadvisor" + std::to_string(n) + "$";
  return tag + std::string(body) + tag;
}

bool is_reserved_keyword(std::string_view word) {
  return std::binary_search(kReservedKeywords.begin(), kReservedKeywords.end(), word);
}

std::string quote_identifier(std::string_view name) {
  if (name.empty()) throw std::invalid_argument("an SQL identifier cannot be empty");
  reject_nul(name, "identifier");
  if (is_plain_name(name) && !is_reserved_keyword(name)) return std::string(name);
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string quote_qualified(std::string_view schema, std::string_view name) {
  if (schema.empty()) return quote_identifier(name);
  return quote_identifier(schema) + "." + quote_identifier(name);
}

std::string quote_literal(std::string_view value) {
  reject_nul(value, "literal");
  std::string out;
  out.reserve(value.size() + 3);
  if (value.find('\\') != std::string_view::npos) out += 'E';
  out += '\'';
  for (char c : value) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace pgadvisor::pg
