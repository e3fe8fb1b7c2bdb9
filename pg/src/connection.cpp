// Connection: PQconnectdbParams with the user's DSN expanded in place, then the session's settings;
// every statement goes through PQexecParams.
#include "pg/connection.hpp"

#include <array>
#include <exception>
#include <string>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "pg/dsn.hpp"
#include "sql/embedded.hpp"

namespace pgadvisor::pg {
namespace {

std::string trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string field(const PGresult* r, int code) { return trimmed(PQresultErrorField(r, code)); }

[[noreturn]] void throw_result_error(PGconn* conn, const PGresult* raw) {
  if (raw == nullptr) throw Error(trimmed(PQerrorMessage(conn)), "08006");
  std::string primary = field(raw, PG_DIAG_MESSAGE_PRIMARY);
  if (primary.empty()) primary = trimmed(PQresultErrorMessage(raw));
  throw Error(primary, field(raw, PG_DIAG_SQLSTATE), field(raw, PG_DIAG_MESSAGE_DETAIL),
              field(raw, PG_DIAG_MESSAGE_HINT));
}

// Starts a COPY with PQexecParams (no parameters) and checks that the server entered `expected`.
void start_copy(PGconn* conn, std::string_view sql, ExecStatusType expected) {
  std::string text(sql);
  PGresult* raw = PQexecParams(conn, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
  Result owned(raw);
  if (raw == nullptr || PQresultStatus(raw) != expected) throw_result_error(conn, raw);
}

// Reads the results left after a COPY; the last one decides. Returns its rows (PQcmdTuples).
int64_t finish_copy(PGconn* conn) {
  int64_t rows = 0;
  std::exception_ptr error;  // the first error, thrown once every result is read
  while (PGresult* r = PQgetResult(conn)) {
    Result owned(r);
    auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK) {
      const char* n = PQcmdTuples(r);
      if (n != nullptr && *n != '\0') rows = std::stoll(n);
    } else if (!error) {
      try {
        throw_result_error(conn, r);
      } catch (const Error&) {
        error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
  return rows;
}

std::string milliseconds_setting(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + "ms"; }

}  // namespace

SessionOptions SessionOptions::source(std::chrono::milliseconds statement_timeout,
                                      std::chrono::milliseconds lock_timeout) {
  SessionOptions o;
  o.read_only = true;
  o.statement_timeout = statement_timeout;
  o.lock_timeout = lock_timeout;
  return o;
}

Param to_param(int64_t v) { return std::to_string(v); }
Param to_param(double v) { return fmt::format("{}", v); }

Connection::Connection(pg_conn* conn, SessionOptions options) : conn_(conn, PQfinish), options_(options) {}
Connection::Connection(Connection&& other) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept = default;
Connection::~Connection() = default;

Connection Connection::open(std::string_view dsn, const SessionOptions& options) {
  std::string redacted = redact_dsn(dsn);
  if (auto error = dsn_error(dsn)) throw ConnectionError(redacted, "invalid connection string: " + *error);

  // Later entries override earlier ones, and the expanded DSN sits in the middle: the DSN may override
  // connect_timeout, but application_name is always ours (docs/ARCHITECTURE.md).
  std::string dsn_text(dsn);
  std::string timeout = std::to_string(options.connect_timeout.count());
  std::array<const char*, 4> keywords = {"connect_timeout", "dbname", "application_name", nullptr};
  std::array<const char*, 4> values = {timeout.c_str(), dsn_text.c_str(), "pgadvisor", nullptr};
  PGconn* raw = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (raw == nullptr) throw ConnectionError(redacted, "out of memory allocating a libpq connection");
  Connection conn(raw, options);
  // libpq's message can echo parts of the DSN (a host, a port): never with a password in them.
  if (PQstatus(raw) != CONNECTION_OK) {
    throw ConnectionError(redacted, scrub_dsn_secrets(trimmed(PQerrorMessage(raw)), dsn));
  }
  // NOTICEs ("extension already exists, skipping") are not for the user's terminal.
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);

  if (options.read_only || options.statement_timeout.count() > 0 || options.lock_timeout.count() > 0) {
    conn.query(sql::text("session/source_settings"), milliseconds_setting(options.statement_timeout),
               milliseconds_setting(options.lock_timeout), options.read_only ? "on" : "off");
  }
  return conn;
}

Result Connection::query(std::string_view sql, const std::vector<Param>& params) {
  std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* raw = PQexecParams(conn_.get(), text.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, /*resultFormat=text*/ 0);
  Result result(raw);  // owns raw from here on, also when we throw below
  if (raw == nullptr) throw_result_error(conn_.get(), raw);
  auto status = PQresultStatus(raw);
  if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE) {
    throw_result_error(conn_.get(), raw);
  }
  return result;
}

int64_t Connection::copy_into(std::string_view copy_out, Connection& target, std::string_view copy_in) {
  PGconn* src = conn_.get();
  PGconn* dst = target.conn_.get();
  start_copy(dst, copy_in, PGRES_COPY_IN);
  try {
    start_copy(src, copy_out, PGRES_COPY_OUT);
  } catch (const Error&) {
    PQputCopyEnd(dst, "the source's COPY failed");
    try {
      finish_copy(dst);
    } catch (const Error&) {  // the source's error is the one to report
    }
    throw;
  }
  bool sent = true;
  for (;;) {
    char* buffer = nullptr;
    int n = PQgetCopyData(src, &buffer, /*async=*/0);
    if (n < 0) break;  // -1 done, -2 error: the source's result says which
    if (sent) sent = PQputCopyData(dst, buffer, n) == 1;
    PQfreemem(buffer);
  }
  std::exception_ptr source_error;
  try {
    finish_copy(src);
  } catch (const Error&) {
    source_error = std::current_exception();
  }
  PQputCopyEnd(dst, source_error ? "the source's COPY failed" : nullptr);
  int64_t rows = 0;
  try {
    rows = finish_copy(dst);
  } catch (const Error&) {
    if (!source_error) throw;
  }
  if (source_error) std::rethrow_exception(source_error);
  if (!sent) throw_result_error(dst, nullptr);
  return rows;
}

int Connection::server_version() const { return PQserverVersion(conn_.get()); }

std::string Connection::describe() const {
  const char* host = PQhost(conn_.get());
  return fmt::format("host={} port={} dbname={} user={}", host != nullptr ? host : "", PQport(conn_.get()),
                     PQdb(conn_.get()), PQuser(conn_.get()));
}

}  // namespace pgadvisor::pg
