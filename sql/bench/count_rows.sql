-- A template (pg::fill_template): the rows of a view the benchmark built. Placeholder: view
-- (pg::SqlFragment::qualified).
SELECT count(*) AS rows FROM {view}
