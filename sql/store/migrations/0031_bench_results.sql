-- Results of `pgadvisor bench`, stored with the advice (or script) they prove: the shadow it ran on (DSN without
-- password), the advice document or script text, and the bench JSON document (reports' schema_version 1).
CREATE TABLE bench_results (
  id         INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  shadow     TEXT NOT NULL,
  advice     TEXT NOT NULL,
  result     TEXT NOT NULL,
  verdicts   TEXT NOT NULL  -- e.g. "faster=3 slower=1 unchanged=0 error=0", for a quick look
);
