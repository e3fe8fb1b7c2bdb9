-- A template: {index} is an index the benchmark built, quoted by pg::quote_qualified. Inside a block it hides
-- the index for the "before" runs (rolled back); at the end it is the rollback of the advice.
DROP INDEX {index}
