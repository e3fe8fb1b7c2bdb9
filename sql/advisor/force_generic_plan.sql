-- Plans for statements with $n parameters and no values: the generic plan (PostgreSQL 15 has no
-- EXPLAIN (GENERIC_PLAN)). Session-local, and allowed in a read-only transaction.
SET plan_cache_mode = force_generic_plan
