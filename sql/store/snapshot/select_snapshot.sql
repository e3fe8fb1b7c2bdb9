-- Store (SQLite): a snapshot's header by id (:id).
SELECT system_identifier, host, port, database, server_version, server_version_num, taken_at, duration_ms,
       statements_version, stats_reset, dealloc, hidden_entries, blocks_hit, blocks_read, connections,
       max_connections, settings, search_path
FROM server_snapshots
WHERE id = :id
