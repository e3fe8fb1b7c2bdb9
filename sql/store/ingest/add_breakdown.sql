INSERT INTO log_class_breakdown (fingerprint, dimension, value, calls, total_us) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (fingerprint, dimension, value) DO UPDATE SET calls = calls + excluded.calls,
  total_us = total_us + excluded.total_us
