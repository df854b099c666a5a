"""The scale benchmark: a generated corpus of N events in its own database, and the app measured on it.

    python bench/scale.py build --events 100000 --database scale100k
        Creates the database (as <name>_building, renamed when complete), migrates it with this
        checkout's schema and writes N events with 1–4 articles each (bench/corpus.py) by COPY.
    python bench/scale.py articles --count 2000 --out DIR [--seed 7]
        Writes generated articles as .txt files (for timing `manage.py ingest`).
    python bench/scale.py run --database scale10k [--label before]
        See bench/runner.py (make bench-scale N=10000).

The connection is DATABASE_URL's server (default postgresql://postgres@127.0.0.1:5432), with the
database name replaced.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SERVER_URL = os.getenv("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
CHUNK = 5000  # events generated and copied per round


def database_url(name, base=SERVER_URL):
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_connection():
    import psycopg

    return psycopg.connect(database_url("postgres"), autocommit=True)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def setup_django(name):
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- build -----------------------------------------------------------------------------------


EVENT_COLUMNS = (
    "id", "slug", "title", "lead", "date_start", "date_end", "precision", "date_method", "date_evidence",
    "date_confidence", "needs_review", "search_document", "date_locked", "created_at", "updated_at",
)
ARTICLE_COLUMNS = (
    "id", "event_id", "title", "title_generated", "raw_text", "body", "lead", "outlet_id", "url", "published_on",
    "published_evidence", "editor", "language", "source_name", "content_hash", "signature", "created_at",
    "date_start", "date_end", "precision", "date_method", "date_evidence", "date_confidence", "needs_review",
)
TABLES = (
    "timeline_event", "timeline_article", "timeline_event_topics", "timeline_event_entities",
    "timeline_articletopic", "timeline_articleentity",
)
METHOD_BY_PRECISION = {"day": "dateline", "month": "explicit", "year": "publication", "": ""}
CONFIDENCE_BY_PRECISION = {"day": 0.9, "month": 0.7, "year": 0.5, "": 0.0}


def build(events, name, seed=1, force=False, if_missing=False):
    import psycopg

    building = f"{name}_building"
    with admin_connection() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and if_missing and not force:
            log(f"database {name} exists: kept")
            return
        if exists and not force:
            sys.exit(f"database {name} exists (use --force to rebuild it)")
        admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
        admin.execute(f'CREATE DATABASE "{building}"')
    setup_django(building)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated {building}")
    with psycopg.connect(database_url(building), autocommit=True) as conn:
        fill(conn, events, seed)
    from django.db import connection

    connection.close()
    from timeline.models import Event

    if hasattr(Event.objects.all(), "refresh_denormalised"):
        log("refresh_denormalised()")
        Event.objects.all().refresh_denormalised()
    connection.close()
    with admin_connection() as admin:
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    log(f"database {name}: {events} events in {time.perf_counter() - started:.0f} s")


def fill(conn, n_events, seed):
    from psycopg.types.json import Jsonb

    from bench.corpus import Composer
    from timeline.extract.search import search_stems
    from timeline.reference import fixture_knowledge, read_fixture

    cur = conn.cursor()
    topics = {slug: (pk, f"{ar} {en}") for pk, slug, ar, en in cur.execute("SELECT id, slug, name_ar, name_en FROM timeline_topic")}
    entities = {
        slug: (pk, f"{ar} {en}") for pk, slug, ar, en in cur.execute("SELECT id, slug, name_ar, name_en FROM timeline_entity")
    }
    outlets = {slug: (pk, f"{ar} {en}") for pk, slug, ar, en in cur.execute("SELECT id, slug, name_ar, name_en FROM timeline_outlet")}
    stems = {
        (kind, key): search_stems(text)
        for kind, table in (("t", topics), ("e", entities), ("o", outlets))
        for key, (_, text) in table.items()
    }
    outlet_rows = [o for o in read_fixture("outlets.json") if o["slug"] in outlets]
    t0 = time.perf_counter()
    composer = Composer(fixture_knowledge(), read_fixture("entities.json"), outlet_rows, seed=seed)
    log(f"sentence bank: {len(composer.bank)} sentences analysed in {time.perf_counter() - t0:.1f} s")

    # Secondary indexes are built once at the end (much faster than row by row); foreign keys are not
    # checked row by row (the generator writes consistent ids).
    indexes = cur.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        [list(TABLES)],
    ).fetchall()
    for index_name, _ in indexes:
        cur.execute(f'DROP INDEX "{index_name}"')
    cur.execute("SET session_replication_role = replica")

    rng = composer.rng
    now = datetime.datetime.now(datetime.timezone.utc)
    today = datetime.date.today()
    ids = {"event": 0, "article": 0, "et": 0, "ee": 0, "at": 0, "ae": 0}
    slugs = set()
    checked = 0
    written_articles = 0
    t0 = time.perf_counter()
    for chunk_start in range(0, n_events, CHUNK):
        rows = {table: [] for table in TABLES}
        for _ in range(min(CHUNK, n_events - chunk_start)):
            ids["event"] += 1
            event_id = ids["event"]
            event_topics = composer.event_topics()
            date = composer.event_date()
            n_articles = 1 + (rng.random() < 0.55) + (rng.random() < 0.3) + (rng.random() < 0.15)
            articles = []
            for _ in range(n_articles):
                ids["article"] += 1
                article = composer.article(event_topics, date, serial=ids["article"])
                start, end, precision = date
                article.id = ids["article"]
                article.date_start, article.date_end, article.precision = start, end, precision
                article.method = METHOD_BY_PRECISION[precision]
                article.confidence = round(CONFIDENCE_BY_PRECISION[precision] - rng.random() * 0.15, 2) if precision else 0.0
                article.evidence = article.body[:60] if precision == "day" else ""
                article.published = min(end + datetime.timedelta(days=rng.choice([0, 0, 1, 2])), today) if end else None
                articles.append(article)
            primary = articles[0]
            start, end, precision = date
            needs_review = not precision or primary.confidence < 0.6
            slug = f"{start.isoformat() if start else 'undated'}-{primary.content_hash[:8]}"
            while slug in slugs:
                slug += "-2"
            slugs.add(slug)
            event_topic_set = dict.fromkeys(t for a in articles for t in a.topics)
            event_entity_set = dict.fromkeys(e for a in articles for e in a.entities if e in entities)
            event_outlets = dict.fromkeys(a.outlet["slug"] for a in articles)
            document = " ".join(
                part
                for part in [p for a in articles for p in (a.title_stems, a.body_stems)]
                + [stems["o", o] for o in event_outlets]
                + [stems["t", t] for t in event_topic_set]
                + [stems["e", e] for e in event_entity_set]
                if part
            )
            if checked < 30:  # the document is exactly what the app would compute
                text = "\n".join(
                    [a.title + "\n" + a.body for a in articles]
                    + [outlets[o][1] for o in event_outlets]
                    + [topics[t][1] for t in event_topic_set]
                    + [entities[e][1] for e in event_entity_set]
                )
                if search_stems(text) != document:
                    raise AssertionError(f"event {event_id}: the search document differs from the app's")
                checked += 1
            rows["timeline_event"].append((
                event_id, slug, primary.title, primary.lead, start, end, precision, primary.method,
                primary.evidence, primary.confidence, needs_review, document, False, now, now,
            ))
            for a in articles:
                rows["timeline_article"].append((
                    a.id, event_id, a.title, False, a.body, a.body, a.lead, outlets[a.outlet["slug"]][0],
                    f"https://{(a.outlet.get('domains') or ['example.org'])[0]}/news/{a.id}.html", a.published,
                    "url: generated" if a.published else "", "", "ar", f"generated-{a.id}.txt", a.content_hash,
                    Jsonb({"kinds": [], "meetings": [], "words": a.words}), now,
                    a.date_start, a.date_end, a.precision, a.method, a.evidence, a.confidence,
                    not a.precision or a.confidence < 0.6,
                ))
                for slug_, evidence in a.topics.items():
                    ids["at"] += 1
                    rows["timeline_articletopic"].append((ids["at"], a.id, topics[slug_][0], evidence))
                for slug_, mentions in a.entities.items():
                    if slug_ in entities:
                        ids["ae"] += 1
                        rows["timeline_articleentity"].append((ids["ae"], a.id, entities[slug_][0], Jsonb(mentions)))
            for t in event_topic_set:
                ids["et"] += 1
                rows["timeline_event_topics"].append((ids["et"], event_id, topics[t][0]))
            for e in event_entity_set:
                ids["ee"] += 1
                rows["timeline_event_entities"].append((ids["ee"], event_id, entities[e][0]))
            written_articles += len(articles)
        columns = {
            "timeline_event": EVENT_COLUMNS,
            "timeline_article": ARTICLE_COLUMNS,
            "timeline_event_topics": ("id", "event_id", "topic_id"),
            "timeline_event_entities": ("id", "event_id", "entity_id"),
            "timeline_articletopic": ("id", "article_id", "topic_id", "evidence"),
            "timeline_articleentity": ("id", "article_id", "entity_id", "mentions"),
        }
        with conn.transaction():
            for table in TABLES:
                with cur.copy(f"COPY {table} ({', '.join(columns[table])}) FROM STDIN") as copy:
                    for row in rows[table]:
                        copy.write_row(row)
        done = chunk_start + len(rows["timeline_event"])
        log(f"{done} events, {written_articles} articles ({time.perf_counter() - t0:.0f} s)")
    cur.execute("SET session_replication_role = DEFAULT")
    for table in TABLES:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")
    cur.execute("SET maintenance_work_mem = '512MB'")
    for index_name, definition in indexes:
        t1 = time.perf_counter()
        cur.execute(definition)
        log(f"index {index_name} ({time.perf_counter() - t1:.0f} s)")
    cur.execute("VACUUM (ANALYZE)")
    log("vacuum analyze done")


# --- articles as files ------------------------------------------------------------------------


def write_articles(count, out, seed=7):
    """Generated articles as text files (title line, then the body), for `manage.py ingest`."""
    from bench.corpus import Composer
    from timeline.reference import fixture_knowledge, read_fixture

    composer = Composer(fixture_knowledge(), read_fixture("entities.json"), read_fixture("outlets.json"), seed=seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        topics = composer.event_topics()
        date = composer.event_date()
        article = composer.article(topics, date, serial=f"{seed}-{i}")
        (out / f"gen_{seed}_{i:06d}.txt").write_text(article.title + "\n" + article.body + "\n", encoding="utf-8")
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a database of N generated events")
    b.add_argument("--events", type=int, required=True)
    b.add_argument("--database", required=True)
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--force", action="store_true", help="replace the database if it exists")
    b.add_argument("--if-missing", action="store_true", help="do nothing if the database exists")
    a = sub.add_parser("articles", help="write generated articles as .txt files")
    a.add_argument("--count", type=int, required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--seed", type=int, default=7)
    r = sub.add_parser("run", help="measure the app on a database (see bench/runner.py)")
    r.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args.events, args.database, seed=args.seed, force=args.force, if_missing=args.if_missing)
    elif args.command == "articles":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        print(write_articles(args.count, args.out, seed=args.seed), "articles written to", args.out)
    else:
        from bench import runner

        runner.main(args.rest)


if __name__ == "__main__":
    main()
