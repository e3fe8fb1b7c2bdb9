-- A template (pg::fill_template): removes a view the benchmark built, and its indexes with it, so that the shadow is
-- left as it was. Placeholder: view (pg::SqlFragment::qualified).
DROP MATERIALIZED VIEW {view}
