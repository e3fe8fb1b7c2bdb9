-- A file stored before its head was kept (migration 0055): known by its path, device and inode.
SELECT id, generation, path, device, inode, size, head_bytes, format, prefix, offset, lines
FROM log_files WHERE head_bytes IS NULL AND path = :path AND device = :device AND inode = :inode
