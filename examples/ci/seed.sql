-- Deterministic seed data for the example (no random()): the same rows on every machine, so that the committed
-- baseline's row counts, result checksums and buffer counts hold in CI. Every table stays under 30,000 rows, so that
-- ANALYZE reads all of them and the planner's statistics (and so the plans) are the same everywhere.
--
-- VACUUM must mark every page all-visible (index-only scans and their buffer counts depend on it). It cannot when
-- the rows' commit is not yet flushed to the WAL (it may not set their hint bits then), as happens right after an
-- asynchronous commit: with synchronous_commit = off (pgadvisor's sandbox) the pages would become all-visible only
-- later, at some autovacuum, and the plans would change between two runs. Commit synchronously here.
SET synchronous_commit = on;
INSERT INTO customers (id, email, region)
SELECT g, 'customer' || g || '@example.com', (ARRAY['north', 'south', 'east', 'west'])[1 + g % 4]
FROM generate_series(1, 2000) AS g;

INSERT INTO orders (id, customer_id, status, total, created_at)
SELECT g,
       1 + (g * 7919) % 2000,
       (ARRAY['pending', 'paid', 'shipped', 'shipped', 'shipped', 'cancelled'])[1 + g % 6],
       ((g * 37) % 50000) / 100.0,
       timestamp '2026-01-01' + g * interval '90 seconds'
FROM generate_series(1, 28000) AS g;

INSERT INTO jobs (id, customer_id, skill, state, posted_at)
SELECT g,
       1 + (g * 104729) % 2000,
       (ARRAY['postgres', 'rust', 'go', 'python', 'css', 'kubernetes', 'terraform', 'java'])[1 + g % 8],
       CASE WHEN g % 5 = 0 THEN 'open' ELSE 'filled' END,
       timestamp '2026-01-01' + g * interval '7 minutes'
FROM generate_series(1, 12000) AS g;

VACUUM ANALYZE customers;
VACUUM ANALYZE orders;
VACUUM ANALYZE jobs;
