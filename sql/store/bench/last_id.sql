-- The id of the benchmark just stored.
SELECT last_insert_rowid() AS id
