// Helpers shared by the text renderers.
#pragma once

#include <string>
#include <string_view>

namespace pgadvisor::reports {

//! `text` on one line: runs of whitespace (newlines included) become one space, none leading or trailing; cut to
//! `width` characters with "..." when longer.
std::string one_line(std::string_view text, size_t width = std::string::npos);

}  // namespace pgadvisor::reports
