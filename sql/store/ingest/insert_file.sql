-- A file's first commit; no row returned means another ingest stored the same file first.
INSERT INTO log_files (path, device, inode, size, head_bytes, head_hash, format, prefix, offset, lines, generation,
                       updated_at)
VALUES (:path, :device, :inode, :size, :head_bytes, :head_hash, :format, :prefix, 0, 0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
ON CONFLICT (head_bytes, head_hash) DO NOTHING
RETURNING id, generation
