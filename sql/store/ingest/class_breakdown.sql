SELECT dimension, value, calls, total_us FROM log_class_breakdown WHERE fingerprint = :fingerprint
ORDER BY dimension, total_us DESC, calls DESC, value
