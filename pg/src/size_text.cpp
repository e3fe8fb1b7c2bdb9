// Sizes for people (pg/size_text.hpp).
#include "pg/size_text.hpp"

#include <array>

#include <fmt/format.h>

namespace pgadvisor::pg {

std::string size_text(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes < 0 ? 0 : bytes);
  static constexpr std::array<const char*, 4> kUnits{"kB", "MB", "GB", "TB"};
  auto value = static_cast<double>(bytes) / 1024.0;
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits.at(unit));
}

}  // namespace pgadvisor::pg
