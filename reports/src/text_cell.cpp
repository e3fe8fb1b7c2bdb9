// Making values printable, shortening statements, and measuring text in terminal columns.
#include "text_cell.hpp"

#include "analyzer/utf8.hpp"
#include "output_text.hpp"
#include "pg/quote.hpp"

namespace pgadvisor::reports {
namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

//! The length of the character starting at text[pos]: that of its UTF-8 sequence, or 1 for a byte that does not
//! start a complete one (each such byte is shown as one U+FFFD).
size_t char_length(std::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  const size_t n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (pos + n > text.size()) return 1;
  for (size_t i = 1; i < n; ++i) {
    if ((static_cast<unsigned char>(text[pos + i]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

char32_t code_point(std::string_view bytes) {
  const auto lead = static_cast<unsigned char>(bytes[0]);
  if (bytes.size() == 1) return lead < 0x80 ? lead : 0xFFFD;
  char32_t value = lead & (0x7F >> bytes.size());
  for (size_t i = 1; i < bytes.size(); ++i) value = (value << 6) | (static_cast<unsigned char>(bytes[i]) & 0x3F);
  return value;
}

bool in(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

// Combining marks (the main blocks) and zero-width characters: they take no column of their own.
bool zero_width(char32_t c) {
  return in(c, 0x0300, 0x036F) || in(c, 0x0483, 0x0489) || in(c, 0x0591, 0x05BD) || in(c, 0x1AB0, 0x1AFF) ||
         in(c, 0x1DC0, 0x1DFF) || in(c, 0x200B, 0x200F) || in(c, 0x20D0, 0x20FF) || in(c, 0xFE00, 0xFE0F) ||
         in(c, 0xFE20, 0xFE2F) || c == 0xFEFF || in(c, 0xE0100, 0xE01EF);
}

// East Asian wide and fullwidth characters (Markus Kuhn's wcwidth ranges, with the common emoji blocks).
bool wide(char32_t c) {
  return in(c, 0x1100, 0x115F) || c == 0x2329 || c == 0x232A || (in(c, 0x2E80, 0xA4CF) && c != 0x303F) ||
         in(c, 0xAC00, 0xD7A3) || in(c, 0xF900, 0xFAFF) || in(c, 0xFE10, 0xFE19) || in(c, 0xFE30, 0xFE6F) ||
         in(c, 0xFF00, 0xFF60) || in(c, 0xFFE0, 0xFFE6) || in(c, 0x1F300, 0x1F64F) || in(c, 0x1F900, 0x1F9FF) ||
         in(c, 0x20000, 0x2FFFD) || in(c, 0x30000, 0x3FFFD);
}

size_t char_width(char32_t c) {
  if (c < 0x20 || in(c, 0x7F, 0x9F)) return 0;  // never printed raw (printable() escapes them)
  if (zero_width(c)) return 0;
  return wide(c) ? 2 : 1;
}

}  // namespace

std::string printable(std::string_view text) { return pg::comment_text(analyzer::utf8_sanitize(text)); }

std::string one_line(std::string_view text, size_t width) {
  std::string collapsed;
  bool space = false;
  for (char c : text) {
    if (is_space(c)) {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed.push_back(' ');
    space = false;
    collapsed.push_back(c);
  }
  std::string out = printable(collapsed);
  if (width == std::string::npos || width < 3 || display_width(out) <= width) return out;
  // Character by character, each with its escape, so that the cut never splits a character or an escape.
  const std::string clean = analyzer::utf8_sanitize(collapsed);
  std::string cut;
  size_t used = 0;
  for (size_t pos = 0; pos < clean.size();) {
    const size_t n = char_length(clean, pos);
    const std::string shown = printable(std::string_view(clean).substr(pos, n));
    const size_t w = display_width(shown);
    if (used + w > width - 3) break;
    cut += shown;
    used += w;
    pos += n;
  }
  return cut + "...";
}

std::string text_document(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += printable(text.substr(start, end - start));
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

size_t display_width(std::string_view text) {
  size_t width = 0;
  for (size_t pos = 0; pos < text.size();) {
    const size_t n = char_length(text, pos);
    width += char_width(code_point(text.substr(pos, n)));
    pos += n;
  }
  return width;
}

}  // namespace pgadvisor::reports
