-- A template (pg::fill_template): statistics for a table that got a new index, so that an expression index has
-- statistics on its expression as it would after the next autovacuum. Placeholder: table
-- (pg::SqlFragment::qualified).
ANALYZE {table}
