// Sizes for people: one formatter for every report and script comment, in PostgreSQL's units (1 kB = 1024 bytes).
#pragma once

#include <cstdint>
#include <string>

namespace pgadvisor::pg {

//! "512 bytes", "93.8 kB", "1.5 MB", "2.0 GB", "3.1 TB" (negative sizes as "0 bytes").
std::string size_text(int64_t bytes);

}  // namespace pgadvisor::pg
