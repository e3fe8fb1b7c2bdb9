-- A template (pg::fill_template): the index the rewritten queries filter a proven view through, when the unique
-- index does not lead with those columns; PostgreSQL names it and drops it with the view. Placeholders: view
-- (pg::SqlFragment::qualified), columns (pg::SqlFragment::identifiers).
CREATE INDEX ON {view} ({columns})
