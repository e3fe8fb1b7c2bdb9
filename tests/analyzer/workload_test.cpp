// Parsing logged parameter lists ($1 = '…', $2 = NULL) into the values of a workload class.
#include "analyzer/workload.hpp"

#include <catch2/catch.hpp>

using pgadvisor::analyzer::parse_logged_parameters;
using Set = pgadvisor::analyzer::ParameterSet;

TEST_CASE("logged parameter lists are parsed by position", "[workload]") {
  CHECK(parse_logged_parameters("$1 = '42'") == Set{std::string("42")});
  CHECK(parse_logged_parameters("$1 = '42', $2 = NULL, $3 = 'it''s, fine'") ==
        Set{std::string("42"), std::nullopt, std::string("it's, fine")});
  CHECK(parse_logged_parameters("$1 = ''") == Set{std::string()});
  CHECK(parse_logged_parameters("$1 = 'multi\nline'") == Set{std::string("multi\nline")});
}

TEST_CASE("what is not a complete parameter list is refused", "[workload]") {
  CHECK_FALSE(parse_logged_parameters(""));
  CHECK_FALSE(parse_logged_parameters("$1 = 'trunc"));            // cut by log_parameter_max_length
  CHECK_FALSE(parse_logged_parameters("$1 = '1', $3 = '3'"));     // a gap
  CHECK_FALSE(parse_logged_parameters("$1 = 42"));                // unquoted
  CHECK_FALSE(parse_logged_parameters("$1 = '1' $2 = '2'"));      // no comma
  CHECK_FALSE(parse_logged_parameters("parameters: $1 = '1'"));   // the caller strips the label
}
