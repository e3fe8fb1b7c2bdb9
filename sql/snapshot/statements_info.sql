-- When pg_stat_statements was last reset and how many entries it evicted at pg_stat_statements.max
-- (PostgreSQL 14 and later). A template (pg::fill_template). Placeholder: schema, the extension's schema
-- (pg::SqlFragment::identifier).
SELECT to_char(stats_reset AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS stats_reset,
       dealloc
FROM {schema}.pg_stat_statements_info
