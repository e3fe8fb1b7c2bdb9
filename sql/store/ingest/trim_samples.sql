DELETE FROM log_class_samples WHERE fingerprint = ?1 AND sample_kind = ?2 AND hash NOT IN (
  SELECT hash FROM log_class_samples WHERE fingerprint = ?1 AND sample_kind = ?2 ORDER BY hash LIMIT ?3)
