-- Store (SQLite): one table of a snapshot's catalog, in the order of the columns below.
INSERT INTO table_snapshots (snapshot_id, schema, name, kind, reltuples, relpages, size_bytes, total_bytes,
                             live_tuples, dead_tuples, seq_scans, seq_tuples_read, index_scans, inserts, updates,
                             deletes, hot_updates, heap_blocks_hit, heap_blocks_read, last_analyze)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
