// The one place where the text and Markdown renderers make a value from a database or a log printable. Such a
// value is hostile: an ESC in an application name would drive the DBA's terminal, a newline in a table name would
// split a table row. Every value printed goes through printable() (or one_line() for statement texts), and each
// rendering as a whole through text_document() (output_text.hpp), so that the only control character a report
// holds is its own '\n' (and doctor's own colour codes, added after).
//
// The escapes are pg::comment_text's, the ones of the SQL scripts' comments: "\n", "\r", "\t", "\xNN" for the other
// C0 controls and DEL, "\uNNNN" for C1 controls (U+0080-U+009F), U+2028/U+2029 and the invisible characters that
// reorder or hide text (bidirectional controls, zero-width characters, BOM). Backslashes are kept as they are, so a
// value that holds the four characters "\x1B" reads the same as one holding ESC; nothing raw reaches the terminal
// either way. A byte that is not UTF-8 is shown as U+FFFD, as everywhere in the reports.
#pragma once

#include <string>
#include <string_view>

namespace pgadvisor::reports {

//! `text` on one line with every control character made visible (see above): valid UTF-8, no byte below 0x20,
//! no DEL, no C1 control, no U+2028/U+2029. Printable text comes back unchanged, so applying it twice is harmless.
std::string printable(std::string_view text);

//! A statement text on one line: runs of whitespace (newlines included) become one space, none leading or
//! trailing; other control characters made visible as printable() does; cut to `width` columns (display_width)
//! with "..." when wider, never inside a character or an escape.
std::string one_line(std::string_view text, size_t width = std::string::npos);

//! The columns `text` takes on a terminal, the rule of every aligned text table: one per code point, except East
//! Asian wide and fullwidth characters (CJK, Hangul, fullwidth forms, the common emoji blocks), which take two, and
//! combining marks and zero-width characters, which take none. An approximation of Unicode's East Asian Width and
//! of wcwidth() by a few ranges, not the full tables: a rare character may be off by one column. A byte that is
//! not UTF-8 counts one (it is shown as U+FFFD).
size_t display_width(std::string_view text);

}  // namespace pgadvisor::reports
