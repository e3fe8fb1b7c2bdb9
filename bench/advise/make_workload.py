#!/usr/bin/env python3
"""The bench_advise workload: 61 query classes over the 14 tables of schema.sql, each with a number of calls
(hot OLTP lookups many, reports few) and constants drawn with skew (hot customers and products more often), from a
fixed seed. Writes workload.sql (one statement a line, in a shuffled but fixed order) and classes.json (for each
class its name and the lines of its statements).

Usage: make_workload.py OUT_DIR [SEED] [CALLS_SCALE]   (CALLS_SCALE: calls per class multiplied, at least 1;
run.sh --quick uses 0.25)"""
import json
import random
import sys

out_dir = sys.argv[1]
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 42)
calls_scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0


def zipf(n, k=2.0):
    """1..n, small values much more often (the same power law as the data)."""
    return 1 + int(n * rng.random() ** k)


def ts(days):
    """A date literal about `days` after 2024-01-01 (the data spans 700 days)."""
    return f"'{2024 + days // 365}-{1 + (days % 365) // 31:02d}-{1 + (days % 365) % 28:02d}'"


sku = lambda: "'" + __import__("hashlib").md5(str(zipf(50000, 3)).encode()).hexdigest()[:10].upper() + "'"
token = lambda: "'" + __import__("hashlib").md5(f"s{rng.randrange(1, 300001)}".encode()).hexdigest() + "'"
counters = {"orders": 3_000_000, "order_items": 5_000_000, "payments": 2_000_000, "reviews": 1_000_000,
            "events": 3_000_000}


def next_id(table):
    counters[table] += 1
    return counters[table]


# (name, calls, statement maker)
classes = [
    # customers
    ("customer_by_email_lower", 60, lambda: f"SELECT * FROM customers WHERE lower(email) = 'user{zipf(200000)}@example.com'"),
    ("customers_by_country_recent", 20, lambda: f"SELECT id, email FROM customers WHERE country = '{rng.choice(['AA', 'AB', 'BC', 'DK', 'JX'])}' AND created_at >= {ts(rng.randrange(300, 600))} ORDER BY created_at LIMIT 50"),
    ("customers_banned_count", 5, lambda: "SELECT count(*) FROM customers WHERE status = 'banned'"),
    ("customers_referred_by", 10, lambda: f"SELECT * FROM customers WHERE referrer_id = {zipf(200000)}"),
    ("customer_touch_login", 80, lambda: f"UPDATE customers SET last_login = now() WHERE id = {zipf(200000)}"),
    ("customers_pending_oldest", 5, lambda: f"SELECT id FROM customers WHERE status = 'pending' AND created_at < {ts(rng.randrange(100, 600))} ORDER BY created_at LIMIT 100"),
    # products
    ("product_by_sku", 50, lambda: f"SELECT * FROM products WHERE sku = {sku()}"),
    ("products_in_category_by_price", 60, lambda: f"SELECT id, name, price FROM products WHERE category_id = {zipf(500, 3)} AND active ORDER BY price LIMIT 24"),
    ("products_brand_price_range", 15, lambda: f"SELECT * FROM products WHERE brand_id = {zipf(2000)} AND price BETWEEN {rng.randrange(1, 200)} AND {rng.randrange(200, 500)}"),
    ("products_sku_prefix", 5, lambda: f"SELECT id FROM products WHERE sku LIKE '{rng.choice('0123456789ABCDEF')}{rng.choice('0123456789ABCDEF')}{rng.choice('0123456789ABCDEF')}%'"),
    ("products_inactive_recent", 5, lambda: "SELECT * FROM products WHERE NOT active ORDER BY created_at DESC LIMIT 20"),
    # orders
    ("orders_of_customer_recent", 150, lambda: f"SELECT * FROM orders WHERE customer_id = {zipf(200000)} ORDER BY created_at DESC LIMIT 20"),
    ("orders_of_customer_since", 40, lambda: f"SELECT id, total, status FROM orders WHERE customer_id = {zipf(200000)} AND created_at >= {ts(rng.randrange(0, 600))}"),
    ("orders_pending_queue", 30, lambda: "SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at LIMIT 100"),
    ("orders_delivered_count", 3, lambda: "SELECT count(*) FROM orders WHERE status = 'delivered'"),
    ("orders_pending_before", 10, lambda: f"SELECT id, customer_id FROM orders WHERE status = 'pending' AND created_at < {ts(rng.randrange(30, 300))}"),
    ("orders_with_coupon", 8, lambda: f"SELECT * FROM orders WHERE coupon_code = 'SAVE{zipf(200)}'"),
    ("orders_revenue_by_day", 10, lambda: (lambda d: f"SELECT date_trunc('hour', created_at) AS h, sum(total) FROM orders WHERE created_at >= {ts(d)} AND created_at < {ts(d + 1)} GROUP BY 1")(rng.randrange(0, 690))),
    ("order_ship", 60, lambda: f"UPDATE orders SET status = 'shipped', updated_at = now() WHERE id = {rng.randrange(1, 1000001)}"),
    ("order_insert", 40, lambda: f"INSERT INTO orders VALUES ({next_id('orders')}, {zipf(200000)}, 'pending', now(), now(), {rng.randrange(5, 300)}.00, 'US', NULL, NULL)"),
    ("orders_country_recent", 10, lambda: f"SELECT * FROM orders WHERE ship_country = '{rng.choice(['JP', 'BR', 'IN'])}' AND created_at > {ts(rng.randrange(680, 698))} ORDER BY created_at DESC LIMIT 50"),
    ("orders_live_count_of_customer", 20, lambda: f"SELECT count(*) FROM orders WHERE customer_id = {zipf(200000)} AND deleted_at IS NULL"),
    # order_items
    ("items_of_order", 120, lambda: f"SELECT * FROM order_items WHERE order_id = {rng.randrange(1, 1000001)}"),
    ("items_sold_of_product", 30, lambda: f"SELECT sum(quantity) FROM order_items WHERE product_id = {zipf(50000, 3)}"),
    ("items_of_customer_recent", 50, lambda: f"SELECT oi.product_id, oi.quantity, o.created_at FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE o.customer_id = {zipf(200000)} ORDER BY o.created_at DESC LIMIT 50"),
    ("items_names_of_orders", 10, lambda: f"SELECT p.name, sum(oi.quantity) FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE oi.order_id IN ({', '.join(str(rng.randrange(1, 1000001)) for _ in range(rng.randrange(2, 6)))}) GROUP BY p.name"),
    ("item_insert", 60, lambda: f"INSERT INTO order_items VALUES ({next_id('order_items')}, {rng.randrange(1, 1000001)}, {zipf(50000, 3)}, 1, 9.99)"),
    # payments
    ("payments_of_order", 80, lambda: f"SELECT * FROM payments WHERE order_id = {rng.randrange(1, 600001)}"),
    ("payments_failed_recent", 15, lambda: f"SELECT * FROM payments WHERE status = 'failed' AND created_at > {ts(rng.randrange(500, 690))} ORDER BY created_at"),
    ("payments_by_method_week", 5, lambda: (lambda d: f"SELECT method, sum(amount) FROM payments WHERE created_at BETWEEN {ts(d)} AND {ts(d + 7)} GROUP BY method")(rng.randrange(0, 690))),
    ("payment_insert", 40, lambda: f"INSERT INTO payments VALUES ({next_id('payments')}, {rng.randrange(1, 1000001)}, 'card', 'captured', 19.99, now())"),
    # shipments
    ("shipment_by_tracking", 70, lambda: f"SELECT * FROM shipments WHERE tracking_no = 'TRK{rng.randrange(1, 400001):09d}'"),
    ("shipments_in_transit_old", 10, lambda: f"SELECT id, order_id, carrier FROM shipments WHERE delivered_at IS NULL AND shipped_at < {ts(rng.randrange(100, 600))}"),
    ("shipments_of_order", 50, lambda: f"SELECT * FROM shipments WHERE order_id = {2 * rng.randrange(1, 400001)}"),
    ("shipment_delivered", 30, lambda: f"UPDATE shipments SET delivered_at = now() WHERE tracking_no = 'TRK{rng.randrange(1, 400001):09d}'"),
    ("shipments_per_carrier_since", 4, lambda: f"SELECT carrier, count(*) FROM shipments WHERE shipped_at >= {ts(rng.randrange(600, 690))} GROUP BY carrier"),
    # reviews
    ("reviews_of_product_recent", 80, lambda: f"SELECT id, rating, created_at FROM reviews WHERE product_id = {zipf(50000, 3)} ORDER BY created_at DESC LIMIT 10"),
    ("rating_of_product", 60, lambda: f"SELECT avg(rating) FROM reviews WHERE product_id = {zipf(50000, 3)}"),
    ("reviews_of_customer", 15, lambda: f"SELECT * FROM reviews WHERE customer_id = {rng.randrange(1, 200001)}"),
    ("reviews_five_star_count", 2, lambda: "SELECT count(*) FROM reviews WHERE rating = 5"),
    ("review_insert", 10, lambda: f"INSERT INTO reviews VALUES ({next_id('reviews')}, {zipf(50000, 3)}, {rng.randrange(1, 200001)}, 4, now(), 'ok')"),
    # events: write-heavy
    ("event_insert", 200, lambda: f"INSERT INTO events VALUES ({next_id('events')}, {zipf(200000)}, 'kind_{int(20 * rng.random() ** 3)}', now(), '{{}}')"),
    ("events_of_customer_recent", 20, lambda: f"SELECT kind, created_at FROM events WHERE customer_id = {zipf(200000)} ORDER BY created_at DESC LIMIT 30"),
    ("events_rare_kind_since", 5, lambda: f"SELECT count(*) FROM events WHERE kind = 'kind_19' AND created_at > {ts(rng.randrange(380, 690))}"),
    ("event_by_id", 10, lambda: f"SELECT * FROM events WHERE id = {rng.randrange(1, 1000001)}"),
    # sessions
    ("session_by_token", 150, lambda: f"SELECT customer_id, expires_at FROM sessions WHERE token = {token()}"),
    ("session_extend", 40, lambda: f"UPDATE sessions SET expires_at = expires_at + interval '1 hour' WHERE token = {token()}"),
    ("sessions_expire", 3, lambda: f"DELETE FROM sessions WHERE expires_at < '2025-11-01 0{rng.randrange(1, 9)}0000'"),  # hhmmss: no colon for pgbench
    ("sessions_of_customer", 20, lambda: f"SELECT * FROM sessions WHERE customer_id = {rng.randrange(1, 200001)}"),
    # inventory
    ("stock_of_product_in_warehouse", 60, lambda: f"SELECT quantity FROM inventory WHERE product_id = {zipf(50000, 3)} AND warehouse_id = {rng.randrange(1, 9)}"),
    ("stock_of_product", 40, lambda: f"SELECT warehouse_id, quantity FROM inventory WHERE product_id = {zipf(50000, 3)}"),
    ("stock_take", 40, lambda: f"UPDATE inventory SET quantity = quantity - 1, updated_at = now() WHERE product_id = {zipf(50000, 3)} AND warehouse_id = {rng.randrange(1, 9)}"),
    # small tables
    ("countries_of_region", 20, lambda: f"SELECT * FROM countries WHERE region = '{rng.choice(['EU', 'NA', 'AS'])}'"),
    ("subcategories", 20, lambda: f"SELECT * FROM categories WHERE parent_id = {rng.randrange(1, 21)}"),
    ("coupon_discount", 10, lambda: f"SELECT discount FROM coupons WHERE code = 'SAVE{zipf(200)}'"),
    ("brand_by_name", 5, lambda: f"SELECT * FROM brands WHERE name = 'Brand {zipf(2000)}'"),
    # audit log: write-heavy
    ("audit_insert", 100, lambda: f"INSERT INTO audit_log (actor_id, action, target) VALUES ({rng.randrange(1, 501)}, 'update', 'obj{rng.randrange(1, 10**6)}')"),
    ("audit_of_actor", 5, lambda: f"SELECT * FROM audit_log WHERE actor_id = {rng.randrange(1, 501)} ORDER BY created_at DESC LIMIT 20"),
    # joins and reports
    ("orders_per_country_day", 5, lambda: (lambda d: f"SELECT c.country, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created_at >= {ts(d)} AND o.created_at < {ts(d + 1)} GROUP BY c.country")(rng.randrange(0, 690))),
    ("badly_rated_products_in_category", 5, lambda: f"SELECT p.id, p.name FROM products p WHERE p.category_id = {zipf(500, 3)} AND EXISTS (SELECT 1 FROM reviews r WHERE r.product_id = p.id AND r.rating = 1)"),
    ("tracking_of_customer", 15, lambda: f"SELECT s.tracking_no, o.status FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.customer_id = {zipf(200000)}"),
]

statements = []  # (class index, text)
for i, (name, calls, make) in enumerate(classes):
    for _ in range(max(1, round(calls * calls_scale))):
        statements.append((i, make()))
rng.shuffle(statements)

with open(f"{out_dir}/workload.sql", "w") as f:
    for _, text in statements:
        f.write(text + ";\n")
info = [{"name": name, "calls": 0, "lines": []} for name, _, _ in classes]
for line, (i, _) in enumerate(statements):
    info[i]["lines"].append(line)
    info[i]["calls"] += 1
with open(f"{out_dir}/classes.json", "w") as f:
    json.dump(info, f)
print(f"{len(classes)} classes, {len(statements)} statements", file=sys.stderr)
