// A libpq connection (RAII) with parameterized queries only: values travel as PQexecParams parameters
// and never become part of the SQL text. A "source session" is read-only and time-limited (docs/ARCHITECTURE.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/error.hpp"
#include "pg/result.hpp"

struct pg_conn;  // libpq's PGconn, kept out of this header

namespace pgadvisor::pg {

//! How a session is set up right after connecting.
struct SessionOptions {
  bool read_only = false;                          //!< default_transaction_read_only = on
  std::chrono::milliseconds statement_timeout{0};  //!< 0: the server's default
  std::chrono::milliseconds lock_timeout{0};       //!< 0: the server's default
  std::chrono::seconds connect_timeout{10};        //!< unless the DSN sets connect_timeout

  //! The session for a user's database: read-only, statements and lock waits bounded.
  static SessionOptions source(std::chrono::milliseconds statement_timeout = std::chrono::seconds(30),
                               std::chrono::milliseconds lock_timeout = std::chrono::seconds(1));
};

//! A parameter value in text form; std::nullopt is SQL NULL.
using Param = std::optional<std::string>;

inline Param to_param(std::nullopt_t /*null*/) { return std::nullopt; }
inline Param to_param(std::string_view s) { return std::string(s); }
inline Param to_param(const std::string& s) { return s; }
inline Param to_param(const char* s) { return std::string(s); }
inline Param to_param(bool b) { return std::string(b ? "true" : "false"); }
Param to_param(int64_t v);
inline Param to_param(int v) { return to_param(static_cast<int64_t>(v)); }
Param to_param(double v);
template <typename T>
Param to_param(const std::optional<T>& v) {
  return v ? to_param(*v) : std::nullopt;
}

class Connection {
 public:
  //! Connects with libpq's rules: `dsn` is a conninfo string or URI, empty means PG* variables; ~/.pgpass
  //! and service files apply. application_name is always "pgadvisor". Throws ConnectionError.
  static Connection open(std::string_view dsn, const SessionOptions& options = {});

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  //! Runs one statement with its parameters ($1, $2, …) bound as text. Throws pg::Error.
  Result query(std::string_view sql, const std::vector<Param>& params);
  template <typename... Args>
  Result query(std::string_view sql, const Args&... args) {
    return query(sql, std::vector<Param>{to_param(args)...});
  }

  //! Streams this session's `copy_out` (a COPY … TO STDOUT) into `target`'s `copy_in` (COPY … FROM STDIN),
  //! chunk by chunk, without holding the data; returns the rows the target stored. Throws pg::Error (the
  //! target's COPY is aborted when the source fails).
  int64_t copy_into(std::string_view copy_out, Connection& target, std::string_view copy_in);

  int server_version() const;    //!< e.g. 150018
  std::string describe() const;  //!< "host=… port=… dbname=… user=…", never a password
  bool in_read_only_session() const { return options_.read_only; }

 private:
  Connection(pg_conn* conn, SessionOptions options);
  std::unique_ptr<pg_conn, void (*)(pg_conn*)> conn_;
  SessionOptions options_;
};

}  // namespace pgadvisor::pg
