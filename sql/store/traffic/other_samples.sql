-- The traffic samples of the files other than :path whose sampled time overlaps [:first_time, :last_time].
SELECT path, first_time, last_time, has_pids, with_pid, without_pid
FROM log_traffic_samples
WHERE path <> :path AND first_time <= :last_time AND last_time >= :first_time
ORDER BY path
