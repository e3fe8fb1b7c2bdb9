-- Whether the shadow's database exists on its server ($1: its name), and whether it is a template database
-- (never a shadow: every CREATE DATABASE copies it).
SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS present,
       coalesce((SELECT datistemplate FROM pg_database WHERE datname = $1), false) AS is_template
