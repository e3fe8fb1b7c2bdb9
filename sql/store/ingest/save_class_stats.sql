INSERT OR REPLACE INTO log_class_stats (fingerprint, calls, timed_calls, total_us, min_us, max_us, sum_squares_us2,
  histogram, prepare_count, prepare_us, errors, first_seen, last_seen, plan, plan_us)
VALUES (:fingerprint, :calls, :timed_calls, :total_us, :min_us, :max_us, :sum_squares_us2, :histogram, :prepare_count, :prepare_us, :errors, :first_seen, :last_seen, :plan, :plan_us)
