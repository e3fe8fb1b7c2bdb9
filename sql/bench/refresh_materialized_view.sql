-- A template (pg::fill_template): the refresh a proven view needs in production, timed on the shadow. Placeholder:
-- view (pg::SqlFragment::qualified).
REFRESH MATERIALIZED VIEW CONCURRENTLY {view}
