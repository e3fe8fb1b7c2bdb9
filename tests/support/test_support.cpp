#include "test_support.hpp"
namespace pgadvisor::test {
std::string source_path(const std::string& relative) { return std::string(PGADVISOR_SOURCE_DIR) + "/" + relative; }
}
