"""Measure the app on a generated database (bench/scale.py build) under gunicorn with production settings.

    python bench/runner.py --database scale10k [--label before] [--reps 30] [--timeout 30]
                           [--skip-browser] [--skip-exports] [--ingest 200]

Serves this checkout with gunicorn (2 sync workers, DEBUG=0, the settings `make check` uses, behind a
"TLS proxy": requests carry X-Forwarded-Proto: https) on a free port, and prints a table per URL of
issue 9: p50, p95, ratio of p50 to a constant view measured in the same server and run
(BENCH_CONSTANT_VIEW=1 adds /bench/constant, a view that returns a fixed body without touching the
database), queries per request (the same URL run once in-process with CaptureQueriesContext) and bytes;
the htmx partial's throughput against the constant view's (4 client threads); the first event painted
in Chromium; the exports' time, completeness and the workers' peak RSS; and, with --ingest N, ingest
articles/s into an empty database and into a copy of the full one.

A request that does not answer within --timeout seconds is reported as ">Ts" and the URL is not
repeated. Results are also written as JSON to bench/out/<database>-<label>.json.
"""

import argparse
import csv
import http.client
import io
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scale import SERVER_URL, admin_connection, database_url, log  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "ar"}
CONSTANT = "/bench/constant"


def server_env(database):
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url(database),
        BEHIND_TLS_PROXY="1",
        BENCH_CONSTANT_VIEW="1",
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),  # INFO: facets.py logs each background count
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving this checkout: 2 sync workers, production settings."""

    def __init__(self, database, workers=2, worker_timeout=30):
        self.port = free_port()
        self.env = server_env(database)
        # this checkout's schema (a database built on main gets a branch's migrations and their data)
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=self.env, check=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=self.env, check=True)
        self.log = open(ROOT / "bench" / "out" / f"gunicorn-{database}.log", "w")
        self.proc = subprocess.Popen(
            [GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--timeout", str(worker_timeout), "--worker-tmp-dir", "/dev/shm", "--no-control-socket"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if request(self.port, "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start (see bench/out/gunicorn-*.log)")

    def worker_pids(self):
        try:
            out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        except OSError:
            return []
        return [int(p) for p in out.split()]

    def worker_rss_kb(self):
        total = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total[pid] = int(line.split()[1])
            except OSError:
                pass
        return total

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def request(port, path, headers=None, timeout=30, keep_body=False):
    """(status, bytes, seconds[, body]) for one GET on a new connection (sync workers do not keep it open)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers={**HEADERS, **(headers or {})})
        response = conn.getresponse()
        chunks = []
        size = 0
        incomplete = False
        while True:
            try:
                chunk = response.read(65536)
            except http.client.IncompleteRead as exc:
                chunks.append(exc.partial)
                size += len(exc.partial)
                incomplete = True
                break
            if not chunk:
                break
            size += len(chunk)
            if keep_body:
                chunks.append(chunk)
        elapsed = time.perf_counter() - started
        if keep_body:
            return response.status, size, elapsed, b"".join(chunks), incomplete
        return response.status, size, elapsed
    finally:
        conn.close()


def pct(values, p):
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


# --- what to measure ---------------------------------------------------------------------------


def pick_targets(database):
    """The event page and the rare search word of this database (a gazetteer name on few events)."""
    import psycopg

    with psycopg.connect(database_url(database)) as conn:
        n = conn.execute("SELECT count(*) FROM timeline_event").fetchone()[0]
        # what the unfiltered view lists (and exports): dated events
        listed = conn.execute("SELECT count(*) FROM timeline_event WHERE date_start IS NOT NULL").fetchone()[0]
        slug = conn.execute("SELECT slug FROM timeline_event ORDER BY id OFFSET %s LIMIT 1", [n // 2]).fetchone()[0]
        rare = conn.execute(
            """SELECT e.name_ar, count(*) FROM timeline_event_entities ee JOIN timeline_entity e ON e.id = ee.entity_id
               WHERE e.kind = 'place' AND e.name_ar !~ ' ' AND NOT e.is_country
               GROUP BY e.id HAVING count(*) >= 1 ORDER BY count(*), e.slug LIMIT 1"""
        ).fetchone()
    return n, listed, slug, rare


def url_list(slug, rare_word):
    return [
        ("/ full page", "/", {}),
        ("/ htmx partial", "/", {"HX-Request": "true"}),
        ("?year=2009", "/?year=2009", {}),
        ("?topic=trade", "/?topic=trade", {}),
        ("?entity=kassym-jomart-tokayev", "/?entity=kassym-jomart-tokayev", {}),
        ("?year=2009&topic=trade&entity=china", "/?year=2009&topic=trade&entity=china", {}),
        ("?page=1000", "/?page=1000", {}),
        ("search common: الصين", "/?q=" + quote("الصين"), {}),
        ("search common: كازاخستان", "/?q=" + quote("كازاخستان"), {}),
        ("search common: Tokayev", "/?q=Tokayev", {}),
        ("search phrase: \"خط أنابيب\"", "/?q=" + quote('"خط أنابيب"'), {}),
        (f"search rare: {rare_word}", "/?q=" + quote(rare_word), {}),
        ("event page", f"/events/{slug}/", {}),
    ]


def time_url(port, path, headers, reps, timeout):
    first = request(port, path, headers, timeout=timeout)  # warm-up, also the status and size
    status, size, elapsed = first
    times = []
    if elapsed > 2:  # slow: a few repetitions only
        reps = min(reps, 3)
    for _ in range(reps):
        times.append(request(port, path, headers, timeout=timeout)[2])
    return status, size, times


def count_queries(database, paths, timeout):
    """{path: queries} running each URL once in-process (statement_timeout caps a slow query)."""
    script = r"""
import json, sys, os
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
timeout_ms = int(sys.argv[1])
out = {}
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="ar", SERVER_NAME="127.0.0.1")
for line in sys.stdin:
    path, headers = json.loads(line)
    with connection.cursor() as c:
        c.execute("SET statement_timeout = %s", [timeout_ms])
    with CaptureQueriesContext(connection) as ctx:
        try:
            response = client.get(path, headers=headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            out[path + json.dumps(headers)] = len(ctx.captured_queries) if response.status_code == 200 else "status %d" % response.status_code
        except Exception as exc:
            out[path + json.dumps(headers)] = ">=%d (%s)" % (len(ctx.captured_queries), type(exc).__name__)
            connection.close()
print(json.dumps(out))
"""
    env = server_env(database)
    stdin = "".join(json.dumps([p, h]) + "\n" for p, h in paths)
    try:
        done = subprocess.run([PYTHON, "-c", script, str(int(timeout * 1000))], input=stdin, cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=timeout * (len(paths) + 2) + 60)
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, IndexError, json.JSONDecodeError) as exc:
        log(f"query count failed: {exc}")
        return {}


def throughput(port, path, headers, seconds=10, threads=4, timeout=30):
    done = []
    stop = time.perf_counter() + seconds
    errors = []

    def worker():
        while time.perf_counter() < stop:
            try:
                status = request(port, path, headers, timeout=timeout)[0]
                if status == 200:
                    done.append(1)
                else:
                    errors.append(status)
            except OSError as exc:
                errors.append(type(exc).__name__)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return len(done) / (time.perf_counter() - started), errors


def first_paint(port, timeout):
    """Seconds from navigation to the first event of the listing visible in headless Chromium (median of 5), and
    the same for the constant view's text (its reference: Chromium's own cost of a navigation and a paint on this
    machine now), the two alternated in the same browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            context = browser.new_context(extra_http_headers=HEADERS)
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}{CONSTANT}")  # the browser itself started
            times = {"/": [], CONSTANT: []}
            for _ in range(5):
                for path, selector in (("/", "ol.events li.event"), (CONSTANT, "body")):
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}{path}", wait_until="commit", timeout=timeout * 1000)
                    page.wait_for_selector(selector, state="visible", timeout=timeout * 1000)
                    times[path].append(time.perf_counter() - started)
                    page.close()
            return statistics.median(times["/"]), statistics.median(times[CONSTANT])
        finally:
            browser.close()


def export(server, path, expected, timeout):
    """Time, bytes, completeness and the workers' peak RSS for one export."""
    peak = {}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid, kb in server.worker_rss_kb().items():
                peak[pid] = max(peak.get(pid, 0), kb)
            time.sleep(0.1)

    before = server.worker_rss_kb()
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        status, size, elapsed, body, incomplete = request(server.port, path, timeout=timeout, keep_body=True)
        error = None
    except (OSError, http.client.HTTPException) as exc:
        status, size, elapsed, body, incomplete, error = None, 0, timeout, b"", True, type(exc).__name__
    finally:
        stop.set()
        sampler.join()
    rows = None
    complete = False
    if status == 200 and not incomplete:
        try:
            if path.endswith(".json"):
                rows = len(json.loads(body)["events"])
            else:
                rows = sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1
            complete = rows == expected
        except (ValueError, KeyError, UnicodeDecodeError):
            complete = False
    # a body cut short by a killed worker can still parse: the rows say whether it is whole
    return {
        "status": status, "error": error, "seconds": round(elapsed, 2), "bytes": size, "rows": rows, "expected": expected,
        "complete": complete, "rss_before_mb": round(max(before.values(), default=0) / 1024),
        "rss_peak_mb": round(max(peak.values(), default=0) / 1024),
    }


# --- ingest ----------------------------------------------------------------------------------


class BackendCpu:
    """CPU seconds of the PostgreSQL backends serving `database` while the block runs (this machine's server:
    /proc/<pid>/stat of the processes titled "postgres: … <database> …", sampled every 0.1 s; the last tenth of a
    second of a backend that exits is not seen)."""

    def __init__(self, database):
        self.database = database
        self.seen = {}
        self.stop = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def _sample(self):
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
                if title.startswith("postgres: ") and f" {self.database} " in title:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    self.seen[pid] = int(fields[11]) + int(fields[12])  # utime, stime
            except OSError:
                continue

    def _run(self):
        while not self.stop.wait(0.1):
            self._sample()

    def __enter__(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    @property
    def seconds(self):
        return sum(self.seen.values()) / self.tick


def ingest_rate(database, count, timeout):
    """articles/s of `manage.py ingest` of `count` generated articles into an empty database and a copy of `database`."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-articles-", dir=ROOT / "bench" / "out"))
    results = {}
    try:
        subprocess.run([PYTHON, "bench/scale.py", "articles", "--count", str(count), "--out", str(scratch)],
                       cwd=ROOT, env=server_env(database), check=True, capture_output=True)
        for kind in ("empty", "full"):
            target = f"{database}_ingest_{kind}"
            with admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
                if kind == "empty":
                    admin.execute(f'CREATE DATABASE "{target}"')
                else:
                    admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{database}"')
            env = server_env(target)
            subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
            command = [PYTHON, "manage.py", "ingest", str(scratch)]
            helptext = subprocess.run([PYTHON, "manage.py", "ingest", "--help"], cwd=ROOT, env=env, capture_output=True, text=True).stdout
            if "--no-warm" in helptext:  # time the storing, not the cache warming a branch may do afterwards
                command.append("--no-warm")
            # the machine's cores: extraction in that many workers while one process stores (a branch without
            # --jobs does it all in one process, and uses one core)
            cores = len(os.sched_getaffinity(0)) if "--jobs" in helptext else 1
            if "--jobs" in helptext:
                command += ["--jobs", str(cores)]
            started = time.perf_counter()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            backends = BackendCpu(target)
            try:
                with backends:
                    done = subprocess.run(command, cwd=ROOT, env=env,
                                          capture_output=True, text=True, timeout=timeout)
                elapsed = time.perf_counter() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                python_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
                results[kind] = {"articles": count, "seconds": round(elapsed, 1), "per_s": round(count / elapsed, 1),
                                 "rc": done.returncode, "cores": cores, "per_core": round(count / elapsed / cores, 1),
                                 # CPU whatever else the machine runs: the command and its workers, and PostgreSQL
                                 "python_cpu_ms": round(python_cpu * 1000 / count, 1),
                                 "postgres_cpu_ms": round(backends.seconds * 1000 / count, 1)}
            except subprocess.TimeoutExpired:
                import psycopg

                with psycopg.connect(database_url(target)) as conn:
                    n = conn.execute("SELECT count(*) FROM timeline_article WHERE source_name LIKE 'gen_%%'").fetchone()[0]
                results[kind] = {"articles": n, "seconds": timeout, "per_s": round(n / timeout, 1), "rc": "timeout",
                                 "cores": cores, "per_core": round(n / timeout / cores, 1)}
            with admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


# --- the run ---------------------------------------------------------------------------------


class _SkipHttp(Exception):
    pass


def fmt_ms(seconds, timeout):
    if seconds is None:
        return f">{timeout:g}s"
    return f"{seconds * 1000:,.1f}" if seconds < 10 else f"{seconds * 1000:,.0f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True)
    parser.add_argument("--label", default="run")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--throughput-seconds", type=float, default=10)
    parser.add_argument("--ingest", type=int, default=0, help="also time ingest of N generated articles")
    parser.add_argument("--export-timeout", type=float, default=60)
    parser.add_argument("--skip-http", action="store_true", help="only the ingest measurement")
    args = parser.parse_args(argv)
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    n_events, listed, slug, (rare_word, rare_events) = pick_targets(args.database)
    urls = url_list(slug, rare_word)
    result = {"database": args.database, "label": args.label, "events": n_events, "rare_word": rare_word,
              "rare_events": rare_events, "load_before": os.getloadavg(), "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                                                   capture_output=True, text=True).stdout.strip(),
              "urls": [], "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    log(f"{args.database}: {n_events} events; event page {slug}; rare word {rare_word} ({rare_events} events)")
    if args.skip_http:
        result["constant"] = {"p50_ms": float("nan"), "p95_ms": float("nan")}
    server = None if args.skip_http else Server(args.database)
    try:
        if server is None:
            raise _SkipHttp
        log(f"gunicorn on port {server.port}")
        _, _, constant_times = time_url(server.port, CONSTANT, {}, max(args.reps, 30), args.timeout)
        constant_p50 = statistics.median(constant_times)
        result["constant"] = {"p50_ms": constant_p50 * 1000, "p95_ms": pct(constant_times, 95) * 1000}
        log(f"constant view p50 {constant_p50 * 1000:.2f} ms")
        for name, path, headers in urls:
            row = {"name": name, "path": path, "headers": headers}
            try:
                status, size, times = time_url(server.port, path, headers, args.reps, args.timeout)
                row.update(status=status, bytes=size, p50=statistics.median(times), p95=pct(times, 95), n=len(times))
            except (OSError, http.client.HTTPException) as exc:
                row.update(status=None, bytes=None, p50=None, p95=None, n=0, error=type(exc).__name__)
            result["urls"].append(row)
            log(f"{name}: {row}")
        if not args.skip_queries:
            counts = count_queries(args.database, [(u[1], u[2]) for u in urls], args.timeout)
            for row in result["urls"]:
                row["queries"] = counts.get(row["path"] + json.dumps(row["headers"]))
        rate, errors = throughput(server.port, CONSTANT, {}, args.throughput_seconds, timeout=args.timeout)
        prate, perrors = throughput(server.port, "/", {"HX-Request": "true"}, args.throughput_seconds, timeout=args.timeout)
        result["throughput"] = {"constant_rps": round(rate, 1), "partial_rps": round(prate, 2),
                                "ratio": round(prate / rate, 3) if rate else None, "errors": (errors + perrors)[:5]}
        log(f"throughput {result['throughput']}")
        if not args.skip_browser:
            try:
                paint, reference = first_paint(server.port, args.timeout)
                result["first_paint_s"], result["constant_paint_s"] = round(paint, 3), round(reference, 3)
            except Exception as exc:  # noqa: BLE001  (report, do not abort the run)
                result["first_paint_s"] = f"failed: {type(exc).__name__}: {str(exc)[:120]}"
            log(f"first paint {result['first_paint_s']}")
        if not args.skip_exports:
            for path in ("/events.json", "/events.csv"):
                result[path] = export(server, path, listed, args.export_timeout)
                log(f"{path}: {result[path]}")
            if not args.skip_queries:
                counts = count_queries(args.database, [("/events.json", {}), ("/events.csv", {})], args.export_timeout)
                for path in ("/events.json", "/events.csv"):
                    result[path]["queries"] = counts.get(path + "{}")
    except _SkipHttp:
        pass
    finally:
        if server is not None:
            server.stop()
    if args.ingest:
        result["ingest"] = ingest_rate(args.database, args.ingest, timeout=max(args.timeout * 10, 300))
        log(f"ingest {result['ingest']}")
    result["load_after"] = os.getloadavg()
    out = ROOT / "bench" / "out" / f"{args.database}-{args.label}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print(table(result, args.timeout))
    return result


def table(result, timeout):
    c = result["constant"]["p50_ms"] / 1000 or float("nan")
    lines = [
        f"### {result['database']} ({result['events']:,} events) — {result['label']} @ {result['commit']}, {result['started']}",
        "",
        f"Constant view p50 {c * 1000:.2f} ms. Rare word: {result['rare_word']} ({result['rare_events']} events). "
        f"Load average (1 min) {result['load_before'][0]:.1f} before, {result['load_after'][0]:.1f} after (2 cores, shared).",
        "",
        "| request | p50 ms | p95 ms | × constant | queries | bytes | status |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["urls"]:
        ratio = f"{row['p50'] / c:,.0f}" if row.get("p50") is not None else "—"
        lines.append(
            f"| {row['name']} | {fmt_ms(row.get('p50'), timeout)} | {fmt_ms(row.get('p95'), timeout)} | {ratio} | "
            f"{row.get('queries', '—')} | {row.get('bytes') if row.get('bytes') is not None else '—'} | "
            f"{row.get('status') or row.get('error')} |"
        )
    t = result.get("throughput")
    if t:
        lines.append(f"\nThroughput, 4 connections: htmx partial {t['partial_rps']} req/s, constant view "
                     f"{t['constant_rps']} req/s (ratio {t['ratio']}).")
    if "first_paint_s" in result:
        reference = result.get("constant_paint_s")
        lines.append(f"First event painted in Chromium: {result['first_paint_s']} s"
                     + (f" (the constant view's text: {reference} s, same browser, alternated)." if reference else "."))
    for path in ("/events.json", "/events.csv"):
        e = result.get(path)
        if e:
            lines.append(
                f"{path}: status {e['status']}{' ' + e['error'] if e['error'] else ''}, {e['seconds']} s, "
                f"{e['bytes']:,} bytes, rows {e['rows']} of {e['expected']} (complete: {e['complete']}), "
                f"queries {e.get('queries', '—')}, worker RSS {e['rss_before_mb']} → peak {e['rss_peak_mb']} MB."
            )
    if result.get("ingest"):
        for kind, r in result["ingest"].items():
            per_core = f", {r['cores']} core(s): {r['per_core']} articles/s per core" if "cores" in r else ""
            cpu = ""
            if "python_cpu_ms" in r:
                total = r["python_cpu_ms"] + r["postgres_cpu_ms"]
                cpu = (f" CPU per article: {r['python_cpu_ms']} ms Python (the command and its workers, start-up included)"
                       f" + {r['postgres_cpu_ms']} ms PostgreSQL = {total:.1f} ms, at most {1000 / total:.0f} articles/s per core"
                       " when nothing else runs.")
            lines.append(
                f"Ingest into {kind} database: {r['articles']} articles in {r['seconds']} s = {r['per_s']} articles/s{per_core} ({r['rc']}).{cpu}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--print"]:  # the tables of earlier runs: --print bench/out/*.json
        for name in sys.argv[2:]:
            saved = json.loads(Path(name).read_text())
            print(table(saved, 30) + "\n")
    else:
        main()
