-- The tables of an SQLite file (not SQLite's own), to tell a pgadvisor store from another program's database.
SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name
