INSERT OR IGNORE INTO log_class_samples (fingerprint, sample_kind, hash, text) VALUES (?1, ?2, ?3, ?4)
