-- $1: the sequence's qualified name (quoted by pg::quote_qualified); $2: the source's last value. A sequence
-- the shadow does not have is skipped (to_regclass gives NULL, and setval of NULL is NULL).
SELECT setval(to_regclass($1), $2::bigint)
