-- The gate benchmark's guarded queries (bench/gate/run.sh) over examples/ci's schema and seed: the example's four
-- (sub-millisecond index reads and a write) and two that take milliseconds, where time noise can reach the
-- gate's minimum effect of 1 ms: an aggregate over every order and a join over every open job.

-- name: orders_of_customer
-- params: 42
-- params: 1717
SELECT id, status, total FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20;

-- name: job_matching
-- params: 'postgres', 'open'
-- params: 'rust', 'open'
SELECT j.id, c.email, j.skill
FROM jobs AS j JOIN customers AS c ON c.id = j.customer_id
WHERE j.skill = $1 AND j.state = $2
ORDER BY j.posted_at DESC LIMIT 50;

-- name: pending_orders_of_day
-- params: '2026-01-10'
SELECT count(*) AS orders, sum(total) AS total
FROM orders WHERE status = 'pending' AND created_at >= $1::date AND created_at < $1::date + 1;

-- name: ship_order
-- params: 1001
UPDATE orders SET status = 'shipped' WHERE id = $1 RETURNING id, status;

-- name: revenue_by_status
SELECT status, count(*), sum(total), avg(total) FROM orders GROUP BY status ORDER BY status;

-- name: open_jobs_by_region
SELECT c.region, j.skill, count(*)
FROM jobs AS j JOIN customers AS c ON c.id = j.customer_id
WHERE j.state = 'open'
GROUP BY c.region, j.skill ORDER BY 1, 2;
