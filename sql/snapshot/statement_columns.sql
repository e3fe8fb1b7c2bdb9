-- The columns of pg_stat_statements and pg_stat_statements_info as installed in this database (they differ
-- between versions: total_time vs total_exec_time, plan times, WAL, JIT…), and the extension's schema and
-- version. No row: the extension is not created here.
SELECT n.nspname AS schema, e.extversion AS version, c.relname AS view, a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS type
FROM pg_extension AS e
JOIN pg_namespace AS n ON n.oid = e.extnamespace
JOIN pg_class AS c ON c.relnamespace = n.oid AND c.relname IN ('pg_stat_statements', 'pg_stat_statements_info')
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE e.extname = 'pg_stat_statements'
ORDER BY c.relname, a.attnum
