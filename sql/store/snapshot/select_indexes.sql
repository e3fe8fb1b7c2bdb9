-- Store (SQLite): the indexes of a snapshot's tables (:snapshot_id).
SELECT schema, table_name, name, method, definition, keys, included, predicate, is_unique, is_primary,
       is_constraint, valid, ready, size_bytes, scans, attached_to
FROM index_snapshots
WHERE snapshot_id = :snapshot_id
ORDER BY schema, table_name, name
