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
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SERVER_URL = os.getenv("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
CHUNK = 5000  # events generated and copied per round
CHECKED = 30  # events whose search document is also computed the app's way (search_stems of the whole text)


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
    "event_type", "event_type_locked", "composed_headline_ar", "composed_headline_en", "headline_ar", "headline_en",
    "summary_ar", "summary_en", "title_poor", "topic_ids", "entity_ids", "outlet_ids", "machine_date",
)
ARTICLE_COLUMNS = (
    "id", "event_id", "title", "title_generated", "raw_text", "body", "lead", "outlet_id", "url", "published_on",
    "published_evidence", "editor", "language", "source_name", "content_hash", "signature", "created_at",
    "date_start", "date_end", "precision", "date_method", "date_evidence", "date_confidence", "needs_review",
    "event_type", "event_type_evidence", "event_locked", "machine_date", "date_candidates", "review_reasons",
    "locked_fields",
)
COLUMNS = {
    "timeline_event": EVENT_COLUMNS,
    "timeline_eventslug": ("id", "slug", "event_id", "created_at"),
    "timeline_article": ARTICLE_COLUMNS,
    "timeline_event_topics": ("id", "event_id", "topic_id"),
    "timeline_event_entities": ("id", "event_id", "entity_id"),
    "timeline_articletopic": ("id", "article_id", "topic_id", "evidence"),
    "timeline_articleentity": ("id", "article_id", "entity_id", "mentions"),
}
TABLES = tuple(COLUMNS)
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
    from timeline.search import rebuild_search_terms

    t0 = time.perf_counter()
    rebuild_search_terms()  # "did you mean" knows the corpus's words, as after `manage.py build_search_terms`
    log(f"search terms ({time.perf_counter() - t0:.0f} s)")
    from django.db import connection

    connection.close()
    with admin_connection() as admin:
        if exists:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    log(f"database {name}: {events} events in {time.perf_counter() - started:.0f} s")


def _json(value):
    """A jsonb value as Python (Django's connections load jsonb as text; a plain psycopg one parses it)."""
    return json.loads(value) if isinstance(value, str) else value


class _ByPk:
    """Hashes and compares by id, as a Django model instance does (so a set of them iterates in the same order)."""

    def __init__(self, row):
        self.row, self.slug = row, row.slug

    def __hash__(self):
        return hash(self.row.pk)

    def __eq__(self, other):
        return self.row.pk == other.row.pk


class Generator:
    """Rows of generated events, as ingest would have stored them, table by table (write() copies them in).

    Each stored value comes from the app's own functions where they are cheap: the search document
    (extract/search.py, checked against search_stems of the whole text for the first events), the
    articles' and events' types (extract/event_types.py), the composed headlines and "poor title" flag
    (timeline/headlines.py and extract/headlines.py), the speaking and dating article (ingest.primary_article),
    the review reasons (extract/review.py), the permanent `ev-<hash>` address (as ingest._new_event) with its
    EventSlug row, and the topic/entity/outlet arrays (sorted ids, as refresh_denormalised writes them)."""

    def __init__(self, cursor, seed=1, composer=None):
        """`composer`: a bench.corpus.Composer of the fixtures' names (one is made with `seed` when not given)."""
        from bench.corpus import Composer
        from timeline.extract.search import search_stems
        from timeline.reference import fixture_knowledge, read_fixture

        def table(sql):
            return {row[1]: row for row in cursor.execute(sql)}

        self.topics = table("SELECT id, slug, name_ar, name_en, position FROM timeline_topic")
        self.entities = {
            slug: SimpleNamespace(pk=pk, slug=slug, name_ar=ar, name_en=en, kind=kind, is_country=is_country,
                                  country=country, roles=_json(roles) or [], historic=_json(historic) or [],
                                  aliases=aliases or [])
            for pk, slug, ar, en, kind, is_country, country, roles, historic, aliases in cursor.execute(
                "SELECT id, slug, name_ar, name_en, kind, is_country, country, roles, historic, aliases FROM timeline_entity")
        }
        self.outlets = {
            slug: SimpleNamespace(pk=pk, slug=slug, name_ar=ar, name_en=en, aliases=aliases or [])
            for pk, slug, ar, en, aliases in cursor.execute("SELECT id, slug, name_ar, name_en, aliases FROM timeline_outlet")
        }
        self.stems = {}
        for kind, names in (("t", {s: f"{r[2]} {r[3]}" for s, r in self.topics.items()}),
                            ("e", {s: f"{e.name_ar} {e.name_en}" for s, e in self.entities.items()}),
                            ("o", {s: f"{o.name_ar} {o.name_en}" for s, o in self.outlets.items()})):
            for slug, text in names.items():
                self.stems[kind, slug] = (text, search_stems(text))
        if composer is None:
            outlet_rows = [o for o in read_fixture("outlets.json") if o["slug"] in self.outlets]
            t0 = time.perf_counter()
            composer = Composer(fixture_knowledge(), read_fixture("entities.json"), outlet_rows, seed=seed)
            log(f"sentence bank: {len(composer.bank)} sentences analysed in {time.perf_counter() - t0:.1f} s")
        missing = {o["slug"] for o in composer.outlets.items} - set(self.outlets)
        assert not missing, f"outlets the database does not know: {missing}"
        self.composer = composer
        self.ids = dict.fromkeys(TABLES, 0)
        self.slugs = set()
        self.checked = 0
        self.now = datetime.datetime.now(datetime.timezone.utc)
        self.today = datetime.date.today()

    def _next(self, table):
        self.ids[table] += 1
        return self.ids[table]

    def _article(self, event_topics, date):
        from timeline.extract import REVIEW_CONFIDENCE
        from timeline.extract.event_types import explain
        from timeline.extract.review import reasons_for

        composer, rng = self.composer, self.composer.rng
        a = composer.article(event_topics, date, serial=self.ids["timeline_article"] + 1)
        a.pk = a.id = self._next("timeline_article")
        start, end, precision = date
        a.date_start, a.date_end, a.precision = start, end, precision
        a.date_method = METHOD_BY_PRECISION[precision]
        a.date_confidence = round(CONFIDENCE_BY_PRECISION[precision] - rng.random() * 0.15, 2) if precision else 0.0
        a.date_evidence = a.body[:60] if precision == "day" else ""
        a.published = min(end + datetime.timedelta(days=rng.choice([0, 0, 1, 2])), self.today) if end else None
        a.title_generated = False
        a.signature = {"kinds": [], "meetings": [], "words": a.words}
        guess = explain(a.title, a.lead, a.body, a.signature)
        a.event_type, a.event_type_evidence = guess.code, guess.evidence[:300]
        claim = SimpleNamespace(confidence=a.date_confidence) if precision else None
        a.review_reasons = reasons_for(claim, REVIEW_CONFIDENCE, ())
        a.needs_review = not precision or a.date_confidence < REVIEW_CONFIDENCE
        a.machine_date = {
            "start": start.isoformat(), "end": end.isoformat(), "precision": precision, "method": a.date_method,
            "evidence": a.date_evidence, "confidence": a.date_confidence,
        } if precision else None
        a.date_candidates = [{**a.machine_date, "chosen": True}] if precision else []
        a.outlet_row = self.outlets[a.outlet["slug"]]
        return a

    def chunk(self, size):
        """Rows of `size` more events, {table: [row, …]}."""
        from psycopg.types.json import Jsonb

        from timeline.extract.event_types import event_type_of
        from timeline.extract.headlines import Place, compose_headlines, title_is_poor
        from timeline.extract.search import search_stems
        from timeline.headlines import _participants, _place_from_text
        from timeline.ingest import date_needs_review, primary_article

        rows = {t: [] for t in TABLES}
        rng, now = self.composer.rng, self.now
        for _ in range(size):
            event_id = self._next("timeline_event")
            event_topics = self.composer.event_topics()
            date = self.composer.event_date()
            n_articles = 1 + (rng.random() < 0.55) + (rng.random() < 0.3) + (rng.random() < 0.15)
            articles = [self._article(event_topics, date) for _ in range(n_articles)]
            speaker = primary_article(articles)  # every article is titled and carries the event's date
            start, end, precision = date
            slug = stem = f"ev-{speaker.content_hash[:10]}"
            suffix = 2
            while slug in self.slugs:
                slug, suffix = f"{stem}-{suffix}", suffix + 1
            self.slugs.add(slug)
            # in the order refresh_event reads them: topics and entities by their models' ordering, outlets as
            # a set of Outlet instances (which hash by id) iterates
            topic_set = sorted({t for a in articles for t in a.topics}, key=lambda t: (self.topics[t][4], t))
            entity_set = sorted({e for a in articles for e in a.entities if e in self.entities},
                                key=lambda e: (self.entities[e].kind, self.entities[e].name_en))
            outlet_set = [o.slug for o in {_ByPk(a.outlet_row) for a in articles}]
            names = [self.stems["o", o] for o in outlet_set] + [self.stems["t", t] for t in topic_set] + [
                self.stems["e", e] for e in entity_set]
            document = " ".join(
                part for part in [p for a in articles for p in (a.title_stems, a.body_stems)] + [s for _, s in names] if part
            )
            if self.checked < CHECKED:  # the document is exactly what the app would compute
                text = "\n".join([a.title + "\n" + a.body for a in articles] + [t for t, _ in names])
                if search_stems(text) != document:
                    raise AssertionError(f"event {event_id}: the search document differs from the app's")
                self.checked += 1
            event_type = event_type_of([a.event_type for a in articles], speaker.event_type)
            matches = [
                SimpleNamespace(article_id=a.pk, entity=self.entities[slug_], mentions=spans)
                for a in articles for slug_, spans in a.entities.items() if slug_ in self.entities
            ]
            place = _place_from_text(speaker, matches, start)
            if place and place.country and place.country in self.entities:
                country = self.entities[place.country]
                place = Place(place.name_en, place.name_ar, place.country, country.name_en, country.name_ar)
            headlines = compose_headlines(event_type, _participants(matches), place, start)
            outlet_names = [n for a in articles for n in (a.outlet_row.name_ar, a.outlet_row.name_en, *a.outlet_row.aliases)]
            place_names = [n for m in matches if m.entity.kind == "place" for n in (m.entity.name_ar, *m.entity.aliases)]
            rows["timeline_event"].append((
                event_id, slug, speaker.title[:500], speaker.lead, start, end, precision, speaker.date_method,
                speaker.date_evidence, speaker.date_confidence,
                date_needs_review(speaker) if precision else True, document, False, now, now,
                event_type, False, headlines.ar[:300], headlines.en[:300], "", "", "", "",
                title_is_poor(speaker.title, False, outlet_names, place_names),
                sorted(self.topics[t][0] for t in topic_set), sorted(self.entities[e].pk for e in entity_set),
                sorted({self.outlets[o].pk for o in outlet_set}), Jsonb(speaker.machine_date) if precision else None,
            ))
            rows["timeline_eventslug"].append((self._next("timeline_eventslug"), slug, event_id, now))
            for a in articles:
                rows["timeline_article"].append((
                    a.id, event_id, a.title, False, a.title + "\n" + a.body, a.body, a.lead, a.outlet_row.pk,
                    f"https://{(a.outlet.get('domains') or ['example.org'])[0]}/news/{a.id}.html", a.published,
                    "url: generated" if a.published else "", "", "ar", f"generated-{a.id}.txt", a.content_hash,
                    Jsonb(a.signature), now, a.date_start, a.date_end, a.precision, a.date_method, a.date_evidence,
                    a.date_confidence, a.needs_review, a.event_type, a.event_type_evidence, False,
                    Jsonb(a.machine_date) if a.machine_date else None, Jsonb(a.date_candidates), a.review_reasons,
                    [],  # locked_fields: nothing an editor set
                ))
                for slug_, evidence in a.topics.items():
                    rows["timeline_articletopic"].append((self._next("timeline_articletopic"), a.id, self.topics[slug_][0], evidence))
                for slug_, mentions in a.entities.items():
                    if slug_ in self.entities:
                        rows["timeline_articleentity"].append(
                            (self._next("timeline_articleentity"), a.id, self.entities[slug_].pk, Jsonb(mentions)))
            for t in topic_set:
                rows["timeline_event_topics"].append((self._next("timeline_event_topics"), event_id, self.topics[t][0]))
            for e in entity_set:
                rows["timeline_event_entities"].append((self._next("timeline_event_entities"), event_id, self.entities[e].pk))
        return rows


def write(cursor, rows):
    """COPY generated rows (Generator.chunk) into their tables."""
    for table in TABLES:
        with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
            for row in rows[table]:
                copy.write_row(row)


def fill(conn, n_events, seed):
    cur = conn.cursor()
    generator = Generator(cur, seed)

    # Secondary indexes are built once at the end (much faster than row by row); foreign keys and the history and
    # data-version triggers are not run row by row (the generator writes consistent ids; nothing to record).
    indexes = cur.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        [list(TABLES)],
    ).fetchall()
    for index_name, _ in indexes:
        cur.execute(f'DROP INDEX "{index_name}"')
    cur.execute("SET session_replication_role = replica")
    t0 = time.perf_counter()
    for chunk_start in range(0, n_events, CHUNK):
        rows = generator.chunk(min(CHUNK, n_events - chunk_start))
        with conn.transaction():
            write(cur, rows)
        log(f"{generator.ids['timeline_event']} events, {generator.ids['timeline_article']} articles "
            f"({time.perf_counter() - t0:.0f} s)")
    cur.execute("SET session_replication_role = DEFAULT")
    reset_sequences(cur)
    cur.execute("SET maintenance_work_mem = '512MB'")
    for index_name, definition in indexes:
        t1 = time.perf_counter()
        cur.execute(definition)
        log(f"index {index_name} ({time.perf_counter() - t1:.0f} s)")
    from timeline.models import RECOUNT_ENTITIES_SQL

    cur.execute(RECOUNT_ENTITIES_SQL)  # what the triggers (off while copying) keep: models.EntityCount
    log("entity counts")
    cur.execute("VACUUM (ANALYZE)")
    log("vacuum analyze done")


def reset_sequences(cursor):
    for table in TABLES:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")


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
