-- A template (pg::fill_template): the unique index on a proven view's grouping, which REFRESH MATERIALIZED VIEW
-- CONCURRENTLY needs; PostgreSQL names it (a name free in the view's schema) and drops it with the view.
-- Placeholders: view (pg::SqlFragment::qualified), columns (pg::SqlFragment::identifiers).
CREATE UNIQUE INDEX ON {view} ({columns})
