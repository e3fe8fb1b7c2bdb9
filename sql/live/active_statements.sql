-- The statements running now in this database, for `advise --pg-stat-activity` (read every 100 ms): client
-- backends but this session, active ones, and those of other roles whose state and text this role may not see
-- without pg_read_all_stats (hidden). A pid and its query_start tell one execution from the next. A text as
-- long as track_activity_query_size allows was most likely cut there (the server cuts it one byte short of the
-- setting, at a character boundary: up to 3 bytes more for UTF-8).
SELECT a.pid,
       to_char(a.query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS query_start,
       a.query,
       a.state IS NULL AS hidden,
       coalesce(octet_length(a.query) >= s.setting::int - 4, false) AS truncated
FROM pg_stat_activity AS a
CROSS JOIN pg_settings AS s
WHERE s.name = 'track_activity_query_size'
  AND a.backend_type = 'client backend'
  AND a.pid <> pg_backend_pid()
  AND a.datname = current_database()
  AND (a.state = 'active' OR a.state IS NULL)
