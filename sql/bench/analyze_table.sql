-- A template: statistics for a table that got a new index ({table} quoted by pg::quote_qualified), so that an
-- expression index has statistics on its expression as it would after the next autovacuum.
ANALYZE {table}
