-- Store (SQLite): a statement class seen in pg_stat_statements joins the shared query_classes (the same
-- fingerprint as a class from the logs is the same class); first_seen/last_seen only ever widen.
-- :seen is the snapshot's time.
INSERT INTO query_classes (fingerprint, normalized, kind, first_seen, last_seen)
VALUES (:fingerprint, :normalized, :kind, :seen, :seen)
ON CONFLICT (fingerprint) DO UPDATE SET
  first_seen = CASE WHEN first_seen IS NULL OR excluded.first_seen < first_seen THEN excluded.first_seen
                    ELSE first_seen END,
  last_seen = CASE WHEN last_seen IS NULL OR excluded.last_seen > last_seen THEN excluded.last_seen
                   ELSE last_seen END
