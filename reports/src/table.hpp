// The one table helper of the renderers: aligned text tables and Markdown tables. Cells are finished strings
// (numbers formatted, statements shortened and escaped by the caller); the helper only pads and joins them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgadvisor::reports {

enum class Align { Left, Right };

using TableRow = std::vector<std::string>;

//! One column of an aligned text table.
struct TextColumn {
  Align align = Align::Left;
  size_t width = 0;        //!< padded to at least this many characters; a wider cell pushes the rest of its line on
  std::string gap = "  ";  //!< written before the cell: the first column's gap is the line's indent
  bool fit = false;        //!< fit() widens it to its widest cell

  static TextColumn left(size_t width, std::string gap = "  ") { return {Align::Left, width, std::move(gap), false}; }
  static TextColumn right(size_t width, std::string gap = "  ") { return {Align::Right, width, std::move(gap), false}; }
  //! Left-aligned, as wide as its widest cell.
  static TextColumn fitted(std::string gap = "  ") { return {Align::Left, 0, std::move(gap), true}; }
};

//! Aligned text: every line of a table pads each cell to its column's width (as fmt's "{:<N}"/"{:>N}" do), except
//! a left-aligned last cell, which ends the line without trailing blanks.
class TextTable {
 public:
  explicit TextTable(std::vector<TextColumn> columns) : columns_(std::move(columns)) {}

  //! Widens each column marked `fit` to its widest cell in `rows` (in bytes).
  TextTable& fit(const std::vector<TableRow>& rows);

  //! One line of the table, "\n" included. `cells` has one cell per column.
  std::string line(const TableRow& cells) const;

  //! line() of each row.
  std::string lines(const std::vector<TableRow>& rows) const;

 private:
  std::vector<TextColumn> columns_;
};

//! A Markdown table row: "| a | b |\n". Cells are written as they are (see markdown_escape).
std::string markdown_row(const TableRow& cells);

//! A Markdown table's header row and its delimiter row ("|---|---:|": `---:` for a right-aligned column).
std::string markdown_header(const TableRow& headers, const std::vector<Align>& align);

//! `cell` with each '|' written as "\|", so that it stays one cell (GitHub honours \| even inside code spans).
std::string markdown_escape(std::string_view cell);

}  // namespace pgadvisor::reports
