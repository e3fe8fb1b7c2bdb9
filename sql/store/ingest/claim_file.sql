-- The compare-and-set of a batch's commit: the file's row moves on only if no other ingest committed since this
-- one read it (generation ?2); no row returned means one did.
UPDATE log_files SET generation = generation + 1, path = ?3, device = ?4, inode = ?5, size = ?6, head_bytes = ?7,
  head_hash = ?8, format = coalesce(format, ?9), prefix = coalesce(prefix, ?10),
  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = ?1 AND generation = ?2
RETURNING generation
