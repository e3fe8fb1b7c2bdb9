INSERT OR REPLACE INTO log_class_stats (fingerprint, calls, timed_calls, total_us, min_us, max_us, sum_squares_us2,
  histogram, prepare_count, prepare_us, errors, first_seen, last_seen, plan, plan_us)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
