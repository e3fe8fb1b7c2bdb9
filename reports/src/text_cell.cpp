// Shortening statements for table cells and listings.
#include "text_cell.hpp"

namespace pgadvisor::reports {

std::string one_line(std::string_view text, size_t width) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (out.size() > width && width >= 3) out = out.substr(0, width - 3) + "...";
  return out;
}

}  // namespace pgadvisor::reports
