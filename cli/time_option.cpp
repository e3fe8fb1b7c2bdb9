// date_time_problem: checked field by field, so that the message names the field that is wrong; durations.
#include "time_option.hpp"

#include <fmt/format.h>

namespace pgadvisor::cli {

namespace {

bool digits(std::string_view s, size_t at, size_t n, int& value) {
  if (s.size() < at + n) return false;
  value = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::string date_time_problem(std::string_view value, bool utc_suffix) {
  if (utc_suffix && !value.empty() && value.back() == 'Z') value.remove_suffix(1);
  const std::string shape = utc_suffix ? "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z]" : "YYYY-MM-DD[ HH:MM[:SS[.fff]]]";
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!digits(value, 0, 4, year) || value.size() < 5 || value[4] != '-' || !digits(value, 5, 2, month) ||
      value.size() < 8 || value[7] != '-' || !digits(value, 8, 2, day)) {
    return fmt::format("not a date and time: {}", shape);
  }
  if (month < 1 || month > 12) return fmt::format("month {:02} does not exist", month);
  if (day < 1 || day > days_in_month(year, month)) {
    return fmt::format("day {:02} does not exist in {:04}-{:02}", day, year, month);
  }
  if (value.size() == 10) return {};
  if ((value[10] != ' ' && value[10] != 'T') || !digits(value, 11, 2, hour)) {
    return fmt::format("not a date and time: {}", shape);
  }
  if (hour > 23) return fmt::format("hour {:02} does not exist (00-23)", hour);
  if (value.size() == 13) return {};
  if (value[13] != ':' || !digits(value, 14, 2, minute)) return fmt::format("not a date and time: {}", shape);
  if (minute > 59) return fmt::format("minute {:02} does not exist (00-59)", minute);
  if (value.size() == 16) return {};
  if (value[16] != ':' || !digits(value, 17, 2, second)) return fmt::format("not a date and time: {}", shape);
  if (second > 59) return fmt::format("second {:02} does not exist (00-59)", second);
  if (value.size() == 19) return {};
  int fraction = 0;
  if (value[19] != '.' || value.size() == 20) return fmt::format("not a date and time: {}", shape);
  for (size_t i = 20; i < value.size(); ++i) {
    if (!digits(value, i, 1, fraction)) return fmt::format("not a date and time: {}", shape);
  }
  return {};
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  int64_t n = 0;
  size_t digits_end = 0;
  for (; digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9'; ++digits_end) {
    if (n > 1'000'000'000) return std::nullopt;  // no overflow below; far beyond any sensible duration
    n = n * 10 + (text[digits_end] - '0');
  }
  if (digits_end == 0 || n == 0) return std::nullopt;
  const auto unit = text.substr(digits_end);
  const int64_t scale = unit.empty() || unit == "s" ? 1000
                        : unit == "ms"              ? 1
                        : unit == "m"               ? 60'000
                        : unit == "h"               ? 3'600'000
                                                    : 0;
  if (scale == 0) return std::nullopt;
  return std::chrono::milliseconds(n * scale);
}

std::string duration_problem(const std::string& text) {
  return parse_duration(text) ? "" : "'" + text + "' is not a duration: 90, 90s, 500ms, 5m or 1h";
}

}  // namespace pgadvisor::cli
