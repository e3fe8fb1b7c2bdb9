// pg::Error and pg::ConnectionError.
#include "pg/error.hpp"

#include <utility>

namespace pgadvisor::pg {

Error::Error(std::string primary, std::string sqlstate, std::string detail, std::string hint)
    : std::runtime_error(primary),
      sqlstate_(std::move(sqlstate)),
      primary_(std::move(primary)),
      detail_(std::move(detail)),
      hint_(std::move(hint)) {}

ConnectionError::ConnectionError(std::string server, std::string reason)
    : Error(std::move(reason), "08001"), server_(std::move(server)) {}

}  // namespace pgadvisor::pg
