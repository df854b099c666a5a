"""Two source trees' extractors compared on the same articles, in turns (a benchmark, not a test).

    .venv/bin/python bench/extract_paired.py BASE_TREE NEW_TREE FOLDER [--chunk 30] [--startups 6]

Starts one worker process per tree (each imports `timeline.extract` from its tree and loads the fixtures'
knowledge), warms both on the first chunk, then hands them each chunk of --chunk articles in turn, the order
swapped every chunk (A B, B A, ...), so that both meet the same load on a shared machine. Each worker reports
the CPU time (time.process_time) its extraction of the chunk took. Printed: the median of the per-chunk ratios
new/base, and each tree's CPU ms per article (total and median chunk). Then --startups pairs of fresh processes
(again alternated) time importing the extractor, loading the knowledge and extracting the first article.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORKER = r"""
import json, sys, time
from pathlib import Path
from timeline.extract import ExtractionError, extract_article
from timeline.extract.decode import decode_article_bytes
from timeline.reference import fixture_knowledge
paths = json.loads(sys.stdin.readline())
texts = [decode_article_bytes(Path(p).read_bytes(), Path(p).name) for p in paths]
knowledge = fixture_knowledge()
print("ready", flush=True)
for line in sys.stdin:
    start, stop = map(int, line.split())
    cpu = time.process_time()
    for text in texts[start:stop]:
        try:
            extract_article(text, knowledge)
        except ExtractionError:
            pass
    print(time.process_time() - cpu, flush=True)
"""

STARTUP = r"""
import sys, time
from pathlib import Path
cpu = time.process_time()
from timeline.extract import extract_article
imported = time.process_time()
from timeline.reference import fixture_knowledge
knowledge = fixture_knowledge()
loaded = time.process_time()
extract_article(Path(sys.argv[1]).read_text(encoding="utf-8"), knowledge)
done = time.process_time()
print(imported - cpu, loaded - imported, done - loaded)
"""


def tree_env(tree):
    """The environment a process importing `tree`'s code runs in."""
    return {**os.environ, "PYTHONPATH": str(tree), "DJANGO_SETTINGS_MODULE": "config.settings"}


def worker(tree, code, *args):
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=tree, env=tree_env(tree), text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )


def ask(proc, start, stop):
    proc.stdin.write(f"{start} {stop}\n")
    proc.stdin.flush()
    return float(proc.stdout.readline())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--chunk", type=int, default=30)
    parser.add_argument("--startups", type=int, default=6, help="pairs of fresh processes timed (0: none)")
    args = parser.parse_args(argv)
    paths = sorted(str(p.resolve()) for p in args.folder.rglob("*.txt"))
    procs = [worker(tree.resolve(), WORKER) for tree in (args.base, args.new)]
    for proc in procs:
        proc.stdin.write(json.dumps(paths) + "\n")
        proc.stdin.flush()
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        ask(proc, 0, args.chunk)  # warm-up: the lazy compiles
    times = ([], [])
    for n, start in enumerate(range(0, len(paths), args.chunk)):
        stop = min(start + args.chunk, len(paths))
        for i in ((0, 1) if n % 2 == 0 else (1, 0)):
            times[i].append((ask(procs[i], start, stop), stop - start))
    for proc in procs:
        proc.stdin.close()
        proc.wait()
    ratios = [b / a for (a, _), (b, _) in zip(*times, strict=True) if a > 0]
    for label, series in zip(("base", "new"), times, strict=True):
        total = sum(t for t, _ in series) * 1000 / len(paths)
        median = statistics.median(t * 1000 / n for t, n in series)
        print(f"{label}: {total:.3f} CPU ms/article (median chunk {median:.3f})")
    print(f"new/base: median ratio {statistics.median(ratios):.3f} over {len(ratios)} chunks of {args.chunk} "
          f"(quartiles {statistics.quantiles(ratios, n=4)[0]:.3f}..{statistics.quantiles(ratios, n=4)[2]:.3f})")

    if args.startups:
        first = paths[0]
        runs = ([], [])
        for n in range(args.startups):
            for i in ((0, 1) if n % 2 == 0 else (1, 0)):
                tree = (args.base, args.new)[i].resolve()
                out = subprocess.run(
                    [sys.executable, "-c", STARTUP, first], cwd=tree, env=tree_env(tree), text=True,
                    capture_output=True, check=True,
                ).stdout.split()
                runs[i].append([float(x) * 1000 for x in out])
        for label, series in zip(("base", "new"), runs, strict=True):
            med = [statistics.median(column) for column in zip(*series, strict=True)]
            print(f"{label} start-up (median of {len(series)}): import {med[0]:.0f} ms, knowledge {med[1]:.0f} ms, "
                  f"first article {med[2]:.0f} ms, total {sum(med):.0f} ms")
        pairs = [sum(b) / sum(a) for a, b in zip(*runs, strict=True)]
        print(f"start-up new/base: median ratio {statistics.median(pairs):.3f}")
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - started:.0f} s)")
    sys.exit(code)
