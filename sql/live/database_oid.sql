-- The oid of the database this session is connected to: `advise --pg-stat-statements` keeps the
-- pg_stat_statements entries of this database only (their dbid).
SELECT oid::bigint AS oid FROM pg_database WHERE datname = current_database()
