-- Store (SQLite): the id of the snapshot just inserted on this connection.
SELECT last_insert_rowid() AS id
