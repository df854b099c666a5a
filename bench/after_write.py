"""The first requests after a write: each round writes once (a no-op UPDATE of a topic, which changes the data
version as any write does), then times each URL twice in-process: the first visitor (nothing of this version
cached: facets counted or estimated, the page rendered) and the next one a moment later.

    python bench/after_write.py --database <a copy of scale100k> [--rounds 3] [URL …]

Production settings as the runner serves them (bench/runner.py server_env), the page cache on. Background counts
started by a round run while the next URL is timed, as on a server; --pause waits between rounds.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.runner import server_env  # noqa: E402

URLS = ["/", "/?topic=trade", "/?year=2009", "/?entity=kassym-jomart-tokayev", "/?q=Tokayev"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pause", type=float, default=5, help="seconds between rounds (background counts finish)")
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args(argv)
    os.environ.update(server_env(args.database))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="ar")
    urls = args.urls or URLS
    for url in urls:
        client.get(url)  # imports, templates, the planner's statistics
    times = {url: ([], []) for url in urls}
    for _ in range(args.rounds):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE timeline_topic SET position = position WHERE id = (SELECT min(id) FROM timeline_topic)")
        for url in urls:
            for visit in times[url]:
                t0 = time.perf_counter()
                assert client.get(url).status_code == 200
                visit.append((time.perf_counter() - t0) * 1000)
        time.sleep(args.pause)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| URL | first visit after a write, ms (median; each round) | next visit |")
    print("|---|---:|---:|")
    for url, (first, second) in times.items():
        print(f"| `{url}` | {statistics.median(first):.0f} ({', '.join(f'{t:.0f}' for t in first)}) "
              f"| {statistics.median(second):.0f} ({', '.join(f'{t:.0f}' for t in second)}) |")


if __name__ == "__main__":
    main()
