#!/usr/bin/env python3
"""The bench_saas workload: 18 weighted query shapes over saas/schema.sql, as pgbench scripts (one per shape, its
weight for `-f script@weight`), the same scripts for the captured run the advisors learn from and for the
transactions-per-second runs of each design. Parameters are drawn as the data was (tenant 1 in 30 % of the calls,
power laws for the rest, recent time windows), by pgbench's own random generator (`--random-seed`). Each statement
starts with a /*saas NAME*/ tag, as sqlcommenter-style tags do (no colon: pgbench would read :NAME as a variable),
so that quality.py can tell the shapes apart in the log; libpg_query ignores comments, so the advisors' query
classes do not see it. Time parameters are epoch seconds turned into timestamptz by to_timestamp() (immutable, so
the planner folds it): pgbench variables are numbers, never strings. Writes run inside BEGIN …
ROLLBACK: they pay their index maintenance, and every design finds the same data.

Usage: workload.py OUT_DIR SCALE   Writes OUT_DIR/NAME.pgbench and OUT_DIR/shapes.json ([{name, weight, file,
write}]) and prints the pgbench -D options (table sizes at SCALE) on stdout."""
import json
import sys

out_dir, scale = sys.argv[1], float(sys.argv[2])
NOW = 1796083200  # 2026-12-01 00:00 UTC, the "now" of the data

# Table sizes at this scale, for the parameter ranges (the same formulas as schema.sql).
sizes = {"U": int(400000 * scale), "P": int(40000 * scale), "D": int(2000000 * scale), "C": int(3000000 * scale),
         "J": int(2000000 * scale)}

TENANT = ["\\set r random(0, 999)",
          "\\set t CASE WHEN :r < 300 THEN 1 ELSE 2 + int(1998 * pow(random(0, 999999) / 1000000.0, 3)) END"]
AUTHOR = ["\\set a 1 + int(:U * pow(random(0, 999999) / 1000000.0, 3))"]
PROJECT = ["\\set p 1 + int(:P * pow(random(0, 999999) / 1000000.0, 2))"]
DOCUMENT = ["\\set d 1 + int(:D * pow(random(0, 999999) / 1000000.0, 2))"]

# (name, weight, parameter lines, statement, write). Weights: calls per 150 transactions.
shapes = [
    # equality + ORDER BY … LIMIT, heavy authors: (author_id, published_at DESC) is right, (author_id) is not
    ("doc_feed_of_author", 20, AUTHOR,
     "SELECT id, title, published_at FROM documents WHERE author_id = :a ORDER BY published_at DESC LIMIT 20", False),
    # equality + range: (tenant_id, created_at)
    ("events_of_tenant_since", 10, TENANT + [f"\\set since {NOW} - random(600, 21600)"],
     "SELECT id, user_id, kind, amount FROM events WHERE tenant_id = :t AND created_at >= to_timestamp(:since)", False),
    # dashboards: aggregates by tenant and time range, covering-worthy (tenant_id, created_at) INCLUDE (kind, amount)
    ("dashboard_daily", 4, TENANT + [f"\\set upto {NOW} - 86400 * random(0, 60)", "\\set from :upto - 2592000"],
     "SELECT date_trunc('day', created_at) AS day, kind, count(*), sum(amount) FROM events WHERE tenant_id = :t "
     "AND created_at >= to_timestamp(:from) AND created_at < to_timestamp(:upto) GROUP BY 1, 2", False),
    ("dashboard_kinds_week", 3, TENANT + [f"\\set since {NOW} - 604800"],
     "SELECT kind, count(*), sum(amount) FROM events WHERE tenant_id = :t AND created_at >= to_timestamp(:since) "
     "GROUP BY kind", False),
    # the job queue: a partial index on the rare state the application fixes
    ("jobs_next_pending", 15, [f"\\set now {NOW} + random(-3600, 3600)"],
     "SELECT id, queue, tenant_id FROM jobs WHERE state = 'pending' AND run_at <= to_timestamp(:now) "
     "ORDER BY run_at LIMIT 10", False),
    ("jobs_failed_recent", 2, [],
     "SELECT id, tenant_id, queue, attempts, updated_at FROM jobs WHERE state = 'failed' AND archived_at IS NULL "
     "ORDER BY updated_at DESC LIMIT 50", False),
    ("jobs_pending_of_tenant", 3, TENANT,
     "SELECT count(*) FROM jobs WHERE tenant_id = :t AND state = 'pending'", False),
    ("job_finish", 10, ["\\set j random(1, :J)"],
     "UPDATE jobs SET state = 'done', updated_at = now(), attempts = attempts + 1 WHERE id = :j", True),
    ("job_enqueue", 8, TENANT,
     "INSERT INTO jobs (tenant_id, queue, state, run_at, updated_at, attempts, payload) "
     "VALUES (:t, 'default', 'pending', now(), now(), 0, '{}')", True),
    ("event_insert", 20, TENANT + ["\\set u random(1, :U)", "\\set amount random(0, 999)"],
     "INSERT INTO events (tenant_id, user_id, kind, amount, created_at) "
     "VALUES (:t, :u, 'page_view', :amount, now())", True),
    # soft deletes
    ("users_of_tenant_recent", 6, TENANT,
     "SELECT id, email, name FROM users WHERE tenant_id = :t AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 50",
     False),
    ("comments_of_document", 15, DOCUMENT,
     "SELECT id, user_id, body, created_at FROM comments WHERE document_id = :d AND deleted_at IS NULL "
     "ORDER BY created_at LIMIT 50", False),
    ("invoices_overdue_of_tenant", 4, TENANT,
     f"SELECT id, amount_cents, due_at FROM invoices WHERE tenant_id = :t AND status = 'open' "
     f"AND due_at < to_timestamp({NOW}) AND deleted_at IS NULL", False),
    # ORDER BY a, b LIMIT without an equality prefix: (due_at, id)
    ("invoices_by_due", 3, [],
     "SELECT id, tenant_id, amount_cents, due_at FROM invoices ORDER BY due_at, id LIMIT 25", False),
    ("documents_of_project", 6, PROJECT,
     "SELECT id, title, published_at FROM documents WHERE project_id = :p AND status = 'published' "
     "AND deleted_at IS NULL ORDER BY published_at DESC LIMIT 20", False),
    ("recent_documents_of_tenant", 4, TENANT + [f"\\set since {NOW} - 86400 * random(1, 7)"],
     "SELECT d.id, d.title, u.name FROM documents d JOIN users u ON u.id = d.author_id WHERE d.tenant_id = :t "
     "AND d.created_at >= to_timestamp(:since) ORDER BY d.created_at DESC LIMIT 20", False),
    ("document_soft_delete", 3, ["\\set doc random(1, :D)"],
     "UPDATE documents SET deleted_at = now(), updated_at = now() WHERE id = :doc", True),
    ("comment_delete", 2, ["\\set c random(1, :C)"],
     "DELETE FROM comments WHERE id = :c", True),
]

manifest = []
for name, weight, params, statement, write in shapes:
    lines = list(params)
    body = f"/*saas {name}*/ {statement};"
    lines += ["BEGIN;", body, "ROLLBACK;"] if write else [body]
    path = f"{out_dir}/{name}.pgbench"
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    manifest.append({"name": name, "weight": weight, "file": path, "write": write})
with open(f"{out_dir}/shapes.json", "w") as f:
    json.dump(manifest, f, indent=1)
print(" ".join(f"-D {k}={v}" for k, v in sizes.items()))
