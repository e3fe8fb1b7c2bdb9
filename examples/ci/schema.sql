-- The example shop the CI gate guards: customers, their orders and the jobs they post. Run by the CI job (and by
-- run-locally.sh) on an empty database, before seed.sql. It starts by dropping what it creates, so that it can run
-- again on the same database.
DROP TABLE IF EXISTS jobs, orders, customers CASCADE;

CREATE TABLE customers (
  id      int  PRIMARY KEY,
  email   text NOT NULL UNIQUE,
  region  text NOT NULL
);

-- timestamp without time zone: a result or a date filter must not depend on the server's TimeZone, or the
-- gate's result checksum would differ between a laptop and the CI container.
CREATE TABLE orders (
  id           bigint        PRIMARY KEY,
  customer_id  int           NOT NULL REFERENCES customers,
  status       text          NOT NULL,
  total        numeric(10,2) NOT NULL,
  created_at   timestamp     NOT NULL
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_status_created_idx ON orders (status, created_at);

CREATE TABLE jobs (
  id           int       PRIMARY KEY,
  customer_id  int       NOT NULL REFERENCES customers,
  skill        text      NOT NULL,
  state        text      NOT NULL,
  posted_at    timestamp NOT NULL
);
CREATE INDEX jobs_skill_state_idx ON jobs (skill, state, posted_at);
