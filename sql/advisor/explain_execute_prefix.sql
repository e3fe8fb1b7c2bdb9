-- Prefix of the what-if EXPLAIN of the prepared statement: its NULL arguments follow.
EXPLAIN (FORMAT JSON) EXECUTE pgadvisor_whatif
