-- Keeps (or replaces) a log file's traffic sample.
INSERT OR REPLACE INTO log_traffic_samples (path, first_time, last_time, has_pids, with_pid, without_pid)
VALUES (:path, :first_time, :last_time, :has_pids, :with_pid, :without_pid)
