-- Where a gate baseline is taken: the server's version (a plan or a time from another major version does not
-- compare) and the size of the database (the data the queries ran on).
SELECT current_setting('server_version') AS version,
       current_setting('server_version_num')::int AS version_num,
       pg_database_size(current_database()) AS database_bytes
