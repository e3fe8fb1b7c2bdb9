-- Whether the shadow's database exists on its server ($1: its name).
SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS present
