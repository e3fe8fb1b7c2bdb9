-- The queries the CI gate guards (`pgadvisor gate record|check|compare --queries queries.sql`).
-- Each starts with `-- name:`; `-- params:` lines give its parameter sets ($1, $2, … bound as values, never pasted
-- into the SQL); `-- budget:` lines are limits checked on every run, baseline or not.

-- name: orders_of_customer
-- params: 42
-- params: 1717
-- budget: p95 < 50ms
-- budget: buffers < 200
-- budget: plan: no Seq Scan on orders
SELECT id, status, total
FROM orders
WHERE customer_id = $1
ORDER BY created_at DESC
LIMIT 20;

-- name: job_matching
-- params: 'postgres', 'open'
-- params: 'rust', 'open'
-- budget: p95 < 50ms
SELECT j.id, c.email, j.skill
FROM jobs AS j
JOIN customers AS c ON c.id = j.customer_id
WHERE j.skill = $1 AND j.state = $2
ORDER BY j.posted_at DESC
LIMIT 50;

-- name: pending_orders_of_day
-- params: '2026-01-10'
-- budget: mean < 20ms
SELECT count(*) AS orders, sum(total) AS total
FROM orders
WHERE status = 'pending'
  AND created_at >= $1::date
  AND created_at < $1::date + 1;

-- name: ship_order
-- params: 1001
-- budget: max < 100ms
UPDATE orders SET status = 'shipped' WHERE id = $1 RETURNING id, status;
