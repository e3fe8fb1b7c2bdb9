// Errors from PostgreSQL and libpq as typed exceptions: the server's SQLSTATE, primary message,
// detail and hint travel together so that callers can react to a class of error and users see the fix.
#pragma once

#include <stdexcept>
#include <string>

namespace pgadvisor::pg {

//! An error reported by the server or by libpq while running a statement.
class Error : public std::runtime_error {
 public:
  Error(std::string primary, std::string sqlstate = {}, std::string detail = {}, std::string hint = {});

  const std::string& sqlstate() const { return sqlstate_; }  //!< five characters, empty when libpq gave none
  const std::string& primary() const { return primary_; }    //!< the short primary message
  const std::string& detail() const { return detail_; }      //!< optional DETAIL
  const std::string& hint() const { return hint_; }          //!< optional HINT

 private:
  std::string sqlstate_;
  std::string primary_;
  std::string detail_;
  std::string hint_;
};

//! The connection could not be made, or the DSN is not valid. `server()` is the redacted DSN.
class ConnectionError : public Error {
 public:
  ConnectionError(std::string server, std::string reason);
  const std::string& server() const { return server_; }

 private:
  std::string server_;
};

}  // namespace pgadvisor::pg
