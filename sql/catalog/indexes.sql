-- Every index on the relations of catalog/tables: definition, key columns or expressions in order
-- (pg_get_indexdef per column), INCLUDE columns, predicate, flags, size and scans, in one round trip.
SELECT x.indrelid::bigint AS table_oid, i.relname AS name, am.amname AS method,
       pg_get_indexdef(x.indexrelid) AS definition,
       ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true)
             FROM generate_series(1, x.indnkeyatts) AS k ORDER BY k) AS keys,
       ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true)
             FROM generate_series(x.indnkeyatts + 1, x.indnatts) AS k ORDER BY k) AS included,
       coalesce(pg_get_expr(x.indpred, x.indrelid, true), '') AS predicate,
       x.indisunique AS is_unique, x.indisprimary AS is_primary,
       EXISTS (SELECT 1 FROM pg_constraint AS con WHERE con.conindid = x.indexrelid
                                                   AND con.contype IN ('p', 'u', 'x')) AS is_constraint,
       x.indisvalid AS valid, x.indisready AS ready,
       pg_relation_size(x.indexrelid) AS size_bytes,
       coalesce(s.idx_scan, 0) AS scans
FROM pg_index AS x
JOIN pg_class AS i ON i.oid = x.indexrelid
JOIN pg_class AS c ON c.oid = x.indrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_am AS am ON am.oid = i.relam
LEFT JOIN pg_stat_all_indexes AS s ON s.indexrelid = x.indexrelid
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY x.indrelid, i.relname
