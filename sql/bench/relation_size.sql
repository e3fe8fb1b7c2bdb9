-- A relation the benchmark built ($1 schema, $2 name): its size with its indexes and TOAST.
SELECT pg_total_relation_size(c.oid) AS total_bytes
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2
