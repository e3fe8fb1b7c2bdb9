-- Store (SQLite): one column of a snapshot's catalog; lists as JSON arrays.
INSERT INTO column_snapshots (snapshot_id, schema, table_name, position, name, type, not_null, analyzed, null_frac,
                              n_distinct, correlation, average_width, most_common_values, most_common_frequencies,
                              histogram_bounds)
VALUES (:snapshot_id, :schema, :table_name, :position, :name, :type, :not_null, :analyzed, :null_frac, :n_distinct,
        :correlation, :average_width, :most_common_values, :most_common_frequencies, :histogram_bounds)
