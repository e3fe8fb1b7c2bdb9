-- How many tables, views, materialized views, sequences and foreign tables a database holds outside the system
-- schemas: a non-empty database that is not a shadow is never written to.
SELECT count(*) AS tables
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
