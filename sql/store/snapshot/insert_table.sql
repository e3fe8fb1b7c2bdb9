-- Store (SQLite): one table of a snapshot's catalog.
INSERT INTO table_snapshots (snapshot_id, schema, name, kind, reltuples, relpages, size_bytes, total_bytes,
                             live_tuples, dead_tuples, seq_scans, seq_tuples_read, index_scans, inserts, updates,
                             deletes, hot_updates, heap_blocks_hit, heap_blocks_read, last_analyze,
                             partition_of_schema, partition_of)
VALUES (:snapshot_id, :schema, :name, :kind, :reltuples, :relpages, :size_bytes, :total_bytes, :live_tuples,
        :dead_tuples, :seq_scans, :seq_tuples_read, :index_scans, :inserts, :updates, :deletes, :hot_updates,
        :heap_blocks_hit, :heap_blocks_read, :last_analyze, :partition_of_schema, :partition_of)
