// Tests of the Catalog model (lookups by search path, write rates) and of resolving ambiguous columns of
// QueryFacts against a catalog: statement → facts after resolution, in the canonical text form.
#include "analyzer/catalog.hpp"

#include <array>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

namespace pgadvisor::analyzer {
namespace {

TableInfo table(std::string schema, std::string name, std::vector<std::string> columns) {
  TableInfo info;
  info.schema = std::move(schema);
  info.name = std::move(name);
  for (auto& column : columns) info.columns.push_back(ColumnInfo{std::move(column), "text", false, std::nullopt});
  return info;
}

// A shop: orders and users share `id` and `created_at`; only orders has `status`, only users has `email`.
Catalog shop() {
  Catalog catalog;
  catalog.add_table(table("public", "orders", {"id", "user_id", "status", "total", "created_at"}));
  catalog.add_table(table("public", "users", {"id", "email", "country", "created_at"}));
  catalog.add_table(table("public", "items", {"id", "order_id", "sku"}));
  catalog.add_table(table("archive", "orders", {"id", "moved_at"}));
  return catalog;
}

QueryFacts resolved_facts(std::string_view statement, const Catalog& catalog, size_t expected_attributions) {
  auto outcome = extract_facts(statement);
  REQUIRE(outcome);
  CHECK(resolve_ambiguous_columns(*outcome.facts, catalog) == expected_attributions);
  return std::move(*outcome.facts);
}

struct ResolutionCase {
  std::string_view statement;
  size_t attributions;
  std::string_view expected;  //!< render_facts() after resolution, without the final newline
};

const std::array kResolutionCases = std::to_array<ResolutionCase>({
    {"SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE status = $1 AND email LIKE 'a%'", 2,
     "statement select\nread orders\nread users\nfilter eq orders.status = $1\nfilter prefix users.email LIKE 'a%'\n"
     "join users.id = orders.user_id\nselect orders.id"},
    {"SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE created_at > $1", 0,
     "statement select\nread orders\nread users\nfilter range ?{orders,users}.created_at > $1\n"
     "join users.id = orders.user_id\nselect orders.*\nselect users.*"},
    {"SELECT * FROM orders WHERE EXISTS (SELECT 1 FROM items WHERE order_id = orders.id AND sku = $1)", 2,
     "statement select\nread items\nread orders\nselect orders.*\n#1 filter eq items.sku = $1\n"
     "#1 join items.order_id = orders.id"},
    // Inside the subquery, id is users.id: the innermost block that has a column wins, as in SQL.
    {"SELECT * FROM orders WHERE user_id IN (SELECT id FROM users WHERE country = 'NZ')", 2,
     "statement select\nread orders\nread users\nfilter eq orders.user_id IN (subquery)\nselect orders.*\n"
     "#1 filter eq users.country = 'NZ'\n#1 select users.id"},
    // status is not a column of items, so it is the outer block's: a correlated reference to orders.
    {"SELECT * FROM orders WHERE EXISTS (SELECT 1 FROM items i WHERE i.order_id = orders.id AND status = $1)", 1,
     "statement select\nread items\nread orders\nselect orders.*\n#1 filter eq orders.status = $1\n"
     "#1 join items.order_id = orders.id"},
    {"SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE lower(email) = $1 ORDER BY total DESC", 2,
     "statement select\nread orders\nread users\nfilter eq users.(lower(email)) = $1\njoin users.id = orders.user_id\n"
     "select orders.*\nselect users.*\norder orders.total DESC"},
    {"SELECT * FROM archive.orders a JOIN users u ON u.id = a.id WHERE moved_at < $1", 1,
     "statement select\nread users\nread archive.orders\nfilter range archive.orders.moved_at < $1\n"
     "join users.id = archive.orders.id\nselect archive.orders.*\nselect users.*"},
});

}  // namespace

TEST_CASE("ambiguous columns are attributed to the one candidate table that has them", "[analyzer][facts][catalog]") {
  const Catalog catalog = shop();
  for (const auto& [statement, attributions, expected] : kResolutionCases) {
    INFO(statement);
    CHECK(render_facts(resolved_facts(statement, catalog, attributions)) == std::string(expected) + "\n");
  }
}

TEST_CASE("columns that stay ambiguous say why", "[analyzer][facts][catalog]") {
  const Catalog catalog = shop();
  const auto reason = [&](std::string_view statement) {
    const auto facts = resolved_facts(statement, catalog, 0);
    REQUIRE(!facts.blocks.at(0).predicates.empty());
    return facts.blocks[0].predicates[0].subject.ambiguity;
  };
  CHECK(reason("SELECT * FROM orders o, users u WHERE created_at > $1") == "column created_at exists in orders, users");
  CHECK(reason("SELECT * FROM orders o, users u WHERE nickname = $1") == "no candidate table has a column nickname");
  CHECK(reason("SELECT * FROM orders o, coupons c WHERE code = $1") == "table coupons is not in the catalog");
  CHECK(reason("SELECT * FROM orders, generate_series(1, 3) AS r WHERE code = $1") ==
        "code may belong to (r), whose columns are unknown");
}

TEST_CASE("tables are found by qualified name or through the search path", "[analyzer][catalog]") {
  Catalog catalog({"app", "public"});
  catalog.add_table(table("public", "users", {"id"}));
  catalog.add_table(table("app", "users", {"id", "email"}));
  catalog.add_table(table("public", "events", {"id"}));

  REQUIRE(catalog.find_table(TableName{"", "users", false}) != nullptr);
  CHECK(catalog.find_table(TableName{"", "users", false})->schema == "app");
  CHECK(catalog.find_table(TableName{"public", "users", false})->columns.size() == 1);
  CHECK(catalog.find_table(TableName{"", "events", false})->schema == "public");
  CHECK(catalog.find_table(TableName{"other", "events", false}) == nullptr);
  CHECK(catalog.find_table(TableName{"", "users", true}) == nullptr);  // a CTE named users is not the table

  // Adding a table with the same schema and name replaces it.
  catalog.add_table(table("public", "events", {"id", "kind"}));
  CHECK(catalog.tables().size() == 3);
  CHECK(catalog.find_table(TableName{"", "events", false})->find_column("kind") != nullptr);
  CHECK(catalog.find_table(TableName{"", "events", false})->find_column("nope") == nullptr);
}

TEST_CASE("partitions are found from their partitioned table and back, at any depth", "[analyzer][catalog]") {
  Catalog catalog;
  auto partition = [](std::string schema, std::string name, std::string parent_schema, std::string parent,
                      TableKind kind) {
    TableInfo t = table(std::move(schema), std::move(name), {"id"});
    t.kind = kind;
    if (!parent.empty()) t.partition_of = TableName{std::move(parent_schema), std::move(parent), false};
    return t;
  };
  // Children before their parent, and a partition in another schema: links do not depend on the order of adding.
  catalog.add_table(partition("public", "m_2024_1", "s2", "m_2024", TableKind::Table));
  catalog.add_table(partition("public", "m_2024_0", "s2", "m_2024", TableKind::Table));
  catalog.add_table(partition("s2", "m_2024", "public", "m", TableKind::Partitioned));
  catalog.add_table(partition("public", "m_2025", "public", "m", TableKind::Foreign));
  catalog.add_table(partition("public", "m", "", "", TableKind::Partitioned));
  catalog.add_table(table("public", "other", {"id"}));
  const auto* m = catalog.find_table(TableName{"public", "m", false});
  const auto* m_2024 = catalog.find_table(TableName{"s2", "m_2024", false});
  const auto* leaf = catalog.find_table(TableName{"public", "m_2024_0", false});
  const auto* other = catalog.find_table(TableName{"public", "other", false});
  REQUIRE(m != nullptr);
  REQUIRE(m_2024 != nullptr);
  REQUIRE(leaf != nullptr);
  CHECK(m->partitioned());
  CHECK(catalog.parent(*leaf) == m_2024);
  CHECK(catalog.parent(*m_2024) == m);
  CHECK(catalog.parent(*m) == nullptr);
  auto names = [](const std::vector<const TableInfo*>& tables) {
    std::vector<std::string> out;
    for (const auto* t : tables) out.push_back(t->schema + "." + t->name);
    return out;
  };
  CHECK(names(catalog.partitions(*m)) == std::vector<std::string>{"public.m_2025", "s2.m_2024"});
  CHECK(names(catalog.all_partitions(*m)) ==
        std::vector<std::string>{"public.m_2025", "s2.m_2024", "public.m_2024_0", "public.m_2024_1"});
  CHECK(catalog.partitions(*leaf).empty());
  CHECK(catalog.shares_rows(*leaf, *m));
  CHECK(catalog.shares_rows(*m, *leaf));
  CHECK(catalog.shares_rows(*m, *m));
  CHECK_FALSE(catalog.shares_rows(*leaf, *catalog.find_table(TableName{"public", "m_2024_1", false})));
  CHECK_FALSE(catalog.shares_rows(*leaf, *other));
  CHECK(to_string(TableKind::Foreign) == "foreign table");

  SECTION("a partition added again with another parent moves") {
    catalog.add_table(partition("public", "m_2024_0", "public", "m", TableKind::Table));
    m = catalog.find_table(TableName{"public", "m", false});
    m_2024 = catalog.find_table(TableName{"s2", "m_2024", false});
    CHECK(names(catalog.partitions(*m_2024)) == std::vector<std::string>{"public.m_2024_1"});
    CHECK(names(catalog.partitions(*m)) == std::vector<std::string>{"public.m_2024_0", "public.m_2025", "s2.m_2024"});
  }
  SECTION("a cycle in a hand-made catalog ends") {
    Catalog cyclic;
    cyclic.add_table(partition("public", "a", "public", "b", TableKind::Partitioned));
    cyclic.add_table(partition("public", "b", "public", "a", TableKind::Partitioned));
    const auto* a = cyclic.find_table(TableName{"public", "a", false});
    CHECK(cyclic.all_partitions(*a).size() <= 4);
    CHECK(cyclic.shares_rows(*a, *cyclic.find_table(TableName{"public", "b", false})));
  }
}

TEST_CASE("write rates come from two activity snapshots", "[analyzer][catalog]") {
  TableActivity earlier;
  earlier.inserts = 1000;
  earlier.updates = 500;
  earlier.deletes = 10;
  earlier.hot_updates = 100;
  TableActivity later = earlier;
  later.inserts = 1600;
  later.updates = 800;
  later.deletes = 10;
  later.hot_updates = 250;
  CHECK(write_rates_between(earlier, later, 60.0) == WriteRates{10.0, 5.0, 0.0, 2.5});

  // After a statistics reset the later counters are smaller: they count from zero.
  TableActivity reset;
  reset.inserts = 120;
  CHECK(write_rates_between(earlier, reset, 60.0).inserts_per_second == 2.0);
  CHECK(write_rates_between(earlier, later, 0.0) == WriteRates{});
}

}  // namespace pgadvisor::analyzer
