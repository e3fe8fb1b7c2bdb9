-- Planner and capacity settings, with memory settings converted to bytes.
-- $1: the names, as a text array. A setting the role may not read has no row.
SELECT name, setting,
       CASE WHEN unit IS NOT NULL AND vartype = 'integer' AND unit LIKE '%B'
            THEN pg_size_bytes(current_setting(name)) END AS bytes
FROM pg_settings
WHERE name = ANY ($1::text[])
