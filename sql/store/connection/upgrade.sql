-- The connection a read-only command opens for a moment to upgrade an older store's schema.
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
