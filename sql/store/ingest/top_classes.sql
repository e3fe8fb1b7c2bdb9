SELECT s.fingerprint, c.normalized, c.kind, s.calls, s.timed_calls, s.total_us, s.min_us, s.max_us,
       s.sum_squares_us2, s.histogram, s.prepare_count, s.prepare_us, s.errors, s.first_seen, s.last_seen
FROM log_class_stats s JOIN query_classes c USING (fingerprint)
WHERE :database IS NULL OR EXISTS (SELECT 1 FROM log_class_breakdown b WHERE b.fingerprint = s.fingerprint
                            AND b.dimension = 'database' AND b.value = :database)
