-- The compare-and-set of a batch's commit: the file's row moves on only if no other ingest committed since this
-- one read it (generation :generation); no row returned means one did. Its head grows with the file (up to 64 KiB),
-- unless another row has that head already.
UPDATE log_files SET generation = generation + 1, path = :path, device = :device, inode = :inode, size = :size,
  head_bytes = CASE WHEN taken.n = 0 THEN :head_bytes ELSE head_bytes END,
  head_hash = CASE WHEN taken.n = 0 THEN :head_hash ELSE head_hash END,
  format = coalesce(format, :format), prefix = coalesce(prefix, :prefix), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM (SELECT count(*) AS n FROM log_files WHERE head_bytes = :head_bytes AND head_hash = :head_hash AND id <> :id) AS taken
WHERE id = :id AND generation = :generation
RETURNING generation
