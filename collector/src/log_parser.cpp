// StderrLogParser's chunk boundary search, and the session key shared by every format.
#include "collector/log_parser.hpp"

#include <functional>

namespace pgadvisor::collector {

uint64_t LogEntry::session_key() const {
  if (!session.empty()) return std::hash<std::string_view>{}(session) | (uint64_t{1} << 63);
  return pid;
}

bool is_secondary_level(std::string_view level) {
  return level == "DETAIL" || level == "STATEMENT" || level == "HINT" || level == "CONTEXT" || level == "QUERY" ||
         level == "LOCATION";
}

size_t StderrLogParser::next_primary_entry(std::string_view data, size_t from) const {
  size_t pos = from;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    size_t line_end = nl == std::string_view::npos ? data.size() : nl;
    if (data[pos] != '\t') {
      LogEntry e;
      if (prefix_.match(data.substr(pos, line_end - pos), e) && !is_secondary_level(e.level)) return pos;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return data.size();
}

}  // namespace pgadvisor::collector
