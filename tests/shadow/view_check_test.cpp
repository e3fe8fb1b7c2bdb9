// The result check of a materialized view's rewrite: multisets without ORDER BY, order with ties free among
// themselves under ORDER BY, values compared as text (NULL apart from 'NULL', numeric scale), the first difference
// named.
#include "shadow/view_check.hpp"

#include <catch2/catch.hpp>

using namespace pgadvisor::shadow;

namespace {

ResultRows rows(std::vector<ResultRow> values, std::vector<std::string> columns = {"day", "orders"}) {
  return {std::move(columns), std::move(values)};
}

ResultRow row(std::optional<std::string> a, std::optional<std::string> b) { return {std::move(a), std::move(b)}; }

}  // namespace

TEST_CASE("without ORDER BY results are compared as multisets", "[shadow][view_check]") {
  const auto original = rows({row("a", "1"), row("b", "2"), row("b", "2")});
  CHECK_FALSE(compare_results(original, rows({row("b", "2"), row("a", "1"), row("b", "2")}), {}));

  auto d = compare_results(original, rows({row("b", "2"), row("a", "1"), row("a", "1")}), {});
  REQUIRE(d);
  CHECK(d->row == 3);  // the second ('b', '2') has no partner
  CHECK(d->what == "row 3 of the original is not in the rewritten result");
  CHECK(d->original == row("b", "2"));
  CHECK(d->rewritten == row("a", "1"));

  auto extra = compare_results(rows({row("a", "1")}), rows({row("a", "1"), row("c", "3")}), {});
  REQUIRE(extra);
  CHECK(extra->row == 0);
  CHECK(extra->what ==
        "the rewritten result has a row the original has not; the original returns 1 rows, the rewritten query 2");
  CHECK(extra->rewritten == row("c", "3"));
}

TEST_CASE("values are compared as text: NULL is not 'NULL', numeric scale counts", "[shadow][view_check]") {
  CHECK(compare_results(rows({row("a", std::nullopt)}), rows({row("a", "NULL")}), {}));
  CHECK(compare_results(rows({row("a", "1.50")}), rows({row("a", "1.5")}), {}));
  CHECK_FALSE(compare_results(rows({row("a", std::nullopt)}), rows({row("a", std::nullopt)}), {}));
  CHECK(row_text(row("it's", std::nullopt)) == "('it''s', NULL)");
  CHECK(row_text(row("NULL", "")) == "('NULL', '')");
}

TEST_CASE("column names and counts must match", "[shadow][view_check]") {
  auto d = compare_results(rows({row("a", "1")}), rows({row("a", "1")}, {"day", "count"}), {});
  REQUIRE(d);
  CHECK(d->what == "column 2 is named orders by the original, count by the rewritten query");
  auto fewer = compare_results(rows({row("a", "1")}), rows({{"a"}}, {"day"}), {});
  REQUIRE(fewer);
  CHECK(fewer->what.find("returns 1 columns (day), the original 2 (day, orders)") != std::string::npos);
}

TEST_CASE("under ORDER BY the order counts, except among rows that tie on the sort columns", "[shadow][view_check]") {
  // ORDER BY orders DESC: b and c tie.
  const auto original = rows({row("a", "9"), row("b", "5"), row("c", "5"), row("d", "1")});
  const std::vector<size_t> by_orders{1};
  CHECK_FALSE(compare_results(original, rows({row("a", "9"), row("c", "5"), row("b", "5"), row("d", "1")}), by_orders));

  auto swapped =
      compare_results(original, rows({row("a", "9"), row("b", "5"), row("d", "1"), row("c", "5")}), by_orders);
  REQUIRE(swapped);
  CHECK(swapped->what == "rows 2 to 3, which tie on the ORDER BY columns, differ");
  CHECK(swapped->row == 3);
  CHECK(swapped->original == row("c", "5"));
  CHECK(swapped->rewritten == row("d", "1"));

  // The same rows as a multiset, in another order of distinct keys.
  auto reversed =
      compare_results(original, rows({row("d", "1"), row("b", "5"), row("c", "5"), row("a", "9")}), by_orders);
  REQUIRE(reversed);
  CHECK(reversed->what == "row 1 differs");
  CHECK(reversed->original == row("a", "9"));
  CHECK(reversed->rewritten == row("d", "1"));

  auto longer = compare_results(rows({row("a", "9")}), rows({row("a", "9"), row("z", "0")}), by_orders);
  REQUIRE(longer);
  CHECK(longer->what == "the rewritten query returns 2 rows, the original 1");
  CHECK(longer->rewritten == row("z", "0"));
  CHECK_FALSE(longer->original);

  auto shorter = compare_results(original, rows({row("a", "9"), row("b", "5"), row("c", "5")}), by_orders);
  REQUIRE(shorter);
  CHECK(shorter->row == 4);
  CHECK(shorter->what == "row 4 differs; the original returns 4 rows, the rewritten query 3");
  CHECK(compare_results(rows({}), rows({row("a", "1")}), by_orders));
}

TEST_CASE("the ORDER BY columns of an aggregate query", "[shadow][view_check]") {
  CHECK(order_by_columns("SELECT status, count(*) FROM orders GROUP BY status ORDER BY count(*) DESC, status") ==
        std::vector<size_t>{1, 0});
  CHECK(order_by_columns("SELECT status, count(*) FROM orders GROUP BY status").empty());
}
