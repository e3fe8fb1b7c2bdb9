-- The bench_advise shop: 14 tables, the big ones 200k-1M rows, generated in the server with generate_series and
-- a fixed seed. Values are skewed (Zipf-like: power(random(), k) puts most rows on few values), as in real data.
-- Only primary keys exist at first: finding the rest is the advisors' job.
SELECT setseed(0.42);

CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL, region text NOT NULL);
INSERT INTO countries
SELECT chr(65 + g / 26) || chr(65 + g % 26), 'Country ' || g, (ARRAY['EU', 'NA', 'SA', 'AS', 'AF', 'OC'])[1 + g % 6]
FROM generate_series(0, 249) AS g;

CREATE TABLE categories (id int PRIMARY KEY, parent_id int, name text NOT NULL, slug text NOT NULL);
INSERT INTO categories SELECT g, CASE WHEN g > 20 THEN 1 + g % 20 END, 'Category ' || g, 'cat-' || g
FROM generate_series(1, 500) AS g;

CREATE TABLE brands (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO brands SELECT g, 'Brand ' || g FROM generate_series(1, 2000) AS g;

CREATE TABLE customers (
  id         int PRIMARY KEY,
  email      text NOT NULL,
  country    char(2) NOT NULL,
  status     text NOT NULL,
  created_at timestamptz NOT NULL,
  last_login timestamptz,
  referrer_id int
);
-- country: a few countries hold most customers; status: active 95 %, pending 4 %, banned 1 %.
INSERT INTO customers
SELECT g, 'User' || g || '@Example.com', c.codes[1 + floor(250 * power(random(), 4))::int],
       CASE WHEN g % 100 = 0 THEN 'banned' WHEN g % 25 = 1 THEN 'pending' ELSE 'active' END,
       timestamptz '2024-01-01' + (g / 200000.0) * interval '700 days',
       CASE WHEN g % 3 <> 0 THEN timestamptz '2025-12-01' - random() * interval '300 days' END,
       CASE WHEN g % 10 = 0 THEN 1 + floor(random() * g)::int END
FROM generate_series(1, 200000) AS g, (SELECT array_agg(code ORDER BY code) AS codes FROM countries) AS c;

CREATE TABLE products (
  id          int PRIMARY KEY,
  sku         text NOT NULL,
  name        text NOT NULL,
  category_id int NOT NULL,
  brand_id    int NOT NULL,
  price       numeric(10, 2) NOT NULL,
  active      boolean NOT NULL,
  created_at  timestamptz NOT NULL
);
INSERT INTO products
SELECT g, upper(substr(md5(g::text), 1, 10)), 'Product ' || g,
       1 + floor(500 * power(random(), 3))::int, 1 + floor(2000 * power(random(), 2))::int,
       round((1 + random() * 500)::numeric, 2), g % 10 <> 0,
       timestamptz '2020-01-01' + random() * interval '2100 days'
FROM generate_series(1, 50000) AS g;

CREATE TABLE orders (
  id          bigint PRIMARY KEY,
  customer_id int NOT NULL,
  status      text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  total       numeric(10, 2) NOT NULL,
  ship_country char(2) NOT NULL,
  coupon_code text,
  deleted_at  timestamptz
);
-- customer_id Zipf-like; status: delivered 80 %, shipped 10 %, paid 6 %, pending 3 %, cancelled 1 %;
-- created_at follows id (2 years); 5 % use a coupon; 1 % soft-deleted.
INSERT INTO orders
SELECT g, 1 + floor(200000 * power(random(), 2))::int,
       CASE WHEN r < 0.80 THEN 'delivered' WHEN r < 0.90 THEN 'shipped' WHEN r < 0.96 THEN 'paid'
            WHEN r < 0.99 THEN 'pending' ELSE 'cancelled' END,
       timestamptz '2024-01-01' + (g / 1000000.0) * interval '700 days',
       timestamptz '2024-01-01' + (g / 1000000.0) * interval '700 days' + random() * interval '10 days',
       round((5 + random() * 300)::numeric, 2),
       (ARRAY['US', 'US', 'US', 'DE', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN'])[1 + floor(random() * 10)::int],
       CASE WHEN random() < 0.05 THEN 'SAVE' || (1 + floor(random() * 200)::int) END,
       CASE WHEN random() < 0.01 THEN timestamptz '2025-06-01' END
FROM (SELECT g, random() AS r FROM generate_series(1, 1000000) AS g) AS s;

CREATE TABLE order_items (
  id         bigint PRIMARY KEY,
  order_id   bigint NOT NULL,
  product_id int NOT NULL,
  quantity   int NOT NULL,
  unit_price numeric(10, 2) NOT NULL
);
INSERT INTO order_items
SELECT g, 1 + (g - 1) / 2, 1 + floor(50000 * power(random(), 3))::int, 1 + floor(4 * power(random(), 3))::int,
       round((1 + random() * 200)::numeric, 2)
FROM generate_series(1, 2000000) AS g;

CREATE TABLE payments (
  id         bigint PRIMARY KEY,
  order_id   bigint NOT NULL,
  method     text NOT NULL,
  status     text NOT NULL,
  amount     numeric(10, 2) NOT NULL,
  created_at timestamptz NOT NULL
);
-- status: captured 97 %, failed 2 %, refunded 1 %.
INSERT INTO payments
SELECT g, g, (ARRAY['card', 'card', 'card', 'paypal', 'transfer'])[1 + floor(random() * 5)::int],
       CASE WHEN g % 50 = 0 THEN 'failed' WHEN g % 100 = 1 THEN 'refunded' ELSE 'captured' END,
       round((5 + random() * 300)::numeric, 2), timestamptz '2024-01-01' + (g / 600000.0) * interval '700 days'
FROM generate_series(1, 600000) AS g;

CREATE TABLE shipments (
  id           bigint PRIMARY KEY,
  order_id     bigint NOT NULL,
  carrier      text NOT NULL,
  tracking_no  text NOT NULL,
  shipped_at   timestamptz NOT NULL,
  delivered_at timestamptz
);
-- 4 % still in transit (delivered_at IS NULL).
INSERT INTO shipments
SELECT g, g * 2, (ARRAY['ups', 'ups', 'dhl', 'fedex', 'usps'])[1 + floor(random() * 5)::int],
       'TRK' || lpad(g::text, 9, '0'), timestamptz '2024-01-01' + (g / 400000.0) * interval '700 days',
       CASE WHEN g % 25 <> 0 THEN timestamptz '2024-01-03' + (g / 400000.0) * interval '700 days' END
FROM generate_series(1, 400000) AS g;

CREATE TABLE reviews (
  id          bigint PRIMARY KEY,
  product_id  int NOT NULL,
  customer_id int NOT NULL,
  rating      int NOT NULL,
  created_at  timestamptz NOT NULL,
  body        text
);
INSERT INTO reviews
SELECT g, 1 + floor(50000 * power(random(), 3))::int, 1 + floor(200000 * random())::int,
       CASE WHEN random() < 0.6 THEN 5 ELSE 1 + floor(random() * 4)::int END,
       timestamptz '2024-01-01' + random() * interval '700 days', repeat('nice ', 1 + g % 20)
FROM generate_series(1, 300000) AS g;

CREATE TABLE events (
  id          bigint PRIMARY KEY,
  customer_id int NOT NULL,
  kind        text NOT NULL,
  created_at  timestamptz NOT NULL,
  payload     text
);
-- kind: Zipf-like over 20 kinds (page_view most common).
INSERT INTO events
SELECT g, 1 + floor(200000 * power(random(), 2))::int, 'kind_' || floor(20 * power(random(), 3))::int,
       timestamptz '2025-01-01' + (g / 1000000.0) * interval '330 days', '{"k":' || g || '}'
FROM generate_series(1, 1000000) AS g;

CREATE TABLE sessions (
  id          bigint PRIMARY KEY,
  customer_id int NOT NULL,
  token       text NOT NULL,
  expires_at  timestamptz NOT NULL,
  ip          inet
);
INSERT INTO sessions
SELECT g, 1 + floor(200000 * random())::int, md5('s' || g), timestamptz '2025-11-01' + random() * interval '60 days',
       ('10.' || g % 256 || '.' || (g / 256) % 256 || '.1')::inet
FROM generate_series(1, 300000) AS g;

CREATE TABLE inventory (
  product_id   int NOT NULL,
  warehouse_id int NOT NULL,
  quantity     int NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (warehouse_id, product_id)
);
INSERT INTO inventory
SELECT p, w, floor(random() * 100)::int, timestamptz '2025-11-01' + random() * interval '30 days'
FROM generate_series(1, 50000) AS p, generate_series(1, 8) AS w;

CREATE TABLE coupons (code text PRIMARY KEY, discount int NOT NULL, valid_until date NOT NULL);
INSERT INTO coupons SELECT 'SAVE' || g, 5 + g % 30, date '2026-01-01' + g FROM generate_series(1, 200) AS g;

CREATE TABLE audit_log (
  id         bigserial PRIMARY KEY,
  actor_id   int NOT NULL,
  action     text NOT NULL,
  target     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO audit_log (actor_id, action, target, created_at)
SELECT 1 + floor(500 * random())::int, (ARRAY['login', 'update', 'delete', 'export'])[1 + floor(random() * 4)::int],
       'obj' || g, timestamptz '2025-01-01' + (g / 200000.0) * interval '330 days'
FROM generate_series(1, 200000) AS g;

VACUUM ANALYZE;
