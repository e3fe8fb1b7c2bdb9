-- The views benchmark's traffic: prints one statement per line (psql -At).
SELECT setseed(0.7);
-- The daily orders report (dashboard): a week or a month of whole days, other dates each time.
SELECT format('SELECT date_trunc(''day'', created_at) AS day, count(*), sum(total) FROM orders '
              'WHERE deleted_at IS NULL AND created_at >= %L AND created_at < %L GROUP BY 1 ORDER BY 1;',
              day, day + (ARRAY[7, 30])[1 + g % 2])
FROM (SELECT g, current_date - 31 - floor(random() * 600)::int AS day FROM generate_series(1, 40) AS g) AS days;
-- The monthly trend (dashboard): a quarter or a year of whole months; served by the daily report's view, rolled up.
SELECT format('SELECT date_trunc(''month'', created_at) AS month, count(*), sum(total) FROM orders '
              'WHERE deleted_at IS NULL AND created_at >= %L AND created_at < %L GROUP BY 1 ORDER BY 1 DESC;',
              month, month + (ARRAY[interval '3 months', interval '12 months'])[1 + g % 2])
FROM (SELECT g, date_trunc('month', current_date - 365 - floor(random() * 300)::int)::date AS month
      FROM generate_series(1, 20) AS g) AS months;
-- A customer's orders by status (account page), the busy customers more often.
SELECT format('SELECT status, count(*), sum(total) FROM orders WHERE customer_id = %s GROUP BY status ORDER BY status;',
              1 + floor(49999 * random() ^ 3)::int)
FROM generate_series(1, 60);
-- Last week's orders by status: now() moves, a view could not answer it.
SELECT 'SELECT status, count(*) FROM orders WHERE created_at >= now() - interval ''7 days'' GROUP BY status;'
FROM generate_series(1, 10);
-- Checkout: new orders, and orders shipped by primary key.
SELECT format('INSERT INTO orders (customer_id, status, created_at, total) VALUES (%s, ''pending'', now(), %s);',
              1 + floor(49999 * random() ^ 3)::int, round((5 + random() * 495)::numeric, 2))
FROM generate_series(1, 100);
SELECT format('UPDATE orders SET status = ''shipped'' WHERE id = %s;', 1 + floor(random() * 2000000)::int)
FROM generate_series(1, 50);
