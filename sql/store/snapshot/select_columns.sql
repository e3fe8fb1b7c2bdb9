-- Store (SQLite): the columns of a snapshot's tables (:snapshot_id), table by table in column order.
SELECT schema, table_name, name, type, not_null, analyzed, null_frac, n_distinct, correlation, average_width,
       most_common_values, most_common_frequencies, histogram_bounds
FROM column_snapshots
WHERE snapshot_id = :snapshot_id
ORDER BY schema, table_name, position
