// Stable hashes of the gate (hashing.hpp).
#include "gate/hashing.hpp"

#include <fmt/format.h>

namespace pgadvisor::gate {

std::string hex16(uint64_t value) { return fmt::format("{:016x}", value); }

}  // namespace pgadvisor::gate
