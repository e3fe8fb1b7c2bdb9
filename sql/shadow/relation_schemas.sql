-- The schemas of the source's relations whose oids a dump's table of contents lists ($1: an oid array literal),
-- created on the shadow before a dump of selected tables (-t) is restored, since it does not create them.
SELECT DISTINCT n.nspname AS schema
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.oid = ANY ($1::oid[])
ORDER BY 1
