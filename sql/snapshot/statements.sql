-- pg_stat_statements with every column the installed version has, users and databases by name.
-- A template (pg::fill_template). Placeholders: columns, the columns that snapshot/statement_columns returned, of
-- alias s (pg::SqlFragment::qualified_identifiers), and schema, the extension's schema
-- (pg::SqlFragment::identifier). It takes no values.
SELECT {columns},
       r.rolname AS pgadvisor_user_name,
       d.datname AS pgadvisor_database_name
FROM {schema}.pg_stat_statements AS s
LEFT JOIN pg_roles AS r ON r.oid = s.userid
LEFT JOIN pg_database AS d ON d.oid = s.dbid
