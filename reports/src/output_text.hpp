// What every renderer returns is valid UTF-8: text from logs and databases may hold any bytes (a LATIN1 database
// writes 'caf\xe9'), and one such value must not make a whole report fail or a JSON document invalid. Every byte that
// is not part of a well-formed UTF-8 sequence is shown as U+FFFD, in JSON, text and Markdown alike.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analyzer/utf8.hpp"

namespace pgadvisor::reports {

//! A JSON document as the reports print it: indented by two, invalid UTF-8 replaced (nlohmann's dump throws on it
//! otherwise), and a final newline.
template <typename Json>
std::string json_document(const Json& doc) {
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace pgadvisor::reports
