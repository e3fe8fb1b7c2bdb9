-- Prefix of the plan-only EXPLAIN of `pgadvisor gate compare`: the guarded statement follows it, its parameter
-- values bound as $n parameters. It plans without running, before and after the migration inside one transaction
-- that is rolled back (gate/begin, gate/rollback), so that the plan's shape can be compared node by node.
EXPLAIN (FORMAT JSON)
