-- Every user table, partitioned table, materialized view and foreign table with its size and cumulative activity,
-- and for a partition the partitioned table it belongs to, in one round trip whatever the number of tables. The
-- statistics functions are called directly rather than through pg_stat_all_tables/pg_statio_all_tables, whose
-- per-table index aggregates cost seconds at 10,000 tables; index scans and the size of indexes are summed by the
-- collector from catalog/indexes instead, and a partitioned table's rows and activity from its partitions'.
SELECT c.oid::bigint AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       inh.inhparent::bigint AS parent_oid,
       c.reltuples::float8 AS reltuples, c.relpages::bigint AS relpages,
       pg_relation_size(c.oid) AS size_bytes,
       CASE WHEN c.reltoastrelid <> 0 THEN pg_relation_size(c.reltoastrelid) ELSE 0 END AS toast_bytes,
       pg_stat_get_live_tuples(c.oid) AS live_tuples, pg_stat_get_dead_tuples(c.oid) AS dead_tuples,
       pg_stat_get_numscans(c.oid) AS seq_scans, pg_stat_get_tuples_returned(c.oid) AS seq_tuples_read,
       pg_stat_get_tuples_inserted(c.oid) AS inserts, pg_stat_get_tuples_updated(c.oid) AS updates,
       pg_stat_get_tuples_deleted(c.oid) AS deletes, pg_stat_get_tuples_hot_updated(c.oid) AS hot_updates,
       to_char(greatest(pg_stat_get_last_analyze_time(c.oid), pg_stat_get_last_autoanalyze_time(c.oid))
               AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_analyze,
       pg_stat_get_blocks_fetched(c.oid) - pg_stat_get_blocks_hit(c.oid) AS heap_blocks_read,
       pg_stat_get_blocks_hit(c.oid) AS heap_blocks_hit
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits AS inh ON inh.inhrelid = c.oid AND c.relispartition
WHERE c.relkind IN ('r', 'p', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY n.nspname, c.relname
