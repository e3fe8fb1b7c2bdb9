-- Store (SQLite): one snapshot's header. ?1 server_key … ?19 search_path, in the order of the columns below.
INSERT INTO server_snapshots (server_key, system_identifier, host, port, database, server_version, server_version_num,
                              taken_at, duration_ms, statements_version, stats_reset, dealloc, hidden_entries,
                              blocks_hit, blocks_read, connections, max_connections, settings,
                              search_path)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
