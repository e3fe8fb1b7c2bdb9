-- The smallest statement-sample hash stored for a class (its example's, as bottom-k keeps the smallest).
SELECT min(hash) AS min_hash FROM log_class_samples WHERE fingerprint = :fingerprint AND sample_kind = 'statement'
