// Result: typed access over a PGresult's text values.
#include "pg/result.hpp"

#include <charconv>
#include <limits>
#include <string>

#include <libpq-fe.h>

#include "pg/error.hpp"

namespace pgadvisor::pg {
namespace {

template <typename T>
T parse_number(std::string_view text, const std::string& column) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw Error("column \"" + column + "\" holds \"" + std::string(text) + "\", not a number of the expected type");
  }
  return value;
}

}  // namespace

Result::Result(pg_result* result) : result_(result, PQclear) {}

int Result::rows() const { return PQntuples(result_.get()); }
int Result::columns() const { return PQnfields(result_.get()); }
std::string Result::column_name(int col) const { return PQfname(result_.get(), col); }
bool Result::is_null(int row, int col) const { return PQgetisnull(result_.get(), row, col) == 1; }

int Result::column(std::string_view name) const {
  for (int c = 0; c < columns(); ++c) {
    if (column_name(c) == name) return c;
  }
  throw Error("the result has no column \"" + std::string(name) + "\"");
}

int64_t Result::affected_rows() const {
  const char* n = PQcmdTuples(result_.get());
  return (n == nullptr || *n == '\0') ? 0 : parse_number<int64_t>(n, "affected rows");
}

std::string_view Result::text(int row, int col) const {
  if (row < 0 || row >= rows() || col < 0 || col >= columns()) {
    throw Error("row " + std::to_string(row) + ", column " + std::to_string(col) + " is outside the result");
  }
  if (is_null(row, col)) throw Error("column \"" + column_name(col) + "\" is NULL in row " + std::to_string(row));
  return {PQgetvalue(result_.get(), row, col), static_cast<size_t>(PQgetlength(result_.get(), row, col))};
}

template <>
std::string Result::get<std::string>(int row, int col) const {
  return std::string(text(row, col));
}
template <>
int64_t Result::get<int64_t>(int row, int col) const {
  return parse_number<int64_t>(text(row, col), column_name(col));
}
template <>
int32_t Result::get<int32_t>(int row, int col) const {
  return parse_number<int32_t>(text(row, col), column_name(col));
}
template <>
double Result::get<double>(int row, int col) const {
  auto t = text(row, col);
  // from_chars for double does not accept PostgreSQL's spellings of the special values.
  if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (t == "Infinity") return std::numeric_limits<double>::infinity();
  if (t == "-Infinity") return -std::numeric_limits<double>::infinity();
  return parse_number<double>(t, column_name(col));
}
template <>
bool Result::get<bool>(int row, int col) const {
  auto t = text(row, col);
  if (t == "t" || t == "on" || t == "true") return true;
  if (t == "f" || t == "off" || t == "false") return false;
  throw Error("column \"" + column_name(col) + "\" holds \"" + std::string(t) + "\", not a boolean");
}

}  // namespace pgadvisor::pg
