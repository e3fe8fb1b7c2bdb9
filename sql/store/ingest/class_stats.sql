SELECT calls, timed_calls, total_us, min_us, max_us, sum_squares_us2, histogram, prepare_count, prepare_us, errors,
       first_seen, last_seen, plan, plan_us
FROM log_class_stats WHERE fingerprint = :fingerprint
