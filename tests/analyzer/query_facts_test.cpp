// Table-driven tests of QueryFacts: each statement with its facts in the canonical text form (render_facts),
// one fact a line; add a row to cover a new construct. Plus the structured fields the text form summarizes.
#include "analyzer/query_facts.hpp"

#include <array>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

namespace pgadvisor::analyzer {
namespace {

struct FactsCase {
  std::string_view statement;
  std::string_view expected;  //!< render_facts() without the final newline
};

// Grammar of a line: "statement K", "read T", "write T", "set C", then per block (prefix "#n " for nested
// blocks): "filter KIND SUBJECT OP OPERANDS[ (or)]", "join A OP B", "select C", "aggregate F", "group C",
// "order C[ ASC|DESC][ NULLS FIRST|LAST]", "limit", "offset", "lock STRENGTH[ WAIT]", and for the block of a CTE or
// subquery in FROM "derived (name)[ (column names)]", "not inlined: WHY", "no pushdown: WHY", "not merged: WHY",
// "output NAME = C|(computed)". A subject is table.column, table.(expression), ?{candidates}.column while
// ambiguous, ?{}.#n for ORDER BY n behind a `*`; (name) is a CTE or subquery.
const std::array kCases = std::to_array<FactsCase>({
    {R"--(SELECT * FROM users WHERE id = 42)--",
     R"--(statement select
read users
filter eq users.id = 42
select users.*)--"},
    {R"--(SELECT id FROM users WHERE email = $1)--",
     R"--(statement select
read users
filter eq users.email = $1
select users.id)--"},
    {R"--(SELECT * FROM public.users u WHERE u.email = 'a@b.c' AND u.status = 'active')--",
     R"--(statement select
read public.users
filter eq public.users.email = 'a@b.c'
filter eq public.users.status = 'active'
select public.users.*)--"},
    {R"--(SELECT * FROM orders WHERE status IN ('pending', 'paid'))--",
     R"--(statement select
read orders
filter eq orders.status IN ('pending', 'paid')
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE id = ANY($1))--",
     R"--(statement select
read orders
filter eq orders.id = ANY($1)
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE customer_id = ANY('{1,2}'::int[]))--",
     R"--(statement select
read orders
filter eq orders.customer_id = ANY('{1,2}'::int4[])
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE created_at >= $1 AND created_at < $2)--",
     R"--(statement select
read orders
filter range orders.created_at >= $1
filter range orders.created_at < $2
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE total BETWEEN 10 AND 20)--",
     R"--(statement select
read orders
filter range orders.total BETWEEN 10 AND 20
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE 100 < total)--",
     R"--(statement select
read orders
filter range orders.total > 100
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE deleted_at IS NULL)--",
     R"--(statement select
read orders
filter null orders.deleted_at IS NULL
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE shipped_at IS NOT NULL)--",
     R"--(statement select
read orders
filter null orders.shipped_at IS NOT NULL
select orders.*)--"},
    {R"--(SELECT * FROM tasks WHERE archived)--",
     R"--(statement select
read tasks
filter bool tasks.archived IS TRUE
select tasks.*)--"},
    {R"--(SELECT * FROM tasks WHERE NOT archived)--",
     R"--(statement select
read tasks
filter bool tasks.archived IS FALSE
select tasks.*)--"},
    {R"--(SELECT * FROM tasks WHERE archived = false)--",
     R"--(statement select
read tasks
filter eq tasks.archived = false
select tasks.*)--"},
    {R"--(SELECT * FROM tasks WHERE done IS TRUE)--",
     R"--(statement select
read tasks
filter bool tasks.done IS TRUE
select tasks.*)--"},
    {R"--(SELECT * FROM users WHERE name LIKE 'Jo%')--",
     R"--(statement select
read users
filter prefix users.name LIKE 'Jo%'
select users.*)--"},
    {R"--(SELECT * FROM users WHERE name LIKE '%son')--",
     R"--(statement select
read users
filter like users.name LIKE '%son'
select users.*)--"},
    {R"--(SELECT * FROM users WHERE name LIKE $1)--",
     R"--(statement select
read users
filter like users.name LIKE $1
select users.*)--"},
    {R"--(SELECT * FROM users WHERE name ILIKE 'jo%')--",
     R"--(statement select
read users
filter like users.name ILIKE 'jo%'
select users.*)--"},
    {R"--(SELECT * FROM users WHERE name NOT LIKE 'x%')--",
     R"--(statement select
read users
filter other users.name NOT LIKE 'x%'
select users.*)--"},
    {R"--(SELECT * FROM orders WHERE status <> 'cancelled')--",
     R"--(statement select
read orders
filter ne orders.status <> 'cancelled'
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE status != 'cancelled')--",
     R"--(statement select
read orders
filter ne orders.status <> 'cancelled'
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE status NOT IN ('a', 'b'))--",
     R"--(statement select
read orders
filter ne orders.status NOT IN ('a', 'b')
select orders.*)--"},
    {R"--(SELECT * FROM orders WHERE total NOT BETWEEN 1 AND 2)--",
     R"--(statement select
read orders
filter ne orders.total NOT BETWEEN 1 AND 2
select orders.*)--"},
    {R"--(SELECT * FROM users WHERE lower(email) = $1)--",
     R"--(statement select
read users
filter eq users.(lower(email)) = $1
select users.*)--"},
    {R"--(SELECT count(*) FROM events WHERE date_trunc('day', created_at) = '2024-01-01')--",
     R"--(statement select
read events
filter eq events.(date_trunc('day', created_at)) = '2024-01-01'
aggregate count(*))--"},
    {R"--(SELECT * FROM events WHERE created_at > now() - interval '1 day')--",
     R"--(statement select
read events
filter range events.created_at > now() - '1 day'::interval
select events.*)--"},
    {R"--(SELECT * FROM events WHERE payload @> '{"a":1}')--",
     R"--(statement select
read events
filter other events.payload @> '{"a":1}'
select events.*)--"},
    {R"--(SELECT * FROM t WHERE a = -1 AND b = 0 AND c = -2.5 AND d = 1e3)--",
     R"--(statement select
read t
filter eq t.a = -1
filter eq t.b = 0
filter eq t.c = -2.5
filter eq t.d = 1e3
select t.*)--"},
    {R"--(SELECT * FROM t WHERE a = NULL)--",
     R"--(statement select
read t
filter eq t.a = NULL
select t.*)--"},
    {R"--(SELECT * FROM t WHERE d = '2020-01-01'::date)--",
     R"--(statement select
read t
filter eq t.d = '2020-01-01'::date
select t.*)--"},
    {R"--(SELECT * FROM t WHERE a = 1 OR b = 2)--",
     R"--(statement select
read t
filter eq t.a = 1 (or)
filter eq t.b = 2 (or)
select t.*)--"},
    {R"--(SELECT * FROM t WHERE a = 1 AND (b = 2 OR c IS NULL))--",
     R"--(statement select
read t
filter eq t.a = 1
filter eq t.b = 2 (or)
filter null t.c IS NULL (or)
select t.*)--"},
    {R"--(SELECT * FROM t WHERE a IS NOT DISTINCT FROM $1)--",
     R"--(statement select
read t
filter eq t.a IS NOT DISTINCT FROM $1
select t.*)--"},
    {R"--(SELECT * FROM t WHERE name = 'it''s')--",
     R"--(statement select
read t
filter eq t.name = 'it''s'
select t.*)--"},
    {R"--(SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1)--",
     R"--(statement select
read orders
read users
filter eq users.email = $1
join users.id = orders.user_id
select orders.id)--"},
    {R"--(SELECT * FROM orders o, users u WHERE o.user_id = u.id AND u.active)--",
     R"--(statement select
read orders
read users
filter bool users.active IS TRUE
join orders.user_id = users.id
select orders.*
select users.*)--"},
    {R"--(SELECT * FROM orders o LEFT JOIN users u ON o.user_id = u.id AND u.kind = 'admin')--",
     R"--(statement select
read orders
read users
filter eq users.kind = 'admin'
join orders.user_id = users.id
select orders.*
select users.*)--"},
    {R"--(SELECT * FROM a JOIN b USING (id))--",
     R"--(statement select
read a
read b
join a.id = b.id
select a.*
select b.*)--"},
    {R"--(SELECT * FROM orders o JOIN users u ON o.user_id = u.id WHERE status = 'x')--",
     R"--(statement select
read orders
read users
filter eq ?{orders,users}.status = 'x'
join orders.user_id = users.id
select orders.*
select users.*)--"},
    {R"--(SELECT * FROM orders o JOIN users u ON o.user_id = u.id WHERE lower(email) = $1)--",
     R"--(statement select
read orders
read users
filter eq ?{orders,users}.(lower(email)) = $1
join orders.user_id = users.id
select orders.*
select users.*)--"},
    {R"--(SELECT * FROM public.orders JOIN public.users ON public.orders.user_id = public.users.id)--",
     R"--(statement select
read public.orders
read public.users
join public.orders.user_id = public.users.id
select public.orders.*
select public.users.*)--"},
    {R"--(SELECT * FROM employees e JOIN employees m ON e.manager_id = m.id WHERE m.name = $1)--",
     R"--(statement select
read employees
filter eq employees.name = $1
join employees.manager_id = employees.id
select employees.*)--"},
    {R"--(SELECT * FROM t WHERE t.a = t.b)--",
     R"--(statement select
read t
select t.*)--"},
    {R"--(SELECT id, email FROM users WHERE id = $1)--",
     R"--(statement select
read users
filter eq users.id = $1
select users.id
select users.email)--"},
    {R"--(SELECT u.*, o.total FROM users u JOIN orders o ON o.user_id = u.id)--",
     R"--(statement select
read orders
read users
join orders.user_id = users.id
select users.*
select orders.total)--"},
    {R"--(SELECT * FROM users u JOIN orders o ON o.user_id = u.id)--",
     R"--(statement select
read orders
read users
join orders.user_id = users.id
select users.*
select orders.*)--"},
    {R"--(SELECT customer_id, sum(total), count(DISTINCT product_id) FROM orders GROUP BY customer_id HAVING )--"
     R"--(count(*) > 1)--",
     R"--(statement select
read orders
select orders.customer_id
select orders.total
select orders.product_id
aggregate sum(total)
aggregate count(DISTINCT product_id)
aggregate count(*)
group orders.customer_id)--"},
    {R"--(SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 10)--",
     R"--(statement select
read orders
filter eq orders.customer_id = $1
select orders.*
order orders.created_at DESC
limit)--"},
    {R"--(SELECT * FROM orders ORDER BY created_at DESC NULLS LAST, id ASC LIMIT 20 OFFSET 40)--",
     R"--(statement select
read orders
select orders.*
order orders.created_at DESC NULLS LAST
order orders.id ASC
limit
offset)--"},
    {R"--(SELECT status, count(*) AS n FROM orders GROUP BY 1 ORDER BY n DESC)--",
     R"--(statement select
read orders
select orders.status
aggregate count(*)
group orders.status)--"},
    {R"--(SELECT date_trunc('day', created_at) AS day, count(*) FROM events GROUP BY day ORDER BY day)--",
     R"--(statement select
read events
select events.created_at
aggregate count(*)
group events.(date_trunc('day', created_at))
order events.(date_trunc('day', created_at)))--"},
    {R"--(SELECT * FROM jobs WHERE state = 'queued' ORDER BY priority LIMIT 1 FOR UPDATE SKIP LOCKED)--",
     R"--(statement select
read jobs
filter eq jobs.state = 'queued'
select jobs.*
order jobs.priority
limit
lock FOR UPDATE SKIP LOCKED)--"},
    {R"--(SELECT * FROM accounts WHERE id = $1 FOR NO KEY UPDATE NOWAIT)--",
     R"--(statement select
read accounts
filter eq accounts.id = $1
select accounts.*
lock FOR NO KEY UPDATE NOWAIT)--"},
    {R"--(SELECT * FROM accounts WHERE id = $1 FOR SHARE)--",
     R"--(statement select
read accounts
filter eq accounts.id = $1
select accounts.*
lock FOR SHARE)--"},
    {R"--(SELECT * FROM orders FETCH FIRST 5 ROWS ONLY)--",
     R"--(statement select
read orders
select orders.*
limit)--"},
    {R"--(SELECT * FROM orders LIMIT ALL)--",
     R"--(statement select
read orders
select orders.*)--"},
    {R"--(UPDATE orders SET status = 'shipped', shipped_at = now() WHERE id = $1)--",
     R"--(statement update
read orders
write orders
set status
set shipped_at
filter eq orders.id = $1)--"},
    {R"--(UPDATE public.orders o SET total = o.total + 1 FROM users u WHERE u.id = o.user_id AND u.vip)--",
     R"--(statement update
read users
read public.orders
write public.orders
set total
filter bool users.vip IS TRUE
join users.id = public.orders.user_id)--"},
    {R"--(DELETE FROM sessions WHERE expires_at < now())--",
     R"--(statement delete
read sessions
write sessions
filter range sessions.expires_at < now())--"},
    {R"--(DELETE FROM orders o USING users u WHERE o.user_id = u.id AND u.deleted_at IS NOT NULL)--",
     R"--(statement delete
read orders
read users
write orders
filter null users.deleted_at IS NOT NULL
join orders.user_id = users.id)--"},
    {R"--(INSERT INTO audit (a, b) VALUES ($1, $2))--",
     R"--(statement insert
write audit)--"},
    {R"--(INSERT INTO archive SELECT * FROM orders WHERE created_at < $1)--",
     R"--(statement insert
read orders
write archive
filter range orders.created_at < $1
select orders.*)--"},
    {R"--(INSERT INTO totals (day, n) SELECT date_trunc('day', created_at), count(*) FROM events GROUP BY 1 ON )--"
     R"--(CONFLICT (day) DO UPDATE SET n = excluded.n)--",
     R"--(statement insert
read events
write totals
set n
select events.created_at
aggregate count(*)
group events.(date_trunc('day', created_at)))--"},
    {R"--(MERGE INTO stock s USING deliveries d ON s.item_id = d.item_id WHEN MATCHED AND d.qty > 0 THEN UPDATE )--"
     R"--(SET qty = s.qty + d.qty WHEN NOT MATCHED THEN INSERT (item_id, qty) VALUES (d.item_id, d.qty))--",
     R"--(statement merge
read deliveries
read stock
write stock
set qty
filter range deliveries.qty > 0 (or)
join stock.item_id = deliveries.item_id)--"},
    {R"--(WITH recent AS (SELECT id FROM orders WHERE created_at > $1) SELECT * FROM items i JOIN recent r ON )--"
     R"--(i.order_id = r.id)--",
     R"--(statement select
read items
read orders
join items.order_id = (recent).id
select items.*
select (recent).*
#1 filter range orders.created_at > $1
#1 select orders.id
#1 derived (recent)
#1 output id = orders.id)--"},
    {R"--(WITH RECURSIVE tree AS (SELECT id, parent_id FROM nodes WHERE id = $1 UNION ALL SELECT n.id, )--"
     R"--(n.parent_id FROM nodes n JOIN tree t ON n.parent_id = t.id) SELECT * FROM tree)--",
     R"--(statement select
read nodes
select (tree).*
#1 derived (tree)
#1 not inlined: recursive
#1 no pushdown: a set operation
#2 filter eq nodes.id = $1
#2 select nodes.id
#2 select nodes.parent_id
#3 join nodes.parent_id = (tree).id
#3 select nodes.id
#3 select nodes.parent_id)--"},
    {R"--(SELECT * FROM orders WHERE user_id IN (SELECT id FROM users WHERE country = 'NZ'))--",
     R"--(statement select
read orders
read users
filter eq orders.user_id IN (subquery)
select orders.*
#1 filter eq ?{users,orders}.country = 'NZ'
#1 select ?{users,orders}.id)--"},
    {R"--(SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM items i WHERE i.order_id = o.id AND i.sku = $1))--",
     R"--(statement select
read items
read orders
select orders.*
#1 filter eq items.sku = $1
#1 join items.order_id = orders.id)--"},
    {R"--(SELECT * FROM orders o WHERE NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id))--",
     R"--(statement select
read orders
read refunds
select orders.*
#1 join refunds.order_id = orders.id)--"},
    {R"--(SELECT * FROM orders WHERE EXISTS (SELECT 1 FROM items WHERE order_id = id))--",
     R"--(statement select
read items
read orders
select orders.*
#1 join ?{items,orders}.order_id = ?{items,orders}.id)--"},
    {R"--(SELECT * FROM orders WHERE total > (SELECT avg(total) FROM orders))--",
     R"--(statement select
read orders
filter range orders.total > (subquery)
select orders.*
#1 select orders.total
#1 aggregate avg(total))--"},
    {R"--(SELECT id, (SELECT count(*) FROM items i WHERE i.order_id = o.id) FROM orders o)--",
     R"--(statement select
read items
read orders
select orders.id
#1 join items.order_id = orders.id
#1 aggregate count(*))--"},
    {R"--(SELECT * FROM users u, LATERAL (SELECT * FROM orders o WHERE o.user_id = u.id ORDER BY created_at )--"
     R"--(DESC LIMIT 3) AS last)--",
     R"--(statement select
read orders
read users
select users.*
select (last).*
#1 join orders.user_id = users.id
#1 select orders.*
#1 order ?{orders,users}.created_at DESC
#1 limit
#1 derived (last)
#1 no pushdown: LIMIT
#1 not merged: ORDER BY
#1 output * = orders.*)--"},
    {R"--(SELECT * FROM (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) AS c WHERE c.n > 5)--",
     R"--(statement select
read orders
filter range (c).n > 5
select (c).*
#1 select orders.user_id
#1 aggregate count(*)
#1 group orders.user_id
#1 derived (c)
#1 not merged: an aggregate
#1 output user_id = orders.user_id
#1 output n = (an aggregate))--"},
    {R"--(SELECT email FROM users WHERE active UNION SELECT email FROM leads WHERE NOT converted ORDER BY 1 )--"
     R"--(LIMIT 10)--",
     R"--(statement select
read leads
read users
limit
#1 filter bool users.active IS TRUE
#1 select users.email
#2 filter bool leads.converted IS FALSE
#2 select leads.email)--"},
    {R"--(SELECT id FROM a INTERSECT SELECT id FROM b EXCEPT SELECT id FROM c)--",
     R"--(statement select
read a
read b
read c
#2 select a.id
#3 select b.id
#4 select c.id)--"},
    {R"--(SELECT * FROM users WHERE id NOT IN (SELECT user_id FROM bans))--",
     R"--(statement select
read bans
read users
filter ne users.id NOT IN (subquery)
select users.*
#1 select ?{bans,users}.user_id)--"},
    {R"--(SELECT * FROM generate_series(1, 3) AS g(n) JOIN t ON t.id = g.n)--",
     R"--(statement select
read t
join t.id = (g).n
select (g).*
select t.*)--"},
    {R"--(SELECT now())--", R"--(statement select)--"},
    {R"--(SELECT * FROM t WHERE x = 1 COLLATE "C")--",
     R"--(statement select
read t
filter eq t.x = 1 COLLATE "C"
select t.*)--"},
    {R"--(SELECT * FROM t WHERE (a, b) = (1, 2))--",
     R"--(statement select
read t
filter eq t.a = 1
filter eq t.b = 2
select t.*)--"},
    {R"--(SELECT * FROM t WHERE NOT (a = 1) AND NOT (b IS NULL) AND NOT (c LIKE 'x%'))--",
     R"--(statement select
read t
filter ne t.a <> 1
filter null t.b IS NOT NULL
filter prefix t.c LIKE 'x%' (or)
select t.*)--"},
    {R"--(SELECT * FROM t WHERE (a, b) > ($1, $2) ORDER BY a, b LIMIT 50)--",
     R"--(statement select
read t
filter range t.a > $1
filter range t.b > $2
select t.*
order t.a
order t.b
limit)--"},
    {R"--(SELECT customer_id FROM orders GROUP BY customer_id HAVING max(created_at) > now())--",
     R"--(statement select
read orders
select orders.customer_id
aggregate max(created_at)
group orders.customer_id)--"},
    {R"--(INSERT INTO totals (day, n) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET n = totals.n + excluded.n)--",
     R"--(statement insert
write totals
set n)--"},
    // Derived relations: the block of each CTE or subquery in FROM says what it is, what PostgreSQL does with it
    // and its columns (resolve_facts traces through them).
    {R"--(WITH x AS MATERIALIZED (SELECT * FROM posts) SELECT * FROM x WHERE id = 1)--",
     R"--(statement select
read posts
filter eq (x).id = 1
select (x).*
#1 select posts.*
#1 derived (x)
#1 not inlined: AS MATERIALIZED
#1 output * = posts.*)--"},
    {R"--(WITH x AS (SELECT id, user_id AS author FROM posts) SELECT * FROM x a JOIN x b ON a.id = b.author)--",
     R"--(statement select
read posts
join (x).id = (x).author
select (x).*
#1 select posts.id
#1 select posts.user_id
#1 derived (x)
#1 not inlined: referenced 2 times
#1 output id = posts.id
#1 output author = posts.user_id)--"},
    {R"--(WITH x AS NOT MATERIALIZED (SELECT * FROM posts) SELECT * FROM x a JOIN x b ON a.id = b.parent_id)--",
     R"--(statement select
read posts
join (x).id = (x).parent_id
select (x).*
#1 select posts.*
#1 derived (x)
#1 output * = posts.*)--"},
    {R"--(WITH moved AS (DELETE FROM posts WHERE id = $1 RETURNING *) INSERT INTO archive SELECT * FROM moved)--",
     R"--(statement insert
read posts
write archive
write posts
select (moved).*
#1 derived (moved)
#1 not inlined: a data-modifying statement
#2 filter eq posts.id = $1)--"},
    // A plain WITH's name is not visible in its own query: there posts is the table.
    {R"--(WITH posts AS (SELECT * FROM posts WHERE user_id = $1) SELECT * FROM posts WHERE id = $2)--",
     R"--(statement select
read posts
filter eq (posts).id = $2
select (posts).*
#1 filter eq posts.user_id = $1
#1 select posts.*
#1 derived (posts)
#1 output * = posts.*)--"},
    {R"--(SELECT * FROM (SELECT DISTINCT ON (user_id) id, user_id, random() AS r, lower(title) FROM posts) AS s(a))--",
     R"--(statement select
read posts
select (s).*
#1 select posts.id
#1 select posts.user_id
#1 select posts.title
#1 derived (s) (a)
#1 no pushdown: DISTINCT ON
#1 not merged: DISTINCT
#1 output id = posts.id
#1 output user_id = posts.user_id
#1 output r = (an expression)
#1 output lower = (an expression))--"},
    // ORDER BY n at or behind a `*` counts the columns it stands for: the catalog tells (resolve_facts).
    {R"--(SELECT id, * FROM posts ORDER BY 2 DESC, 1)--",
     R"--(statement select
read posts
select posts.id
select posts.*
order ?{}.#2 DESC
order posts.id)--"},
});

std::string facts_text(std::string_view statement) {
  const auto outcome = extract_facts(statement);
  REQUIRE(outcome);
  return render_facts(*outcome.facts);
}

const Predicate& only_predicate(const QueryFacts& facts) {
  REQUIRE(facts.blocks.size() >= 1);
  REQUIRE(facts.blocks[0].predicates.size() == 1);
  return facts.blocks[0].predicates[0];
}

QueryFacts facts_of(std::string_view statement) {
  auto outcome = extract_facts(statement);
  REQUIRE(outcome);
  return std::move(*outcome.facts);
}

}  // namespace

TEST_CASE("statements yield their facts", "[analyzer][facts]") {
  STATIC_REQUIRE(kCases.size() >= 60);
  for (const auto& [statement, expected] : kCases) {
    INFO(statement);
    CHECK(facts_text(statement) == std::string(expected) + "\n");
  }
}

TEST_CASE("a statement that does not parse gives the parser's error and position", "[analyzer][facts]") {
  const auto outcome = extract_facts("SELECT * FROM t WHERE AND x = 1");
  REQUIRE_FALSE(outcome);
  REQUIRE(outcome.error);
  CHECK(outcome.error->message.find("syntax error") != std::string::npos);
  CHECK(outcome.error->position == 23);
}

TEST_CASE("operands say whether they are literals or parameters", "[analyzer][facts]") {
  const auto literal = facts_of("SELECT * FROM orders WHERE status = 'pending'");
  CHECK(only_predicate(literal).operands == std::vector{Operand{Operand::Kind::Literal, "'pending'", 0}});
  CHECK(only_predicate(literal).constant());

  const auto parameter = facts_of("SELECT * FROM orders WHERE status = $3");
  CHECK(only_predicate(parameter).operands == std::vector{Operand{Operand::Kind::Parameter, "$3", 3}});
  CHECK_FALSE(only_predicate(parameter).constant());

  const auto cast_parameter = facts_of("SELECT * FROM orders WHERE day = $2::date");
  CHECK(only_predicate(cast_parameter).operands[0].kind == Operand::Kind::Parameter);
  CHECK(only_predicate(cast_parameter).operands[0].parameter == 2);

  const auto expression = facts_of("SELECT * FROM orders WHERE created_at > now()");
  CHECK(only_predicate(expression).operands[0].kind == Operand::Kind::Expression);
  CHECK_FALSE(only_predicate(expression).constant());

  // Null and boolean tests compare with nothing that could vary: always constant.
  CHECK(only_predicate(facts_of("SELECT * FROM orders WHERE deleted_at IS NULL")).constant());
  CHECK(only_predicate(facts_of("SELECT * FROM tasks WHERE NOT archived")).constant());
}

TEST_CASE("expression subjects keep their column and canonical text", "[analyzer][facts]") {
  const auto facts = facts_of("SELECT * FROM public.users WHERE LOWER(users.Email) = $1");
  const auto& subject = only_predicate(facts).subject;
  CHECK(subject.table == TableName{"public", "users", false});
  CHECK(subject.column == "email");
  CHECK(subject.expression == "lower(email)");
}

TEST_CASE("ambiguous columns keep their candidates and a reason", "[analyzer][facts]") {
  const auto facts = facts_of("SELECT * FROM orders o JOIN users u ON o.user_id = u.id WHERE status = $1");
  const auto& subject = only_predicate(facts).subject;
  CHECK(subject.ambiguous());
  CHECK(subject.candidates == std::vector{TableName{"", "orders", false}, TableName{"", "users", false}});
  CHECK(subject.ambiguity == "several relations in scope");

  const auto unknown = facts_of("SELECT * FROM orders o WHERE x.id = 1");
  CHECK(only_predicate(unknown).subject.ambiguity == "no relation named x in scope");
}

TEST_CASE("constant predicates that are the same in every execution are partial-index material", "[analyzer][facts]") {
  const std::array executions = {
      facts_of("SELECT * FROM jobs WHERE state = 'queued' AND queue = 'mail' AND deleted_at IS NULL AND id > $1"),
      facts_of("SELECT * FROM jobs WHERE state = 'queued' AND queue = 'sms' AND deleted_at IS NULL AND id > $1"),
      facts_of("SELECT * FROM jobs WHERE state = 'queued' AND queue = 'push' AND deleted_at IS NULL AND id > $1"),
  };
  const auto stable = stable_constant_predicates(executions);
  REQUIRE(stable.size() == 2);
  CHECK(stable[0].subject.column == "state");
  CHECK(stable[0].operands[0].text == "'queued'");
  CHECK(stable[1].subject.column == "deleted_at");

  CHECK(stable_constant_predicates(std::span<const QueryFacts>{}).empty());
  // One execution cannot show variation: every constant predicate counts.
  CHECK(stable_constant_predicates(std::span(executions.data(), 1)).size() == 3);
}

TEST_CASE("facts of a normalized statement have parameters where literals were", "[analyzer][facts]") {
  CHECK(facts_text("SELECT * FROM orders WHERE status = $1 AND deleted_at IS NULL LIMIT $2") ==
        "statement select\nread orders\nfilter eq orders.status = $1\nfilter null orders.deleted_at IS NULL\n"
        "select orders.*\nlimit\n");
}

}  // namespace pgadvisor::analyzer
