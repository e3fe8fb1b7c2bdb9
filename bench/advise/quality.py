#!/usr/bin/env python3
"""The advice quality benchmark (issue 14), run by run.sh inside its sandbox (PGHOST, PGPORT, PGUSER set):

- shop: the 14-table shop of schema.sql and make_workload.py, given to pgadvisor as --queries;
- saas: the multi-tenant SaaS of saas/schema.sql and saas/workload.py, run for real with pgbench (half simple,
  half prepared protocol) with log_min_duration_statement = 0, the log ingested with `pgadvisor ingest` and
  advised from the store, as a DBA would;
- dexter: single-query cases in the style of Dexter's test suite (dexter/cases.py), hit or miss per case.

For shop and saas, four designs: no secondary index, pg_qualstats_index_advisor() after the sampled real run,
pgadvisor with its defaults, pgadvisor with pg_qualstats' index count and HypoPG size as limits. Each is scored
by the same what-if cost (score.py) and then built for real and run as the weighted pgbench mix (transactions
per second), then dropped again. Results: WORK/results.json; report.py prints them.

Usage: quality.py EXE WORK [--quick] [--only shop,saas,dexter]"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "dexter"))
import cases as dexter_cases  # noqa: E402

args = argparse.ArgumentParser()
args.add_argument("exe")
args.add_argument("work")
args.add_argument("--quick", action="store_true")
args.add_argument("--only", default="shop,saas,dexter")
opts = args.parse_args()
EXE, WORK, QUICK = opts.exe, opts.work, opts.quick
# The pgbench mix: 4 clients, 2 threads, prepared statements, a fixed duration per design and a fixed seed.
PGBENCH_SECONDS = 10 if QUICK else 30
SAAS_SCALE = 0.1 if QUICK else 1.0
SAAS_CAPTURE_TX = 15 if QUICK else 40  # transactions per client, in each protocol
SHOP_CALLS_SCALE = 0.25 if QUICK else 1.0
WIDE = 12 if QUICK else dexter_cases.WIDE_COLUMNS
BATCHING_TIMEOUT_S = 120
NO_QUALSTATS = {**os.environ, "PGOPTIONS": "-c pg_qualstats.enabled=off"}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def psql(db, sql, env=None, check=True):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db], input=sql, text=True,
                         capture_output=True, env=env or os.environ)
    if check and out.returncode != 0:
        sys.exit(f"psql failed on {db}: {out.stderr.strip()}\n{sql[:500]}")
    return out.stdout.strip()


def load_average():
    return open("/proc/loadavg").read().split()[0]


def ensure_database(db, schema_file, psql_vars):
    """Creates and loads db unless it holds this schema file's data already (its comment names the version)."""
    digest = hashlib.md5(open(schema_file, "rb").read()).hexdigest()[:12]
    version = f"schema {digest} {' '.join(f'{k}={v}' for k, v in psql_vars.items())}".strip()
    have = psql("postgres", f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{db}'")
    if have != version:
        log(f"loading {db} ({os.path.basename(schema_file)} {psql_vars})…")
        psql("postgres", f"DROP DATABASE IF EXISTS {db};")
        psql("postgres", f"CREATE DATABASE {db};")
        start = time.time()
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f", schema_file]
        for k, v in psql_vars.items():
            cmd[1:1] = ["-v", f"{k}={v}"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        psql(db, f"COMMENT ON DATABASE {db} IS '{version}';")
        log(f"{db} loaded in {time.time() - start:.0f} s")
    psql(db, "CREATE EXTENSION IF NOT EXISTS hypopg; CREATE EXTENSION IF NOT EXISTS pg_qualstats;"
             "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;")
    return psql(db, "SELECT count(*) || ' tables, ' || to_char(sum(reltuples), 'FM999,999,999') || ' rows, ' || "
                    "pg_size_pretty(pg_database_size(current_database())) FROM pg_class "
                    "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")


def dsn(db):
    return f"host={os.environ['PGHOST']} port={os.environ['PGPORT']} user={os.environ['PGUSER']} dbname={db}"


def qualstats_advice(db, out_dir):
    """pg_qualstats_index_advisor() with its defaults; its list may name an index twice: each counts once."""
    start = time.time()
    raw = json.loads(psql(db, "SELECT pg_qualstats_index_advisor()"))
    seconds = time.time() - start
    indexes = list(dict.fromkeys(raw.get("indexes") or []))
    with open(f"{out_dir}/qualstats_indexes.sql", "w") as f:
        f.writelines(i + "\n" for i in indexes)
    json.dump(raw, open(f"{out_dir}/qualstats.json", "w"), indent=1)
    return indexes, seconds, len(raw.get("unoptimised") or [])


def score(db, out_dir, index_file, real=False):
    cmd = ["python3", f"{HERE}/score.py", out_dir, index_file] + (["--real"] if real else [])
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PGDATABASE": db})
    if out.returncode != 0:
        sys.exit(f"score.py failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def advise(db, out_dir, tag, source, extra):
    """pgadvisor advise (timed), its definitions, its scripts (-o)."""
    start = time.time()
    out = subprocess.run([EXE, "advise", "--dsn", dsn(db), *source, "--format", "json",
                          "-o", f"{out_dir}/advice_{tag}.sql", *extra], capture_output=True, text=True)
    seconds = time.time() - start
    if out.returncode != 0:
        sys.exit(f"pgadvisor advise ({tag}) failed ({out.returncode}): {out.stderr.strip()}")
    advice = json.loads(out.stdout)
    json.dump(advice, open(f"{out_dir}/advice_{tag}.json", "w"), indent=1)
    with open(f"{out_dir}/pgadvisor_{tag}_indexes.sql", "w") as f:
        f.writelines(i["definition"] + "\n" for i in advice["indexes"])
    return advice, seconds


# --- the pgbench mix ------------------------------------------------------------------------------------------

def pgbench(db, scripts, seconds=None, transactions=None, mode="prepared", seed=7, env=None, defines=()):
    cmd = ["pgbench", "-n", "-c", "4", "-j", "2", "-M", mode, f"--random-seed={seed}", *defines]
    cmd += ["-T", str(seconds)] if seconds else ["-t", str(transactions)]
    for s in scripts:
        cmd += ["-f", f"{s['file']}@{s['weight']}"]
    out = subprocess.run(cmd + [db], capture_output=True, text=True, env=env or os.environ)
    if out.returncode != 0:
        sys.exit(f"pgbench failed ({out.returncode}): {out.stderr.strip()[-2000:]}")
    result = {"tps": None, "transactions": None, "latency_ms": None, "scripts": {}}
    m = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out.stdout)
    result["tps"] = float(m.group(1)) if m else None
    m = re.search(r"number of transactions actually processed: (\d+)", out.stdout)
    result["transactions"] = int(m.group(1)) if m else None
    m = re.search(r"^latency average = ([\d.]+) ms", out.stdout, re.M)
    result["latency_ms"] = float(m.group(1)) if m else None
    # Per script: "SQL script N: FILE", " - N transactions (x% of total, tps = y)", " - latency average = z ms".
    for block in re.split(r"^SQL script \d+: ", out.stdout, flags=re.M)[1:]:
        name = os.path.basename(block.splitlines()[0]).rsplit(".", 1)[0]
        tx = re.search(r"- (\d+) transactions", block)
        lat = re.search(r"- latency average = ([\d.]+) ms", block)
        result["scripts"][name] = {"transactions": int(tx.group(1)) if tx else None,
                                   "latency_ms": float(lat.group(1)) if lat else None}
    return result


def shop_scripts(out_dir):
    """One pgbench script per shop class: a random pick among (up to 16 of) its statements, weight = its calls;
    writes inside BEGIN … ROLLBACK (the shop's INSERTs carry fixed ids)."""
    statements = [line.rstrip("\n") for line in open(f"{out_dir}/workload.sql") if line.strip()]
    os.makedirs(f"{out_dir}/scripts", exist_ok=True)
    scripts = []
    for c in json.load(open(f"{out_dir}/classes.json")):
        texts = list(dict.fromkeys(statements[i] for i in c["lines"]))[:16]
        write = re.match(r"\s*(INSERT|UPDATE|DELETE)\b", texts[0], re.I) is not None
        lines = [f"\\set r random(1, {len(texts)})"] if len(texts) > 1 else []
        lines += ["BEGIN;"] if write else []
        for k, text in enumerate(texts):
            if len(texts) > 1:
                lines.append(("\\if" if k == 0 else "\\elif") + f" :r = {k + 1}")
            lines.append(text)
        lines += ["\\endif"] if len(texts) > 1 else []
        lines += ["ROLLBACK;"] if write else []
        path = f"{out_dir}/scripts/{c['name']}.pgbench"
        open(path, "w").write("\n".join(lines) + "\n")
        scripts.append({"name": c["name"], "weight": c["calls"], "file": path, "write": write})
    return scripts


def index_names(db):
    return set(psql(db, "SELECT indexrelid::regclass FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                        "WHERE c.relnamespace = 'public'::regnamespace").split("\n")) - {""}


def run_designs(db, out_dir, designs, scripts, defines):
    """Each design built for real, scored without HypoPG, run as the pgbench mix, dropped again."""
    baseline = index_names(db)
    results = {}
    for tag, build in designs:
        log(f"{db}: design {tag}: building…")
        start = time.time()
        if build["kind"] == "script":
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f", build["apply"]], check=True,
                           stdout=subprocess.DEVNULL, env=NO_QUALSTATS)
        elif build["definitions"]:
            psql(db, "SET max_parallel_maintenance_workers = 0;\n" +
                 "".join(d + ";\n" for d in build["definitions"]), env=NO_QUALSTATS)
        built_s = time.time() - start
        new = index_names(db) - baseline
        size = int(psql(db, "SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index i JOIN pg_class c "
                            "ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace AND "
                            "indexrelid::regclass::text = ANY ('{" + ",".join(new) + "}')") or 0)
        # Expression indexes get their statistics (ANALYZE of the tables they are on; the others keep theirs).
        expression_tables = {m.group(1) for d in build.get("definitions", [])
                             for m in [re.search(r" ON (?:ONLY )?(\S+)(?: USING \w+)? \((.*)\)", d)]
                             if m and "(" in m.group(2).split(") INCLUDE")[0]}
        for t in expression_tables:
            psql(db, f"ANALYZE {t};")
        real = score(db, out_dir, "-", real=True)
        load = load_average()
        log(f"{db}: design {tag}: {len(new)} indexes, {size / 1e6:.0f} MB, built in {built_s:.0f} s; "
            f"pgbench {PGBENCH_SECONDS} s (load {load})…")
        bench = pgbench(db, scripts, seconds=PGBENCH_SECONDS, env=NO_QUALSTATS, defines=defines)
        log(f"{db}: design {tag}: {bench['tps']} tps")
        if build["kind"] == "script":
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f", build["rollback"]],
                           check=True, stdout=subprocess.DEVNULL, env=NO_QUALSTATS)
        for name in index_names(db) - baseline:
            psql(db, f"DROP INDEX {name};")
        if index_names(db) != baseline:
            sys.exit(f"{db}: design {tag} was not dropped cleanly")
        psql(db, "VACUUM;", env=NO_QUALSTATS)  # the rolled-back writes' dead rows, before the next design
        results[tag] = {"indexes_built": len(new), "real_size_bytes": size, "build_seconds": round(built_s, 1),
                        "real_cost": real["total"], "real_classes": real["classes"], "load_before_pgbench": load,
                        "pgbench": bench}
    return results


def score_advice(db, out_dir, scores):
    for tag in ["default", "matched"]:
        scores[f"pgadvisor_{tag}"] = score(db, out_dir, f"{out_dir}/pgadvisor_{tag}_indexes.sql")
    return scores


def advise_both(db, out_dir, source, qs_indexes, scores):
    qs_bytes = sum(i["size_bytes"] or 0 for i in scores["pg_qualstats"]["indexes"])
    default, default_s = advise(db, out_dir, "default", source, [])
    matched, matched_s = advise(db, out_dir, "matched", source,
                                ["--max-indexes", str(max(1, len(qs_indexes))), "--budget", str(max(1, qs_bytes)),
                                 "--min-improvement", "0.1"])
    return {"default": {"seconds": round(default_s, 2), "options": "",
                        "cost_requests": default["cost_requests"], "workload": summary_of(default)},
            "matched": {"seconds": round(matched_s, 2),
                        "options": f"--max-indexes {max(1, len(qs_indexes))} --budget {qs_bytes} "
                                   "--min-improvement 0.1",
                        "cost_requests": matched["cost_requests"], "workload": summary_of(matched)}}


def summary_of(advice):
    w = advice["workload"]
    return {"classes": len(w["classes"]) if isinstance(w["classes"], list) else w["classes"],
            "candidates": w["candidates"], "cost_before": w["cost_before"], "cost_after": w["cost_after"],
            "unplanned": len(advice["unplanned"])}


def designs_to_build(out_dir, qs_indexes):
    return [("none", {"kind": "plain", "definitions": []}),
            ("pg_qualstats", {"kind": "plain", "definitions": qs_indexes}),
            ("pgadvisor_default", {"kind": "script", "apply": f"{out_dir}/advice_default.sql",
                                   "rollback": f"{out_dir}/advice_default.rollback.sql",
                                   "definitions": read_lines(f"{out_dir}/pgadvisor_default_indexes.sql")}),
            ("pgadvisor_matched", {"kind": "script", "apply": f"{out_dir}/advice_matched.sql",
                                   "rollback": f"{out_dir}/advice_matched.rollback.sql",
                                   "definitions": read_lines(f"{out_dir}/pgadvisor_matched_indexes.sql")})]


def read_lines(path):
    return [line.strip() for line in open(path) if line.strip()]


def reset_statistics(db):
    psql(db, "SELECT pg_stat_reset(); SELECT pg_qualstats_reset(); SELECT pg_stat_statements_reset();")


# --- shop -----------------------------------------------------------------------------------------------------

def run_shop():
    db, out_dir = "bench_advise", f"{WORK}/shop"
    os.makedirs(out_dir, exist_ok=True)
    data = ensure_database(db, f"{HERE}/schema.sql", {})
    subprocess.run(["python3", f"{HERE}/make_workload.py", out_dir, "42", str(SHOP_CALLS_SCALE)], check=True)
    classes = json.load(open(f"{out_dir}/classes.json"))
    statements = sum(c["calls"] for c in classes)
    # pg_qualstats samples the workload executed for real, in a transaction rolled back (the data stays the same).
    reset_statistics(db)
    log(f"shop: executing the {statements} statements (rolled back) for pg_qualstats…")
    start = time.time()
    body = open(f"{out_dir}/workload.sql").read()
    psql(db, "BEGIN;\n" + body + "ROLLBACK;\n")
    executed_s = time.time() - start
    time.sleep(1)  # table statistics reach the cumulative statistics system at the end of the transaction
    qs_indexes, qs_s, unoptimised = qualstats_advice(db, out_dir)
    scores = {"none": score(db, out_dir, "-"),
              "pg_qualstats": score(db, out_dir, f"{out_dir}/qualstats_indexes.sql")}
    advice = advise_both(db, out_dir, ["--queries", f"{out_dir}/workload.sql"], qs_indexes, scores)
    scores = score_advice(db, out_dir, scores)
    scripts = shop_scripts(out_dir)
    built = run_designs(db, out_dir, designs_to_build(out_dir, qs_indexes), scripts, [])
    return {"data": data, "classes": len(classes), "statements": statements,
            "input": "--queries workload.sql (one statement a call)",
            "sampled_run_seconds": round(executed_s, 1), "qualstats_seconds": round(qs_s, 2),
            "qualstats_unoptimised": unoptimised, "advice": advice, "scores": scores, "built": built}


# --- saas -----------------------------------------------------------------------------------------------------

PID = re.compile(r"^\S+ \S+ \S+ \[(\d+)\]")  # log_line_prefix '%m [%p] …' of the sandbox
LOG_LINE = re.compile(r"LOG:  duration: [\d.]+ ms  (?:statement|execute [^:]+): (.*)$")
PARAMS_LINE = re.compile(r"DETAIL:  parameters: (.*)$")
PARAM = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")
TAG = re.compile(r"^/\*saas (\w+)\*/\s*")


def statements_of_log(path, shapes):
    """The captured statements with their parameters put back as literals, for score.py: workload.sql and
    classes.json (the shape of each from its tag; BEGIN/ROLLBACK carry none and are left out)."""
    entries, last_of_pid = [], {}  # the sessions' lines interleave: a DETAIL belongs to its process's last entry
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        pid = PID.search(line)
        m = LOG_LINE.search(line)
        if m and pid:
            entries.append([m.group(1), {}])
            last_of_pid[pid.group(1)] = entries[-1]
            continue
        p = PARAMS_LINE.search(line)
        if p and pid and pid.group(1) in last_of_pid:
            last_of_pid.pop(pid.group(1))[1] = {int(n): v for n, v in PARAM.findall(p.group(1))}
    statements, lines = [], {s["name"]: [] for s in shapes}
    for text, params in entries:
        tag = TAG.match(text)
        if not tag:
            continue
        text = re.sub(r"\$(\d+)\b", lambda m: params.get(int(m.group(1)), m.group(0)), text).rstrip(";")
        lines[tag.group(1)].append(len(statements))
        statements.append(text)
    return statements, lines


def run_saas():
    db, out_dir = "bench_saas", f"{WORK}/saas"
    os.makedirs(f"{out_dir}/scripts", exist_ok=True)
    data = ensure_database(db, f"{HERE}/saas/schema.sql", {"scale": SAAS_SCALE})
    defines = subprocess.run(["python3", f"{HERE}/saas/workload.py", f"{out_dir}/scripts", str(SAAS_SCALE)],
                             check=True, capture_output=True, text=True).stdout.split()
    shapes = json.load(open(f"{out_dir}/scripts/shapes.json"))
    # The captured run: every statement logged (log_min_duration_statement = 0 for these sessions only),
    # pg_qualstats sampling every execution; half in the simple protocol, half prepared (extended).
    server_log = psql("postgres", "SELECT current_setting('data_directory')")  # the sandbox logs beside its data
    log_file = find_server_log(server_log)
    offset = os.path.getsize(log_file)
    reset_statistics(db)
    capture_env = {**os.environ, "PGOPTIONS": "-c log_min_duration_statement=0"}
    log(f"saas: captured run, {SAAS_CAPTURE_TX} transactions per client (4 clients) simple, then prepared…")
    start = time.time()
    simple = pgbench(db, shapes, transactions=SAAS_CAPTURE_TX, mode="simple", seed=14, env=capture_env,
                     defines=defines)
    prepared = pgbench(db, shapes, transactions=SAAS_CAPTURE_TX, mode="prepared", seed=15, env=capture_env,
                       defines=defines)
    captured_s = time.time() - start
    time.sleep(1)
    with open(log_file, "rb") as src, open(f"{out_dir}/captured.log", "wb") as dst:
        src.seek(offset)
        dst.write(src.read())
    qs_indexes, qs_s, unoptimised = qualstats_advice(db, out_dir)
    statements, lines = statements_of_log(f"{out_dir}/captured.log", shapes)
    with open(f"{out_dir}/workload.sql", "w") as f:
        f.writelines(s + ";\n" for s in statements)
    json.dump([{"name": s["name"], "calls": len(lines[s["name"]]), "lines": lines[s["name"]]} for s in shapes],
              open(f"{out_dir}/classes.json", "w"))
    # As a DBA would: the log ingested into a store, advice from the store.
    store = f"{out_dir}/store.db"
    if os.path.exists(store):
        os.remove(store)
    ingest = subprocess.run([EXE, "ingest", f"{out_dir}/captured.log", "--store", store, "--final",
                             "--database", db, "--format", "json"], capture_output=True, text=True)
    if ingest.returncode != 0:
        sys.exit(f"pgadvisor ingest failed: {ingest.stderr.strip()}")
    scores = {"none": score(db, out_dir, "-"),
              "pg_qualstats": score(db, out_dir, f"{out_dir}/qualstats_indexes.sql")}
    advice = advise_both(db, out_dir, ["--store", store], qs_indexes, scores)
    scores = score_advice(db, out_dir, scores)
    built = run_designs(db, out_dir, designs_to_build(out_dir, qs_indexes), shapes, defines)
    return {"data": data, "scale": SAAS_SCALE, "classes": len(shapes), "statements": len(statements),
            "input": "slow-query log of the captured run -> pgadvisor ingest -> advise --store",
            "captured_run": {"seconds": round(captured_s, 1), "simple": simple, "prepared": prepared,
                             "log_bytes": os.path.getsize(f"{out_dir}/captured.log"),
                             "ingest": json.loads(ingest.stdout) if ingest.stdout.strip().startswith("{") else None},
            "weights": {s["name"]: s["weight"] for s in shapes},
            "qualstats_seconds": round(qs_s, 2), "qualstats_unoptimised": unoptimised,
            "advice": advice, "scores": scores, "built": built}


def find_server_log(data_directory):
    sandbox = os.path.dirname(data_directory.rstrip("/"))
    for candidate in [f"{sandbox}/log/postgresql.log", f"{data_directory}/log/postgresql.log"]:
        if os.path.exists(candidate):
            return candidate
    sys.exit(f"no server log found near {data_directory}")


# --- dexter-style cases ---------------------------------------------------------------------------------------

def parse_index(definition):
    """(table, [keys], where) of a CREATE INDEX text; names unquoted, schema public dropped."""
    m = re.search(r"\bON\s+(?:ONLY\s+)?((?:\"[^\"]+\"|[\w.])+(?:\.(?:\"[^\"]+\"|\w+))?)\s*(?:USING\s+\w+\s*)?\(",
                  definition, re.I)
    if not m:
        return None, [], None
    table = m.group(1).replace('"', "")
    table = table[len("public."):] if table.startswith("public.") else table
    depth, start, keys, i = 0, m.end(), [], m.end()
    current = ""
    while i < len(definition):
        ch = definition[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                keys.append(current.strip())
                break
            depth -= 1
        elif ch == "," and depth == 0:
            keys.append(current.strip())
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    rest = definition[i + 1:]
    where = re.search(r"\bWHERE\b(.*)$", rest, re.I | re.S)
    keys = [re.sub(r"\s+ASC$", "", k.replace('"', ""), flags=re.I) for k in keys]
    keys = [re.sub(r"\s+NULLS (FIRST|LAST)$", "", k, flags=re.I) for k in keys]
    return table, keys, where.group(1).strip() if where else None


def flip(keys):
    return [k[:-5] if k.endswith(" DESC") else k + " DESC" for k in keys]


def judge(case, definitions):
    """hit, miss or miss (partial): whether the definitions hold the index the case expects."""
    name, _, table, expect, extra = case
    parsed = [parse_index(d) for d in definitions]
    if expect is None:
        return "hit" if not definitions else "miss"
    for t, keys, where in parsed:
        if t != table or (where and not extra.get("partial_ok")):
            continue
        if expect == "any" or keys in expect or flip(keys) in expect:
            return "hit"
    partial = [d for d, (t, _, w) in zip(definitions, parsed) if w and t == table]
    return "miss (partial)" if partial else "miss"


def run_dexter():
    db, out_dir = "bench_dexter", f"{WORK}/dexter"
    os.makedirs(out_dir, exist_ok=True)
    schema_file = f"{out_dir}/schema.sql"
    open(schema_file, "w").write(dexter_cases.schema(WIDE))
    ensure_database(db, schema_file, {})
    results = []
    for case in dexter_cases.CASES:
        name, statement, table, expect, extra = case
        path = f"{out_dir}/{name}.sql"
        open(path, "w").write(statement + ";\n")
        out = subprocess.run([EXE, "advise", "--dsn", dsn(db), "--queries", path, "--format", "json"],
                             capture_output=True, text=True)
        mine = [i["definition"] for i in json.loads(out.stdout)["indexes"]] if out.returncode == 0 else []
        error = None if out.returncode == 0 else f"exit {out.returncode}: {out.stderr.strip()[:200]}"
        # pg_qualstats: the statement executed for real (rolled back; errors are its answer too), then its advice.
        reset_statistics(db)
        run = extra.get("execute", statement)
        psql(db, f"BEGIN;\n{run};\nROLLBACK;\n", check=False)
        theirs = json.loads(psql(db, "SELECT pg_qualstats_index_advisor()")).get("indexes") or []
        theirs = list(dict.fromkeys(theirs))
        results.append({"name": name, "statement": statement, "table": table,
                        "expect": expect, "dexter": extra.get("dexter"), "ours": bool(extra.get("ours")),
                        "pgadvisor": {"indexes": mine, "verdict": judge(case, mine), "error": error},
                        "pg_qualstats": {"indexes": theirs, "verdict": judge(case, theirs)}})
    # Batching: every pair of t's columns; right: all columns but at most one indexed (as leading key).
    queries = dexter_cases.batching(WIDE)
    path = f"{out_dir}/batching.sql"
    open(path, "w").write("".join(q + ";\n" for q in queries))
    start = time.time()
    out = subprocess.run([EXE, "advise", "--dsn", dsn(db), "--queries", path, "--format", "json"],
                         capture_output=True, text=True)
    advise_s = time.time() - start
    mine = [i["definition"] for i in json.loads(out.stdout)["indexes"]] if out.returncode == 0 else []
    reset_statistics(db)
    psql(db, "BEGIN;\n" + "".join(q + ";\n" for q in queries) + "ROLLBACK;\n")
    # pg_qualstats' advisor grows steeply with the pairs (30 columns, 435 queries: no answer in 4.5 minutes at
    # load 17): bounded.
    start = time.time()
    answer = psql(db, f"SET statement_timeout = '{BATCHING_TIMEOUT_S}s';\nSELECT pg_qualstats_index_advisor()",
                  check=False)
    qs_s = time.time() - start
    theirs = list(dict.fromkeys(json.loads(answer).get("indexes") or [])) if answer else []

    def covered(definitions):
        """How many of the queries find an index leading with one of their columns (a partial one only where its
        predicate is one of the query's own)."""
        parsed = [p for p in map(parse_index, definitions) if p[0] == "t" and p[1]]
        served = sum(1 for q in queries
                     if any(keys[0] in q and (not where or where.strip("() ") in q) for _, keys, where in parsed))
        return {"indexes": len(definitions), "partial": sum(1 for p in parsed if p[2]), "queries_served": served}
    batching = {"columns": WIDE, "queries": len(queries), "right_indexes": WIDE - 1,
                "pgadvisor": {**covered(mine), "seconds": round(advise_s, 1),
                              "error": None if out.returncode == 0 else out.stderr.strip()[:200]},
                "pg_qualstats": {**covered(theirs), "seconds": round(qs_s, 1),
                                 "error": None if answer else f"no answer within {BATCHING_TIMEOUT_S} s"}}
    return {"cases": results, "batching": batching}


def main():
    os.makedirs(WORK, exist_ok=True)
    results_path = f"{WORK}/results.json"
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    results["meta"] = {"quick": QUICK, "pgbench": f"-c 4 -j 2 -M prepared -T {PGBENCH_SECONDS} --random-seed=7",
                       "server": psql("postgres", "SELECT version()"),
                       "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                       "load_at_start": open("/proc/loadavg").read().strip()}
    for name in opts.only.split(","):
        start, load = time.time(), open("/proc/loadavg").read().strip()
        results[name] = {"shop": run_shop, "saas": run_saas, "dexter": run_dexter}[name]()
        results[name].update({"bench_seconds": round(time.time() - start), "quick": QUICK, "load_at_start": load,
                              "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(start)),
                              "load_at_end": open("/proc/loadavg").read().strip()})
        json.dump(results, open(results_path, "w"), indent=1)
        log(f"{name} done in {time.time() - start:.0f} s")
    results["meta"]["load_at_end"] = open("/proc/loadavg").read().strip()
    json.dump(results, open(results_path, "w"), indent=1)


main()
