"""Where a request's time goes: its SQL (each query timed, with EXPLAIN (ANALYZE, BUFFERS)) and its Python (cProfile).

    python bench/profile_views.py --database scale10k [--explain] [--top 25] [--sort tottime] [URL …]

Runs each URL in-process (django.test.Client, production settings as the runner serves them) after one warm-up
request (so a cached facet block is what a repeated visitor meets), then once with the queries captured
(connection.execute_wrapper) and once under cProfile. Default URLs: the runner's (bench/runner.py url_list) for this database.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.runner import pick_targets, server_env, url_list  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) every query")
    parser.add_argument("--top", type=int, default=25, help="cProfile rows shown (by cumulative time)")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime, …")
    parser.add_argument("--reps", type=int, default=5, help="timed in-process repetitions (p50 shown)")
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args(argv)
    os.environ.update(server_env(args.database))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the production storage reads
    _, _, slug, rare = pick_targets(args.database)
    targets = [(p, h) for _, p, h in url_list(slug, rare[0] if rare else "هامي")]
    if args.urls:
        targets = [(u, {"HX-Request": "true"} if "#htmx" in u else {}) for u in args.urls]
        targets = [(u.replace("#htmx", ""), h) for u, h in targets]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="ar")
    for path, headers in targets:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        client.get(path, **extra)  # warm: caches, the planner's statistics, imports
        times = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            response = client.get(path, **extra)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        captured = []

        def record(execute, sql, params, many, context):
            t1 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                captured.append({"sql": sql, "params": params, "time": time.perf_counter() - t1})

        with connection.execute_wrapper(record):
            client.get(path, **extra)
        profile = cProfile.Profile()
        profile.enable()
        client.get(path, **extra)
        profile.disable()
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        print(f"\n=== {path} {headers or ''}: status {response.status_code}, {len(response.content)} bytes, "
              f"p50 {times[len(times) // 2]:.1f} ms in-process, {len(captured)} queries {sql_ms:.1f} ms")
        for q in captured:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
            if args.explain and q["sql"].lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"], q["params"])
                    for (line,) in cursor.fetchall():
                        print("        " + line)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
