// DSN validation and redaction with libpq's own parser (PQconninfoParse), so URIs and conninfo strings
// are read exactly as a connection would read them. Where libpq cannot parse a DSN, or where its reading may
// differ from what the user meant (an unescaped '@' or '/' in a URI's user information), a tolerant scanner
// finds every stretch that could be a password and hides it behind a fixed "***".
#include "pg/dsn.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <vector>

#include <libpq-fe.h>

namespace pgadvisor::pg {
namespace {

constexpr std::string_view kMask = "***";

struct ParsedDsn {
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options{nullptr, PQconninfoFree};
  std::string error;
};

ParsedDsn parse(std::string_view dsn) {
  ParsedDsn parsed;
  char* error = nullptr;
  std::string text(dsn);
  parsed.options.reset(PQconninfoParse(text.c_str(), &error));
  if (error != nullptr) {
    parsed.error = error;
    PQfreemem(error);
    while (!parsed.error.empty() && (parsed.error.back() == '\n' || parsed.error.back() == ' ')) {
      parsed.error.pop_back();
    }
  }
  return parsed;
}

// Any blank ends an unquoted value (libpq reads them with isspace()): a tab or a line break in a value must not
// start another keyword.
bool needs_quotes(const std::string& v) { return v.empty() || v.find_first_of(" \t\n\r\f\v'\\") != std::string::npos; }

std::string conninfo_value(const std::string& v) {
  if (!needs_quotes(v)) return v;
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// A key that names a secret: password, sslpassword, in any case (a wrong case is an error, but still a secret).
bool is_secret_key(std::string_view key) { return lower_ascii(key).find("password") != std::string::npos; }

// A keyword libpq knows (host, port, dbname...), from PQconndefaults.
bool is_known_key(std::string_view key) {
  static const std::vector<std::string> known = [] {
    std::vector<std::string> keys;
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> defaults(PQconndefaults(), PQconninfoFree);
    for (PQconninfoOption* o = defaults.get(); o != nullptr && o->keyword != nullptr; ++o)
      keys.emplace_back(o->keyword);
    return keys;
  }();
  return std::find(known.begin(), known.end(), key) != known.end();
}

// A stretch [begin, end) of the DSN text that may hold a password.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// The URI's user information: from after "://" to the last '@' before the query string, or nothing.
struct UriUserinfo {
  size_t begin = 0;
  size_t at = std::string_view::npos;  //!< the '@' that ends it; npos when there is none
};

std::optional<size_t> uri_authority(std::string_view dsn) {
  size_t scheme = dsn.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  return scheme + 3;
}

UriUserinfo uri_userinfo(std::string_view dsn, size_t authority) {
  size_t query = dsn.find('?', authority);
  std::string_view head =
      dsn.substr(authority, query == std::string_view::npos ? std::string_view::npos : query - authority);
  UriUserinfo u{authority};
  if (size_t at = head.rfind('@'); at != std::string_view::npos) u.at = authority + at;
  return u;
}

// libpq splits a URI's user information at the first '@' or '/', a user at the first ':'. When the text has
// another '@' or a '/' before the last '@', libpq reads part of the password as a host, port or database name,
// which would then be shown: such a URI is refused (its characters must be percent-encoded).
bool ambiguous_uri(std::string_view dsn) {
  auto authority = uri_authority(dsn);
  if (!authority) return false;
  UriUserinfo u = uri_userinfo(dsn, *authority);
  if (u.at == std::string_view::npos) return false;
  std::string_view userinfo = dsn.substr(u.begin, u.at - u.begin);
  return userinfo.find_first_of("@/") != std::string_view::npos;
}

// URI: the password of the user information (after its first ':'; all of it when in doubt) and the values of
// password-like query parameters.
void uri_secret_spans(std::string_view dsn, size_t authority, std::vector<Span>& out) {
  UriUserinfo u = uri_userinfo(dsn, authority);
  if (u.at == std::string_view::npos) {
    // No user information: a port that is not a number may be a password whose host is missing
    // (`postgresql://u:secret`): libpq echoes it as a bad port.
    size_t end = std::min(dsn.find_first_of("/?", authority), dsn.size());
    for (size_t host = authority; host < end;) {
      size_t comma = std::min(dsn.find(',', host), end);
      size_t bracket = dsn.find(']', host);
      size_t colon = dsn.find(':', bracket != std::string_view::npos && bracket < comma ? bracket : host);
      if (colon != std::string_view::npos && colon < comma) {
        std::string_view port = dsn.substr(colon + 1, comma - colon - 1);
        if (port.find_first_not_of("0123456789") != std::string_view::npos) out.push_back({colon + 1, comma});
      }
      host = comma + 1;
    }
  } else {
    std::string_view userinfo = dsn.substr(u.begin, u.at - u.begin);
    size_t colon = userinfo.find(':');
    bool doubtful = userinfo.find_first_of("@/") != std::string_view::npos;
    if (doubtful) {
      out.push_back({u.begin, u.at});  // drop the whole user information
    } else if (colon != std::string_view::npos) {
      out.push_back({u.begin + colon + 1, u.at});
    }
  }
  for (size_t q = dsn.find('?', authority); q != std::string_view::npos && q < dsn.size(); q = dsn.find('&', q)) {
    size_t key_begin = q + 1;
    size_t next = std::min(dsn.find('&', key_begin), dsn.size());
    size_t eq = dsn.find('=', key_begin);
    if (eq != std::string_view::npos && eq < next && is_secret_key(dsn.substr(key_begin, eq - key_begin))) {
      out.push_back({eq + 1, next});
    }
    q = next;
  }
}

// conninfo: libpq's reading (keys up to '=' or a blank, values quoted with '' and backslash escapes, or up to
// a blank with backslash escapes), tolerant of errors. After a password, words without '=' and pairs with a key
// libpq does not know are taken as more of the password (`password=a b`: libpq fails on "b", part of it).
void conninfo_secret_spans(std::string_view dsn, std::vector<Span>& out) {
  size_t i = 0;
  bool in_secret = false;  // the last value was a secret: a following word without '=' may continue it
  while (i < dsn.size()) {
    while (i < dsn.size() && is_space(dsn[i])) ++i;
    if (i >= dsn.size()) break;
    size_t key_begin = i;
    while (i < dsn.size() && dsn[i] != '=' && !is_space(dsn[i])) ++i;
    size_t key_end = i;
    size_t j = i;
    while (j < dsn.size() && is_space(dsn[j])) ++j;
    if (j >= dsn.size() || dsn[j] != '=') {
      // A word without '=': an error for libpq; part of a password when one was just read.
      if (in_secret) out.push_back({key_begin, key_end});
      continue;
    }
    i = j + 1;
    while (i < dsn.size() && is_space(dsn[i])) ++i;
    size_t value_begin = i;
    if (i < dsn.size() && dsn[i] == '\'') {
      ++i;
      while (i < dsn.size() && dsn[i] != '\'') i += dsn[i] == '\\' ? 2 : 1;
      i = std::min(i + 1, dsn.size());
    } else {
      while (i < dsn.size() && !is_space(dsn[i])) i += dsn[i] == '\\' ? 2 : 1;
      i = std::min(i, dsn.size());
    }
    std::string_view key = dsn.substr(key_begin, key_end - key_begin);
    if (in_secret && !is_known_key(key)) {
      out.push_back({key_begin, i});  // `password=a b=c`: "b=c" may be the rest of the password
      continue;
    }
    in_secret = is_secret_key(key);
    if (in_secret && i > value_begin) out.push_back({value_begin, i});
  }
}

std::vector<Span> secret_spans(std::string_view dsn) {
  std::vector<Span> spans;
  if (auto authority = uri_authority(dsn)) {
    uri_secret_spans(dsn, *authority, spans);
  } else {
    conninfo_secret_spans(dsn, spans);
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return spans;
}

// The DSN with every possible password replaced by "***" (not by as many stars: that would show its length).
std::string mask_secrets(std::string_view dsn) {
  std::string out;
  size_t done = 0;
  for (const Span& s : secret_spans(dsn)) {
    if (s.begin < done) continue;
    out.append(dsn.substr(done, s.begin - done));
    out.append(kMask);
    done = s.end;
  }
  out.append(dsn.substr(std::min(done, dsn.size())));
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoded (valid escapes only) and backslash-unescaped forms, as libpq may echo either.
std::string percent_decoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string unquoted(std::string_view s) {
  if (!s.empty() && s.front() == '\'') s.remove_prefix(1);
  if (!s.empty() && s.back() == '\'') s.remove_suffix(1);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

// Every text that may be a password of the DSN, as written and as libpq reads it.
std::vector<std::string> secret_texts(std::string_view dsn) {
  std::vector<std::string> texts;
  auto add = [&texts](std::string t) {
    if (!t.empty() && std::find(texts.begin(), texts.end(), t) == texts.end()) texts.push_back(std::move(t));
  };
  for (const Span& s : secret_spans(dsn)) {
    std::string_view raw = dsn.substr(s.begin, s.end - s.begin);
    add(std::string(raw));
    add(percent_decoded(raw));
    add(unquoted(raw));
    // libpq splits a doubtful user information at ':' and '@': each piece may be echoed alone.
    size_t piece = 0;
    for (size_t k = 0; k <= raw.size(); ++k) {
      if (k == raw.size() || raw[k] == ':' || raw[k] == '@' || raw[k] == '/') {
        add(std::string(raw.substr(piece, k - piece)));
        piece = k + 1;
      }
    }
  }
  auto parsed = parse(dsn);
  if (parsed.options) {
    for (PQconninfoOption* o = parsed.options.get(); o->keyword != nullptr; ++o) {
      bool secret = o->dispchar != nullptr && std::string_view(o->dispchar).find('*') != std::string_view::npos;
      if (secret && o->val != nullptr) add(o->val);
    }
  }
  return texts;
}

bool overlaps_secret(std::string_view fragment, const std::vector<std::string>& secrets) {
  if (fragment.empty()) return false;
  return std::any_of(secrets.begin(), secrets.end(), [fragment](const std::string& s) {
    return fragment.find(s) != std::string_view::npos || s.find(fragment) != std::string::npos;
  });
}

}  // namespace

std::string scrub_dsn_secrets(std::string_view message, std::string_view dsn) {
  std::vector<std::string> secrets = secret_texts(dsn);
  // libpq quotes what it echoes ("..."): a quoted URI or conninfo is masked, a quoted piece of a secret hidden.
  std::string out;
  size_t i = 0;
  while (i < message.size()) {
    size_t open = message.find('"', i);
    size_t close = open == std::string_view::npos ? open : message.find('"', open + 1);
    if (close == std::string_view::npos) {
      out.append(message.substr(i));
      break;
    }
    std::string_view fragment = message.substr(open + 1, close - open - 1);
    out.append(message.substr(i, open + 1 - i));
    if (fragment.find("://") != std::string_view::npos || fragment.find('=') != std::string_view::npos) {
      out.append(mask_secrets(fragment));
    } else if (overlaps_secret(fragment, secrets)) {
      out.append(kMask);
    } else {
      out.append(fragment);
    }
    out += '"';
    i = close + 1;
  }
  // Unquoted echoes: any remaining secret of three characters or more (shorter ones would mask words at random).
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& s : secrets) {
    if (s.size() < 3) continue;
    for (size_t at = out.find(s); at != std::string::npos; at = out.find(s, at + kMask.size())) {
      out.replace(at, s.size(), kMask);
    }
  }
  return out;
}

std::optional<std::string> dsn_error(std::string_view dsn) {
  if (ambiguous_uri(dsn)) {
    return std::string("a URI's user name or password holds an unescaped '@' or '/': write them as %40 and %2F");
  }
  auto parsed = parse(dsn);
  if (parsed.options) return std::nullopt;
  return parsed.error.empty() ? std::string("not a valid connection string") : scrub_dsn_secrets(parsed.error, dsn);
}

std::string redact_dsn(std::string_view dsn) {
  if (dsn.find_first_not_of(" \t\n") == std::string_view::npos) return "(environment defaults)";
  auto parsed = parse(dsn);
  if (!parsed.options || ambiguous_uri(dsn)) {
    return mask_secrets(dsn);
  }
  std::string out;
  for (PQconninfoOption* o = parsed.options.get(); o->keyword != nullptr; ++o) {
    // dispchar "*" marks secrets (password, sslpassword): libpq's own rule for what never to show.
    bool secret = o->dispchar != nullptr && std::string_view(o->dispchar).find('*') != std::string_view::npos;
    if (o->val == nullptr || secret) continue;
    if (!out.empty()) out += ' ';
    out += o->keyword;
    out += '=';
    out += conninfo_value(o->val);
  }
  return out.empty() ? "(environment defaults)" : out;
}

std::optional<std::string> dsn_password(std::string_view dsn) {
  auto parsed = parse(dsn);
  if (!parsed.options) return std::nullopt;
  for (PQconninfoOption* o = parsed.options.get(); o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr && *o->val != '\0') return std::string(o->val);
  }
  return std::nullopt;
}

std::optional<std::string> dsn_setting(std::string_view dsn, std::string_view keyword) {
  auto parsed = parse(dsn);
  if (!parsed.options) return std::nullopt;
  for (PQconninfoOption* o = parsed.options.get(); o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == keyword && o->val != nullptr && *o->val != '\0') return std::string(o->val);
  }
  return std::nullopt;
}

std::optional<std::string> dsn_database(std::string_view dsn) { return dsn_setting(dsn, "dbname"); }

std::string dsn_with_database(std::string_view dsn, std::string_view database) {
  return dsn_with(dsn, {{"dbname", std::string(database)}});
}

std::string dsn_with(std::string_view dsn, const std::vector<DsnSetting>& settings) {
  for (const auto& s : settings) {
    if (!is_known_key(s.keyword)) throw std::invalid_argument("not a libpq connection keyword: " + s.keyword);
  }
  auto parsed = parse(dsn);
  if (!parsed.options) throw std::invalid_argument("invalid connection string: " + *dsn_error(dsn));
  auto set = [&](std::string_view keyword) {
    return std::any_of(settings.begin(), settings.end(), [&](const DsnSetting& s) { return s.keyword == keyword; });
  };
  std::string out;
  auto append = [&out](std::string_view keyword, const std::string& value) {
    if (!out.empty()) out += ' ';
    out += std::string(keyword) + "=" + conninfo_value(value);
  };
  for (PQconninfoOption* o = parsed.options.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr && !set(o->keyword)) append(o->keyword, o->val);
  }
  for (const auto& s : settings) append(s.keyword, s.value);
  return out;
}

}  // namespace pgadvisor::pg
