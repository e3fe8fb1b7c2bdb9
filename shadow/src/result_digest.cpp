// The order-insensitive digest of a result (result_digest.hpp).
#include "shadow/result_digest.hpp"

#include <string>

namespace pgadvisor::shadow {

ResultDigest digest(const pg::Result& r) {
  ResultDigest d;
  d.rows = r.rows();
  for (int row = 0; row < r.rows(); ++row) {
    uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](unsigned char c) {
      h ^= c;
      h *= 1099511628211ULL;
    };
    for (int col = 0; col < r.columns(); ++col) {
      if (r.is_null(row, col)) {
        mix(0xff);
      } else {
        for (char c : r.get<std::string>(row, col)) mix(static_cast<unsigned char>(c));
      }
      mix(0);
    }
    d.checksum += h;
  }
  return d;
}

}  // namespace pgadvisor::shadow
