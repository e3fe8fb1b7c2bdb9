// IndexCandidate on its own: identity, equality, SQL rendering (key order, directions, NULLS order, INCLUDE,
// partial predicate, method, quoting), derived and assigned names, and is_prefix_of.
#include "advisor/index_candidate.hpp"

#include <set>

#include <catch2/catch.hpp>

using namespace pgadvisor::advisor;
using pgadvisor::analyzer::TableName;

namespace {

IndexKey column_key(const std::string& column, bool descending = false,
                    std::optional<bool> nulls_first = std::nullopt) {
  return IndexKey{column, "", descending, nulls_first};
}

IndexCandidate index_on(const std::string& table, std::vector<std::string> columns) {
  IndexCandidate c;
  c.table = TableName{"public", table, false};
  for (const auto& column : columns) c.keys.push_back(column_key(column));
  return c;
}

bool is_plain_name(const std::string& name) {
  for (char ch : name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    if (!ok) return false;
  }
  return !name.empty();
}

}  // namespace

TEST_CASE("index candidates render as PostgreSQL DDL with safe names", "[advisor][candidate]") {
  IndexCandidate c;
  c.table = TableName{"Sales", "order", false};
  c.keys = {IndexKey{"Customer Id", "", false, std::nullopt}, IndexKey{"", "lower(email)", true, false}};
  c.include = {"total"};
  c.predicate = "deleted_at IS NULL";
  CHECK(c.definition_body() ==
        "ON \"Sales\".\"order\" USING btree (\"Customer Id\", (lower(email)) DESC NULLS LAST) INCLUDE (total) "
        "WHERE deleted_at IS NULL");
  auto name = c.name();
  CHECK(name.size() <= 63);
  CHECK_THAT(name, Catch::StartsWith("order_customer_id_lower_email_desc_incl_part_"));
  CHECK_THAT(name, Catch::EndsWith("_idx"));

  auto plain = index_on("orders", {"customer_id"});
  CHECK(plain.name() == "orders_customer_id_idx");
  CHECK(plain.definition_body() == "ON public.orders USING btree (customer_id)");

  IndexCandidate long_one = plain;
  long_one.keys = {column_key(std::string(80, 'x'))};
  CHECK(long_one.name().size() == 63);
  CHECK(long_one.name() != plain.name());

  // Different orders are different indexes, with different names.
  IndexCandidate descending = plain;
  descending.keys[0].descending = true;
  CHECK(descending.name() == "orders_customer_id_desc_idx");
  IndexCandidate nulls_first = plain;
  nulls_first.keys[0].nulls_first = true;
  CHECK(nulls_first.name() != plain.name());
  CHECK_THAT(nulls_first.name(), Catch::StartsWith("orders_customer_id_"));
}

TEST_CASE("keys render in their order, with only the NULLS order that differs from the default",
          "[advisor][candidate]") {
  auto ab = index_on("orders", {"a", "b"});
  auto ba = index_on("orders", {"b", "a"});
  CHECK(ab.definition_body() == "ON public.orders USING btree (a, b)");
  CHECK(ba.definition_body() == "ON public.orders USING btree (b, a)");
  CHECK(ab.name() == "orders_a_b_idx");
  CHECK(ba.name() == "orders_b_a_idx");

  auto ordered = index_on("orders", {});
  ordered.keys = {column_key("a", false, false), column_key("b", true, true), column_key("c", false, true),
                  column_key("d", true, false)};
  // ASC defaults to NULLS LAST and DESC to NULLS FIRST: only c and d say theirs.
  CHECK(ordered.definition_body() == "ON public.orders USING btree (a, b DESC, c NULLS FIRST, d DESC NULLS LAST)");

  // A function call and any other expression are both parenthesized; the expression is written as given.
  auto expressions = index_on("users", {});
  expressions.keys = {IndexKey{"", "lower(email)", false, std::nullopt}, IndexKey{"", "(a + b)", false, std::nullopt}};
  CHECK(expressions.definition_body() == "ON public.users USING btree ((lower(email)), ((a + b)))");
  CHECK(expressions.name() == "users_lower_email_a_b_idx");
}

TEST_CASE("INCLUDE columns, a partial predicate and the method are part of the definition", "[advisor][candidate]") {
  auto covering = index_on("orders", {"customer_id"});
  covering.include = {"total", "Created At"};
  CHECK(covering.definition_body() == "ON public.orders USING btree (customer_id) INCLUDE (total, \"Created At\")");
  CHECK_THAT(covering.name(), Catch::StartsWith("orders_customer_id_incl_"));
  CHECK_THAT(covering.name(), Catch::EndsWith("_idx"));

  auto partial = index_on("jobs", {"run_at"});
  partial.predicate = "status = 'queued'";
  CHECK(partial.definition_body() == "ON public.jobs USING btree (run_at) WHERE status = 'queued'");
  CHECK_THAT(partial.name(), Catch::StartsWith("jobs_run_at_part_"));

  auto both = partial;
  both.include = {"payload"};
  CHECK(both.definition_body() == "ON public.jobs USING btree (run_at) INCLUDE (payload) WHERE status = 'queued'");

  auto hash = index_on("users", {"email"});
  hash.method = "hash";
  CHECK(hash.definition_body() == "ON public.users USING hash (email)");

  // Two partial indexes on the same keys, or two covering ones, share the readable part; the hash tells them apart.
  auto other_partial = partial;
  other_partial.predicate = "status = 'failed'";
  CHECK(other_partial.name() != partial.name());
  auto other_covering = covering;
  other_covering.include = {"total"};
  CHECK(other_covering.name() != covering.name());

  // An unqualified table is written unqualified.
  auto unqualified = index_on("orders", {"a"});
  unqualified.table.schema.clear();
  CHECK(unqualified.definition_body() == "ON orders USING btree (a)");
}

TEST_CASE("hostile names are quoted in the definition and reduced to ASCII in the derived name",
          "[advisor][candidate]") {
  // A line break in a name is written as a U&"" escape: the definition stays on one line.
  IndexCandidate c;
  c.table = TableName{"we\"ird", "Tab;le\n--", false};
  c.keys = {column_key("Co\"l"), column_key("naïve")};
  c.include = {"x) WHERE false; --"};
  CHECK(c.definition_body() ==
        "ON \"we\"\"ird\".U&\"Tab;le\\000A--\" USING btree (\"Co\"\"l\", \"naïve\") INCLUDE (\"x) WHERE false; --\")");
  auto name = c.name();
  CHECK(is_plain_name(name));
  CHECK_THAT(name, Catch::StartsWith("tab_le_co_l_na_ve_incl_"));
  CHECK(name.size() <= 63);
}

TEST_CASE("derived names are deterministic and stay within 63 bytes, and an assigned name wins",
          "[advisor][candidate]") {
  auto a = index_on(std::string(70, 't'), {std::string(70, 'c')});
  auto b = a;
  CHECK(a.name() == b.name());
  CHECK(a.name().size() == 63);
  CHECK(is_plain_name(a.name()));
  b.keys[0].column = std::string(69, 'c') + "d";  // same readable prefix, another identity
  CHECK(b.name().size() == 63);
  CHECK(a.name() != b.name());

  auto assigned = index_on("orders", {"customer_id"});
  assigned.assigned_name = "orders_customer_id_2_idx";
  CHECK(assigned.name() == "orders_customer_id_2_idx");
  // The assigned name is not part of what the index is.
  CHECK(assigned == index_on("orders", {"customer_id"}));
  CHECK(assigned.identity() == index_on("orders", {"customer_id"}).identity());
}

TEST_CASE("equal candidates have equal identities, different ones differ", "[advisor][candidate]") {
  auto base = index_on("orders", {"a", "b"});
  CHECK(base == index_on("orders", {"a", "b"}));
  CHECK(base.identity() == index_on("orders", {"a", "b"}).identity());

  std::vector<IndexCandidate> variants;
  variants.push_back(base);
  variants.push_back(index_on("orders", {"b", "a"}));  // key order
  variants.push_back(index_on("orders", {"a"}));
  variants.push_back(index_on("items", {"a", "b"}));
  auto other_schema = base;
  other_schema.table.schema = "archive";
  variants.push_back(other_schema);
  auto desc = base;
  desc.keys[1].descending = true;
  variants.push_back(desc);
  auto nulls = base;
  nulls.keys[1].nulls_first = true;
  variants.push_back(nulls);
  auto expression = base;
  expression.keys[1] = IndexKey{"", "lower(b)", false, std::nullopt};
  variants.push_back(expression);
  auto covering = base;
  covering.include = {"c"};
  variants.push_back(covering);
  auto covering_two = base;
  covering_two.include = {"c", "d"};
  variants.push_back(covering_two);
  auto partial = base;
  partial.predicate = "c > 0";
  variants.push_back(partial);
  auto hash = base;
  hash.method = "hash";
  variants.push_back(hash);
  // Names whose plain concatenation would coincide: punctuation inside identifiers must not blur the parts.
  auto comma_include = base;
  comma_include.include = {"c,d"};
  variants.push_back(comma_include);
  auto dotted_schema = index_on("b.c", {"a"});
  dotted_schema.table.schema = "a";
  variants.push_back(dotted_schema);
  auto dotted_table = index_on("c", {"a"});
  dotted_table.table.schema = "a.b";
  variants.push_back(dotted_table);

  std::set<std::string> identities;
  for (size_t i = 0; i < variants.size(); ++i) {
    identities.insert(variants[i].identity());
    for (size_t j = 0; j < variants.size(); ++j) {
      INFO(variants[i].definition_body() << " vs " << variants[j].definition_body());
      CHECK((variants[i] == variants[j]) == (i == j));
    }
  }
  CHECK(identities.size() == variants.size());
}

TEST_CASE("a shorter index on the same leading keys is a prefix of a longer one", "[advisor][candidate]") {
  auto one = index_on("orders", {"customer_id"});
  auto two = one;
  two.keys.push_back(column_key("status"));
  CHECK(one.is_prefix_of(two));
  CHECK(one.is_prefix_of(one));  // an index serves what it serves
  CHECK_FALSE(two.is_prefix_of(one));
  auto partial = two;
  partial.predicate = "status = 'pending'";
  CHECK_FALSE(one.is_prefix_of(partial));
  CHECK_FALSE(index_on("customers", {"customer_id"}).is_prefix_of(two));

  auto hash = one;
  hash.method = "hash";
  CHECK_FALSE(hash.is_prefix_of(two));
  auto descending = one;
  descending.keys[0].descending = true;
  CHECK_FALSE(descending.is_prefix_of(two));                      // a different order is a different key
  CHECK_FALSE(index_on("orders", {"status"}).is_prefix_of(two));  // a key, but not the leading one
}
