-- A writing connection: write-ahead log (readers do not block the writer), fsync at checkpoints only, and
-- foreign keys enforced.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
