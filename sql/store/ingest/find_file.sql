-- The stored log file whose first head_bytes bytes hash to head_hash (the same content, whatever its path).
SELECT id, generation, path, device, inode, size, head_bytes, format, prefix, offset, lines
FROM log_files WHERE head_bytes = ?1 AND head_hash = ?2
