// The checks of `pgadvisor doctor`. Each reads what the server reports and, when something is missing,
// names the change that fixes it (PostgreSQL docs: runtime-config-logging, pgstatstatements).
#include "collector/doctor.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "pg/quote.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::collector {
namespace {

using Settings = std::map<std::string, std::string, std::less<>>;

constexpr const char* kRecommendedPrefix = "%m [%p] %q%u@%d app=%a ";

const std::vector<std::string> kSettingNames = {
    "shared_preload_libraries", "pg_stat_statements.track", "pg_stat_statements.max", "log_min_duration_statement",
    "log_line_prefix",          "log_destination",          "logging_collector",      "lc_messages"};

std::string text_array(const std::vector<std::string>& names) {
  std::string out = "{";
  for (const auto& n : names) out += (out.size() > 1 ? "," : "") + n;
  return out + "}";
}

Settings read_settings(pg::Connection& conn) {
  Settings settings;
  auto r = conn.query(sql::text("doctor/settings"), text_array(kSettingNames));
  for (int i = 0; i < r.rows(); ++i)
    settings[r.get<std::string>(i, "name")] = r.get_optional<std::string>(i, "setting").value_or("");
  return settings;
}

std::optional<std::string> setting(const Settings& s, std::string_view name) {
  auto it = s.find(name);
  if (it == s.end()) return std::nullopt;
  return it->second;
}

bool list_contains(const std::string& list, std::string_view item) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string entry = list.substr(start, end - start);
    entry.erase(0, entry.find_first_not_of(" \"'"));
    entry.erase(entry.find_last_not_of(" \"'") + 1);
    if (entry == item) return true;
    start = end + 1;
  }
  return false;
}

Check ok(std::string name, std::string finding) { return {std::move(name), CheckStatus::Ok, std::move(finding), ""}; }
Check warning(std::string name, std::string finding, std::string fix) {
  return {std::move(name), CheckStatus::Warning, std::move(finding), std::move(fix)};
}
Check problem(std::string name, std::string finding, std::string fix) {
  return {std::move(name), CheckStatus::Problem, std::move(finding), std::move(fix)};
}

Check hidden_setting(const std::string& name) {
  return warning(name, "not visible to this role",
                 fmt::format("GRANT pg_read_all_settings TO <this role>; so that pgadvisor can read {}", name));
}

Check server_version_check(int version_num, const std::string& version) {
  std::string name = "server.version";
  if (version_num < 130000) {
    return problem(name, "PostgreSQL " + version, "pgadvisor needs PostgreSQL 13 or later; upgrade the server");
  }
  if (version_num >= 180000) {
    return warning(name, "PostgreSQL " + version, "pgadvisor is tested with PostgreSQL 13 to 17; results may vary");
  }
  return ok(name, "PostgreSQL " + version);
}

struct Extension {
  bool available = false;
  std::string default_version;
  std::optional<std::string> installed_version;
};

std::map<std::string, Extension> read_extensions(pg::Connection& conn) {
  std::map<std::string, Extension> out;
  auto r = conn.query(sql::text("doctor/extensions"), text_array({"pg_stat_statements", "hypopg"}));
  for (int i = 0; i < r.rows(); ++i) {
    out[r.get<std::string>(i, "name")] = Extension{true, r.get_optional<std::string>(i, "default_version").value_or(""),
                                                   r.get_optional<std::string>(i, "installed_version")};
  }
  return out;
}

void pg_stat_statements_checks(const Settings& s, const Extension& ext, const std::string& database,
                               std::vector<Check>& out) {
  // The library defines its settings only when loaded, so their presence tells even a role that may not
  // read shared_preload_libraries whether it is loaded.
  bool loaded = setting(s, "pg_stat_statements.max").has_value();
  auto preload = setting(s, "shared_preload_libraries");
  if (preload && list_contains(*preload, "pg_stat_statements")) loaded = true;
  if (loaded) {
    out.push_back(ok("pg_stat_statements.loaded", "in shared_preload_libraries"));
  } else {
    std::string current = preload.value_or("");
    std::string wanted = current.empty() ? "pg_stat_statements" : current + ",pg_stat_statements";
    out.push_back(problem("pg_stat_statements.loaded", "not in shared_preload_libraries",
                          fmt::format("ALTER SYSTEM SET shared_preload_libraries = {}; then restart the server "
                                      "(a reload is not enough)",
                                      pg::quote_literal_printable(wanted))));
  }

  std::string name = "pg_stat_statements.extension";
  if (!ext.available) {
    out.push_back(problem(name, "not installed on the server",
                          "install PostgreSQL's contrib modules (Debian: postgresql-15 includes them)"));
  } else if (!ext.installed_version) {
    // The database's name goes into the fix's comment escaped (pg::comment_text): a line break could end it.
    out.push_back(
        problem(name, fmt::format("not created in database {}", pg::quote_identifier_printable(database)),
                fmt::format("CREATE EXTENSION pg_stat_statements; -- in database {}", pg::comment_text(database))));
  } else if (*ext.installed_version != ext.default_version) {
    out.push_back(warning(name, fmt::format("version {} (server has {})", *ext.installed_version, ext.default_version),
                          "ALTER EXTENSION pg_stat_statements UPDATE;"));
  } else {
    out.push_back(ok(name, "version " + *ext.installed_version));
  }

  if (!loaded) return;  // track and max exist only when the library is loaded
  auto track = setting(s, "pg_stat_statements.track").value_or("none");
  if (track == "none") {
    out.push_back(problem("pg_stat_statements.track", "none: no statement is recorded",
                          "ALTER SYSTEM SET pg_stat_statements.track = 'top'; SELECT pg_reload_conf();"));
  } else {
    out.push_back(ok("pg_stat_statements.track", track));
  }
  long max = std::stol(setting(s, "pg_stat_statements.max").value_or("0"));
  if (max < 5000) {
    out.push_back(warning("pg_stat_statements.max", fmt::format("{}: rarer statements get evicted", max),
                          "ALTER SYSTEM SET pg_stat_statements.max = 10000; then restart the server"));
  } else {
    out.push_back(ok("pg_stat_statements.max", std::to_string(max)));
  }
}

Check hypopg_check(const Extension& ext, const std::string& database) {
  std::string name = "hypopg.extension";
  if (!ext.available) {
    return problem(name, "not installed on the server",
                   "install HypoPG (Debian: apt-get install postgresql-15-hypopg, for your server's major version)");
  }
  if (!ext.installed_version) {
    return problem(name, fmt::format("not created in database {}", pg::quote_identifier_printable(database)),
                   fmt::format("CREATE EXTENSION hypopg; -- in database {}", pg::comment_text(database)));
  }
  return ok(name, "version " + *ext.installed_version);
}

void logging_checks(const Settings& s, std::vector<Check>& out) {
  if (auto v = setting(s, "log_min_duration_statement"); !v) {
    out.push_back(hidden_setting("log_min_duration_statement"));
  } else if (*v == "-1") {
    out.push_back(warning("log_min_duration_statement", "-1: no slow-query log",
                          "ALTER SYSTEM SET log_min_duration_statement = '250ms'; SELECT pg_reload_conf();"));
  } else {
    out.push_back(ok("log_min_duration_statement", *v + " ms"));
  }

  if (auto v = setting(s, "log_line_prefix"); !v) {
    out.push_back(hidden_setting("log_line_prefix"));
  } else {
    auto has = [&](std::initializer_list<const char*> escapes) {
      return std::any_of(escapes.begin(), escapes.end(),
                         [&](const char* e) { return v->find(e) != std::string::npos; });
    };
    std::vector<std::string> missing;
    if (!has({"%t", "%m", "%n"})) missing.emplace_back("a time (%m)");
    if (!has({"%p", "%c"})) missing.emplace_back("a process id (%p), to match DETAIL lines to their statement");
    if (!has({"%u"})) missing.emplace_back("the user (%u)");
    if (!has({"%d"})) missing.emplace_back("the database (%d)");
    std::string finding = "'" + *v + "'";
    if (missing.empty()) {
      out.push_back(ok("log_line_prefix", finding));
    } else {
      std::string what;
      for (const auto& m : missing) what += (what.empty() ? "" : ", ") + m;
      out.push_back(warning(
          "log_line_prefix", finding + " lacks " + what,
          fmt::format("ALTER SYSTEM SET log_line_prefix = '{}'; SELECT pg_reload_conf();", kRecommendedPrefix)));
    }
  }

  if (auto v = setting(s, "log_destination"); !v) {
    out.push_back(hidden_setting("log_destination"));
  } else if (list_contains(*v, "stderr") || list_contains(*v, "csvlog") || list_contains(*v, "jsonlog")) {
    out.push_back(ok("log_destination", *v));
  } else {
    out.push_back(warning("log_destination", *v + ": pgadvisor reads stderr, csvlog and jsonlog files",
                          "ALTER SYSTEM SET log_destination = 'stderr'; SELECT pg_reload_conf();"));
  }

  if (auto v = setting(s, "logging_collector"); !v) {
    out.push_back(hidden_setting("logging_collector"));
  } else if (*v != "on") {
    out.push_back(warning("logging_collector", "off: the log goes wherever the server's stderr goes",
                          "ALTER SYSTEM SET logging_collector = on; then restart the server"));
  } else {
    out.push_back(ok("logging_collector", "on"));
  }

  if (auto v = setting(s, "lc_messages"); !v) {
    out.push_back(hidden_setting("lc_messages"));
  } else if (v->empty() || *v == "C" || *v == "POSIX" || v->rfind("en_", 0) == 0 || v->rfind("C.", 0) == 0) {
    out.push_back(ok("lc_messages", v->empty() ? "(server default)" : *v));
  } else {
    out.push_back(warning("lc_messages", *v + ": log lines are translated and cannot be parsed",
                          "ALTER SYSTEM SET lc_messages = 'C'; SELECT pg_reload_conf();"));
  }
}

Check privileges_check(pg::Connection& conn, const std::string& role) {
  auto r = conn.query(sql::text("doctor/role_privileges"));
  bool superuser = r.rows() > 0 && r.get<bool>(0, "superuser");
  bool read_all = r.rows() > 0 && r.get<bool>(0, "read_all_stats");
  std::string name = "role.read_all_stats";
  if (superuser) return ok(name, role + " is a superuser");
  if (read_all) return ok(name, role + " is a member of pg_read_all_stats");
  return warning(name, role + " cannot read other roles' query texts (shown as <insufficient privilege>)",
                 fmt::format("GRANT pg_read_all_stats TO {};", pg::quote_identifier(role)));
}

}  // namespace

std::string_view to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::Ok:
      return "ok";
    case CheckStatus::Warning:
      return "warning";
    case CheckStatus::Problem:
      return "problem";
  }
  return "?";
}

int DoctorReport::count(CheckStatus status) const {
  return static_cast<int>(
      std::count_if(checks.begin(), checks.end(), [&](const Check& c) { return c.status == status; }));
}

DoctorReport run_doctor(pg::Connection& conn) {
  DoctorReport report;
  report.server = conn.describe();
  auto server = conn.query(sql::text("doctor/server"));
  auto database = server.get<std::string>(0, "database");
  auto role = server.get<std::string>(0, "role");
  report.checks.push_back(ok("connection", fmt::format("connected to database {} as {}", database, role)));
  report.checks.push_back(
      server_version_check(server.get<int32_t>(0, "version_num"), server.get<std::string>(0, "version")));

  auto settings = read_settings(conn);
  auto extensions = read_extensions(conn);
  pg_stat_statements_checks(settings, extensions["pg_stat_statements"], database, report.checks);
  report.checks.push_back(hypopg_check(extensions["hypopg"], database));
  logging_checks(settings, report.checks);
  report.checks.push_back(privileges_check(conn, role));
  return report;
}

}  // namespace pgadvisor::collector
