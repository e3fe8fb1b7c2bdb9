-- A few statements of the demo shop's workload, as an application sends them (literals, parameters,
-- comments, several per line), for `pgadvisor fingerprint` in `make demo`.
SELECT id, email FROM customers WHERE lower(email) = 'ann@example.com';
SELECT id, email FROM customers WHERE lower(email) = 'bob@example.com';
SELECT * FROM orders WHERE customer_id = 42 AND status = 'pending' ORDER BY created_at DESC LIMIT 20;
SELECT * FROM orders WHERE customer_id = $1 AND status = 'pending' ORDER BY created_at DESC LIMIT 20;
/* dashboard */ SELECT date_trunc('day', created_at) AS day, count(*), sum(total)
  FROM orders WHERE created_at >= now() - interval '30 days' GROUP BY 1 ORDER BY 1;
SELECT o.id, i.product_id, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id
 WHERE o.customer_id IN (1, 2, 3) AND o.deleted_at IS NULL;
UPDATE orders SET status = 'shipped' WHERE id = 1001; DELETE FROM carts WHERE updated_at < '2026-01-01';
SELECT id FROM jobs WHERE state = 'queued' ORDER BY priority DESC, id LIMIT 10 FOR UPDATE SKIP LOCKED;
SELECT 0x1F AS newer_syntax;
