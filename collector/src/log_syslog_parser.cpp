// SyslogLogParser: the header is checked character by character like log_line_prefix's fixed-shape escapes; the
// sequence tag follows elog.c's write_syslog ("[%lu] %s" for a message in one piece, "[%lu-%d] %s" per chunk, or
// without the sequence number when syslog_sequence_numbers is off).
#include "collector/log_syslog_parser.hpp"

#include "collector/log_parser.hpp"

namespace pgadvisor::collector {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

//! Digits at `pos` as a number; `pos` moves past them. False when there are none.
bool read_number(std::string_view s, size_t& pos, uint64_t& value) {
  const size_t start = pos;
  value = 0;
  while (pos < s.size() && is_digit(s[pos]) && pos - start < 19)
    value = value * 10 + static_cast<uint64_t>(s[pos++] - '0');
  return pos > start;
}

//! Appends `text` with rsyslog's "#011" (its escape of a tab) undone.
void add_unescaped(std::string& out, std::string_view text) {
  size_t pos = 0;
  for (;;) {
    const size_t hash = text.find("#011", pos);
    if (hash == std::string_view::npos) break;
    out.append(text.substr(pos, hash - pos));
    out.push_back('\t');
    pos = hash + 4;
  }
  out.append(text.substr(pos));
}

}  // namespace

bool parse_syslog_line(std::string_view line, SyslogLine& out) {
  size_t pos = 0;
  // RFC 3164: "Nov 22 04:46:52" (a day below 10 is space-padded); RFC 3339: "2026-11-22T04:46:52.123456+00:00".
  if (line.size() >= 16 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':' && line[15] == ' ' &&
      line[0] >= 'A' && line[0] <= 'Z' && is_digit(line[5]) && is_digit(line[7]) && is_digit(line[14])) {
    pos = 15;
  } else if (line.size() >= 20 && is_digit(line[0]) && line[4] == '-' && line[7] == '-' && line[10] == 'T' &&
             line[13] == ':' && line[16] == ':') {
    pos = line.find(' ', 19);
    if (pos == std::string_view::npos) return false;
  } else {
    return false;
  }
  out.timestamp = line.substr(0, pos);
  // " host ident[pid]: "
  const size_t host_end = line.find(' ', pos + 1);
  if (host_end == std::string_view::npos || host_end == pos + 1) return false;
  const size_t open = line.find('[', host_end + 1);
  if (open == std::string_view::npos || open == host_end + 1 || line.find(' ', host_end + 1) < open) return false;
  pos = open + 1;
  if (!read_number(line, pos, out.pid) || line.substr(pos, 3) != "]: ") return false;
  pos += 3;
  // "[seq] ", "[seq-chunk] ", "[chunk] " (no sequence numbers), or nothing.
  out.chunk = 0;
  if (pos < line.size() && line[pos] == '[') {
    size_t p = pos + 1;
    uint64_t seq = 0;
    uint64_t chunk = 0;
    if (read_number(line, p, seq)) {
      if (p < line.size() && line[p] == '-') {
        ++p;
        if (!read_number(line, p, chunk)) return false;
      }
      if (p < line.size() && line[p] == ']') {
        out.chunk = chunk;
        pos = p + 1;
        if (pos < line.size() && line[pos] == ' ') ++pos;
      }
    }
  }
  out.content = line.substr(pos);
  return true;
}

void SyslogLogParser::append(Open& o, std::string_view chunk) {
  if (!o.joined) {
    o.text.clear();
    add_unescaped(o.text, o.entry.message);
    o.joined = true;
  }
  if (chunk.empty()) return;
  if (chunk.front() == '\t' || chunk.substr(0, 4) == "#011") o.text.push_back('\n');
  add_unescaped(o.text, chunk);
}

size_t SyslogLogParser::next_primary_entry(std::string_view data, size_t from) const {
  size_t pos = from;
  while (pos < data.size()) {
    const size_t nl = data.find('\n', pos);
    const size_t line_end = nl == std::string_view::npos ? data.size() : nl;
    SyslogLine s;
    if (parse_syslog_line(data.substr(pos, line_end - pos), s) && !s.continuation()) {
      LogEntry e;
      if (prefix_.match(s.content, e) && !is_secondary_level(e.level)) return pos;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return data.size();
}

}  // namespace pgadvisor::collector
