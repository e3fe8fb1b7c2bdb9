-- Keeps (or replaces) a log file's traffic sample.
INSERT OR REPLACE INTO log_traffic_samples (path, first_time, last_time, has_pids, with_pid, without_pid)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
