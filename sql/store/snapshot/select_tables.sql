-- Store (SQLite): the tables of a snapshot (:snapshot_id), in the order they were read.
SELECT schema, name, kind, reltuples, relpages, size_bytes, total_bytes, live_tuples, dead_tuples, seq_scans,
       seq_tuples_read, index_scans, inserts, updates, deletes, hot_updates, heap_blocks_hit, heap_blocks_read,
       last_analyze, partition_of_schema, partition_of
FROM table_snapshots
WHERE snapshot_id = :snapshot_id
ORDER BY schema, name
