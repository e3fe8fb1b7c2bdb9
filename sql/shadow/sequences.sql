-- Sequence positions of the source, so that rows inserted on the shadow get fresh keys.
SELECT schemaname AS schema, sequencename AS name, last_value
FROM pg_sequences
WHERE last_value IS NOT NULL
ORDER BY 1, 2
