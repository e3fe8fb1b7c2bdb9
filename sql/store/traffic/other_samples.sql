-- The traffic samples of the files other than ?1 whose sampled time overlaps [?2, ?3].
SELECT path, first_time, last_time, has_pids, with_pid, without_pid
FROM log_traffic_samples
WHERE path <> ?1 AND first_time <= ?3 AND last_time >= ?2
ORDER BY path
