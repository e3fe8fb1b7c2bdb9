// Shortening statements for table cells and listings.
#include "text_cell.hpp"

#include "analyzer/utf8.hpp"

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
  // Cut at a character: a multi-byte sequence cut in two would be an invalid byte in the output.
  if (out.size() > width && width >= 3) out = std::string(analyzer::utf8_prefix(out, width - 3)) + "...";
  return out;
}

}  // namespace pgadvisor::reports
