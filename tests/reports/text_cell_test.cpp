// The helpers every text and Markdown renderer goes through (reports/src/text_cell.hpp, table.hpp): values made
// printable, statements shortened, columns aligned by display width, Markdown cells kept whole.
#include "../../reports/src/text_cell.hpp"

#include <catch2/catch.hpp>

#include "../../reports/src/output_text.hpp"
#include "../../reports/src/table.hpp"
#include "reports/doctor_report.hpp"

using namespace pgadvisor::reports;

TEST_CASE("printable shows every control character as a visible escape", "[reports][text]") {
  CHECK(printable("plain café 日本") == "plain café 日本");
  CHECK(printable("two\nlines\r\n\ttab") == "two\\nlines\\r\\n\\ttab");
  CHECK(printable("\x1b[31mred\x1b[0m\x07") == "\\x1B[31mred\\x1B[0m\\x07");
  CHECK(printable(std::string("nul\0del\x7f", 8)) == "nul\\x00del\\x7F");
  CHECK(printable("c1 \xC2\x85 \xC2\x9B ls \u2028 ps \u2029") == "c1 \\u0085 \\u009B ls \\u2028 ps \\u2029");
  CHECK(printable("caf\xe9") == "caf\xEF\xBF\xBD");  // not UTF-8: U+FFFD, as everywhere in the reports
  const std::string once = printable("a\x1b\nb\xe9");
  CHECK(printable(once) == once);
}

TEST_CASE("text_document keeps the report's own line ends and nothing else raw", "[reports][text]") {
  CHECK(text_document("a\n\nb\x1b[0m\r\n") == "a\n\nb\\x1B[0m\\r\n");
  CHECK(text_document("no final newline") == "no final newline");
}

TEST_CASE("one_line shortens a statement by display width, never inside an escape", "[reports][text]") {
  CHECK(one_line("  SELECT *\n  FROM t\r\n\tWHERE a = 1  ") == "SELECT * FROM t WHERE a = 1");
  CHECK(one_line("SELECT '\x1b[31m'") == "SELECT '\\x1B[31m'");
  CHECK(one_line("SELECT 1234567890", 10) == "SELECT ...");
  // "日本語" is six columns: five fit before the "...", so the cut leaves two characters.
  CHECK(one_line("日本語日本語", 8) == "日本...");
  // The escape of ESC is four columns: it goes whole or not at all.
  CHECK(one_line(std::string("ab\x1b") + "cdef", 9) == "ab\\x1B...");
  CHECK(one_line(std::string("ab\x1b") + "cdef", 8) == "ab...");
  CHECK(one_line("short", 3) == "...");
}

TEST_CASE("display_width counts terminal columns", "[reports][text]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("café") == 4);
  CHECK(display_width("cafe\xCC\x81") == 4);  // e and a combining acute accent
  CHECK(display_width("日本") == 4);
  CHECK(display_width("ｗｉｄｅ") == 8);  // fullwidth forms
  CHECK(display_width("\xEF\xBF\xBD") == 1);
  CHECK(display_width("caf\xe9") == 4);
}

TEST_CASE("text tables align non-ASCII cells by display width", "[reports][text]") {
  const std::vector<TableRow> rows = {{"name", "x", "y"}, {"café", "1", "2"}, {"日本", "3", "4"}, {"a\nb", "5", "6"}};
  TextTable table({TextColumn::fitted(""), TextColumn::right(3), TextColumn::left(0)});
  const std::string out = table.fit(rows).lines(rows);
  CHECK(out ==
        "name    x  y\n"
        "café    1  2\n"
        "日本    3  4\n"
        "a\\nb    5  6\n");
}

TEST_CASE("doctor aligns its findings by display width", "[reports][text]") {
  pgadvisor::collector::DoctorReport report;
  for (const char* name : {"ascii", "café", "日本語", "caf\xe9"}) {
    report.checks.push_back({name, pgadvisor::collector::CheckStatus::Ok, "FINDING", ""});
  }
  for (bool color : {false, true}) {
    std::string out = render_doctor_text(report, color);
    for (const char* code : {"\033[32m", "\033[0m"}) {
      for (size_t at; (at = out.find(code)) != std::string::npos;) out.erase(at, std::string_view(code).size());
    }
    std::vector<size_t> columns;
    for (size_t at = 0; (at = out.find("FINDING", at)) != std::string::npos; at += 7) {
      const size_t line = out.rfind('\n', at) + 1;
      columns.push_back(display_width(std::string_view(out).substr(line, at - line)));
    }
    INFO(out);
    REQUIRE(columns.size() == 4);
    CHECK(columns == std::vector<size_t>(4, columns.front()));
  }
}

TEST_CASE("Markdown text and code spans keep a table cell whole", "[reports][markdown]") {
  CHECK(markdown_escape("a|b") == "a\\|b");
  CHECK(markdown_escape("a\\|b `c`") == "a\\\\\\|b \\`c\\`");
  CHECK(markdown_escape("two\nlines") == "two\\\\nlines");
  CHECK(markdown_code("x = 1", MarkdownPlace::Text) == "`x = 1`");
  CHECK(markdown_code("a | b", MarkdownPlace::Text) == "`a | b`");
  CHECK(markdown_code("a | b", MarkdownPlace::TableCell) == "`a \\| b`");
  // A backslash right before a pipe is doubled, or the table scanner would read "\\" and split at the '|'.
  CHECK(markdown_code("a \\| b", MarkdownPlace::TableCell) == "`a \\\\\\| b`");
  CHECK(markdown_code("a `b` ``c``", MarkdownPlace::Text) == "``` a `b` ``c`` ```");
  CHECK(markdown_code("`x`", MarkdownPlace::Text) == "`` `x` ``");
  CHECK(markdown_code("", MarkdownPlace::Text) == "``");
  CHECK(markdown_code("two\nlines\x1b", MarkdownPlace::Text) == "`two\\nlines\\x1B`");
  CHECK(markdown_row({"a\nb", "c"}) == "| a\\nb | c |\n");
}
