-- The stored log file whose first head_bytes bytes hash to head_hash (the same content, whatever its path).
SELECT id, generation, path, device, inode, size, head_bytes, format, prefix, offset, lines
FROM log_files WHERE head_bytes = :head_bytes AND head_hash = :head_hash
