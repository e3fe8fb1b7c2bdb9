-- Does the sandbox's database exist yet? $1: its name.
SELECT count(*) FROM pg_database WHERE datname = $1
