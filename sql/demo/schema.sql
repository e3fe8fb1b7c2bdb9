-- The demo shop: customers, orders with a skewed status mix, order items, carts and a job queue, generated in
-- the server (a few seconds). `make demo` loads it into the sandbox once; its queries are sql/demo/queries.sql.
CREATE TABLE customers (
  id         int PRIMARY KEY,
  email      text NOT NULL,
  created_at timestamptz NOT NULL
);
INSERT INTO customers
SELECT g, 'user' || g || '@example.com', now() - (g % 1000) * interval '1 day'
FROM generate_series(1, 50000) AS g;

CREATE TABLE orders (
  id          bigint PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers,
  status      text NOT NULL,
  created_at  timestamptz NOT NULL,
  deleted_at  timestamptz,
  total       numeric(10, 2) NOT NULL
);
-- status: shipped 3/7, paid 2/7, pending 1/7, cancelled 1/7; about 1 % soft-deleted.
INSERT INTO orders
SELECT g, (g::bigint * 7919) % 50000 + 1,
       (ARRAY['shipped', 'shipped', 'shipped', 'paid', 'paid', 'pending', 'cancelled'])[1 + g % 7],
       now() - (g % 200000) * interval '1 minute',
       CASE WHEN g % 97 = 0 THEN now() END,
       (g % 50000) / 100.0
FROM generate_series(1, 400000) AS g;

CREATE TABLE order_items (
  order_id   bigint NOT NULL REFERENCES orders,
  product_id int NOT NULL,
  quantity   int NOT NULL
);
INSERT INTO order_items
SELECT (g + 1) / 2, g % 5000, 1 + g % 3
FROM generate_series(1, 800000) AS g;

CREATE TABLE carts (
  id         bigint PRIMARY KEY,
  updated_at timestamptz NOT NULL
);
INSERT INTO carts SELECT g, now() - (g % 2000) * interval '1 day' FROM generate_series(1, 100000) AS g;

CREATE TABLE jobs (
  id       bigint PRIMARY KEY,
  state    text NOT NULL,
  priority int NOT NULL
);
INSERT INTO jobs
SELECT g, CASE WHEN g % 50 = 0 THEN 'queued' ELSE 'done' END, g % 10
FROM generate_series(1, 200000) AS g;

ANALYZE;
