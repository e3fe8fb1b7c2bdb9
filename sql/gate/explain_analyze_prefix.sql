-- Prefix of a measured run of `pgadvisor gate`: the guarded statement follows it, its parameter values bound as
-- $n parameters. Every run is inside gate/begin's transaction, after gate/savepoint, and undone by
-- gate/rollback_to_savepoint.
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
