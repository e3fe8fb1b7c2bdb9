-- The indexes of the shadow outside the system schemas with their size: compared before and after a script
-- step to find the indexes it built.
SELECT i.indexrelid::bigint AS oid,
       n.nspname AS schema,
       c.relname AS name,
       tn.nspname AS table_schema,
       t.relname AS table_name,
       pg_get_indexdef(i.indexrelid) AS definition,
       pg_relation_size(i.indexrelid) AS size_bytes
FROM pg_index AS i
JOIN pg_class AS c ON c.oid = i.indexrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_class AS t ON t.oid = i.indrelid
JOIN pg_namespace AS tn ON tn.oid = t.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
ORDER BY 1
