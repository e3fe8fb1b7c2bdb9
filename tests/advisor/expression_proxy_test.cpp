// The expression-index proxy: which keys qualify, the token-level rewrite, and the proxy configuration.
#include "advisor/expression_proxy.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor::advisor;

TEST_CASE("only a one-argument function of a plain column qualifies", "[advisor][expression_proxy]") {
  CHECK(single_column_function("lower(email)") == std::pair<std::string, std::string>{"lower", "email"});
  CHECK(single_column_function("UPPER(Code)") == std::pair<std::string, std::string>{"upper", "code"});
  CHECK_FALSE(single_column_function("date_trunc('day', created_at)"));
  CHECK_FALSE(single_column_function("lower((email)::text)"));
  CHECK_FALSE(single_column_function("(a + b)"));
  CHECK_FALSE(single_column_function("email"));
}

TEST_CASE("calls are replaced by their column, whatever the spelling, and literals are left alone",
          "[advisor][expression_proxy]") {
  CHECK(replace_function_call("SELECT * FROM users WHERE lower(email) = $1", "lower", "email") ==
        "SELECT * FROM users WHERE email = $1");
  CHECK(replace_function_call("SELECT * FROM users u WHERE LOWER( u.Email /* c */ ) = 'lower(email)'", "lower",
                              "email") == "SELECT * FROM users u WHERE u.Email = 'lower(email)'");
  CHECK(replace_function_call("SELECT lower(email) FROM users WHERE lower(email) LIKE 'a%'", "lower", "email") ==
        "SELECT email FROM users WHERE email LIKE 'a%'");
  CHECK_FALSE(replace_function_call("SELECT 'lower(email)' FROM users", "lower", "email"));
  CHECK_FALSE(replace_function_call("SELECT lower(name) FROM users", "lower", "email"));
  CHECK_FALSE(replace_function_call("SELECT lower(email || 'x') FROM users", "lower", "email"));
}

TEST_CASE("the proxy keys the index on the column and rewrites every execution", "[advisor][expression_proxy]") {
  IndexCandidate expression_index;
  expression_index.table = {"public", "users", false};
  expression_index.keys = {IndexKey{"", "lower(email)", false, std::nullopt}};
  IndexCandidate other;
  other.table = {"public", "users", false};
  other.keys = {IndexKey{"created_at", "", false, std::nullopt}};
  WorkloadQuery q;
  q.fingerprint = "f";
  q.text = "SELECT id FROM users WHERE lower(email) = $1";
  q.parameters = 1;
  q.executions = {{q.text, {std::string("a@x")}}};
  std::vector<IndexCandidate> configuration{expression_index, other};
  auto proxy = expression_proxy(q, configuration);
  REQUIRE(proxy);
  CHECK(proxy->query.text == "SELECT id FROM users WHERE email = $1");
  CHECK(proxy->query.executions[0].text == "SELECT id FROM users WHERE email = $1");
  CHECK(proxy->query.executions[0].parameters == q.executions[0].parameters);
  REQUIRE(proxy->configuration.size() == 2);
  CHECK(proxy->configuration[0].keys[0].column == "email");
  CHECK(proxy->configuration[0].keys[0].expression.empty());
  CHECK(proxy->configuration[1] == other);
  REQUIRE(proxy->renames.size() == 1);
  CHECK(proxy->renames[0].second == expression_index.name());

  // lower(email) INCLUDE (id, email): the proxy's key email leaves INCLUDE.
  IndexCandidate covering = expression_index;
  covering.include = {"id", "email"};
  std::vector<IndexCandidate> with_include{covering};
  auto covered = expression_proxy(q, with_include);
  REQUIRE(covered);
  CHECK(covered->configuration[0].include == std::vector<std::string>{"id"});

  WorkloadQuery unrelated = q;
  unrelated.text = "SELECT id FROM users WHERE created_at > now()";
  CHECK_FALSE(expression_proxy(unrelated, configuration));
}
