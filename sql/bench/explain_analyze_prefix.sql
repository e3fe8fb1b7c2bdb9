-- Prefix of a measured run on the shadow: the workload statement follows it, its sampled values bound as
-- parameters. Writes run inside a transaction that is rolled back.
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
