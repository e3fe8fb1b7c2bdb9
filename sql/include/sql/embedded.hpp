// The SQL texts of sql/, embedded into the binary at build time and looked up by name.
// A name is the file's path under sql/ without ".sql": "doctor/settings" is sql/doctor/settings.sql.
#pragma once

#include <string_view>
#include <vector>

namespace pgadvisor::sql {

struct EmbeddedText {
  std::string_view name;  //!< path under sql/ without the extension
  std::string_view text;  //!< the file's bytes, exactly
};

//! The text of the named SQL file; throws std::out_of_range naming it when there is none (a programming error).
std::string_view text(std::string_view name);

//! Every embedded text, sorted by name.
const std::vector<EmbeddedText>& all();

namespace detail {
const std::vector<EmbeddedText>& all_texts();  // generated
}

}  // namespace pgadvisor::sql
