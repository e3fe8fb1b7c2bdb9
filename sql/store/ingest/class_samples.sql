SELECT sample_kind, text FROM log_class_samples WHERE fingerprint = ?1 ORDER BY sample_kind, hash
