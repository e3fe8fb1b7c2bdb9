-- Every user table, partitioned table and materialized view with its size and cumulative activity, in one
-- round trip whatever the number of tables. Counters are NULL for relations without statistics entries.
SELECT c.oid::bigint AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       c.reltuples::float8 AS reltuples, c.relpages::bigint AS relpages,
       pg_relation_size(c.oid) AS size_bytes,
       pg_total_relation_size(c.oid) AS total_bytes,
       s.n_live_tup AS live_tuples, s.n_dead_tup AS dead_tuples,
       s.seq_scan AS seq_scans, s.seq_tup_read AS seq_tuples_read,
       s.idx_scan AS index_scans, s.idx_tup_fetch AS index_tuples_fetched,
       s.n_tup_ins AS inserts, s.n_tup_upd AS updates, s.n_tup_del AS deletes, s.n_tup_hot_upd AS hot_updates,
       to_char(greatest(s.last_analyze, s.last_autoanalyze) AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_analyze,
       io.heap_blks_read AS heap_blocks_read, io.heap_blks_hit AS heap_blocks_hit
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_all_tables AS s ON s.relid = c.oid
LEFT JOIN pg_statio_all_tables AS io ON io.relid = c.oid
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY n.nspname, c.relname
