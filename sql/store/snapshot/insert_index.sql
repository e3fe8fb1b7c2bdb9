-- Store (SQLite): one index of a snapshot's catalog; keys and INCLUDE columns as JSON arrays.
INSERT INTO index_snapshots (snapshot_id, schema, table_name, name, method, definition, keys, included, predicate,
                             is_unique, is_primary, is_constraint, valid, ready, size_bytes, scans, attached_to)
VALUES (:snapshot_id, :schema, :table_name, :name, :method, :definition, :keys, :included, :predicate, :is_unique,
        :is_primary, :is_constraint, :valid, :ready, :size_bytes, :scans, :attached_to)
