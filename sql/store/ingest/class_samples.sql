SELECT sample_kind, text FROM log_class_samples WHERE fingerprint = :fingerprint ORDER BY sample_kind, hash
