"""Single-query cases in the style of Dexter's test suite (github.com/ankane/dexter, test/statement_test.rb and
test/batching_test.rb): the same kinds of data and query shapes and, for each, the index Dexter's tests expect.
Our own text; only the facts are Dexter's. Where the index a DBA would create differs from Dexter's expectation
(Dexter's own tests mark some as "not ideal" or skip them), `expect` is the DBA's and `dexter` says what Dexter's
test expects. Added cases of ours (`ours`) check the issue's defects in the same style.

expect: None (no index is right), "any" (any index on the table serves), or a list of acceptable key lists on
`table` (a key is a column, `col DESC` for a descending one; a list reversed in every direction is the same index).
An index with a WHERE clause is a hit only where `partial_ok`."""

WIDE_COLUMNS = 30  # the batching case's table t (Dexter's test uses 100 columns, 4,950 queries)


def schema(wide_columns):
    cols = ", ".join(f"c{i:02d} int" for i in range(wide_columns))
    vals = ", ".join("n" for _ in range(wide_columns))
    return f"""
SET client_min_messages = warning;
-- posts: 100,000 rows, no primary key; blog_id has 1,000 values, user_id 10 (both follow n, so blog_id fixes user_id).
CREATE TABLE posts (id int, blog_id int, user_id int, indexed int, payload text);
INSERT INTO posts SELECT n, n % 1000, n % 10, n, 'p' || n FROM generate_series(1, 100000) AS n;
CREATE INDEX posts_indexed_idx ON posts (indexed);
CREATE TABLE blogs (id int PRIMARY KEY, title text);
INSERT INTO blogs SELECT n, 'blog ' || n FROM generate_series(1, 1000) AS n;
CREATE VIEW posts_view AS SELECT id AS view_id, user_id FROM posts;
CREATE MATERIALIZED VIEW posts_materialized AS SELECT * FROM posts;
-- events: hash-partitioned on blog_id, 3 partitions, 100,000 rows.
CREATE TABLE events (id int, blog_id int) PARTITION BY HASH (blog_id);
CREATE TABLE events_0 PARTITION OF events FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE events_1 PARTITION OF events FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE events_2 PARTITION OF events FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO events SELECT n, n FROM generate_series(1, 100000) AS n;
CREATE SCHEMA "Bar";
CREATE TABLE "Bar"."Foo" ("Id" int);
INSERT INTO "Bar"."Foo" SELECT n FROM generate_series(1, 100000) AS n;
-- t: {wide_columns} int columns, each equal to n, 2,000 rows.
CREATE TABLE t ({cols});
INSERT INTO t SELECT {vals} FROM generate_series(1, 2000) AS n;
VACUUM ANALYZE;
"""


# (name, statement, table, expect, extra) — extra: dexter (its expectation where ours differs), partial_ok,
# execute (what pg_qualstats' sampled run executes instead of the statement), ours (a case of ours).
CASES = [
    ("equality", "SELECT * FROM posts WHERE id = 1", "posts", [["id"]], {}),
    ("no_predicate", "SELECT * FROM posts", "posts", None, {}),
    ("two_equalities", "SELECT * FROM posts WHERE user_id = 1 AND blog_id = 2", "posts",
     [["user_id", "blog_id"], ["blog_id", "user_id"], ["blog_id"]], {"dexter": "(user_id, blog_id)"}),
    ("equality_and_range", "SELECT * FROM posts WHERE user_id = 1 AND blog_id < 10", "posts",
     [["blog_id"], ["user_id", "blog_id"], ["blog_id", "user_id"]], {"dexter": "(blog_id)"}),
    ("equality_order_limit", "SELECT * FROM posts WHERE user_id = 1 ORDER BY blog_id LIMIT 1000", "posts",
     [["user_id", "blog_id"]], {}),
    ("join_filter", "SELECT * FROM posts INNER JOIN blogs ON blogs.id = posts.blog_id WHERE blogs.id = 1", "posts",
     [["blog_id"]], {}),
    ("update", "UPDATE posts SET user_id = 2 WHERE user_id = 1", "posts", [["user_id"]], {}),
    ("delete", "DELETE FROM posts WHERE user_id = 1", "posts", [["user_id"]], {}),
    ("view", "SELECT * FROM posts_view WHERE view_id = 1", "posts", [["id"]], {}),
    ("materialized_view", "SELECT * FROM posts_materialized WHERE id = 1", "posts_materialized", [["id"]], {}),
    ("partitioned_table", "SELECT * FROM events WHERE blog_id = 1", "events", [["blog_id"]], {}),
    ("cte", "WITH cte AS (SELECT * FROM posts WHERE id = 1) SELECT * FROM cte", "posts", [["id"]], {}),
    ("cte_inlined_filter", "WITH cte AS (SELECT * FROM posts) SELECT * FROM cte WHERE id = 1", "posts",
     [["id"]], {}),
    ("cte_materialized", "WITH cte AS MATERIALIZED (SELECT * FROM posts) SELECT * FROM cte WHERE id = 1", "posts",
     None, {}),
    ("cte_not_materialized", "WITH cte AS NOT MATERIALIZED (SELECT * FROM posts) SELECT * FROM cte WHERE id = 1",
     "posts", [["id"]], {}),
    ("order_desc_limit", "SELECT * FROM posts ORDER BY user_id DESC LIMIT 10", "posts", [["user_id"]], {}),
    ("order_by_position", "SELECT user_id FROM posts ORDER BY 1 DESC LIMIT 10", "posts", [["user_id"]], {}),
    ("order_by_position_star", "SELECT * FROM posts ORDER BY 1 DESC LIMIT 10", "posts", [["id"]],
     {"dexter": "no index (its test notes: not ideal)"}),
    ("order_by_alias", "SELECT user_id AS u FROM posts ORDER BY u DESC LIMIT 10", "posts", [["user_id"]], {}),
    ("order_two_keys", "SELECT * FROM posts ORDER BY user_id, blog_id LIMIT 10", "posts",
     [["user_id", "blog_id"]], {}),
    ("order_mixed_directions", "SELECT * FROM posts ORDER BY user_id DESC, blog_id LIMIT 10", "posts",
     [["user_id DESC", "blog_id"]], {"dexter": "(user_id DESC, blog_id), test skipped"}),
    ("quoted_names", 'SELECT * FROM "Bar"."Foo" WHERE "Id" = 10000', "Bar.Foo", [["Id"]], {}),
    ("parameter", "SELECT * FROM posts WHERE id = $1", "posts", [["id"]],
     {"execute": "PREPARE q(int) AS SELECT * FROM posts WHERE id = $1; EXECUTE q(1)"}),
    ("no_table", "SELECT 1", None, None, {}),
    ("information_schema", "SELECT * FROM information_schema.tables", None, None, {}),
    ("pg_catalog", "SELECT * FROM pg_catalog.pg_index", None, None, {}),
    ("parse_error", "SELECT +", None, None, {}),
    ("unknown_column", "SELECT bad FROM posts", None, None, {}),
    ("already_indexed", "SELECT * FROM posts WHERE indexed = 1", None, None, {}),
    ("many_columns", "SELECT * FROM t WHERE " + " AND ".join(f"c{i:02d} = 1" for i in range(WIDE_COLUMNS)), "t",
     "any", {}),
    # ours: a literal of a unique column is a parameter of the class, not a partial index's predicate (issue 14, 1)
    ("unique_literal_and_equality", "SELECT * FROM posts WHERE id = 4711 AND user_id = 1", "posts",
     [["id"], ["id", "user_id"]], {"ours": True}),
    # ours: the same for a range on the unique column
    ("unique_range", "SELECT * FROM posts WHERE id BETWEEN 4000 AND 4100 AND blog_id = 7", "posts",
     [["id"], ["blog_id", "id"], ["id", "blog_id"]], {"ours": True}),
]


def batching(wide_columns):
    """Every pair of t's columns, `cI = 0 AND cJ = 1` (no row matches): the right design indexes all columns but
    at most one (any pair must find one of its columns indexed); Dexter's test expects one index per column."""
    return [f"SELECT * FROM t WHERE c{i:02d} = 0 AND c{j:02d} = 1"
            for i in range(wide_columns) for j in range(i + 1, wide_columns)]
