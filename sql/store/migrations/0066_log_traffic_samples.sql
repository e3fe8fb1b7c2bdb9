-- A sample of each ingested log file's first entries (collector/traffic_overlap.hpp), so that a later ingest call
-- can tell a file that holds traffic already read from another file (the csvlog of a server whose stderr log was
-- ingested before) and skip it rather than count every statement twice.
CREATE TABLE log_traffic_samples (
  path        TEXT PRIMARY KEY,  -- absolute path as given to ingest
  first_time  TEXT NOT NULL,     -- earliest and latest entry time sampled, "YYYY-MM-DD HH:MM:SS"
  last_time   TEXT NOT NULL,
  has_pids    INTEGER NOT NULL,  -- 1 when every sampled entry had a pid
  with_pid    TEXT NOT NULL,     -- entry hashes with the pid, 16 hex digits each, sorted, comma-separated
  without_pid TEXT NOT NULL      -- the same hashes without the pid
) STRICT;
