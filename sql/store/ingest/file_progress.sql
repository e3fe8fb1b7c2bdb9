SELECT device, inode, size, offset, lines FROM log_files WHERE path = ?1
