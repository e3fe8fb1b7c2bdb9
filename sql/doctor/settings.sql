-- The settings doctor reads; a setting the role may not see, or that no loaded library defines, has no row.
-- $1: the names, as a text array.
SELECT name, setting, unit
FROM pg_settings
WHERE name = ANY ($1::text[])
