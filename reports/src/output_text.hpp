// What every renderer returns is valid UTF-8: text from logs and databases may hold any bytes (a LATIN1 database
// writes 'caf\xe9'), and one such value must not make a whole report fail or a JSON document invalid. Every byte that
// is not part of a well-formed UTF-8 sequence is shown as U+FFFD, in JSON, text and Markdown alike. Text and Markdown
// hold no control character but their own line ends either (text_cell.hpp): JSON escapes them itself.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pgadvisor::reports {

//! A JSON document as the reports print it: indented by two, invalid UTF-8 replaced (nlohmann's dump throws on it
//! otherwise), and a final newline.
template <typename Json>
std::string json_document(const Json& doc) {
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

//! A text or Markdown rendering as the reports return it: each line printable() (text_cell.hpp), its '\n' kept.
//! Every value is made printable where it is written (so that a newline in it does not break a line or a table
//! row); this last pass makes sure that no control character of an input reaches the terminal even so.
std::string text_document(std::string_view text);

}  // namespace pgadvisor::reports
