-- Every index on the relations of catalog/tables: definition, key columns or expressions in order, INCLUDE
-- columns, predicate, flags, size and scans, and for a partition's index the partitioned index it is attached to,
-- in one round trip. pg_get_indexdef(oid, k) is only asked for expression keys (a plain column's name, quoted as
-- it would quote it, comes from pg_attribute), and constraints are joined once rather than searched per index:
-- both matter at tens of thousands of indexes. An index of a partitioned table has no storage and no scans of its
-- own: its size and scans are those of the indexes of its leaf partitions (pg_partition_tree).
SELECT x.indrelid::bigint AS table_oid, i.relname AS name, am.amname AS method,
       pg_get_indexdef(x.indexrelid) AS definition,
       ARRAY(SELECT CASE WHEN x.indkey[k - 1] = 0 THEN pg_get_indexdef(x.indexrelid, k, true)
                         ELSE quote_ident(a.attname) END
             FROM generate_series(1, x.indnkeyatts) AS k
             LEFT JOIN pg_attribute AS a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k - 1]
             ORDER BY k) AS keys,
       ARRAY(SELECT quote_ident(a.attname)
             FROM generate_series(x.indnkeyatts + 1, x.indnatts) AS k
             JOIN pg_attribute AS a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k - 1]
             ORDER BY k) AS included,
       coalesce(pg_get_expr(x.indpred, x.indrelid, true), '') AS predicate,
       x.indisunique AS is_unique, x.indisprimary AS is_primary,
       con.conindid IS NOT NULL AS is_constraint,
       x.indisvalid AS valid, x.indisready AS ready,
       CASE WHEN i.relkind = 'I'
            THEN (SELECT coalesce(sum(pg_relation_size(t.relid)), 0)::bigint
                  FROM pg_partition_tree(x.indexrelid) AS t WHERE t.isleaf)
            ELSE pg_relation_size(x.indexrelid) END AS size_bytes,
       CASE WHEN i.relkind = 'I'
            THEN (SELECT coalesce(sum(pg_stat_get_numscans(t.relid)), 0)::bigint
                  FROM pg_partition_tree(x.indexrelid) AS t WHERE t.isleaf)
            ELSE pg_stat_get_numscans(x.indexrelid) END AS scans,
       coalesce(attached.relname, '') AS attached_to
FROM pg_index AS x
JOIN pg_class AS i ON i.oid = x.indexrelid
JOIN pg_class AS c ON c.oid = x.indrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_am AS am ON am.oid = i.relam
LEFT JOIN (SELECT DISTINCT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) AS con
       ON con.conindid = x.indexrelid
LEFT JOIN pg_inherits AS inh ON inh.inhrelid = x.indexrelid AND i.relispartition
LEFT JOIN pg_class AS attached ON attached.oid = inh.inhparent
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY x.indrelid, i.relname
