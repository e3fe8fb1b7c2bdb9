// Secret redaction in SQL texts: role, user mapping and server passwords, COPY ... PROGRAM commands and
// connection strings in literals are replaced in any quoting and case; the redacted text still parses;
// ordinary statements pass unchanged.
#include "analyzer/secret_redaction.hpp"

#include <catch2/catch.hpp>

#include "analyzer/statement.hpp"

using pgadvisor::analyzer::may_hold_secrets;
using pgadvisor::analyzer::redact_parameter_values;
using pgadvisor::analyzer::redact_secrets;

namespace {

struct Case {
  std::string sql;
  std::string redacted;
};

}  // namespace

TEST_CASE("secrets in statements are replaced by a fixed literal", "[analyzer][redaction]") {
  const std::vector<Case> cases = {
      // role passwords, in any case and quoting
      {"ALTER ROLE alice PASSWORD 'Secr3t'", "ALTER ROLE alice PASSWORD '***'"},
      {"alter user alice with encrypted password 'Secr3t' valid until '2030-01-01'",
       "alter user alice with encrypted password '***' valid until '2030-01-01'"},
      {"CREATE ROLE bob LOGIN PASSWORD E'Se\\'cr3t'", "CREATE ROLE bob LOGIN PASSWORD '***'"},
      {"CREATE USER bob PASSWORD $$Secr3t$$", "CREATE USER bob PASSWORD '***'"},
      {"CREATE USER bob PASSWORD $pw$Sec'r3t$pw$ CREATEDB", "CREATE USER bob PASSWORD '***' CREATEDB"},
      {"ALTER ROLE bob PASSWORD 'it''s Secr3t'", "ALTER ROLE bob PASSWORD '***'"},
      {"ALTER ROLE bob PASSWORD /* comment */ 'Secr3t'", "ALTER ROLE bob PASSWORD /* comment */ '***'"},
      {"ALTER ROLE bob PASSWORD 'Secr'\n'3t'", "ALTER ROLE bob PASSWORD '***'"},  // a continued string
      {"ALTER ROLE bob PASSWORD U&'Secr\\00333t'", "ALTER ROLE bob PASSWORD '***'"},
      {"ALTER ROLE bob PASSWORD U&'Secr!00333t' UESCAPE '!'", "ALTER ROLE bob PASSWORD '***'"},
      {"ALTER ROLE bob PASSWORD N'Secr3t'", "ALTER ROLE bob PASSWORD '***'"},
      {"ALTER ROLE bob PASSWORD 'Secr3t", "ALTER ROLE bob PASSWORD '***'"},  // unterminated: still hidden
      {"ALTER ROLE bob PASSWORD NULL", "ALTER ROLE bob PASSWORD NULL"},
      {"CREATE ROLE \"PASSWORD\" LOGIN", "CREATE ROLE \"PASSWORD\" LOGIN"},
      // user mappings and servers
      {"CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password 'Secr3t')",
       "CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password '***')"},
      {"ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET password 'Secr3t', ADD \"password\" 'Secr3t')",
       "ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET password '***', ADD \"password\" '***')"},
      {"create server s foreign data wrapper postgres_fdw options (host 'h', sslpassword 'Secr3t')",
       "create server s foreign data wrapper postgres_fdw options (host 'h', sslpassword '***')"},
      // COPY ... PROGRAM
      {"COPY t FROM PROGRAM 'curl -u bob:Secr3t https://h/x'", "COPY t FROM PROGRAM '***'"},
      {"copy (select 1) to program E'gzip > /tmp/Secr3t.gz'", "copy (select 1) to program '***'"},
      // connection strings in literals
      {"SELECT dblink_connect('c', 'host=h user=bob password=Secr3t dbname=d')",
       "SELECT dblink_connect('c', 'host=h user=bob password=*** dbname=d')"},
      {"SELECT * FROM dblink('host=h password = ''Secr 3t'' dbname=d', 'select 1') AS t(x int)",
       "SELECT * FROM dblink('host=h password = *** dbname=d', 'select 1') AS t(x int)"},
      {"SELECT dblink_connect('postgresql://bob:Secr3t@h/d')", "SELECT dblink_connect('postgresql://bob:***@h/d')"},
      {"SELECT dblink_connect('postgresql://bob:Se@cr3t@h/d?password=Secr3t')",
       "SELECT dblink_connect('postgresql://bob:***@h/d?password=***')"},
      {"CREATE SUBSCRIPTION s CONNECTION 'host=h PASSWORD=Secr3t' PUBLICATION p",
       "CREATE SUBSCRIPTION s CONNECTION 'host=h PASSWORD=***' PUBLICATION p"},
      {"select dblink_exec($c$host=h password=Secr3t$c$, 'select 1')",
       "select dblink_exec($c$host=h password=***$c$, 'select 1')"},
      // comparisons and assignments of password columns
      {"UPDATE users SET password = 'Secr3t' WHERE id = 1", "UPDATE users SET password = '***' WHERE id = 1"},
      // several statements
      {"SELECT 1; ALTER ROLE a PASSWORD 'Secr3t'; SELECT 'password'",
       "SELECT 1; ALTER ROLE a PASSWORD '***'; SELECT 'password'"},
      // nothing to hide
      {"SELECT * FROM orders WHERE id = 1", "SELECT * FROM orders WHERE id = 1"},
      {"SELECT programme, passwords FROM t", "SELECT programme, passwords FROM t"},
  };
  for (const auto& c : cases) {
    INFO(c.sql);
    CHECK(redact_secrets(c.sql) == c.redacted);
    CHECK(redact_secrets(c.sql).find("Secr") == std::string::npos);
  }
}

TEST_CASE("a redacted statement still parses, and all its passwords share one fingerprint", "[analyzer][redaction]") {
  using pgadvisor::analyzer::describe_statement;
  for (std::string sql : {"ALTER ROLE bob PASSWORD $$Secr3t$$",
                          "CREATE USER MAPPING FOR bob SERVER s OPTIONS "
                          "(password E'a\\'b')",
                          "COPY t TO PROGRAM 'gzip'", "SELECT dblink_connect('password=''a b''')"}) {
    INFO(sql);
    CHECK_FALSE(describe_statement(redact_secrets(sql)).error.has_value());
  }
  CHECK(describe_statement(redact_secrets("ALTER ROLE bob PASSWORD 'one'")).fingerprint ==
        describe_statement(redact_secrets("alter role bob password $$two$$")).fingerprint);
}

TEST_CASE("the quick check lets ordinary statements through and catches every secret", "[analyzer][redaction]") {
  CHECK_FALSE(may_hold_secrets("SELECT * FROM orders WHERE customer_id = 42 ORDER BY created_at DESC LIMIT 10"));
  CHECK_FALSE(may_hold_secrets(""));
  CHECK_FALSE(may_hold_secrets("passwor"));
  CHECK(may_hold_secrets("PassWord"));
  CHECK(may_hold_secrets("xxxxxxxxxxxxxpAsSwOrD"));
  CHECK(may_hold_secrets("copy t from PROGRAM 'x'"));
  CHECK(may_hold_secrets("select 'postgres://a:b@c'"));
  // every position of the keyword, against the shifts of the skipping scan
  for (size_t pad = 0; pad < 48; ++pad) {  // every offset in and across the 16-byte blocks
    CHECK(may_hold_secrets(std::string(pad, 'w') + "passWord" + std::string(pad % 3, 'r')));
    CHECK(may_hold_secrets(std::string(pad, 'a') + "PROGRAM"));
    CHECK(may_hold_secrets(std::string(pad, 'o') + "progrpassword"));
    CHECK(may_hold_secrets(std::string(pad, 'x') + "s://" + std::string(pad % 5, 'y')));
    CHECK_FALSE(may_hold_secrets(std::string(pad, 's') + "passwor" + std::string(pad % 7, 'w') + "progra"));
  }
}

TEST_CASE("bind parameters of a statement with a secret parameter are all hidden", "[analyzer][redaction]") {
  std::string out;
  CHECK(pgadvisor::analyzer::redact_secrets("UPDATE users SET password = $1 WHERE id = $2", out).secret_parameters);
  CHECK_FALSE(pgadvisor::analyzer::redact_secrets("SELECT $1::text AS password_hint", out).secret_parameters);
  CHECK(redact_parameter_values("$1 = 'Secr3t', $2 = '42', $3 = NULL") == "$1 = '***', $2 = '***', $3 = NULL");
  CHECK(redact_parameter_values("$1 = 'it''s', $2 = 'x'") == "$1 = '***', $2 = '***'");
}
