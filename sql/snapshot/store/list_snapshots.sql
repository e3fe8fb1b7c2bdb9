-- Store (SQLite): snapshots of one server (?1, or all when empty) taken at or after ?2 (ISO 8601), oldest first.
SELECT s.id, s.server_key, s.taken_at, s.stats_reset,
       (SELECT count(*) FROM statement_entries AS e WHERE e.snapshot_id = s.id) AS entries
FROM server_snapshots AS s
WHERE (?1 = '' OR s.server_key = ?1) AND s.taken_at >= ?2
ORDER BY s.taken_at, s.id
