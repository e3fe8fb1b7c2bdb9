-- The compare-and-set of a batch's commit: the file's row moves on only if no other ingest committed since this
-- one read it (generation ?2); no row returned means one did. Its head grows with the file (up to 64 KiB), unless
-- another row has that head already.
UPDATE log_files SET generation = generation + 1, path = ?3, device = ?4, inode = ?5, size = ?6,
  head_bytes = CASE WHEN taken.n = 0 THEN ?7 ELSE head_bytes END,
  head_hash = CASE WHEN taken.n = 0 THEN ?8 ELSE head_hash END,
  format = coalesce(format, ?9), prefix = coalesce(prefix, ?10), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM (SELECT count(*) AS n FROM log_files WHERE head_bytes = ?7 AND head_hash = ?8 AND id <> ?1) AS taken
WHERE id = ?1 AND generation = ?2
RETURNING generation
