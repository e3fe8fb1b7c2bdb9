-- A template (pg::fill_template): an index the benchmark built. Inside a block it hides the index for the
-- "before" runs (rolled back); at the end it is the rollback of the advice. Placeholder: index
-- (pg::SqlFragment::qualified).
DROP INDEX {index}
