DELETE FROM log_class_samples WHERE fingerprint = :fingerprint AND sample_kind = :sample_kind AND hash NOT IN (
  SELECT hash FROM log_class_samples WHERE fingerprint = :fingerprint AND sample_kind = :sample_kind ORDER BY hash LIMIT :keep)
