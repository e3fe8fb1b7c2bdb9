-- The tables whose rows a shadow copy streams (plain tables and leaf partitions, not those of extensions),
-- with the columns COPY can write (no dropped or generated ones) as a JSON array, size and estimated rows.
SELECT n.nspname AS schema,
       c.relname AS name,
       (SELECT coalesce(json_agg(a.attname ORDER BY a.attnum), '[]')
          FROM pg_attribute AS a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
       pg_table_size(c.oid) AS bytes,
       greatest(c.reltuples, 0)::bigint AS estimated_rows
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
