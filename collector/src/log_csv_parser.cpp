// CsvLogParser: a single pass over each record; a quoted field is a view into the buffer unless it holds a doubled
// quote, in which case it is unquoted into a per-field scratch string (reused, so no allocation once warm).
#include "collector/log_csv_parser.hpp"

#include <cstring>

namespace pgadvisor::collector {

int CsvLogParser::split(std::string_view data, size_t pos, size_t& end, uint64_t& line) {
  int field = 0;
  size_t p = pos;
  fields_.fill({});
  for (;;) {
    std::string_view value;
    if (p < data.size() && data[p] == '"') {
      size_t q = p + 1;
      bool doubled = false;
      for (;;) {
        const char* quote = static_cast<const char*>(std::memchr(data.data() + q, '"', data.size() - q));
        if (quote == nullptr) {  // an unterminated quote: the record runs to the end of the data
          q = data.size();
          break;
        }
        q = static_cast<size_t>(quote - data.data());
        if (q + 1 < data.size() && data[q + 1] == '"') {
          doubled = true;
          q += 2;
          continue;
        }
        break;
      }
      std::string_view raw = data.substr(p + 1, q - p - 1);
      for (char c : raw) line += c == '\n' ? 1 : 0;
      if (doubled && field < kFieldCount) {
        std::string& s = scratch_[static_cast<size_t>(field)];
        s.clear();
        for (size_t i = 0; i < raw.size(); ++i) {
          s.push_back(raw[i]);
          if (raw[i] == '"' && i + 1 < raw.size() && raw[i + 1] == '"') ++i;
        }
        value = s;
      } else {
        value = raw;
      }
      p = q < data.size() ? q + 1 : q;
    } else {
      size_t q = p;
      while (q < data.size() && data[q] != ',' && data[q] != '\n') ++q;
      value = data.substr(p, q - p);
      p = q;
    }
    if (field < kFieldCount) fields_[static_cast<size_t>(field)] = value;
    ++field;
    if (p >= data.size() || data[p] == '\n') {
      end = p;
      return field;
    }
    if (data[p] == ',') {
      ++p;
      continue;
    }
    // Garbage after a closing quote: skip to the end of the line.
    const char* nl = static_cast<const char*>(std::memchr(data.data() + p, '\n', data.size() - p));
    end = nl == nullptr ? data.size() : static_cast<size_t>(nl - data.data());
    return 0;
  }
}

size_t CsvLogParser::next_primary_entry(std::string_view data, size_t from) {
  size_t pos = from;
  while (pos < data.size()) {
    std::string_view rest = data.substr(pos, 20);
    if (rest.size() == 20 && rest[4] == '-' && rest[7] == '-' && rest[10] == ' ' && rest[13] == ':' &&
        rest[16] == ':' && rest[0] >= '0' && rest[0] <= '9') {
      return pos;
    }
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return data.size();
}

}  // namespace pgadvisor::collector
