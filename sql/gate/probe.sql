-- The machine's probe of `pgadvisor gate`: a fixed CPU-bound statement run before each measured run, so that a
-- check can tell a slower machine (a loaded CI runner: the probe is slower too) from a slower query (it is not).
EXPLAIN (ANALYZE, FORMAT JSON) SELECT sum(g) FROM generate_series(1, 20000) AS g
