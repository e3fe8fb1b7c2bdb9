-- Store (SQLite): one index of a snapshot's catalog; keys and INCLUDE columns as PostgreSQL array literals.
INSERT INTO index_snapshots (snapshot_id, schema, table_name, name, method, definition, keys, included, predicate,
                             is_unique, is_primary, is_constraint, valid, ready, size_bytes, scans)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
