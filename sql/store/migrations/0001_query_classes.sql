-- The store's shared vocabulary: query classes, one per libpg_query fingerprint, whatever the source
-- (logs, pg_stat_statements, query files) that brought them.
CREATE TABLE query_classes (
  fingerprint TEXT PRIMARY KEY,          -- 16 hex digits, as libpg_query prints it
  normalized  TEXT NOT NULL,             -- pg_query_normalize of the first statement seen
  kind        TEXT NOT NULL,             -- select, insert, update, delete, merge, utility, …
  first_seen  TEXT,                      -- ISO 8601, UTC
  last_seen   TEXT
) STRICT;
