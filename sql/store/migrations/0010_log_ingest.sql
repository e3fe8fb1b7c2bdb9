-- Log ingest: per-class statistics read from slow-query logs, and each file's progress, committed together in
-- one transaction per batch so that re-reading a file never counts twice (DESIGN.md, "The store").
CREATE TABLE log_files (
  path       TEXT PRIMARY KEY,        -- absolute path as given to ingest
  device     INTEGER NOT NULL,
  inode      INTEGER NOT NULL,
  size       INTEGER NOT NULL,        -- bytes on disk at the last commit (compressed size for .gz/.zst)
  offset     INTEGER NOT NULL,        -- decompressed bytes consumed, always at an entry boundary
  lines      INTEGER NOT NULL,        -- lines consumed (for file:line in messages)
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE log_class_stats (
  fingerprint    TEXT PRIMARY KEY REFERENCES query_classes (fingerprint),
  calls          INTEGER NOT NULL,    -- statement: and execute entries
  timed_calls    INTEGER NOT NULL,    -- of which with a duration
  total_us       INTEGER NOT NULL,    -- exact sums in microseconds
  min_us         INTEGER NOT NULL,
  max_us         INTEGER NOT NULL,
  sum_squares_us2 TEXT NOT NULL,    -- Σ duration² in us², exact: a decimal 128-bit integer
  histogram      TEXT NOT NULL,       -- DDSketch buckets at 1 %, "zero;index:count,…"
  prepare_count  INTEGER NOT NULL,    -- parse and bind entries
  prepare_us     INTEGER NOT NULL,
  errors         INTEGER NOT NULL,
  first_seen     TEXT,                -- as the log writes it
  last_seen      TEXT,
  plan           TEXT,                -- the slowest auto_explain plan
  plan_us        INTEGER
) STRICT;

-- Calls and time per database, user and application.
CREATE TABLE log_class_breakdown (
  fingerprint TEXT NOT NULL REFERENCES query_classes (fingerprint),
  dimension   TEXT NOT NULL CHECK (dimension IN ('database', 'user', 'application')),
  value       TEXT NOT NULL,
  calls       INTEGER NOT NULL,
  total_us    INTEGER NOT NULL,
  PRIMARY KEY (fingerprint, dimension, value)
) STRICT;

-- Bottom-k samples (the smallest FNV-1a hashes) of raw statements and of parameter sets.
CREATE TABLE log_class_samples (
  fingerprint TEXT NOT NULL REFERENCES query_classes (fingerprint),
  sample_kind TEXT NOT NULL CHECK (sample_kind IN ('statement', 'parameters')),
  hash        INTEGER NOT NULL,
  text        TEXT NOT NULL,
  PRIMARY KEY (fingerprint, sample_kind, hash)
) STRICT;

-- Totals of everything read, including what has no class (unparsable statements, errors without STATEMENT).
CREATE TABLE log_ingest_totals (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
