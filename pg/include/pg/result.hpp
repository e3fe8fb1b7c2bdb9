// The rows of a statement's result, owning libpq's PGresult; values are read as text and converted
// to the requested type, with NULL as std::nullopt.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pg_result;  // libpq's PGresult, kept out of this header

namespace pgadvisor::pg {

class Result {
 public:
  explicit Result(pg_result* result);  //!< takes ownership

  int rows() const;
  int columns() const;
  //! Index of the named column; throws pg::Error naming it when the result has no such column.
  int column(std::string_view name) const;
  std::string column_name(int col) const;
  bool is_null(int row, int col) const;
  //! Number of rows a command affected (INSERT/UPDATE/DELETE), 0 for others.
  int64_t affected_rows() const;

  //! The value converted to T (std::string, int64_t, int32_t, double or bool); throws pg::Error on NULL or
  //! a value that does not convert.
  template <typename T>
  T get(int row, int col) const;
  template <typename T>
  T get(int row, std::string_view col) const {
    return get<T>(row, column(col));
  }

  //! As get(), with NULL as std::nullopt.
  template <typename T>
  std::optional<T> get_optional(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return get<T>(row, col);
  }
  template <typename T>
  std::optional<T> get_optional(int row, std::string_view col) const {
    return get_optional<T>(row, column(col));
  }

 private:
  std::string_view text(int row, int col) const;
  std::unique_ptr<pg_result, void (*)(pg_result*)> result_;
};

template <>
std::string Result::get<std::string>(int row, int col) const;
template <>
int64_t Result::get<int64_t>(int row, int col) const;
template <>
int32_t Result::get<int32_t>(int row, int col) const;
template <>
double Result::get<double>(int row, int col) const;
template <>
bool Result::get<bool>(int row, int col) const;

}  // namespace pgadvisor::pg
