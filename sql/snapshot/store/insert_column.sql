-- Store (SQLite): one column of a snapshot's catalog; arrays as PostgreSQL array literals.
INSERT INTO column_snapshots (snapshot_id, schema, table_name, position, name, type, not_null, analyzed, null_frac,
                              n_distinct, correlation, average_width, most_common_values, most_common_frequencies,
                              histogram_bounds)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
