-- The shadow's schema as one hash: relations, columns, indexes (with validity), constraints and triggers outside
-- the system schemas. Equal before and after a benchmark proves that it left no trace.
SELECT md5(coalesce(string_agg(item, E'\n' ORDER BY item), '')) AS fingerprint, count(*) AS objects
FROM (
  SELECT format('relation %s.%s %s', n.nspname, c.relname, c.relkind)
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
    AND n.nspname NOT LIKE 'pg\_temp%'
  UNION ALL
  SELECT format('column %s.%s %s %s %s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                a.attnotnull)
  FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE a.attnum > 0 AND NOT a.attisdropped AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  UNION ALL
  SELECT format('index %s valid=%s', pg_get_indexdef(i.indexrelid), i.indisvalid)
  FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
    AND n.nspname NOT LIKE 'pg\_temp%'
  UNION ALL
  SELECT format('constraint %s.%s %s %s', n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid))
  FROM pg_constraint AS con JOIN pg_class AS c ON c.oid = con.conrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(t.oid)
  FROM pg_trigger AS t
  WHERE NOT t.tgisinternal
) AS objects(item)
