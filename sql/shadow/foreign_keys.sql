-- Foreign keys of the source, with their columns in key order as JSON arrays: a sampled parent's children
-- keep only the rows whose parent made it into the sample.
SELECT cn.nspname AS child_schema,
       cc.relname AS child_table,
       pn.nspname AS parent_schema,
       pc.relname AS parent_table,
       (SELECT json_agg(a.attname ORDER BY k.ord)
          FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS child_columns,
       (SELECT json_agg(a.attname ORDER BY k.ord)
          FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS parent_columns
FROM pg_constraint AS con
JOIN pg_class AS cc ON cc.oid = con.conrelid
JOIN pg_namespace AS cn ON cn.oid = cc.relnamespace
JOIN pg_class AS pc ON pc.oid = con.confrelid
JOIN pg_namespace AS pn ON pn.oid = pc.relnamespace
WHERE con.contype = 'f'
ORDER BY 1, 2, con.conname
