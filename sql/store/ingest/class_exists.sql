SELECT 1 FROM query_classes WHERE fingerprint = :fingerprint
