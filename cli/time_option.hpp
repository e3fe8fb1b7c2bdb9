// Strict checks of the times users give: --since and --until (a real calendar date and time of day), and durations
// (snapshot --interval, advise --pg-stat-activity), so that a typo is refused (exit 2) rather than silently
// filtering everything out or in.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pgadvisor::cli {

//! Empty when `value` is "YYYY-MM-DD[( |T)HH[:MM[:SS[.fff…]]]]" with a month of 1-12, a day that the month has
//! (leap years included), an hour of 0-23 and minutes and seconds of 0-59, then a "Z" when `utc_suffix` allows it;
//! else why it is not.
std::string date_time_problem(std::string_view value, bool utc_suffix);

//! A positive duration: a whole number with a unit of ms, s, m or h, or none for seconds ("90", "90s", "500ms",
//! "5m", "1h"); nullopt for anything else.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

//! A CLI11 check for parse_duration(): "" when `text` is a duration, else what to write.
std::string duration_problem(const std::string& text);

}  // namespace pgadvisor::cli
