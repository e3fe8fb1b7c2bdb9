// Filling the placeholders of an sql/ template ({table}, {columns}, …) with texts pgadvisor quoted itself
// (pg::quote_identifier, pg::quote_qualified, pg::quote_literal) or formatted numbers; never with raw input.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql/embedded.hpp"

namespace pgadvisor::advisor::detail {

//! The named sql/ text with every "{name}" of `values` replaced.
inline std::string sql_template(std::string_view name,
                                const std::vector<std::pair<std::string_view, std::string>>& values) {
  std::string text(sql::text(name));
  for (const auto& [placeholder, value] : values) {
    // Appended piece by piece: `"{" + std::string(…)` trips GCC 12's -Wrestrict false positive in Release builds.
    std::string key = "{";
    key += placeholder;
    key += '}';
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

}  // namespace pgadvisor::advisor::detail
