// Stable hashes of the gate: 64-bit FNV-1a (the same on every platform and in every version, since baselines keep
// them), written as 16 hex digits. Plan fingerprints, the statement's hash and the result checksum use it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pgadvisor::gate {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;

//! FNV-1a 64 of `bytes`, continuing from `hash`.
constexpr uint64_t fnv1a64(std::string_view bytes, uint64_t hash = kFnvOffset) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

//! 16 lower-case hex digits.
std::string hex16(uint64_t value);

}  // namespace pgadvisor::gate
