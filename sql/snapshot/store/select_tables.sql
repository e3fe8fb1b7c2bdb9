-- Store (SQLite): the tables of a snapshot (?1), in the order they were read.
SELECT schema, name, kind, reltuples, relpages, size_bytes, total_bytes, live_tuples, dead_tuples, seq_scans,
       seq_tuples_read, index_scans, inserts, updates, deletes, hot_updates, heap_blocks_hit, heap_blocks_read,
       last_analyze
FROM table_snapshots
WHERE snapshot_id = ?1
ORDER BY schema, name
