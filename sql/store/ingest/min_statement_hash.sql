-- The smallest statement-sample hash stored for a class (its example's, as bottom-k keeps the smallest).
SELECT min(hash) FROM log_class_samples WHERE fingerprint = ?1 AND sample_kind = 'statement'
