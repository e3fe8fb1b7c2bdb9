-- The database-wide figures of `pgadvisor health`: buffer cache hits and reads of this database, and
-- connections in use (client backends of every database) against max_connections.
SELECT d.blks_hit AS blocks_hit, d.blks_read AS blocks_read,
       (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
       current_setting('max_connections')::int AS max_connections
FROM pg_stat_database AS d
WHERE d.datname = current_database()
