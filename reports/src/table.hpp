// The one table helper of the renderers: aligned text tables and Markdown tables. Cells arrive formatted (numbers,
// shortened statements, Markdown code spans); the helper keeps every cell on one line (printable(), text_cell.hpp),
// pads by display width and joins. Markdown cells are escaped by the caller with markdown_escape or markdown_code:
// only the caller knows which part of a cell is a code span.
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
  size_t width = 0;        //!< padded to at least this many columns; a wider cell pushes the rest of its line on
  std::string gap = "  ";  //!< written before the cell: the first column's gap is the line's indent
  bool fit = false;        //!< fit() widens it to its widest cell

  static TextColumn left(size_t width, std::string gap = "  ") { return {Align::Left, width, std::move(gap), false}; }
  static TextColumn right(size_t width, std::string gap = "  ") { return {Align::Right, width, std::move(gap), false}; }
  //! Left-aligned, as wide as its widest cell.
  static TextColumn fitted(std::string gap = "  ") { return {Align::Left, 0, std::move(gap), true}; }
};

//! Aligned text: every line of a table shows each cell printable() and pads it to its column's width in terminal
//! columns (display_width: a non-ASCII name does not shift the columns after it), except a left-aligned last cell,
//! which ends the line without trailing blanks.
class TextTable {
 public:
  explicit TextTable(std::vector<TextColumn> columns) : columns_(std::move(columns)) {}

  //! Widens each column marked `fit` to its widest cell in `rows` (display_width of the printable cell).
  TextTable& fit(const std::vector<TableRow>& rows);

  //! One line of the table, "\n" included. `cells` has one cell per column.
  std::string line(const TableRow& cells) const;

  //! line() of each row.
  std::string lines(const std::vector<TableRow>& rows) const;

 private:
  std::vector<TextColumn> columns_;
};

//! A Markdown table row: "| a | b |\n". Cells are written as they are, escaped by the caller (markdown_escape,
//! markdown_code), except that each is kept on one line with printable(): a newline never splits a row.
std::string markdown_row(const TableRow& cells);

//! A Markdown table's header row and its delimiter row ("|---|---:|": `---:` for a right-aligned column).
std::string markdown_header(const TableRow& headers, const std::vector<Align>& align);

//! Where a piece of Markdown goes: a table cell splits at an unescaped '|', running text does not.
enum class MarkdownPlace { Text, TableCell };

//! `text` as plain Markdown text, in a table cell or running text alike: printable(), then '\\', '|' and '`'
//! backslash-escaped, so that it stays one cell, opens no code span and shows its backslashes.
std::string markdown_escape(std::string_view text);

//! `text` as a Markdown code span: printable(), fenced by one more backtick than its longest run of backticks, and
//! padded by a space on each side when it starts or ends with a backtick or with spaces on both ends (CommonMark
//! strips one space on each side of such a span). In a table cell each '|' is
//! written "\|" and the backslashes just before it doubled, so that the cell does not split (GitHub's table
//! scanner reads "\\" as an escaped backslash and "\|" as an escaped pipe, and honours both in code spans: such a
//! backslash then shows twice, the price of a whole row).
std::string markdown_code(std::string_view text, MarkdownPlace place);

}  // namespace pgadvisor::reports
