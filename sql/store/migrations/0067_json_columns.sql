-- Lists and name/value sets are JSON texts, which SQLite (json_each, json_extract) and any other database can read,
-- rather than texts of pgadvisor's own making. The columns keep their names and types; their rows are converted:
--   server_snapshots.settings, statement_entries.counters: "name=value" lines become a JSON object of strings;
--   server_snapshots.search_path, column_snapshots.most_common_values and histogram_bounds, index_snapshots.keys
--   and included: PostgreSQL array literals become JSON arrays of strings (an unquoted NULL element as '', as it
--   was read); column_snapshots.most_common_frequencies: a JSON array of numbers;
--   log_traffic_samples.with_pid and without_pid: comma-separated hex hashes become a JSON array of hex strings.

CREATE TEMP TABLE json_0067 (
  tbl     TEXT NOT NULL,
  col     TEXT NOT NULL,
  rid     INTEGER NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('array', 'numbers', 'lines')),
  txt     TEXT NOT NULL,
  json    TEXT,
  PRIMARY KEY (tbl, col, rid)
);

INSERT INTO json_0067 (tbl, col, rid, kind, txt)
SELECT 'server_snapshots', 'settings', id, 'lines', settings FROM server_snapshots;
INSERT INTO json_0067 (tbl, col, rid, kind, txt)
SELECT 'server_snapshots', 'search_path', id, 'array', search_path FROM server_snapshots;
INSERT INTO json_0067 (tbl, col, rid, kind, txt)
SELECT 'statement_entries', 'counters', rowid, 'lines', counters FROM statement_entries;
INSERT INTO json_0067 (tbl, col, rid, kind, txt)
SELECT 'column_snapshots', 'most_common_values', rowid, 'array', most_common_values FROM column_snapshots
WHERE most_common_values IS NOT NULL;
INSERT INTO json_0067 (tbl, col, rid, kind, txt)
SELECT 'column_snapshots', 'most_common_frequencies', rowid, 'numbers', most_common_frequencies FROM column_snapshots
WHERE most_common_frequencies IS NOT NULL;
INSERT INTO json_0067 (tbl, col, rid, kind, txt)
SELECT 'column_snapshots', 'histogram_bounds', rowid, 'array', histogram_bounds FROM column_snapshots
WHERE histogram_bounds IS NOT NULL;
INSERT INTO json_0067 (tbl, col, rid, kind, txt)
SELECT 'index_snapshots', 'keys', rowid, 'array', keys FROM index_snapshots;
INSERT INTO json_0067 (tbl, col, rid, kind, txt)
SELECT 'index_snapshots', 'included', rowid, 'array', included FROM index_snapshots;

-- Array literals, element by element. state 0: at an element's start; 1: inside a quoted element (a backslash
-- escapes the next character); 2: after a quoted element's closing quote, at its ',' or the final brace.
WITH RECURSIVE parse (tbl, col, rid, kind, rest, state, cur, arr) AS (
  SELECT tbl, col, rid, kind, CASE WHEN txt = '{}' THEN '' ELSE substr(txt, 2) END, 0, '', '[]'
  FROM json_0067 WHERE kind IN ('array', 'numbers')
  UNION ALL
  SELECT tbl, col, rid, kind,
    CASE
      WHEN state = 0 AND substr(rest, 1, 1) = '"' THEN substr(rest, 2)
      WHEN state = 0 THEN CASE WHEN instr(rest, ',') > 0 THEN substr(rest, instr(rest, ',') + 1) ELSE '' END
      WHEN state = 1 AND substr(rest, 1, 1) = '\' THEN substr(rest, 3)
      WHEN state = 1 AND substr(rest, 1, 1) = '"' THEN substr(rest, 2)
      WHEN state = 1 THEN substr(rest, CASE
        WHEN instr(rest, '\') > 0 AND (instr(rest, '"') = 0 OR instr(rest, '\') < instr(rest, '"'))
          THEN instr(rest, '\')
        WHEN instr(rest, '"') > 0 THEN instr(rest, '"')
        ELSE length(rest) + 1 END)
      ELSE substr(rest, 2)
    END,
    CASE
      WHEN state = 0 AND substr(rest, 1, 1) = '"' THEN 1
      WHEN state = 0 THEN 0
      WHEN state = 1 AND substr(rest, 1, 1) = '"' THEN 2
      WHEN state = 1 THEN 1
      ELSE 0
    END,
    CASE
      WHEN state = 1 AND substr(rest, 1, 1) = '\' THEN cur || substr(rest, 2, 1)
      WHEN state = 1 AND substr(rest, 1, 1) = '"' THEN ''
      WHEN state = 1 THEN cur || substr(rest, 1, CASE
        WHEN instr(rest, '\') > 0 AND (instr(rest, '"') = 0 OR instr(rest, '\') < instr(rest, '"'))
          THEN instr(rest, '\')
        WHEN instr(rest, '"') > 0 THEN instr(rest, '"')
        ELSE length(rest) + 1 END - 1)
      ELSE ''
    END,
    CASE
      WHEN state = 0 AND substr(rest, 1, 1) <> '"' THEN json_insert(arr, '$[#]', json(
        CASE WHEN kind = 'numbers' THEN
          CASE WHEN instr(rest, ',') > 0 THEN substr(rest, 1, instr(rest, ',') - 1)
          ELSE substr(rest, 1, length(rest) - 1) END
        WHEN (CASE WHEN instr(rest, ',') > 0 THEN substr(rest, 1, instr(rest, ',') - 1)
              ELSE substr(rest, 1, length(rest) - 1) END) = 'NULL' THEN json_quote('')
        ELSE json_quote(CASE WHEN instr(rest, ',') > 0 THEN substr(rest, 1, instr(rest, ',') - 1)
                        ELSE substr(rest, 1, length(rest) - 1) END) END))
      WHEN state = 1 AND substr(rest, 1, 1) = '"' THEN
        json_insert(arr, '$[#]', json(CASE WHEN kind = 'numbers' THEN cur ELSE json_quote(cur) END))
      ELSE arr
    END
  FROM parse WHERE rest <> ''
)
UPDATE json_0067 SET json = done.arr
FROM (SELECT tbl, col, rid, arr FROM parse WHERE rest = '') AS done
WHERE json_0067.tbl = done.tbl AND json_0067.col = done.col AND json_0067.rid = done.rid;

-- "name=value" lines, line by line; a line without '=' is left out, a later line wins over an earlier one.
WITH RECURSIVE split (tbl, col, rid, rest, obj) AS (
  SELECT tbl, col, rid, txt, '{}' FROM json_0067 WHERE kind = 'lines'
  UNION ALL
  SELECT tbl, col, rid, substr(rest, instr(rest || char(10), char(10)) + 1),
    CASE WHEN instr(substr(rest, 1, instr(rest || char(10), char(10)) - 1), '=') > 0 THEN json_patch(obj, json_object(
      substr(rest, 1, instr(rest, '=') - 1),
      substr(rest, instr(rest, '=') + 1, instr(rest || char(10), char(10)) - instr(rest, '=') - 1)))
    ELSE obj END
  FROM split WHERE rest <> ''
)
UPDATE json_0067 SET json = done.obj
FROM (SELECT tbl, col, rid, obj FROM split WHERE rest = '') AS done
WHERE json_0067.tbl = done.tbl AND json_0067.col = done.col AND json_0067.rid = done.rid;

-- Each converted text in its place.
UPDATE server_snapshots SET settings = j.json FROM json_0067 AS j
WHERE j.tbl = 'server_snapshots' AND j.col = 'settings' AND j.rid = server_snapshots.id;
UPDATE server_snapshots SET search_path = j.json FROM json_0067 AS j
WHERE j.tbl = 'server_snapshots' AND j.col = 'search_path' AND j.rid = server_snapshots.id;
UPDATE statement_entries SET counters = j.json FROM json_0067 AS j
WHERE j.tbl = 'statement_entries' AND j.col = 'counters' AND j.rid = statement_entries.rowid;
UPDATE column_snapshots SET most_common_values = j.json FROM json_0067 AS j
WHERE j.tbl = 'column_snapshots' AND j.col = 'most_common_values' AND j.rid = column_snapshots.rowid;
UPDATE column_snapshots SET most_common_frequencies = j.json FROM json_0067 AS j
WHERE j.tbl = 'column_snapshots' AND j.col = 'most_common_frequencies' AND j.rid = column_snapshots.rowid;
UPDATE column_snapshots SET histogram_bounds = j.json FROM json_0067 AS j
WHERE j.tbl = 'column_snapshots' AND j.col = 'histogram_bounds' AND j.rid = column_snapshots.rowid;
UPDATE index_snapshots SET keys = j.json FROM json_0067 AS j
WHERE j.tbl = 'index_snapshots' AND j.col = 'keys' AND j.rid = index_snapshots.rowid;
UPDATE index_snapshots SET included = j.json FROM json_0067 AS j
WHERE j.tbl = 'index_snapshots' AND j.col = 'included' AND j.rid = index_snapshots.rowid;

-- Hex digits and commas only: each hash becomes a quoted string.
UPDATE log_traffic_samples SET
  with_pid = CASE WHEN with_pid = '' THEN '[]' ELSE '["' || replace(with_pid, ',', '","') || '"]' END,
  without_pid = CASE WHEN without_pid = '' THEN '[]' ELSE '["' || replace(without_pid, ',', '","') || '"]' END;

DROP TABLE json_0067;
