-- Store (SQLite): one pg_stat_statements entry of a snapshot, in the order of the columns below.
INSERT INTO statement_entries (snapshot_id, queryid, userid, dbid, toplevel, user_name, database_name, fingerprint,
                               query, calls, total_exec_time, total_plan_time, rows, shared_blks_hit,
                               shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit,
                               local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read,
                               temp_blks_written, counters)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
