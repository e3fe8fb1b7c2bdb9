// Padding and joining table cells for the text and Markdown renderers.
#include "table.hpp"

#include <algorithm>

#include "text_cell.hpp"

namespace pgadvisor::reports {

TextTable& TextTable::fit(const std::vector<TableRow>& rows) {
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < columns_.size(); ++i) {
      if (columns_[i].fit) columns_[i].width = std::max(columns_[i].width, display_width(printable(row[i])));
    }
  }
  return *this;
}

std::string TextTable::line(const TableRow& cells) const {
  std::string out;
  for (size_t i = 0; i < cells.size() && i < columns_.size(); ++i) {
    const TextColumn& c = columns_[i];
    const std::string cell = printable(cells[i]);
    const bool last = i + 1 == cells.size();
    const size_t width = display_width(cell);
    const std::string padding(c.width > width && !(last && c.align == Align::Left) ? c.width - width : 0, ' ');
    out += c.gap;
    out += c.align == Align::Right ? padding + cell : cell + padding;
  }
  return out + "\n";
}

std::string TextTable::lines(const std::vector<TableRow>& rows) const {
  std::string out;
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string markdown_row(const TableRow& cells) {
  std::string out = "|";
  for (const auto& cell : cells) out += " " + printable(cell) + " |";
  return out + "\n";
}

std::string markdown_header(const TableRow& headers, const std::vector<Align>& align) {
  std::string out = markdown_row(headers) + "|";
  for (size_t i = 0; i < headers.size(); ++i) out += i < align.size() && align[i] == Align::Right ? "---:|" : "---|";
  return out + "\n";
}

std::string markdown_escape(std::string_view text) {
  std::string out;
  for (char ch : printable(text)) {
    if (ch == '\\' || ch == '|' || ch == '`') out.push_back('\\');
    out.push_back(ch);
  }
  return out;
}

std::string markdown_code(std::string_view text, MarkdownPlace place) {
  const std::string shown = printable(text);
  std::string body;
  size_t run = 0;
  size_t longest = 0;
  size_t backslashes = 0;
  for (char ch : shown) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (place == MarkdownPlace::TableCell && ch == '|') body += std::string(backslashes, '\\') + "\\";
    backslashes = ch == '\\' ? backslashes + 1 : 0;
    body.push_back(ch);
  }
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' ||
                                     (body.size() > 1 && body.front() == ' ' && body.back() == ' '));
  const std::string fence(longest + 1, '`');
  return pad ? fence + " " + body + " " + fence : fence + body + fence;
}

}  // namespace pgadvisor::reports
