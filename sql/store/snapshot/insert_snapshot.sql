-- Store (SQLite): one snapshot's header; settings as a JSON object, the search path as a JSON array.
INSERT INTO server_snapshots (server_key, system_identifier, host, port, database, server_version, server_version_num,
                              taken_at, duration_ms, statements_version, stats_reset, dealloc, hidden_entries,
                              blocks_hit, blocks_read, connections, max_connections, settings,
                              search_path)
VALUES (:server_key, :system_identifier, :host, :port, :database, :server_version, :server_version_num, :taken_at,
        :duration_ms, :statements_version, :stats_reset, :dealloc, :hidden_entries, :blocks_hit, :blocks_read,
        :connections, :max_connections, :settings, :search_path)
