-- After `advise --apply` ran advice.sql on a shadow or the sandbox: an advised index, if it exists, and whether it is
-- valid (a failed CREATE INDEX CONCURRENTLY leaves an invalid one). No row: it does not exist. $1: its name as
-- to_regclass() reads it (schema-qualified, quoted).
SELECT i.indisvalid AS valid
  FROM pg_index i
 WHERE i.indexrelid = to_regclass($1)
