SELECT dimension, value, calls, total_us FROM log_class_breakdown WHERE fingerprint = ?1
ORDER BY dimension, total_us DESC, calls DESC, value
