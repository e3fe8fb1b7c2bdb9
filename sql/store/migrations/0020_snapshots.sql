-- Snapshots of a server (pgadvisor snapshot): pg_stat_statements entries and the catalog's tables, columns,
-- indexes and their cumulative activity, one row set per call, so deltas and health work over any window.
-- Arrays (index keys, most common values…) are stored as PostgreSQL array literals ('{a,"b c"}').
CREATE TABLE server_snapshots (
  id                 INTEGER PRIMARY KEY,
  server_key         TEXT NOT NULL,     -- "system identifier/database", else "host:port/database"
  system_identifier  TEXT,              -- pg_control_system(); NULL when the role may not read it
  host               TEXT,
  port               INTEGER NOT NULL,
  database           TEXT NOT NULL,
  server_version     TEXT NOT NULL,
  server_version_num INTEGER NOT NULL,
  taken_at           TEXT NOT NULL,     -- the server's clock, ISO 8601 UTC
  duration_ms        REAL NOT NULL,     -- how long the snapshot took
  statements_version TEXT,              -- pg_stat_statements' version; NULL when not available
  stats_reset        TEXT,              -- pg_stat_statements_info.stats_reset (PostgreSQL 14+)
  dealloc            INTEGER,           -- entries evicted at pg_stat_statements.max since stats_reset
  hidden_entries     INTEGER NOT NULL,  -- entries of other roles this role may not read
  blocks_hit         INTEGER,           -- pg_stat_database of this database
  blocks_read        INTEGER,
  connections        INTEGER,
  max_connections    INTEGER,
  settings           TEXT NOT NULL      -- planner settings, "name=value" lines
) STRICT;
CREATE INDEX server_snapshots_by_server ON server_snapshots (server_key, taken_at);

CREATE TABLE statement_entries (
  snapshot_id         INTEGER NOT NULL REFERENCES server_snapshots (id) ON DELETE CASCADE,
  queryid             INTEGER NOT NULL,
  userid              INTEGER NOT NULL,
  dbid                INTEGER NOT NULL,
  toplevel            INTEGER NOT NULL,
  user_name           TEXT,
  database_name       TEXT,
  fingerprint         TEXT,             -- query_classes.fingerprint; NULL when the text does not parse
  query               TEXT NOT NULL,
  calls               INTEGER NOT NULL,
  total_exec_time     REAL NOT NULL,    -- ms (total_time before PostgreSQL 13)
  total_plan_time     REAL NOT NULL,
  rows                INTEGER NOT NULL,
  shared_blks_hit     INTEGER NOT NULL,
  shared_blks_read    INTEGER NOT NULL,
  shared_blks_dirtied INTEGER NOT NULL,
  shared_blks_written INTEGER NOT NULL,
  local_blks_hit      INTEGER NOT NULL,
  local_blks_read     INTEGER NOT NULL,
  local_blks_dirtied  INTEGER NOT NULL,
  local_blks_written  INTEGER NOT NULL,
  temp_blks_read      INTEGER NOT NULL,
  temp_blks_written   INTEGER NOT NULL,
  counters            TEXT NOT NULL,    -- every other column of the installed version, "name=value" lines
  PRIMARY KEY (snapshot_id, queryid, userid, dbid, toplevel)
) STRICT;
CREATE INDEX statement_entries_by_fingerprint ON statement_entries (fingerprint);

CREATE TABLE table_snapshots (
  snapshot_id      INTEGER NOT NULL REFERENCES server_snapshots (id) ON DELETE CASCADE,
  schema           TEXT NOT NULL,
  name             TEXT NOT NULL,
  kind             TEXT NOT NULL,       -- r table, p partitioned table, m materialized view
  reltuples        REAL NOT NULL,
  relpages         INTEGER NOT NULL,
  size_bytes       INTEGER NOT NULL,
  total_bytes      INTEGER NOT NULL,
  live_tuples      INTEGER NOT NULL,
  dead_tuples      INTEGER NOT NULL,
  seq_scans        INTEGER NOT NULL,
  seq_tuples_read  INTEGER NOT NULL,
  index_scans      INTEGER NOT NULL,
  inserts          INTEGER NOT NULL,
  updates          INTEGER NOT NULL,
  deletes          INTEGER NOT NULL,
  hot_updates      INTEGER NOT NULL,
  heap_blocks_hit  INTEGER NOT NULL,
  heap_blocks_read INTEGER NOT NULL,
  last_analyze     TEXT,
  PRIMARY KEY (snapshot_id, schema, name)
) STRICT;

CREATE TABLE column_snapshots (
  snapshot_id             INTEGER NOT NULL REFERENCES server_snapshots (id) ON DELETE CASCADE,
  schema                  TEXT NOT NULL,
  table_name              TEXT NOT NULL,
  position                INTEGER NOT NULL,
  name                    TEXT NOT NULL,
  type                    TEXT NOT NULL,
  not_null                INTEGER NOT NULL,
  analyzed                INTEGER NOT NULL,
  null_frac               REAL,
  n_distinct              REAL,
  correlation             REAL,
  average_width           INTEGER,
  most_common_values      TEXT,
  most_common_frequencies TEXT,
  histogram_bounds        TEXT,
  PRIMARY KEY (snapshot_id, schema, table_name, position)
) STRICT;

CREATE TABLE index_snapshots (
  snapshot_id   INTEGER NOT NULL REFERENCES server_snapshots (id) ON DELETE CASCADE,
  schema        TEXT NOT NULL,
  table_name    TEXT NOT NULL,
  name          TEXT NOT NULL,
  method        TEXT NOT NULL,
  definition    TEXT NOT NULL,
  keys          TEXT NOT NULL,
  included      TEXT NOT NULL,
  predicate     TEXT NOT NULL,
  is_unique     INTEGER NOT NULL,
  is_primary    INTEGER NOT NULL,
  is_constraint INTEGER NOT NULL,
  valid         INTEGER NOT NULL,
  ready         INTEGER NOT NULL,
  size_bytes    INTEGER NOT NULL,
  scans         INTEGER NOT NULL,
  PRIMARY KEY (snapshot_id, schema, table_name, name)
) STRICT;
