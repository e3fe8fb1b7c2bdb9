INSERT INTO log_files (path, device, inode, size, offset, lines, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
ON CONFLICT (path) DO UPDATE SET device = excluded.device, inode = excluded.inode, size = excluded.size,
  offset = excluded.offset, lines = excluded.lines, updated_at = excluded.updated_at
