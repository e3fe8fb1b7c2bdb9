-- The demo shop's traffic as an application sends it: prints one statement per line (psql -At), constants drawn
-- from the data's own skew; `make demo` runs the printed statements against the sandbox (filling
-- pg_stat_statements and the slow-query log) and hands the same file to `pgadvisor advise --queries`.
SELECT setseed(0.7);
-- A customer's pending orders, newest first (the account page): 40 customers, the busy ones more often.
SELECT format('SELECT id, status, total, created_at FROM orders WHERE customer_id = %s AND status = ''pending'' '
              'ORDER BY created_at DESC LIMIT 20;', 1 + floor(199999 * random() ^ 3)::int)
FROM generate_series(1, 40);
-- Login: a customer by e-mail, case-insensitively.
SELECT format('SELECT id, email, country FROM customers WHERE lower(email) = %L;',
              'user' || (1 + floor(random() * 200000)::int) || '@example.com')
FROM generate_series(1, 40);
-- An order's items (order detail page).
SELECT format('SELECT product_id, quantity, price FROM order_items WHERE order_id = %s;',
              1 + floor(random() * 1500000)::int)
FROM generate_series(1, 30);
-- The worker's next jobs.
SELECT 'SELECT id, payload FROM jobs WHERE state = ''queued'' ORDER BY priority DESC, id LIMIT 10 FOR UPDATE SKIP LOCKED;'
FROM generate_series(1, 20);
-- The daily orders report (dashboard): revenue per day over a week or a month of whole days, each time other dates.
SELECT format('SELECT date_trunc(''day'', created_at) AS day, count(*), sum(total) FROM orders '
              'WHERE deleted_at IS NULL AND created_at >= %L AND created_at < %L GROUP BY 1 ORDER BY 1;',
              day, day + (ARRAY[7, 30])[1 + g % 2])
FROM (SELECT g, current_date - 31 - floor(random() * 300)::int AS day FROM generate_series(1, 30) AS g) AS days;
-- Checkout: new orders, and orders shipped by primary key.
SELECT format('INSERT INTO orders (customer_id, status, created_at, total) VALUES (%s, ''pending'', now(), %s);',
              1 + floor(199999 * random() ^ 3)::int, round((5 + random() * 495)::numeric, 2))
FROM generate_series(1, 40);
SELECT format('UPDATE orders SET status = ''shipped'' WHERE id = %s;', 1 + floor(random() * 1500000)::int)
FROM generate_series(1, 40);
