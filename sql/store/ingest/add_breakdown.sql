INSERT INTO log_class_breakdown (fingerprint, dimension, value, calls, total_us) VALUES (:fingerprint, :dimension, :value, :calls, :total_us)
ON CONFLICT (fingerprint, dimension, value) DO UPDATE SET calls = calls + excluded.calls,
  total_us = total_us + excluded.total_us
