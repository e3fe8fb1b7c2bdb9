-- The leaf partitions of a partitioned table that can hold an index (tables, not foreign tables), at any depth,
-- by schema and name; no row for any other table. $1: the table, qualified and quoted as to_regclass reads it.
SELECT n.nspname AS schema, c.relname AS name
FROM pg_partition_tree(to_regclass($1)) AS t
JOIN pg_class AS c ON c.oid = t.relid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE t.level > 0 AND t.isleaf AND c.relkind = 'r'
ORDER BY n.nspname, c.relname
