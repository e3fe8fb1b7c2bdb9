-- A template (pg::fill_template): the start of a materialized view the advice proposes, built on the shadow to prove
-- it; the view's query (SQL by nature, like a workload statement) follows it whole, after a space. Placeholder: view
-- (pg::SqlFragment::qualified).
CREATE MATERIALIZED VIEW {view} AS
