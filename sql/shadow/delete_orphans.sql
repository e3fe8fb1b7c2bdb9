-- A template (pg::fill_template): after sampling, the rows of a child table whose parent row did not make it into
-- the shadow (MATCH SIMPLE: a key with a NULL column references nothing). Placeholders: child and parent, the
-- tables (pg::SqlFragment::qualified); child_columns, the foreign key's columns of alias c, and parent_columns,
-- the referenced columns of alias p, in key order (pg::SqlFragment::qualified_identifiers). A row comparison
-- is the AND of its columns' comparisons, and ROW(…) IS NOT NULL holds when every column is not null.
DELETE FROM {child} AS c
WHERE ROW({child_columns}) IS NOT NULL
  AND NOT EXISTS (SELECT FROM {parent} AS p WHERE ROW({parent_columns}) = ROW({child_columns}))
