"""How fast is the pure-Python extractor? (a benchmark, not a test)

    make bench                                  # seeds/ only
    .venv/bin/python bench/extract_speed.py [FOLDER_OR_FILE ...] [--seconds 3] [--per-file] [--json out.json]

Loads the reference knowledge from the JSON fixtures (no database), reads every
.txt under seeds/ plus any folders or files given, runs
timeline.extract.extract_article over all of them once untimed (warm-up: the
knowledge compiles its regexes lazily) and then round after round for about
--seconds, and prints throughput, per-article latency and per-article CPU time (time.process_time:
the work itself, which other processes on a shared machine do not stretch).
"""

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

try:
    from timeline.extract import ExtractionError, extract_article
    from timeline.reference import fixture_knowledge
except ImportError as exc:  # e.g. run with a Python that lacks requirements.txt
    sys.exit(f"cannot import the extractor ({exc}); run `make bench` or use .venv/bin/python")


def find_texts(sources):
    files = []
    for source in sources:
        source = Path(source)
        if source.is_file():
            files.append(source)
        elif source.is_dir():
            files.extend(sorted(p for p in source.rglob("*.txt") if p.is_file()))
        else:
            sys.exit(f"not a file or folder: {source}")
    unique, seen = [], set()
    for path in files:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def percentile(values, pct):
    """Nearest-rank-interpolated percentile (statistics.quantiles needs two or more values)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def run_once(text, knowledge):
    """(wall seconds, CPU seconds of this process, whether it was an article)."""
    started, cpu = time.perf_counter(), time.process_time()
    try:
        extract_article(text, knowledge)
        ok = True
    except ExtractionError:
        ok = False
    return time.perf_counter() - started, time.process_time() - cpu, ok


def display_name(path):
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", help="extra folders (searched for .txt) or files")
    parser.add_argument("--seconds", type=float, default=3.0, help="timed duration (default 3)")
    parser.add_argument("--per-file", action="store_true", help="also print one line per file")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)

    paths = find_texts([ROOT / "seeds", *args.sources])
    if not paths:
        sys.exit("no .txt files found")
    from timeline.extract.decode import decode_article_bytes

    texts = [(display_name(p), decode_article_bytes(p.read_bytes(), p.name)) for p in paths]
    total_bytes = sum(len(text.encode("utf-8")) for _, text in texts)

    load_started = time.perf_counter()
    knowledge = fixture_knowledge()
    load_ms = (time.perf_counter() - load_started) * 1000

    # Warm-up pass, timed separately: includes the lazy regex compilation.
    cold = [run_once(text, knowledge) for _, text in texts]
    cold_ms = sum(seconds for seconds, _, _ in cold) * 1000
    failed = [name for (name, _), (_, _, ok) in zip(texts, cold, strict=True) if not ok]

    per_file = {name: [] for name, _ in texts}
    cpu_samples = []
    rounds = 0
    started = time.perf_counter()
    deadline = started + args.seconds
    while True:
        for name, text in texts:
            seconds, cpu, _ = run_once(text, knowledge)
            per_file[name].append(seconds)
            cpu_samples.append(cpu * 1000)
        rounds += 1
        if time.perf_counter() >= deadline:
            break
    wall = time.perf_counter() - started

    samples_ms = [s * 1000 for times in per_file.values() for s in times]
    articles = len(samples_ms)
    result = {
        "python": platform.python_version(),
        "files": len(texts),
        "total_kb": round(total_bytes / 1024, 1),
        "rounds": rounds,
        "articles": articles,
        "seconds": round(wall, 3),
        "articles_per_second": round(articles / wall, 1),
        "kb_per_second": round(total_bytes * rounds / 1024 / wall, 1),
        "ms_median": round(statistics.median(samples_ms), 3),
        "ms_p95": round(percentile(samples_ms, 95), 3),
        "ms_max": round(max(samples_ms), 3),
        # CPU time of this process: what the work costs, whatever else the machine runs meanwhile
        "cpu_ms_median": round(statistics.median(cpu_samples), 3),
        "cpu_ms_mean": round(statistics.mean(cpu_samples), 3),
        "knowledge_load_ms": round(load_ms, 1),
        "first_pass_ms": round(cold_ms, 1),
        "not_articles": failed,
        "per_file": {
            name: {
                "kb": round(len(text.encode("utf-8")) / 1024, 1),
                "ms_median": round(statistics.median(times) * 1000, 3),
                "ms_p95": round(percentile(times, 95) * 1000, 3),
            }
            for name, text in texts
            for times in [per_file[name]]
        },
    }

    rows = [
        ("files", f"{result['files']}"),
        ("total KB", f"{result['total_kb']:.1f}"),
        ("runs (rounds over all files)", f"{rounds}"),
        ("articles extracted (timed)", f"{articles} in {wall:.2f} s"),
        ("articles/second", f"{result['articles_per_second']:.1f}"),
        ("KB/second", f"{result['kb_per_second']:.1f}"),
        ("ms/article median", f"{result['ms_median']:.3f}"),
        ("ms/article p95", f"{result['ms_p95']:.3f}"),
        ("ms/article max", f"{result['ms_max']:.3f}"),
        ("CPU ms/article median", f"{result['cpu_ms_median']:.3f}"),
        ("CPU ms/article mean", f"{result['cpu_ms_mean']:.3f}"),
        ("knowledge load (fixtures), ms", f"{load_ms:.1f}"),
        ("first pass, all files (cold), ms", f"{cold_ms:.1f}"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"extract_article benchmark - Python {result['python']}, {platform.machine()}")
    print("-" * (width + 16))
    for label, value in rows:
        print(f"{label:<{width}}  {value:>12}")
    print("-" * (width + 16))
    if failed:
        print(f"rejected as not an article (ExtractionError, still timed): {', '.join(failed)}")

    if args.per_file:
        name_width = max(len(name) for name in per_file)
        print(f"\n{'file':<{name_width}}  {'KB':>7}  {'median ms':>10}  {'p95 ms':>10}")
        for name, row in result["per_file"].items():
            print(f"{name:<{name_width}}  {row['kb']:>7.1f}  {row['ms_median']:>10.3f}  {row['ms_p95']:>10.3f}")

    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
