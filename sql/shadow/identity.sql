-- Who a database is (pg::DatabaseIdentity's columns, as in catalog/server.sql), so that pgadvisor never copies into
-- or benchmarks on the source itself: the cluster's system identifier (NULL without the privilege to read it), the
-- database, the mark `shadow create` leaves on a shadow (the database setting pgadvisor.shadow_of,
-- "<system identifier>/<database>" of its source), whether it is a template database (never a shadow: every
-- CREATE DATABASE copies it), and whether its server is pgadvisor's sandbox (pgadvisor.sandbox = on in the
-- configuration `pgadvisor sandbox up` writes).
SELECT CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE')
            THEN (pg_control_system()).system_identifier::text END AS system_identifier,
       current_database() AS database,
       current_setting('port')::int AS port,
       host(inet_server_addr()) AS host,
       current_setting('server_version') AS version,
       current_setting('server_version_num')::int AS version_num,
       nullif(current_setting('pgadvisor.shadow_of', true), '') AS shadow_of,
       coalesce((SELECT datistemplate FROM pg_database WHERE datname = current_database()), false) AS is_template,
       coalesce(current_setting('pgadvisor.sandbox', true), '') = 'on' AS sandbox
