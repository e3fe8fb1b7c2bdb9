// Lookup over the generated table of embedded SQL texts (see cmake/embed_sql.cmake).
#include "sql/embedded.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace pgadvisor::sql {

const std::vector<EmbeddedText>& all() {
  // CMake sorts file paths with their ".sql"; names without it may order differently ("a-b" vs "a"), so sort here.
  static const std::vector<EmbeddedText> sorted = [] {
    auto texts = detail::all_texts();
    std::sort(texts.begin(), texts.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return texts;
  }();
  return sorted;
}

std::string_view text(std::string_view name) {
  const auto& texts = all();
  auto it = std::lower_bound(texts.begin(), texts.end(), name,
                             [](const EmbeddedText& t, std::string_view n) { return t.name < n; });
  if (it == texts.end() || it->name != name) {
    throw std::out_of_range("no embedded SQL text named '" + std::string(name) + "' (expected sql/" +
                            std::string(name) + ".sql)");
  }
  return it->text;
}

}  // namespace pgadvisor::sql
