// DSN validation and redaction with libpq's own parser (PQconninfoParse), so URIs and conninfo strings
// are read exactly as a connection would read them.
#include "pg/dsn.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

#include <libpq-fe.h>

namespace pgadvisor::pg {
namespace {

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

bool needs_quotes(const std::string& v) { return v.empty() || v.find_first_of(" '\\") != std::string::npos; }

std::string conninfo_value(const std::string& v) {
  if (!needs_quotes(v)) return v;
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// For a DSN libpq cannot parse: hide whatever could be a password rather than echo the text.
std::string mask_secrets(std::string_view dsn) {
  std::string out(dsn);
  std::string lower(dsn);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  // key=value form: everything after "password" up to the next blank.
  for (size_t at = lower.find("password"); at != std::string::npos; at = lower.find("password", at + 1)) {
    size_t eq = lower.find_first_not_of(" \t", at + 8);
    if (eq == std::string::npos || lower[eq] != '=') continue;
    size_t begin = eq + 1;
    size_t end = lower.find_first_of(" \t\n", lower.find_first_not_of(" \t", begin));
    std::fill(out.begin() + static_cast<long>(begin),
              end == std::string::npos ? out.end() : out.begin() + static_cast<long>(end), '*');
  }
  // URI form: scheme://user:secret@host
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    size_t authority = scheme + 3;
    size_t at = out.find('@', authority);
    size_t slash = out.find('/', authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at)
        std::fill(out.begin() + static_cast<long>(colon) + 1, out.begin() + static_cast<long>(at), '*');
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> dsn_error(std::string_view dsn) {
  auto parsed = parse(dsn);
  if (parsed.options) return std::nullopt;
  return parsed.error.empty() ? std::string("not a valid connection string") : parsed.error;
}

std::string redact_dsn(std::string_view dsn) {
  if (dsn.find_first_not_of(" \t\n") == std::string_view::npos) return "(environment defaults)";
  auto parsed = parse(dsn);
  if (!parsed.options) {
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

std::optional<std::string> dsn_database(std::string_view dsn) {
  auto parsed = parse(dsn);
  if (!parsed.options) return std::nullopt;
  for (PQconninfoOption* o = parsed.options.get(); o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "dbname" && o->val != nullptr && *o->val != '\0') return std::string(o->val);
  }
  return std::nullopt;
}

std::string dsn_with_database(std::string_view dsn, std::string_view database) {
  auto parsed = parse(dsn);
  if (!parsed.options) throw std::invalid_argument("invalid connection string: " + parsed.error);
  std::string out;
  for (PQconninfoOption* o = parsed.options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string_view(o->keyword) == "dbname") continue;
    out += std::string(o->keyword) + "=" + conninfo_value(o->val) + " ";
  }
  return out + "dbname=" + conninfo_value(std::string(database));
}

}  // namespace pgadvisor::pg
