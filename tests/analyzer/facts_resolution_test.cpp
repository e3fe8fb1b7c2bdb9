// Tests of resolve_facts: views expanded into their queries, ORDER BY n behind `*`, and columns of views, CTEs and
// subqueries in FROM traced down to the stored tables' columns where PostgreSQL lets conditions reach them (and
// left where it does not, with the reason). Statement → facts after resolution, in the canonical text form.
#include <array>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "analyzer/catalog.hpp"

namespace pgadvisor::analyzer {
namespace {

TableInfo table(std::string name, std::vector<std::string> columns) {
  TableInfo info;
  info.name = std::move(name);
  for (auto& column : columns) info.columns.push_back(ColumnInfo{std::move(column), "text", false, std::nullopt});
  return info;
}

// A blog: posts and users, and views over them as pg_get_viewdef prints their definitions.
Catalog blog() {
  Catalog catalog;
  catalog.add_table(table("posts", {"id", "user_id", "title", "created_at", "deleted_at"}));
  catalog.add_table(table("users", {"id", "email", "name"}));
  catalog.add_view("public", "posts_view", " SELECT posts.id AS view_id\n   FROM posts;");
  catalog.add_view("public", "recent_view", " SELECT posts_view.view_id AS recent_id\n   FROM posts_view;");
  catalog.add_view("public", "post_authors",
                   " SELECT p.id,\n    p.title,\n    u.name AS author\n   FROM (posts p\n     JOIN users u ON "
                   "((u.id = p.user_id)));");
  catalog.add_view("public", "post_counts",
                   " SELECT posts.user_id,\n    count(*) AS n\n   FROM posts\n  GROUP BY posts.user_id;");
  catalog.add_view("public", "active_posts",
                   " SELECT posts.id,\n    posts.user_id,\n    posts.title,\n    posts.created_at\n   FROM posts\n  "
                   "WHERE (posts.deleted_at IS NULL);");
  catalog.add_view("public", "upper_titles", " SELECT posts.id,\n    upper(posts.title) AS title\n   FROM posts;");
  return catalog;
}

QueryFacts resolved(std::string_view statement, const Catalog& catalog) {
  auto outcome = extract_facts(statement);
  REQUIRE(outcome);
  resolve_facts(*outcome.facts, catalog);
  return std::move(*outcome.facts);
}

struct ResolutionCase {
  std::string_view statement;
  std::string_view expected;  //!< render_facts() after resolve_facts, without the final newline
};

const std::array kCases = std::to_array<ResolutionCase>({
    // A plain view: its column renamed, its query a derived relation's (block 1), its table read.
    {"SELECT * FROM posts_view WHERE view_id = 1", R"(statement select
read posts
filter eq posts.id = 1
select posts.id
#1 select posts.id
#1 derived (posts_view)
#1 output view_id = posts.id)"},
    // A view of a view.
    {"SELECT recent_id FROM recent_view WHERE recent_id > $1", R"(statement select
read posts
filter range posts.id > $1
select posts.id
#1 select posts.id
#1 derived (recent_view)
#1 output recent_id = (posts_view).view_id
#2 select posts.id
#2 derived (posts_view)
#2 output view_id = posts.id)"},
    // A view over a join: each column goes to its table, and the join is the reading block's too.
    {"SELECT title FROM post_authors WHERE author = $1", R"(statement select
read posts
read users
filter eq users.name = $1
join users.id = posts.user_id
select posts.title
#1 join users.id = posts.user_id
#1 select posts.id
#1 select posts.title
#1 select users.name
#1 derived (post_authors)
#1 output id = posts.id
#1 output title = posts.title
#1 output author = users.name)"},
    // GROUP BY: a condition on a grouping column is pushed down; on an aggregate it cannot be.
    {"SELECT * FROM post_counts WHERE user_id = $1 AND n > 5", R"(statement select
read posts
filter eq posts.user_id = $1
filter range (post_counts).n > 5
select (post_counts).*
#1 select posts.user_id
#1 aggregate count(*)
#1 group posts.user_id
#1 derived (post_counts)
#1 not merged: an aggregate
#1 output user_id = posts.user_id
#1 output n = (an aggregate))"},
    // The view's own conditions join the reading block's: posts scanned under both.
    {"SELECT * FROM active_posts WHERE user_id = $1 ORDER BY created_at DESC LIMIT 10", R"(statement select
read posts
filter eq posts.user_id = $1
filter null posts.deleted_at IS NULL
select posts.id
select posts.user_id
select posts.title
select posts.created_at
order posts.created_at DESC
limit
#1 filter null posts.deleted_at IS NULL
#1 select posts.id
#1 select posts.user_id
#1 select posts.title
#1 select posts.created_at
#1 derived (active_posts)
#1 output id = posts.id
#1 output user_id = posts.user_id
#1 output title = posts.title
#1 output created_at = posts.created_at)"},
    // A CTE read once is inlined (PostgreSQL 12+), as is one NOT MATERIALIZED.
    {"WITH x AS (SELECT * FROM posts) SELECT * FROM x WHERE id = 1", R"(statement select
read posts
filter eq posts.id = 1
select posts.*
#1 select posts.*
#1 derived (x)
#1 output * = posts.*)"},
    {"WITH x AS NOT MATERIALIZED (SELECT * FROM posts WHERE deleted_at IS NULL) SELECT title FROM x WHERE "
     "user_id = $1 ORDER BY 1",
     R"(statement select
read posts
filter eq posts.user_id = $1
filter null posts.deleted_at IS NULL
select posts.title
order posts.title
#1 filter null posts.deleted_at IS NULL
#1 select posts.*
#1 derived (x)
#1 output * = posts.*)"},
    // Read twice but NOT MATERIALIZED: inlined at each reference, so the join and filter reach posts.
    {"WITH x AS NOT MATERIALIZED (SELECT * FROM posts) SELECT a.id FROM x a JOIN x b ON a.id = b.user_id WHERE "
     "b.title = $1",
     R"(statement select
read posts
filter eq posts.title = $1
join posts.id = posts.user_id
select posts.id
#1 select posts.*
#1 derived (x)
#1 output * = posts.*)"},
    // A subquery in FROM, with its columns renamed; a join through one.
    {"SELECT * FROM (SELECT id, user_id FROM posts) AS s WHERE s.user_id = 1", R"(statement select
read posts
filter eq posts.user_id = 1
select posts.id
select posts.user_id
#1 select posts.id
#1 select posts.user_id
#1 derived (s)
#1 output id = posts.id
#1 output user_id = posts.user_id)"},
    {"SELECT * FROM (SELECT id, user_id FROM posts) AS s(a, b) WHERE s.b = 1", R"(statement select
read posts
filter eq posts.user_id = 1
select posts.id
select posts.user_id
#1 select posts.id
#1 select posts.user_id
#1 derived (s) (a, b)
#1 output id = posts.id
#1 output user_id = posts.user_id)"},
    {"SELECT u.email FROM users u JOIN (SELECT id, user_id FROM posts) s ON s.user_id = u.id WHERE s.id = $1",
     R"(statement select
read posts
read users
filter eq posts.id = $1
join posts.user_id = users.id
select users.email
#1 select posts.id
#1 select posts.user_id
#1 derived (s)
#1 output id = posts.id
#1 output user_id = posts.user_id)"},
    // An unqualified column goes to the relation that has it: the subquery's columns are known.
    {"SELECT * FROM users u, (SELECT user_id FROM posts) s WHERE user_id = 1", R"(statement select
read posts
read users
filter eq posts.user_id = 1
select users.*
select posts.user_id
#1 select posts.user_id
#1 derived (s)
#1 output user_id = posts.user_id)"},
    // An expression over a CTE's column holds on the table's column.
    {"WITH x AS (SELECT * FROM posts) SELECT id FROM x WHERE lower(title) = $1", R"(statement select
read posts
filter eq posts.(lower(title)) = $1
select posts.id
#1 select posts.*
#1 derived (x)
#1 output * = posts.*)"},
    // ORDER BY 1 over `*`: the table's first column.
    {"SELECT * FROM posts ORDER BY 1 DESC LIMIT 10", R"(statement select
read posts
select posts.*
order posts.id DESC
limit)"},
    {"SELECT title, * FROM posts ORDER BY 3", R"(statement select
read posts
select posts.title
select posts.*
order posts.user_id)"},
    // A write through a simple view writes its table.
    {"UPDATE posts_view SET view_id = $1 WHERE view_id = $2", R"(statement update
read posts
write posts
set id
filter eq posts.id = $2
#1 select posts.id
#1 derived (posts_view)
#1 output view_id = posts.id)"},
});

}  // namespace

TEST_CASE("columns of views, CTEs and subqueries are traced to their tables' columns", "[analyzer][facts][catalog]") {
  const Catalog catalog = blog();
  for (const auto& [statement, expected] : kCases) {
    INFO(statement);
    CHECK(render_facts(resolved(statement, catalog)) == std::string(expected) + "\n");
  }
}

TEST_CASE("a column that cannot reach its table stays on its derived relation, saying why",
          "[analyzer][facts][catalog]") {
  const Catalog catalog = blog();
  const auto untraced = [&](std::string_view statement) {
    const auto facts = resolved(statement, catalog);
    INFO(render_facts(facts));
    REQUIRE(!facts.blocks.at(0).predicates.empty());
    const ColumnUse& subject = facts.blocks[0].predicates[0].subject;
    CHECK(subject.table.derived);
    return subject.untraced;
  };
  // The planner computes these CTEs apart: a condition outside never reaches posts.
  CHECK(untraced("WITH x AS MATERIALIZED (SELECT * FROM posts) SELECT * FROM x WHERE id = 1") ==
        "(x) is not inlined: AS MATERIALIZED");
  CHECK(untraced("WITH x AS (SELECT * FROM posts) SELECT * FROM x a JOIN x b ON a.id = b.user_id WHERE a.id = 1") ==
        "(x) is not inlined: referenced 2 times");
  CHECK(untraced("WITH RECURSIVE t AS (SELECT id, user_id FROM posts UNION ALL SELECT p.id, p.user_id FROM posts p "
                 "JOIN t ON p.user_id = t.id) SELECT * FROM t WHERE id = 1") == "(t) is not inlined: recursive");
  CHECK(untraced("WITH x AS (SELECT id, random() AS r FROM posts) SELECT * FROM x WHERE id = 1") ==
        "(x) is not inlined: a volatile function (random)");
  // Computed columns are no table's column.
  CHECK(untraced("SELECT * FROM upper_titles WHERE title = 'X'") == "(upper_titles).title is an expression");
  CHECK(untraced("SELECT * FROM post_counts WHERE n > 5") == "(post_counts).n is an aggregate");
  CHECK(untraced("SELECT * FROM (SELECT user_id, max(created_at) AS last FROM posts GROUP BY user_id) s WHERE "
                 "last > $1") == "(s).last is an aggregate");
  // A condition stays outside a LIMIT, a window function, a set operation.
  CHECK(untraced("SELECT * FROM (SELECT * FROM posts LIMIT 10) s WHERE id = 1") ==
        "conditions are not pushed into (s): LIMIT");
  CHECK(untraced("SELECT * FROM (SELECT id, row_number() OVER () AS n FROM posts) s WHERE id = 1") ==
        "conditions are not pushed into (s): a window function");
  CHECK(untraced("SELECT * FROM (SELECT id FROM posts UNION SELECT id FROM users) s WHERE id = 1") ==
        "conditions are not pushed into (s): a set operation");
  // An expression over renamed columns would need its text rewritten: not traced.
  CHECK(untraced("SELECT * FROM posts_view WHERE view_id + 1 = 2") ==
        "an expression over (posts_view), whose columns are renamed, computed or from several relations");
  CHECK(untraced("SELECT * FROM generate_series(1, 3) AS g WHERE g = 2") == "(g) is a function's result");
}

TEST_CASE("a join or sort reaches a derived relation's tables only when it is merged", "[analyzer][facts][catalog]") {
  const Catalog catalog = blog();
  const auto facts = resolved(
      "SELECT * FROM users u JOIN post_counts c ON c.user_id = u.id WHERE c.user_id = $1 ORDER BY c.user_id", catalog);
  REQUIRE(facts.blocks[0].joins.size() == 1);
  CHECK(facts.blocks[0].joins[0].left.to_string() == "(post_counts).user_id");
  CHECK(facts.blocks[0].joins[0].left.untraced == "(post_counts) is not merged: an aggregate");
  CHECK(facts.blocks[0].order_by[0].key.to_string() == "(post_counts).user_id");
  // The filter on the grouping column does reach posts.
  CHECK(facts.blocks[0].predicates[0].subject.to_string() == "posts.user_id");
}

TEST_CASE("views are found through the search path, and an unreadable definition is not read through",
          "[analyzer][catalog]") {
  Catalog catalog({"app", "public"});
  catalog.add_table(table("posts", {"id"}));
  catalog.add_view("app", "posts", " SELECT 1 AS id;");  // app.posts, a view, hides public.posts
  catalog.add_view("public", "broken", "SELECT FROM WHERE;");
  catalog.add_view("public", "two", "SELECT 1; DROP TABLE posts;");
  catalog.add_view("public", "empty", "");
  CHECK(catalog.find_view(TableName{"", "posts", false}) != nullptr);
  CHECK(catalog.find_table(TableName{"", "posts", false}) == nullptr);
  CHECK(catalog.find_table(TableName{"public", "posts", false}) != nullptr);
  CHECK(catalog.find_view(TableName{"public", "posts", false}) == nullptr);
  REQUIRE(catalog.find_view(TableName{"", "broken", false}) != nullptr);
  CHECK(!catalog.find_view(TableName{"", "broken", false})->facts);
  CHECK(catalog.find_view(TableName{"", "broken", false})->unanalyzable.find("syntax error") != std::string::npos);
  CHECK(catalog.find_view(TableName{"", "two", false})->unanalyzable == "not one statement");
  CHECK(catalog.find_view(TableName{"", "empty", false})->unanalyzable == "not one statement");

  // Such a view stays a relation of unknown columns: nothing is traced, nothing breaks.
  auto outcome = extract_facts("SELECT * FROM broken WHERE id = 1");
  REQUIRE(outcome);
  const FactsResolution done = resolve_facts(*outcome.facts, catalog);
  CHECK(done.views == 0);
  CHECK(render_facts(*outcome.facts) == "statement select\nread broken\nfilter eq broken.id = 1\nselect broken.*\n");
}

TEST_CASE("views of views that read each other twice stay bounded", "[analyzer][catalog]") {
  Catalog catalog;
  catalog.add_table(table("t", {"id", "x"}));
  catalog.add_view("public", "v0", " SELECT t.id, t.x FROM t WHERE (t.x > 0);");
  for (int level = 1; level <= 40; ++level) {
    const std::string below = "v" + std::to_string(level - 1);
    catalog.add_view("public", "v" + std::to_string(level),
                     " SELECT a.id, b.x FROM " + below + " a JOIN " + below + " b ON a.id = b.id;");
  }
  auto outcome = extract_facts("SELECT * FROM v40 WHERE id = 1");
  REQUIRE(outcome);
  const FactsResolution done = resolve_facts(*outcome.facts, catalog);
  CHECK(done.views == 41);
  CHECK(outcome.facts->tables_read == std::vector{TableName{"", "t", false}});
  // The merged conditions are bounded however many paths lead down to v0.
  CHECK(outcome.facts->blocks[0].predicates.size() < 600);
}

}  // namespace pgadvisor::analyzer

namespace pgadvisor::analyzer {

TEST_CASE("odd catalogs and statements resolve without harm", "[analyzer][catalog]") {
  Catalog catalog;
  catalog.add_table(table("t", {"id", "x"}));
  // A definition no server would print: the view reads itself.
  catalog.add_view("public", "loop", " SELECT loop.id FROM loop WHERE (loop.x > 0);");
  catalog.add_view("public", "star_loop", " SELECT * FROM star_loop;");
  catalog.add_view("public", "v", " SELECT t.id AS vid FROM t;");
  for (const std::string_view statement : {
           "SELECT * FROM loop WHERE id = 1 ORDER BY 1",
           "SELECT * FROM star_loop s JOIN loop l ON l.id = s.id WHERE s.id = 1 ORDER BY 2",
           // A CTE of a view's name hides the view.
           "WITH v AS (SELECT id AS other FROM t) SELECT * FROM v WHERE other = 1",
           "SELECT * FROM (VALUES (1, 2)) AS w(a, b) WHERE a = 1",
           "SELECT * FROM t, LATERAL (SELECT * FROM v WHERE vid = t.x) s ORDER BY 3",
           "WITH RECURSIVE r AS (SELECT * FROM r) SELECT * FROM r WHERE id = 1",
           "INSERT INTO v SELECT id FROM t",
           "DELETE FROM v WHERE vid IN (SELECT vid FROM v)",
       }) {
    INFO(statement);
    auto outcome = extract_facts(statement);
    REQUIRE(outcome);
    resolve_facts(*outcome.facts, catalog);
    CHECK_FALSE(render_facts(*outcome.facts).empty());
  }
  CHECK(render_facts(resolved("WITH v AS (SELECT id AS other FROM t) SELECT * FROM v WHERE other = 1", catalog))
            .find("filter eq t.id = 1") != std::string::npos);
  const auto insert = resolved("INSERT INTO v SELECT id FROM t", catalog);
  CHECK(insert.tables_written == std::vector{TableName{"", "t", false}});
}

}  // namespace pgadvisor::analyzer
