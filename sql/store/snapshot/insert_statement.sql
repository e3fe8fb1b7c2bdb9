-- Store (SQLite): one pg_stat_statements entry of a snapshot; the other columns (counters) as a JSON object.
INSERT INTO statement_entries (snapshot_id, queryid, userid, dbid, toplevel, user_name, database_name, fingerprint,
                               query, calls, total_exec_time, total_plan_time, rows, shared_blks_hit,
                               shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit,
                               local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read,
                               temp_blks_written, counters)
VALUES (:snapshot_id, :queryid, :userid, :dbid, :toplevel, :user_name, :database_name, :fingerprint, :query, :calls,
        :total_exec_time, :total_plan_time, :rows, :shared_blks_hit, :shared_blks_read, :shared_blks_dirtied,
        :shared_blks_written, :local_blks_hit, :local_blks_read, :local_blks_dirtied, :local_blks_written,
        :temp_blks_read, :temp_blks_written, :counters)
