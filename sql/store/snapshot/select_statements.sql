-- Store (SQLite): the pg_stat_statements entries of a snapshot (:snapshot_id).
SELECT queryid, userid, dbid, toplevel, user_name, database_name, fingerprint, query, calls, total_exec_time,
       total_plan_time, rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written,
       local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written,
       counters
FROM statement_entries
WHERE snapshot_id = :snapshot_id
