// Strict checks of the times users give to --since and --until: a real calendar date and time of day, so that a
// typo is refused (exit 2) rather than silently filtering everything out or in.
#pragma once

#include <string>
#include <string_view>

namespace pgadvisor::cli {

//! Empty when `value` is "YYYY-MM-DD[( |T)HH[:MM[:SS[.fff…]]]]" with a month of 1-12, a day that the month has
//! (leap years included), an hour of 0-23 and minutes and seconds of 0-59, then a "Z" when `utc_suffix` allows it;
//! else why it is not.
std::string date_time_problem(std::string_view value, bool utc_suffix);

}  // namespace pgadvisor::cli
