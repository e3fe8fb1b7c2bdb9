// Padding and joining table cells for the text and Markdown renderers.
#include "table.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace pgadvisor::reports {

TextTable& TextTable::fit(const std::vector<TableRow>& rows) {
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < columns_.size(); ++i) {
      if (columns_[i].fit) columns_[i].width = std::max(columns_[i].width, row[i].size());
    }
  }
  return *this;
}

std::string TextTable::line(const TableRow& cells) const {
  std::string out;
  for (size_t i = 0; i < cells.size() && i < columns_.size(); ++i) {
    const TextColumn& c = columns_[i];
    out += c.gap;
    const bool last = i + 1 == cells.size();
    if (c.align == Align::Right) {
      out += fmt::format("{:>{}}", cells[i], c.width);
    } else if (last) {
      out += cells[i];
    } else {
      out += fmt::format("{:<{}}", cells[i], c.width);
    }
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
  for (const auto& cell : cells) out += " " + cell + " |";
  return out + "\n";
}

std::string markdown_header(const TableRow& headers, const std::vector<Align>& align) {
  std::string out = markdown_row(headers) + "|";
  for (size_t i = 0; i < headers.size(); ++i) out += i < align.size() && align[i] == Align::Right ? "---:|" : "---|";
  return out + "\n";
}

std::string markdown_escape(std::string_view cell) {
  std::string out;
  out.reserve(cell.size());
  for (char ch : cell) {
    if (ch == '|') out.push_back('\\');
    out.push_back(ch);
  }
  return out;
}

}  // namespace pgadvisor::reports
