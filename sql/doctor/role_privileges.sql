-- Can this role read every session's statistics and query texts (superuser or pg_read_all_stats)?
SELECT r.rolsuper AS superuser,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats
FROM pg_roles AS r
WHERE r.rolname = current_user
