// LogPrefix: the prefix is a list of parts; fixed-shape escapes (timestamps, numbers) are checked character by
// character; free-text escapes (%u, %d, %a, …) end at the next literal, trying later occurrences when the rest
// does not match (a user or application name may contain that literal). %q ends the prefix for background
// processes (PostgreSQL docs, 20.8 "What to Log", log_line_prefix).
#include "collector/log_prefix.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace pgadvisor::collector {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

size_t digits(std::string_view s, size_t pos) {
  size_t p = pos;
  while (p < s.size() && is_digit(s[p])) ++p;
  return p - pos;
}

//! "YYYY-MM-DD HH:MM:SS[.mmm] TZ": the length, or 0.
size_t timestamp_length(std::string_view s, size_t pos, bool millis) {
  if (s.size() < pos + 19) return 0;
  const char* t = s.data() + pos;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!is_digit(t[i])) return 0;
  }
  if (t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' || t[16] != ':') return 0;
  size_t p = pos + 19;
  if (millis) {
    if (p >= s.size() || s[p] != '.') return 0;
    size_t d = digits(s, p + 1);
    if (d == 0) return 0;
    p += 1 + d;
  }
  // The time zone, when there is one (log_timezone always gives one), as strftime's %Z writes it: an abbreviation
  // ("UTC", "CEST", "ChST"), an offset ("+03", "-0330"), or both ("GMT+3", older tzdata, then a space or "]"). Not
  // more: in "%t-%c-" a dash and the session id ("UTC-6565a1b2.4d2-") follow the zone, in "%t-%p: " the pid.
  // Otherwise the space belongs to the next literal.
  if (p + 1 < s.size() && s[p] == ' ') {
    size_t q = p + 1;
    while (q < s.size() && q - p <= 6 && ((s[q] >= 'A' && s[q] <= 'Z') || (s[q] >= 'a' && s[q] <= 'z'))) ++q;
    if (q < s.size() && (s[q] == '+' || s[q] == '-')) {
      const size_t d = digits(s, q + 1);
      const size_t end = q + 1 + d;
      const bool letters = q > p + 1;
      if (d > 0 && d <= 4 &&
          (end == s.size() ||
           (letters ? s[end] == ' ' || s[end] == ']'
                    : !(is_digit(s[end]) || (s[end] >= 'a' && s[end] <= 'z') || (s[end] >= 'A' && s[end] <= 'Z'))))) {
        q = end;
      }
    }
    if (q > p + 1) p = q;
  }
  return p - pos;
}

uint64_t to_number(std::string_view s) {
  uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v;
}

constexpr std::array<std::string_view, 19> kLevels = {
    "LOG",   "ERROR", "WARNING", "NOTICE", "INFO",   "DETAIL", "HINT",   "STATEMENT", "CONTEXT", "QUERY",
    "FATAL", "PANIC", "DEBUG1",  "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5", "LOCATION",  "DEBUG"};

}  // namespace

bool parse_level(std::string_view text, std::string_view& level, std::string_view& message) {
  size_t n = 0;
  while (n < text.size() && n < 10 && ((text[n] >= 'A' && text[n] <= 'Z') || is_digit(text[n]))) ++n;
  if (n < 3 || n + 2 > text.size() || text[n] != ':' || text[n + 1] != ' ') return false;
  std::string_view word = text.substr(0, n);
  // LOG first: nearly every entry of a slow-query log is one.
  if (word != "LOG") {
    bool known = false;
    for (std::string_view l : kLevels) known = known || l == word;
    if (!known) return false;
  }
  level = word;
  // PostgreSQL writes two spaces after the level; tolerate one.
  size_t start = n + 2;
  if (start < text.size() && text[start] == ' ') ++start;
  message = text.substr(start);
  return true;
}

std::optional<LogPrefix::Item> LogPrefix::escape_item(char letter) {
  switch (letter) {
    case 't':
    case 's':  // the process's start time: a timestamp of the same shape
      return Item::Timestamp;
    case 'm':
      return Item::TimestampMs;
    case 'n':
      return Item::Epoch;
    case 'p':
      return Item::Pid;
    case 'l':
      return Item::LineNumber;
    case 'u':
      return Item::User;
    case 'd':
      return Item::Database;
    case 'a':
      return Item::Application;
    case 'h':
      return Item::Host;
    case 'r':
      return Item::HostPort;
    case 'c':
      return Item::Session;
    case 'x':
      return Item::Xid;
    case 'v':
      return Item::VirtualXid;
    case 'e':
      return Item::SqlState;
    case 'i':
    case 'b':  // backend type (PostgreSQL 13+): free text like %i
      return Item::CommandTag;
    case 'q':
      return Item::Quiet;
    default:
      return std::nullopt;
  }
}

std::optional<LogPrefix> LogPrefix::compile(std::string_view spec, std::string* error) {
  LogPrefix prefix;
  prefix.spec_ = std::string(spec);
  auto add_literal = [&](char c) {
    if (prefix.parts_.empty() || prefix.parts_.back().item != Item::Literal)
      prefix.parts_.push_back({Item::Literal, ""});
    prefix.parts_.back().literal.push_back(c);
  };
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != '%') {
      add_literal(spec[i]);
      continue;
    }
    if (++i == spec.size()) {
      if (error != nullptr) *error = "log_line_prefix ends with a lone %";
      return std::nullopt;
    }
    // A padding width (%-10u) is accepted and ignored: values are still delimited by the literals around them.
    while (i < spec.size() && (spec[i] == '-' || is_digit(spec[i]))) ++i;
    if (i == spec.size()) break;
    if (spec[i] == '%') {
      add_literal('%');
      continue;
    }
    const std::optional<Item> item = escape_item(spec[i]);
    if (!item) {
      if (error != nullptr) *error = std::string("unknown log_line_prefix escape %") + spec[i];
      return std::nullopt;
    }
    if (*item != Item::Quiet) ++prefix.field_count_;
    prefix.parts_.push_back({*item, ""});
  }
  return prefix;
}

bool LogPrefix::match(std::string_view line, LogEntry& entry) const { return match_from(0, line, 0, entry, 0); }

bool LogPrefix::match_from(size_t part, std::string_view line, size_t pos, LogEntry& entry, int depth) const {
  if (part == parts_.size()) return parse_level(line.substr(pos), entry.level, entry.message);
  const Part& p = parts_[part];
  size_t len = 0;
  switch (p.item) {
    case Item::Literal:
      if (line.size() - pos < p.literal.size() ||
          std::memcmp(line.data() + pos, p.literal.data(), p.literal.size()) != 0) {
        return false;
      }
      return match_from(part + 1, line, pos + p.literal.size(), entry, depth);
    case Item::Quiet:
      // Background processes stop the prefix here; sessions go on.
      return match_from(part + 1, line, pos, entry, depth) || parse_level(line.substr(pos), entry.level, entry.message);
    case Item::Timestamp:
    case Item::TimestampMs:
      len = timestamp_length(line, pos, p.item == Item::TimestampMs);
      if (len == 0) return false;
      entry.timestamp = line.substr(pos, len);
      return match_from(part + 1, line, pos + len, entry, depth);
    case Item::Epoch:
      len = digits(line, pos);
      if (len == 0) return false;
      if (pos + len < line.size() && line[pos + len] == '.') len += 1 + digits(line, pos + len + 1);
      entry.timestamp = line.substr(pos, len);
      return match_from(part + 1, line, pos + len, entry, depth);
    case Item::Pid:
    case Item::LineNumber:
    case Item::Xid:
      len = digits(line, pos);
      if (len == 0) return false;
      if (p.item == Item::Pid) entry.pid = to_number(line.substr(pos, len));
      return match_from(part + 1, line, pos + len, entry, depth);
    case Item::VirtualXid:
      len = digits(line, pos);
      if (len == 0 || pos + len >= line.size() || line[pos + len] != '/') return false;
      len += 1 + digits(line, pos + len + 1);
      return match_from(part + 1, line, pos + len, entry, depth);
    case Item::Session:
      while (pos + len < line.size() && (is_hex(line[pos + len]) || line[pos + len] == '.')) ++len;
      if (len == 0) return false;
      entry.session = line.substr(pos, len);
      return match_from(part + 1, line, pos + len, entry, depth);
    case Item::SqlState:
      if (line.size() - pos < 5) return false;
      return match_from(part + 1, line, pos + 5, entry, depth);
    default:
      break;
  }
  // Free text: up to an occurrence of the next literal (or, last in the prefix, of a level) that lets the rest
  // match; a few candidates at most, so a hostile line cannot make this quadratic.
  std::string_view* field = nullptr;
  if (p.item == Item::User) field = &entry.user;
  if (p.item == Item::Database) field = &entry.database;
  if (p.item == Item::Application) field = &entry.application;
  const bool next_literal = part + 1 < parts_.size() && parts_[part + 1].item == Item::Literal;
  size_t from = pos;
  for (int attempt = 0; attempt < 4 && depth < 16; ++attempt) {
    const std::string_view delimiter = next_literal ? std::string_view(parts_[part + 1].literal) : ": ";
    size_t end = line.find(delimiter, from);
    if (end == std::string_view::npos) return false;
    // Without a next literal the delimiter is the level's colon: back up over the level word.
    if (!next_literal) {
      while (end > from && line[end - 1] >= 'A' && line[end - 1] <= 'Z') --end;
    }
    if (field != nullptr) *field = line.substr(pos, end - pos);
    if (match_from(part + 1, line, end, entry, depth + 1)) return true;
    from = end + 1;
  }
  return false;
}

namespace {

bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

//! Where "LEVEL:  " starts in a stderr line, or npos: the prefix is what comes before.
size_t level_position(std::string_view line) {
  for (size_t colon = line.find(": "); colon != std::string_view::npos; colon = line.find(": ", colon + 1)) {
    size_t start = colon;
    while (start > 0 && ((line[start - 1] >= 'A' && line[start - 1] <= 'Z') || is_digit(line[start - 1]))) --start;
    std::string_view level;
    std::string_view message;
    if (start < colon && (start == 0 || !is_alnum(line[start - 1])) &&
        parse_level(line.substr(start), level, message)) {
      return start;
    }
  }
  return std::string_view::npos;
}

//! The escape for the value of "key=value" in a prefix, or nullptr for a key that names no known field.
const char* escape_for_key(std::string_view key) {
  static constexpr std::array<std::pair<std::string_view, const char*>, 21> kKeys = {{
      {"user", "%u"},        {"usr", "%u"},      {"username", "%u"},
      {"db", "%d"},          {"database", "%d"}, {"dbname", "%d"},
      {"app", "%a"},         {"appname", "%a"},  {"application", "%a"},
      {"client", "%h"},      {"host", "%h"},     {"remote", "%r"},
      {"client_addr", "%h"}, {"pid", "%p"},      {"session", "%c"},
      {"session_id", "%c"},  {"xid", "%x"},      {"vxid", "%v"},
      {"sqlstate", "%e"},    {"tag", "%i"},      {"application_name", "%a"},
  }};
  for (const auto& [name, escape] : kKeys) {
    if (name == key) return escape;
  }
  return nullptr;
}

bool session_only(const char* escape) {
  return std::string_view("%u%d%a%h%r%i").find(escape) != std::string_view::npos;
}

//! "10.0.0.5" at `pos`: its length, or 0.
size_t ipv4_length(std::string_view text, size_t pos) {
  size_t p = pos;
  for (int octet = 0; octet < 4; ++octet) {
    const size_t d = digits(text, p);
    if (d == 0 || d > 3) return 0;
    p += d;
    if (octet == 3) break;
    if (p >= text.size() || text[p] != '.') return 0;
    ++p;
  }
  return p - pos;
}

//! A SQLSTATE at `pos`, standing alone: five digits or capitals, at least one a digit ("00000", "42P01").
bool is_sqlstate(std::string_view text, size_t pos) {
  if (pos + 5 > text.size() || (pos + 5 < text.size() && is_alnum(text[pos + 5]))) return false;
  bool digit = false;
  for (size_t j = pos; j < pos + 5; ++j) {
    if (!is_digit(text[j]) && !(text[j] >= 'A' && text[j] <= 'Z')) return false;
    digit = digit || is_digit(text[j]);
  }
  return digit;
}

//! A log_line_prefix that writes the text before one line's level: fixed-shape values (timestamps, numbers,
//! session ids, addresses) become their escapes, "key=value" pairs with a known key and "user@db" theirs, the rest
//! stays literal. %q goes before the first session-only escape, as background processes stop there.
std::string infer_spec(std::string_view text) {
  std::string spec;
  bool time = false;
  bool pid = false;
  bool line_number = false;
  bool quiet = false;
  // A server's prefix has each escape once; and each free-text one multiplies the ways a line can match (four
  // tries each), so an inferred prefix has at most four, as the longest well-known ones.
  std::string used;
  int free_text = 0;
  bool plausible = true;
  auto add = [&](const char* escape, std::string_view before = {}) {
    if (session_only(escape) && !quiet) {
      spec += "%q";
      quiet = true;
    }
    spec += before;
    spec += escape;
    plausible = plausible && used.find(escape) == std::string::npos;
    used += escape;
    free_text += std::string_view("%u%d%a%h%r%i%b").find(escape) != std::string_view::npos ? 1 : 0;
  };
  for (size_t i = 0; i < text.size();) {
    const bool boundary = i == 0 || !is_alnum(text[i - 1]);
    size_t n = 0;
    if (!time && boundary && (n = timestamp_length(text, i, true)) > 0) {
      add("%m");
    } else if (!time && boundary && (n = timestamp_length(text, i, false)) > 0) {
      add("%t");
    } else if (!time && boundary && digits(text, i) == 10 && i + 10 < text.size() && text[i + 10] == '.') {
      n = 11 + digits(text, i + 11);
      add("%n");
    }
    if (n > 0) {
      time = true;
      i += n;
      continue;
    }
    if (boundary) {
      size_t k = i;
      while (k < text.size() && ((text[k] >= 'a' && text[k] <= 'z') || text[k] == '_')) ++k;
      const char* escape = k > i && k < text.size() && text[k] == '=' ? escape_for_key(text.substr(i, k - i)) : nullptr;
      if (escape != nullptr) {
        const size_t end = text.find_first_of(" ,;])", k + 1);
        add(escape, text.substr(i, k + 1 - i));
        pid = pid || std::string_view(escape) == "%p";
        i = end == std::string_view::npos ? text.size() : end;
        continue;
      }
      const size_t d = digits(text, i);
      const char after = i + d < text.size() ? text[i + d] : ' ';
      // The first number standing alone is the pid (not a part of an address or a time).
      if (d > 0 && !pid && !is_alnum(after) && after != '.' && after != '(' &&
          (i == 0 || (text[i - 1] != '(' && text[i - 1] != '.'))) {
        add("%p");
        pid = true;
        i += d;
        continue;
      }
      // "[%l-1]" (the "-1" is literal) or "[%p-%l]"
      if (d > 0 && pid && !line_number && (after == '-' || (i > 0 && text[i - 1] == '-' && after == ']'))) {
        add("%l");
        line_number = true;
        i += d;
        continue;
      }
      // A session id: hex digits, a dot, hex digits.
      size_t h = i;
      while (h < text.size() && is_hex(text[h])) ++h;
      if (h - i >= 6 && h < text.size() && text[h] == '.') {
        size_t t = h + 1;
        while (t < text.size() && is_hex(text[t])) ++t;
        if (t > h + 1 && (t == text.size() || !is_alnum(text[t]))) {
          add("%c");
          i = t;
          continue;
        }
      }
      // user@db
      size_t token_end = i;  // names: letters, digits, _ - . $ (and the @ between them)
      while (token_end < text.size() &&
             (is_alnum(text[token_end]) || std::strchr("_-.$@", text[token_end]) != nullptr)) {
        ++token_end;
      }
      const size_t at = text.find('@', i);
      if (at != std::string_view::npos && at > i && at + 1 < token_end) {
        add("%u");
        add("%d", "@");
        i = token_end;
        continue;
      }
      if (text.substr(i).starts_with("[local]")) {
        add("%h");
        i += 7;
        continue;
      }
      // An IPv4 address: %h, or %r with "(port)".
      if (const size_t ip = ipv4_length(text, i); ip > 0) {
        const size_t port = i + ip < text.size() && text[i + ip] == '(' ? digits(text, i + ip + 1) : 0;
        const bool with_port = port > 0 && i + ip + 1 + port < text.size() && text[i + ip + 1 + port] == ')';
        add(with_port ? "%r" : "%h");
        i += with_port ? ip + 2 + port : ip;
        continue;
      }
      if (is_sqlstate(text, i)) {
        add("%e");
        i += 5;
        continue;
      }
    }
    if (text[i] == '%') spec += '%';
    spec += text[i++];
  }
  return plausible && free_text <= 4 ? spec : std::string();
}

}  // namespace

std::optional<LogPrefix> detect_prefix(std::string_view lines) {
  // Common settings first: the sandbox's, the Debian default, pgBadger's recommended ones, then bare ones and those
  // for syslog.
  static constexpr std::array<std::string_view, 18> kCandidates = {
      "%m [%p] %q%u@%d app=%a ",
      "%m [%p] %q%u@%d ",
      "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
      "%t [%p]: user=%u,db=%d,app=%a,client=%h ",
      "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
      "%t [%p]: [%l-1] user=%u,db=%d ",
      "%t [%p]: [%l-1] ",
      "%m [%p]: [%l-1] ",
      "%t:%r:%u@%d:[%p]:",  // Amazon RDS's default: no space before the level
      "%t:%r:%u@%d:[%p]: ",
      "%m %u@%d %p %r ",
      "%m [%p] ",
      "%t [%p] ",
      "%m [%p] %q[%c] %u@%d ",
      // Behind a syslog header, which has the time and pid already (pgBadger's recommendation for syslog first).
      "user=%u,db=%d,app=%a,client=%h ",
      "user=%u,db=%d ",
      "%q%u@%d ",
      "",
  };
  // The first lines that start entries (continuation lines start with a tab).
  std::vector<std::string_view> firsts;
  for (size_t pos = 0; pos < lines.size() && firsts.size() < 300;) {
    size_t nl = lines.find('\n', pos);
    std::string_view line = lines.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? lines.size() : nl + 1;
    if (!line.empty() && line[0] != '\t') firsts.push_back(line);
  }
  // Lines with a level: other programs' lines (an archive_command's errors) fit no prefix and do not count.
  size_t leveled = 0;
  for (std::string_view line : firsts) leveled += level_position(line.substr(0, 512)) != std::string_view::npos ? 1 : 0;
  std::optional<LogPrefix> best;
  size_t best_hits = 0;
  // A later candidate must match strictly more lines to win, or as many with more fields: a free-text %u or %d of
  // a shorter one can swallow the fields it lacks ("[%c] %u@%d" read by "%u@%d"). An inferred one must match nearly
  // every line: a value it took for literal text (a command tag, an xid) would otherwise drop every line with
  // another value.
  auto consider = [&](std::string_view spec, bool inferred) {
    auto prefix = LogPrefix::compile(spec);
    if (!prefix) return;
    size_t hits = 0;
    for (std::string_view line : firsts) {
      LogEntry e;
      if (prefix->match(line, e)) ++hits;
    }
    if (inferred && hits * 50 < leveled * 49) return;
    if (hits > best_hits || (hits > 0 && hits == best_hits && prefix->field_count() > best->field_count())) {
      best = std::move(prefix);
      best_hits = hits;
    }
  };
  for (std::string_view spec : kCandidates) consider(spec, false);
  // Prefixes inferred from the lines themselves, for settings that are not well known.
  // From the first lines and from the last ones (the caller puts lines with statements last: the first ones may all
  // be background messages, which stop at %q).
  std::vector<std::string> inferred;
  for (size_t k = 0; k < firsts.size(); k = k + 1 == 20 && firsts.size() > 40 ? firsts.size() - 20 : k + 1) {
    // A prefix is short: looking further would only cost time on hostile lines.
    const std::string_view head = firsts[k].substr(0, 512);
    const size_t level = level_position(head);
    if (level == std::string_view::npos) continue;
    std::string spec = infer_spec(head.substr(0, level));
    if (spec.empty()) continue;
    if (std::find(inferred.begin(), inferred.end(), spec) != inferred.end()) continue;
    consider(spec, true);
    inferred.push_back(std::move(spec));
  }
  if (firsts.empty() || best_hits * 2 < firsts.size()) return std::nullopt;
  return best;
}

}  // namespace pgadvisor::collector
