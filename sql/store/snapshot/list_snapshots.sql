-- Store (SQLite): snapshots of one server (:server_key, or all when empty) taken at or after :since (ISO 8601),
-- oldest first.
SELECT s.id, s.server_key, s.taken_at, s.stats_reset,
       (SELECT count(*) FROM statement_entries AS e WHERE e.snapshot_id = s.id) AS entries
FROM server_snapshots AS s
WHERE (:server_key = '' OR s.server_key = :server_key) AND s.taken_at >= :since
ORDER BY s.taken_at, s.id
