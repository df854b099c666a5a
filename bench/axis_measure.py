"""Time the timeline page with its time axis on a benchmark database (bench/scale.py build), in-process.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_axis_10k python bench/axis_measure.py [--runs 15]

For each address: the queries of a request whose facets are cached, the median and worst time of `runs` such
requests (Django's test client, no network), the elements drawn in the axis (0 where the page has none) and the
median time spent in timeline.axis.build (its query included).
Run it from another checkout (PYTHONPATH) to compare: the same method, before and after.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: another checkout can be measured the same way

URLS = ["/", "/en/", "/?topic=trade", "/?from=2015&to=2015", "/?from=2015-06&to=2015-06",
        "/?from=2015-06-10&to=2015-06-10", "/?from=2010&to=2019&topic=trade"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # one connection for the whole run (as the test client has in tests): its queries are the ones counted
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    try:  # the axis's own time, where there is one
        from timeline import axis

        build, spent = axis.build, []

        def timed(*a, **k):
            start = time.perf_counter()
            try:
                return build(*a, **k)
            finally:
                spent.append((time.perf_counter() - start) * 1000)

        axis.build = timed
    except ImportError:
        spent = []
    print(f"{'address':40} {'queries':>7} {'median ms':>9} {'max ms':>7} {'axis nodes':>10} {'axis ms':>7}")
    for url in URLS:
        html = client.get(url).content.decode()  # counts and caches the facets
        connection.queries_log.clear()  # (a full log, DEBUG's 9000 entries, would count nothing new)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times = []
        spent.clear()
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
        start = html.find('<figure class="axis"')
        drawn = len(re.findall(r"<[a-zA-Z]", html[start:html.index("</figure>", start)])) if start >= 0 else 0
        axis_ms = f"{statistics.median(spent):7.1f}" if spent else "      -"
        print(f"{url:40} {len(queries):7} {statistics.median(times):9.1f} {max(times):7.1f} {drawn:10} {axis_ms}")


if __name__ == "__main__":
    main()
