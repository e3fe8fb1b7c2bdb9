-- A log file is known by its content, not by its path: the hash of its first bytes (up to 64 KiB, decompressed).
-- A file renamed by rotation, reached through a symlink or a hard link, or copied (another inode, the same first
-- bytes) is the same file and is read on from its offset; device, inode and path say where it was seen last.
-- `generation` grows with each commit: a batch commits only if it is unchanged since the batch's progress was read
-- (a compare-and-set, so that concurrent ingests of one file never count it twice).
-- `offset` and `lines` are the progress of ingests without filters (every entry before `offset` is counted);
-- `log_file_passes` keeps that of ingests with filters (the entries before its offset that match its filters).
CREATE TABLE log_files_v2 (
  id         INTEGER PRIMARY KEY,
  path       TEXT NOT NULL,           -- absolute path as last given to ingest
  device     INTEGER NOT NULL,
  inode      INTEGER NOT NULL,
  size       INTEGER NOT NULL,        -- bytes on disk at the last commit (compressed size for .gz/.zst)
  head_bytes INTEGER,                 -- how many first (decompressed) bytes head_hash covers; NULL: stored before 0055
  head_hash  INTEGER,                 -- their 64-bit FNV-1a hash
  format     TEXT,                    -- "stderr", "csvlog", "jsonlog", "syslog", as read first
  prefix     TEXT,                    -- the log_line_prefix used (stderr, syslog)
  offset     INTEGER NOT NULL,        -- decompressed bytes consumed, always at an entry boundary
  lines      INTEGER NOT NULL,        -- lines consumed (for file:line in messages)
  generation INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (head_bytes, head_hash)
) STRICT;

INSERT INTO log_files_v2 (path, device, inode, size, offset, lines, generation, updated_at)
SELECT path, device, inode, size, offset, lines, 0, updated_at FROM log_files;
DROP TABLE log_files;
ALTER TABLE log_files_v2 RENAME TO log_files;

-- One row per file and set of filters ('' where a filter is not set).
CREATE TABLE log_file_passes (
  file        INTEGER NOT NULL REFERENCES log_files (id) ON DELETE CASCADE,
  database    TEXT NOT NULL,
  user_name   TEXT NOT NULL,
  application TEXT NOT NULL,
  since       TEXT NOT NULL,
  until       TEXT NOT NULL,
  offset      INTEGER NOT NULL,
  lines       INTEGER NOT NULL,
  PRIMARY KEY (file, database, user_name, application, since, until)
) STRICT;
