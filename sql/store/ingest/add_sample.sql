INSERT OR IGNORE INTO log_class_samples (fingerprint, sample_kind, hash, text) VALUES (:fingerprint, :sample_kind, :hash, :text)
