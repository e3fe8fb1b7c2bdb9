// IndexCandidate's identity, SQL rendering and naming.
#include "advisor/index_candidate.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "pg/quote.hpp"

namespace pgadvisor::advisor {
namespace {

std::string key_sql(const IndexKey& k) {
  // An expression key must be parenthesized unless it is a plain function call (CREATE INDEX syntax).
  std::string out = k.expression.empty() ? pg::quote_identifier_printable(k.column) : "(" + k.expression + ")";
  if (k.descending) out += " DESC";
  if (k.nulls_first) {
    bool default_first = k.descending;  // DESC defaults to NULLS FIRST, ASC to NULLS LAST
    if (*k.nulls_first != default_first) out += *k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return out;
}

// Lower-case ASCII letters, digits and underscores only, for index names readable without quotes (whatever the
// locale says is a letter).
std::string name_part(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool lower = c >= 'a' && c <= 'z';
    bool upper = c >= 'A' && c <= 'Z';
    if (lower || upper || (c >= '0' && c <= '9')) {
      out += upper ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// FNV-1a: a stable short hash for names (std::hash differs between library versions).
uint32_t stable_hash(std::string_view s) {
  uint32_t h = 2166136261U;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619U;
  }
  return h;
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Whether SQL text (an expression key, a partial-index predicate) names `column` as a whole word.
bool mentions(std::string_view sql, std::string_view column) {
  for (size_t at = sql.find(column); at != std::string_view::npos; at = sql.find(column, at + 1)) {
    bool starts = at == 0 || !identifier_char(sql[at - 1]);
    bool ends = at + column.size() == sql.size() || !identifier_char(sql[at + column.size()]);
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

std::string IndexCandidate::identity() const {
  // Names are quoted as in SQL, so that a '.', ',' or '|' inside one cannot make two candidates look alike
  // ("a"."b.c" and "a.b"."c", INCLUDE ("c,d") and INCLUDE (c, d)). The predicate comes last: it may hold anything.
  std::string out = pg::quote_qualified_printable(table.schema, table.name) + "|" + method + "|";
  for (const auto& k : keys) out += key_sql(k) + ",";
  out += "|";
  for (const auto& c : include) out += pg::quote_identifier_printable(c) + ",";
  return out + "|" + predicate;
}

std::string IndexCandidate::definition_body(bool only, std::string_view tablespace) const {
  std::string keys_sql;
  for (const auto& k : keys) {
    if (!keys_sql.empty()) keys_sql += ", ";
    keys_sql += key_sql(k);
  }
  std::string out = fmt::format("ON {}{} USING {} ({})", only ? "ONLY " : "",
                                pg::quote_qualified_printable(table.schema, table.name), method, keys_sql);
  if (!include.empty()) {
    std::string cols;
    for (const auto& c : include) {
      if (!cols.empty()) cols += ", ";
      cols += pg::quote_identifier_printable(c);
    }
    out += " INCLUDE (" + cols + ")";
  }
  if (!tablespace.empty()) out += " TABLESPACE " + pg::quote_identifier_printable(tablespace);
  if (!predicate.empty()) out += " WHERE " + predicate;
  return out;
}

std::string IndexCandidate::name() const {
  if (!assigned_name.empty()) return assigned_name;
  constexpr size_t kMaxName = 63;  // NAMEDATALEN - 1
  std::string base = name_part(table.name);
  bool nulls_order = false;
  // Appended piece by piece: `"_" + name_part(…)` trips GCC 12's -Wrestrict false positive in Release builds.
  for (const auto& k : keys) {
    base += '_';
    base += name_part(k.expression.empty() ? k.column : k.expression);
    // (a) and (a DESC) can both be advised (for different queries): their names must differ.
    if (k.descending) base += "_desc";
    nulls_order |= k.nulls_first.has_value();
  }
  if (!include.empty()) base += "_incl";
  if (!predicate.empty()) base += "_part";
  std::string suffix = "_idx";
  if (base.size() + suffix.size() > kMaxName || !include.empty() || !predicate.empty() || nulls_order) {
    // Two candidates can share the readable part (different INCLUDE, WHERE or NULLS order): the hash tells them
    // apart.
    suffix = fmt::format("_{:08x}_idx", stable_hash(identity()));
    base.resize(std::min(base.size(), kMaxName - suffix.size()));
  }
  return base + suffix;
}

bool IndexCandidate::operator==(const IndexCandidate& other) const {
  return table == other.table && keys == other.keys && include == other.include && predicate == other.predicate &&
         method == other.method;
}

bool IndexCandidate::is_prefix_of(const IndexCandidate& other) const {
  return table == other.table && method == other.method && predicate == other.predicate &&
         keys.size() <= other.keys.size() && std::equal(keys.begin(), keys.end(), other.keys.begin());
}

bool IndexKey::names(std::string_view name) const {
  return !name.empty() && (expression.empty() ? column == name : mentions(expression, name));
}

bool IndexCandidate::predicate_names(std::string_view column) const {
  return !column.empty() && !predicate.empty() && mentions(predicate, column);
}

bool IndexCandidate::names_column(std::string_view column) const {
  if (column.empty()) return false;
  return std::any_of(keys.begin(), keys.end(), [&](const IndexKey& k) { return k.names(column); }) ||
         std::find(include.begin(), include.end(), column) != include.end() || predicate_names(column);
}

}  // namespace pgadvisor::advisor
