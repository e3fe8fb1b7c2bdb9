-- A template: after sampling, the rows of {child} whose parent row in {parent} did not make it into the shadow
-- (MATCH SIMPLE: a key with a NULL column references nothing). {child_key_present} is "c.a IS NOT NULL AND …"
-- and {match} "p.x = c.a AND …", every name quoted by pg::quote_identifier / pg::quote_qualified.
DELETE FROM {child} AS c
WHERE {child_key_present}
  AND NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE {match})
