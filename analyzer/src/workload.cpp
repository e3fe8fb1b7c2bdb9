// Parsing the parameter lists that PostgreSQL logs for extended-protocol executions.
#include "analyzer/workload.hpp"

#include <cctype>

namespace pgadvisor::analyzer {

std::optional<ParameterSet> parse_logged_parameters(std::string_view text) {
  ParameterSet values;
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  while (true) {
    skip_spaces();
    if (i >= text.size() || text[i] != '$') return std::nullopt;
    size_t start = ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) ++i;
    if (i == start) return std::nullopt;
    // Parameters are logged in order $1, $2, …: a gap means this is not a list we understand.
    if (std::stoul(std::string(text.substr(start, i - start))) != values.size() + 1) return std::nullopt;
    skip_spaces();
    if (i >= text.size() || text[i] != '=') return std::nullopt;
    ++i;
    skip_spaces();
    if (text.substr(i, 4) == "NULL") {
      values.emplace_back(std::nullopt);
      i += 4;
    } else if (i < text.size() && text[i] == '\'') {
      std::string value;
      ++i;
      while (true) {
        if (i >= text.size()) return std::nullopt;  // unterminated: truncated by the log
        if (text[i] == '\'') {
          if (i + 1 < text.size() && text[i + 1] == '\'') {
            value += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        value += text[i++];
      }
      values.emplace_back(std::move(value));
    } else {
      return std::nullopt;
    }
    skip_spaces();
    if (i == text.size()) return values;
    if (text[i] != ',') return std::nullopt;
    ++i;
  }
}

}  // namespace pgadvisor::analyzer
