-- Store (SQLite): the indexes of a snapshot's tables (?1).
SELECT schema, table_name, name, method, definition, keys, included, predicate, is_unique, is_primary,
       is_constraint, valid, ready, size_bytes, scans
FROM index_snapshots
WHERE snapshot_id = ?1
ORDER BY schema, table_name, name
