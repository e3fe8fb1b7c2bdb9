-- The server's identity and the snapshot's time. system_identifier comes from pg_control_system(), which
-- only some roles may call: without the privilege it is NULL (CASE evaluates the call only when allowed).
SELECT current_setting('server_version') AS version,
       current_setting('server_version_num')::int AS version_num,
       current_database() AS database,
       current_setting('port')::int AS port,
       host(inet_server_addr()) AS host,
       CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE')
            THEN (pg_control_system()).system_identifier::text END AS system_identifier,
       current_schemas(false)::text[] AS search_path,
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS taken_at
