// Helpers shared by the tests: paths of the source tree, the built executable and the test sandbox.
#pragma once
#include <string>
namespace pgadvisor::test {
std::string source_path(const std::string& relative);  //!< a path under the source tree
}
