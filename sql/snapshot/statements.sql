-- pg_stat_statements with every column the installed version has, users and databases by name.
-- A template, not sent as is: {columns} becomes the columns that snapshot/statement_columns returned, each
-- as s.<name> quoted by pg::quote_identifier, and {schema} the extension's schema, quoted the same way.
-- No name from anywhere else reaches this text, and it takes no values.
SELECT {columns},
       r.rolname AS pgadvisor_user_name,
       d.datname AS pgadvisor_database_name
FROM {schema}.pg_stat_statements AS s
LEFT JOIN pg_roles AS r ON r.oid = s.userid
LEFT JOIN pg_database AS d ON d.oid = s.dbid
