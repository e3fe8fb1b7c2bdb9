// UTF-8 well-formedness and the one replacement policy of the outputs: each stray byte becomes U+FFFD.
#include "analyzer/utf8.hpp"

#include <catch2/catch.hpp>

using pgadvisor::analyzer::is_valid_utf8;
using pgadvisor::analyzer::utf8_prefix;
using pgadvisor::analyzer::utf8_sanitize;

TEST_CASE("well-formed UTF-8 is told from Latin-1 bytes, overlong forms, surrogates and cut sequences",
          "[analyzer][utf8]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII, long enough for the eight-byte loop"));
  CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
  CHECK_FALSE(is_valid_utf8("caf\xE9"));                              // Latin-1 é
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));                             // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));                         // a surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));                     // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));                             // cut at the end
  CHECK_FALSE(is_valid_utf8("\x80"));
}

TEST_CASE("utf8_sanitize replaces each stray byte with U+FFFD and keeps valid text as it is", "[analyzer][utf8]") {
  CHECK(utf8_sanitize("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(utf8_sanitize("caf\xE9") == "caf\xEF\xBF\xBD");
  CHECK(utf8_sanitize("\xE9t\xE9 2026, a longer text \xFF") ==
        "\xEF\xBF\xBDt\xEF\xBF\xBD 2026, a longer text \xEF\xBF\xBD");
  CHECK(utf8_sanitize("\xE2\x82x") == "\xEF\xBF\xBD\xEF\xBF\xBDx");
  CHECK(is_valid_utf8(utf8_sanitize("\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80")));
}

TEST_CASE("utf8_prefix never ends inside a multi-byte sequence", "[analyzer][utf8]") {
  const std::string text = "ab\xE2\x82\xAC";  // "ab€"
  CHECK(utf8_prefix(text, 10) == text);
  CHECK(utf8_prefix(text, 5) == text);
  CHECK(utf8_prefix(text, 4) == "ab");
  CHECK(utf8_prefix(text, 3) == "ab");
  CHECK(utf8_prefix(text, 2) == "ab");
  CHECK(utf8_prefix("caf\xE9xyz", 4) == "caf\xE9");  // a stray byte is not a sequence to keep whole
}
