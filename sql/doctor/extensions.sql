-- Which of the extensions pgadvisor uses are installed on the server, and created in this database.
-- $1: the names, as a text array.
SELECT name, default_version, installed_version
FROM pg_available_extensions
WHERE name = ANY ($1::text[])
