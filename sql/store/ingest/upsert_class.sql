INSERT INTO query_classes (fingerprint, normalized, kind, first_seen, last_seen) VALUES (:fingerprint, :normalized, :kind, :first_seen, :last_seen)
ON CONFLICT (fingerprint) DO UPDATE SET
  first_seen = CASE WHEN query_classes.first_seen IS NULL OR excluded.first_seen < query_classes.first_seen
                    THEN excluded.first_seen ELSE query_classes.first_seen END,
  last_seen = CASE WHEN query_classes.last_seen IS NULL OR excluded.last_seen > query_classes.last_seen
                   THEN excluded.last_seen ELSE query_classes.last_seen END
