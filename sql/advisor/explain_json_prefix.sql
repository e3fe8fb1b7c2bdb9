-- Prefix of the what-if EXPLAIN: the workload statement follows it (statements cannot be parameters).
EXPLAIN (FORMAT JSON)
