"""Turn extraction results into rows: one transaction per article, idempotent, order-independent.

An article joins an existing event when both report the same happening (same
calendar meeting, same leader's visit, or the same day and the same words) and
their dates overlap; otherwise it starts a new event. The event's date, title
and topics are recomputed from all its articles by a rule that does not depend
on which article came first.
"""

import csv
import datetime
import functools
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.postgres.fields.ranges import DateRange
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify

from timeline.extract import ExtractionError, extract_article
from timeline.extract.entities import find_article_entities
from timeline.extract.event_types import event_type_of
from timeline.extract.search import search_stems
from timeline.extract.arabic import strip_controls
from timeline.extract.decode import MAX_ARTICLE_BYTES, MAX_PAGE_BYTES, decode_article_bytes  # noqa: F401 (used by admin, commands)
from timeline.models import (
    ARTICLE_SPAN,
    REVIEW_CONFIDENCE,
    Article,
    ArticleEntity,
    ArticleTopic,
    Entity,
    Event,
    EventSlug,
    Outlet,
    ProposalStatus,
    ProposedEntity,
    Topic,
    bool_array,
    int_array,
    text_array,
)
from timeline.reference import current_knowledge
from timeline.headlines import HeadlineLookups, refresh_composed_headlines
from timeline.search import add_words, suggestible


_PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "": 0}


def _in_bulk(model, ids, defer=()):
    """model.objects.in_bulk(ids), in one query with an array parameter (models.AnyOf); `defer`: fields not read."""
    return {obj.pk: obj for obj in model.objects.filter(pk__any_of=sorted(ids)).defer(*defer)} if ids else {}


# An event's search document and vector (10-20 KB of text, stored compressed): refresh_events writes the document
# without reading it, and nothing after a batch reads either, so a batch never loads them (each was read twice
# an event, decompressed by PostgreSQL and decoded by psycopg for nothing).
_SEARCH_FIELDS = ("search_document", "search_vector")


@dataclass
class Outcome:
    name: str
    status: str  # "new", "unchanged" or "failed"
    article: Article | None = None
    message: str = ""


# --- reading files ------------------------------------------------------------------------


ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm")


def article_files(paths):
    """Every article file (.txt, .html) under the given files and folders, sorted, plus unreadable paths."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            yield path


@dataclass
class ManifestRow:
    """What a manifest says about one file: its address, publication date and outlet (each optional)."""

    file: Path
    url: str = ""
    published: datetime.date | None = None
    outlet: str = ""


@dataclass
class Manifest:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # bad rows: (file name, message naming it and the line)

    def row_for(self, path):
        """The row for a file named on the command line: the same path, failing that the same file name."""
        path = Path(path)
        same = [r for r in self.rows if r.file == path.resolve()] or [r for r in self.rows if r.file.name == path.name]
        return same[0] if same else None


def _manifest_records(text):
    """(line number, row as a dict) for a CSV with a header row, or for JSON lines."""
    if text.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    record = {"error": f"not JSON ({exc.msg})"}
                yield number, record if isinstance(record, dict) else {"error": "not a JSON object"}
        return
    reader = csv.DictReader(io.StringIO(text))
    for record in reader:
        yield reader.line_num, record


def read_manifest(path):
    """Read a manifest (CSV with a header row, or JSON lines) of columns file, url, published, outlet.

    `file` is absolute or relative to the manifest's folder. A row whose file is missing or whose date
    is not a date (YYYY-MM-DD, not after today) is a problem, reported by its file name; the others stand.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # what spreadsheets export
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text") from exc
    manifest = Manifest()
    for number, record in _manifest_records(text):
        where = f"{path.name} line {number}"
        record = {str(k).strip().lower(): "" if v is None else str(v).strip() for k, v in record.items() if k}
        name = record.get("file") or ""
        if not name:
            manifest.problems.append((where, f"{where}: {record.get('error') or 'no file column'}"))
            continue
        file = (path.parent / name).resolve()
        if not file.is_file():
            manifest.problems.append((name, f"{name} ({where}): no such file"))
            continue
        published = None
        if record.get("published"):
            try:
                published = datetime.date.fromisoformat(record["published"][:10])
            except ValueError:
                published = None
            if published is None or published > datetime.date.today():
                manifest.problems.append((name, f"{name} ({where}): publication date «{record['published']}» is not a date"))
                continue
        manifest.rows.append(ManifestRow(file, record.get("url", ""), published, record.get("outlet", "")))
    return manifest


def files_with_metadata(paths, manifest=None):
    """(file, manifest row or None) for every file to read: those under `paths`, else the manifest's own."""
    if paths:
        return [(p, manifest.row_for(p) if manifest else None) for p in article_files(paths)]
    return [(row.file, row) for row in manifest.rows] if manifest else []


# --- writers at the same moment -------------------------------------------------------------


def _hold_lock(name):
    """Take the PostgreSQL advisory lock called `name`, held until the current transaction ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("an advisory lock taken outside a transaction is released at once")
    key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def hold_article_lock(content_hash):
    """Serialise writers of one text: the duplicate check after it sees any article stored before."""
    _hold_lock(f"timeline.article:{content_hash}")


def hold_matching_lock():
    """Serialise event matching, so that the grouping never depends on the timing of saves.

    One key for all happenings, not one per day: matching re-groups the whole connected component
    of "same happening" links, which can reach days far from the new article's, and is only known
    once read. Taken before the caller writes any article row (two saves each holding a row the other
    re-groups would deadlock). Matching takes milliseconds; extraction, the slow part, runs before it.
    """
    _hold_lock("timeline.event-matching")


# --- writing one article -------------------------------------------------------------------


def read_article(data, name):
    """An article file's text: a saved web page (.html) may be larger than an article's text."""
    html = Path(name).suffix.lower() in (".html", ".htm")
    return decode_article_bytes(data, name, max_bytes=MAX_PAGE_BYTES if html else MAX_ARTICLE_BYTES)


def ingest_file(path, knowledge, row=None):
    """Ingest one file; `row` is its manifest row (address, publication date, outlet), if any."""
    prepared = prepare_file(path, knowledge, row)
    return prepared if isinstance(prepared, Outcome) else store(prepared)


@dataclass
class Prepared:
    """An article read and extracted, not yet stored."""

    name: str
    text: str
    result: object
    source_name: str = ""
    url: str = ""
    published: datetime.date | None = None
    # search_stems of the title and body as they will be stored: the article's share of its event's search
    # document, computed here (in ingest's worker processes) rather than by the process that stores.
    stems: str | None = None


def article_stems(title, body):
    """The stems an article adds to its event's search document (see _refresh_event), of its stored text."""
    return search_stems(strip_controls(title) + "\n" + strip_controls(body))


@functools.lru_cache(maxsize=4096)
def _name_stems(names):
    """search_stems of an outlet's, topic's or entity's names: the same few hundred names in every refresh."""
    return search_stems(names)


def prepare_file(path, knowledge, row=None):
    """Read and extract one file (no database writes): a Prepared, or the failed Outcome."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Outcome(name, "failed", message=f"{name}: {exc.strerror or exc}")
    row = row or ManifestRow(Path(path))
    try:
        text = read_article(data, name)
        return prepare_text(
            text, knowledge=knowledge, source_name=Path(path).name, url=row.url, published=row.published, outlet=row.outlet
        )
    except ExtractionError as exc:
        return Outcome(name, "failed", message=str(exc))


def prepare_text(text, *, knowledge=None, source_name="", url="", published=None, outlet=""):
    knowledge = knowledge or current_knowledge()
    name = source_name or "article"
    try:
        result = extract_article(text, knowledge, published=published, url=url or None, outlet=outlet or None)
    except ExtractionError as exc:
        return Outcome(name, "failed", message=f"{name}: {exc}")
    return Prepared(name, text, result, source_name, url, published, article_stems(result.title, result.body))


def ingest_text(text, *, knowledge=None, source_name="", url="", published=None, outlet=""):
    """Extract and store one article in its own transaction; an Outcome says what happened.

    `url`, `published` and `outlet` (a name) are what came with the article; each is optional."""
    prepared = prepare_text(text, knowledge=knowledge, source_name=source_name, url=url, published=published, outlet=outlet)
    return prepared if isinstance(prepared, Outcome) else store(prepared)


def store(prepared):
    """Store one extracted article in its own transaction."""
    result = prepared.result
    try:
        with transaction.atomic():
            hold_article_lock(result.content_hash)
            existing = Article.objects.filter(content_hash=result.content_hash).first()
            if existing:
                return Outcome(prepared.name, "unchanged", existing, "already ingested")
            hold_matching_lock()
            article = _write_article(prepared)
            attach_to_event(article)
    except IntegrityError:
        # Another writer that does not take the article lock stored the same text a moment ago.
        return Outcome(prepared.name, "unchanged", Article.objects.filter(content_hash=result.content_hash).first())
    return Outcome(prepared.name, "new", article)


def _write_article(prepared, known=None):
    """Save a new article with its topics, entities and proposals. `known`: ({slug: topic}, {slug: entity})."""
    result = prepared.result
    article = Article(
        raw_text=prepared.text, source_name=prepared.source_name, url=prepared.url or result.url,
        published_on=prepared.published,
    )
    apply_extraction(article, result)
    article.save()
    set_topics(article, result.topics, known and known[0])
    set_entities(article, result.entities, known and known[1])
    set_proposals(article, result.proposals)
    set_review_reasons(article)
    return article


# --- big folders: a batch of articles per transaction --------------------------------------

BATCH_SIZE = 100


def ingest_files(files, knowledge, batch_size=BATCH_SIZE, jobs=1):
    """Outcomes of ingesting [(path, manifest row)], in order, `batch_size` articles per transaction.

    The same rows as one transaction per article (events are grouped on the set of articles, never
    on their order, and an emptied event's addresses go to its successor), fewer commits, and each event
    refreshed once per batch. A batch is stored
    whole or not at all, so a killed run leaves whole articles only, and a rerun skips what is
    stored (the content hash) and completes the rest. When the database refuses one article of a
    batch, the batch is stored again article by article: that one is reported, the others stored.

    With `jobs` > 1 and more than one batch, `jobs` worker processes read and extract the next
    batches (pure Python, no database) while this process stores the current one.
    """
    files = list(files)
    batches = [files[first : first + batch_size] for first in range(0, len(files), batch_size)]
    if jobs > 1 and len(batches) > 1:
        yield from _ingest_with_workers(batches, knowledge, jobs)
        return
    for batch in batches:
        yield from store_batch([_prepare(item, knowledge) for item in batch])


def _prepare(item, knowledge):
    path, row = item
    try:
        return prepare_file(path, knowledge, row)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the folder
        return _unexpected(path, exc)


_worker_knowledge = None


def _start_worker(knowledge):
    global _worker_knowledge
    _worker_knowledge = knowledge


def _prepare_in_worker(item):
    return _prepare(item, _worker_knowledge)


def _ingest_with_workers(batches, knowledge, jobs):
    """ingest_files with extraction in `jobs` forked workers; at most jobs + 1 batches extracted ahead
    of the one being stored, so memory stays flat however big the folder. A batch the workers cannot
    return (a worker killed, a result that cannot be sent back) is extracted here instead."""
    import collections
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # The first article is extracted here: it compiles the knowledge's patterns (seconds) once, before
    # the fork, instead of once in every worker. The workers inherit the knowledge; they never touch the
    # database (a forked process ends with os._exit, so the inherited connection is left alone).
    first = _prepare(batches[0][0], knowledge)
    pool = ProcessPoolExecutor(jobs, multiprocessing.get_context("fork"), _start_worker, (knowledge,))
    ahead = collections.deque()
    queue = iter([batches[0][1:], *batches[1:]])

    def submit():
        batch = next(queue, None)
        if batch is not None:
            try:
                ahead.append((batch, pool.map(_prepare_in_worker, batch, chunksize=max(1, len(batch) // (4 * jobs)))))
            except Exception:  # noqa: BLE001 - the pool is broken: this process extracts the batch
                ahead.append((batch, None))

    try:
        for _ in range(jobs + 1):
            submit()
        prepared = [first]
        while ahead:
            batch, results = ahead.popleft()
            try:
                prepared += list(results)
            except Exception:  # noqa: BLE001 - (results is None: the pool broke before the batch was sent)
                prepared += [_prepare(item, knowledge) for item in batch]
            submit()
            yield from store_batch(prepared)
            prepared = []
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _unexpected(name, exc):
    first_line = (str(exc).strip().splitlines() or [""])[0]
    return Outcome(str(name), "failed", message=f"{name}: {type(exc).__name__}: {first_line}")


def store_batch(items):
    """Store Prepared items (Outcomes pass through) in one transaction; [Outcome] in the same order."""
    todo = [item for item in items if isinstance(item, Prepared)]
    try:
        outcomes = _store_batch(todo) if todo else {}
    except Exception:  # noqa: BLE001 - the batch is rolled back; each article then on its own
        outcomes = {}
        for item in todo:
            try:
                outcomes[id(item)] = store(item)
            except Exception as exc:  # noqa: BLE001
                outcomes[id(item)] = _unexpected(item.name, exc)
    return [item if isinstance(item, Outcome) else outcomes[id(item)] for item in items]


def _store_batch(todo):
    """One transaction for the batch, in a fixed number of statements: the same rows as storing its articles
    one after the other (store()), with the matching of each article replayed in memory on the articles its
    arrival can reach (read once for the whole batch), and every event touched refreshed once at the end."""
    outcomes = {}
    with transaction.atomic():
        # Article locks before the matching lock, in a fixed order, as a single save takes them.
        _hold_locks([f"timeline.article:{h}" for h in sorted({item.result.content_hash for item in todo})])
        hold_matching_lock()
        existing = {
            a.content_hash: a for a in Article.objects.filter(content_hash__any_of=[item.result.content_hash for item in todo])
        }
        # slug: id of every topic and entity, for the batch's matches (values, not a model instance for each of the
        # gazetteer's hundreds of entities every batch)
        known = (dict(Topic.objects.values_list("slug", "pk")), dict(Entity.objects.values_list("slug", "pk")))
        outlets = {}
        new = []
        for item in todo:
            content_hash = item.result.content_hash
            if content_hash in existing:
                outcomes[id(item)] = Outcome(item.name, "unchanged", existing[content_hash], "already ingested")
                continue
            article = _new_article(item, outlets)
            existing[content_hash] = article
            new.append((item, article))
            outcomes[id(item)] = Outcome(item.name, "new", article)
        if not new:
            return outcomes
        articles = [article for _, article in new]
        _write_articles(new, known)
        matcher = _BatchMatcher(articles)
        matcher.run()
        made = matcher.save()
        # The stored events read, then the batch's new ones (not inserted yet: inserted once, refreshed, by
        # refresh_events), in the order a read of them all would give: the new ones are undated, with the highest ids.
        events = list(
            Event.objects.filter(pk__any_of=sorted(matcher.touched - {e.pk for e in made})).defer(*_SEARCH_FIELDS)
        )
        refresh_events(events + made, stems={article.pk: item.stems for item, article in new if item.stems is not None})
        _insert_objects([e for e in made if e._state.adding], with_id=True)  # (none: each has an article, a safeguard)
        events += made
        # The outcomes' events: those just refreshed, as written (every new article's event is one of them), not
        # read again; their search documents deferred again, as a read would leave them.
        by_pk = {}
        for event in events:
            event.__dict__.pop("search_document", None)
            event.__dict__.pop("search_vector", None)  # (a new event's: never read)
            by_pk[event.pk] = event
        missing = {a.event_id for a in articles} - set(by_pk) - {None}
        by_pk.update(_in_bulk(Event, missing, defer=_SEARCH_FIELDS))  # (none: a safeguard)
        for article in articles:
            article.event = by_pk.get(article.event_id)
    return outcomes


def _hold_locks(names):
    """_hold_lock for each name, in the order given, in one statement."""
    keys = [int.from_bytes(hashlib.blake2b(n.encode(), digest_size=8).digest(), "big", signed=True) for n in names]
    if keys:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_advisory_xact_lock(k.key)) FROM "
                "(SELECT key FROM unnest(%s::bigint[]) WITH ORDINALITY AS t(key, n) ORDER BY n) AS k",
                [int_array(keys)],
            )


def _new_article(prepared, outlets):
    """An unsaved article for a Prepared, as _write_article makes it; `outlets` caches outlet_for per batch."""
    result = prepared.result
    article = Article(
        raw_text=prepared.text, source_name=prepared.source_name, url=prepared.url or result.url,
        published_on=prepared.published,
    )
    info = result.outlet
    key = None if info is None else (info.slug, info.name_en, info.name_ar, tuple(info.domains))
    if key not in outlets:
        outlets[key] = outlet_for(info)
    apply_extraction(article, result, outlet=outlets[key])  # None only without an outlet: no query then
    article.strip_stored_text()  # what save() does
    return article


def _write_articles(new, known):
    """`known`: ({topic slug: id}, {entity slug: id}). Insert the batch's articles, their topic and entity matches and proposals, and their review reasons
    (as _write_article does one by one: a duplicate is an article stored before it, batch or not)."""
    articles = [article for _, article in new]
    _insert_objects(articles)
    topics, entities = known
    # The rows set_topics and set_entities insert, as one JSON document each (thousands of rows a batch: no model
    # instance each, and one string to send rather than arrays of texts, which psycopg quotes element by element).
    topic_rows = [
        [article.pk, topics[m.slug], list(m.evidence)]
        for item, article in new for m in item.result.topics if m.slug in topics
    ]
    entity_rows = [
        [article.pk, entities[m.slug], [list(span) for span in m.mentions]]
        for item, article in new for m in item.result.entities if m.slug in entities
    ]
    with connection.cursor() as cursor:
        if topic_rows:
            cursor.execute(
                "INSERT INTO timeline_articletopic (article_id, topic_id, evidence) "
                "SELECT (r.row ->> 0)::bigint, (r.row ->> 1)::bigint, ARRAY(SELECT jsonb_array_elements_text(r.row -> 2)) "
                "FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS r(row, n) ORDER BY r.n",
                [json.dumps(topic_rows, ensure_ascii=False)],
            )
        if entity_rows:
            cursor.execute(
                "INSERT INTO timeline_articleentity (article_id, entity_id, mentions) "
                "SELECT (r.row ->> 0)::bigint, (r.row ->> 1)::bigint, r.row -> 2 "
                "FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS r(row, n) ORDER BY r.n",
                [json.dumps(entity_rows, ensure_ascii=False)],
            )
    proposed = _add_proposals(new)
    twins = _earlier_twins(articles)
    by_pk = {a.pk: a for a in articles}
    flag_stored = set()
    for article in articles:
        reasons = list(article.review_reasons)
        if proposed.get(article.pk):
            reasons.append("proposed_entity")
        if twins.get(article.pk):
            reasons.append("possible_duplicate")
        article.review_reasons = list(dict.fromkeys(reasons))
        article.needs_review = article.needs_review or bool(article.review_reasons)
        for twin in twins.get(article.pk, ()):
            if twin in by_pk:
                earlier = by_pk[twin]
                if "possible_duplicate" not in earlier.review_reasons:
                    earlier.review_reasons = [*earlier.review_reasons, "possible_duplicate"]
                    earlier.needs_review = True
            else:
                flag_stored.add(twin)
    if flag_stored:  # (the batch's own reasons are written with their events: _BatchMatcher.save)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE timeline_article SET review_reasons = review_reasons || ARRAY['possible_duplicate']::varchar(32)[], "
                "needs_review = true WHERE id = ANY(%s::bigint[]) AND NOT review_reasons @> ARRAY['possible_duplicate']::varchar(32)[]",
                [int_array(sorted(flag_stored))],
            )


def _earlier_twins(articles):
    """{article id: ids of the first 20 (by id) articles stored before it that possible_duplicates_of finds}.

    The first 20 of each of its three conditions, then the first 20 of those: each is an ordered range of the
    article_title_outlet or article_title_date index, so the cost does not grow with how many articles share a
    title (a title in 1,400 of 200k generated articles: 4.4 ms per article before, the rows read and filtered)."""
    candidates = [a.pk for a in articles if a.title and not a.title_generated]
    if not candidates:
        return {}
    twins = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT x.id, t.id FROM timeline_article x
            CROSS JOIN LATERAL (
              SELECT u.id FROM (
                (SELECT y.id FROM timeline_article y
                 WHERE y.title = x.title AND NOT y.title_generated AND y.outlet_id = x.outlet_id AND y.id < x.id
                 ORDER BY y.id LIMIT 20)
                UNION
                (SELECT y.id FROM timeline_article y
                 WHERE y.title = x.title AND NOT y.title_generated AND y.id < x.id
                   AND y.date_start <= x.date_start + 7 AND y.date_start >= x.date_start - 7
                 ORDER BY y.id LIMIT 20)
                UNION
                (SELECT y.id FROM timeline_article y
                 WHERE x.date_start IS NULL AND y.title = x.title AND NOT y.title_generated AND y.date_start IS NULL
                   AND y.id < x.id
                 ORDER BY y.id LIMIT 20)
              ) AS u ORDER BY u.id LIMIT 20) AS t
            WHERE x.id = ANY(%s::bigint[])
            """,
            [int_array(candidates)],
        )
        for article_id, twin_id in cursor.fetchall():
            twins.setdefault(article_id, []).append(twin_id)
    return twins


def _add_proposals(new):
    """set_proposals for the batch's new articles: {article id: whether it proposes a name still proposed}."""
    wanted = [(article, p) for item, article in new for p in item.result.proposals]
    if not wanted:
        return {}
    rows = {r.key: r for r in ProposedEntity.objects.filter(key__in={p.key[:200] for _, p in wanted})}
    created, respelt, links = [], set(), {}
    for article, proposal in wanted:
        key = proposal.key[:200]
        row = rows.get(key)
        if row is None:
            row = rows[key] = ProposedEntity(
                key=key, name_ar=proposal.name_ar[:200], kind=proposal.kind,
                country=proposal.country, evidence=proposal.evidence[:300],
            )
            created.append(row)
        if row.status != ProposalStatus.PROPOSED:
            continue
        if proposal.name_ar != row.name_ar and proposal.name_ar not in row.spellings:
            row.spellings.append(proposal.name_ar[:200])
            respelt.add(key)
        links.setdefault(article.pk, {}).setdefault(key, row)
    _insert_objects(created)
    fresh = {r.key for r in created}
    changed = [rows[key] for key in respelt if key not in fresh]
    if changed:
        ProposedEntity.objects.bulk_update(changed, ["spellings"])
    Through = ProposedEntity.articles.through
    Through.objects.bulk_create(
        Through(proposedentity_id=row.pk, article_id=article_id)
        for article_id, by_key in links.items() for row in by_key.values()
    )
    return {article_id: bool(by_key) for article_id, by_key in links.items()}


# Ids for the events a batch makes, while it is matched in memory: above every stored id, in order of making
# (the order the database's sequence gives them when they are inserted, after every stored one).
_PROVISIONAL = 1 << 62


class _Match:
    """What matching reads of a stored article (MATCH_FIELDS and whether an editor placed it)."""

    __slots__ = ("pk", "event_id", "date_start", "date_end", "precision", "date_method", "date_confidence",
                 "content_hash", "signature", "event_locked", "title")

    def __init__(self, row):
        for name, value in zip(self.__slots__, row):
            setattr(self, name, value)
        if isinstance(self.signature, str):  # (Django reads jsonb as text, for JSONField to parse)
            self.signature = json.loads(self.signature)
        self.title = ""

    @property
    def is_dated(self):
        return self.date_start is not None


def _link_keys(article):
    """Keys that two articles linked by same_happening() share at least one of."""
    signature = article.signature or {}
    keys = [("meeting", m) for m in signature.get("meetings", []) if isinstance(m, str)]
    keys += [("meeting-other", json.dumps(m, sort_keys=True)) for m in signature.get("meetings", []) if not isinstance(m, str)]
    if signature.get("visit"):
        keys.append(("visit", json.dumps(signature["visit"], sort_keys=True)))
    if article.precision == "day":
        keys += [("kind", json.dumps(k, sort_keys=True)) for k in signature.get("kinds", [])]
    return keys


class _BatchMatcher:
    """_attach_to_event for each new article of a batch in turn, in memory.

    Matching only ever follows same_happening() links, and candidates() finds a superset of them: so the
    articles any arrival of the batch can reach are read first, wave by wave, in one candidates query per
    wave for all of the wave's articles; each arrival's component, clustering, event choice, new events and
    emptied events are then worked out exactly as one save after the other would, and written at the end."""

    def __init__(self, articles):
        for article in articles:
            # a save compares each earlier article as read back from the database: the same values, or no replay
            if json.loads(json.dumps(article.signature)) != article.signature:
                raise ValueError(f"{article.source_name}: a signature JSON does not give back as it is")
        self.new = articles
        self.position = {a.pk: n for n, a in enumerate(articles)}
        self.stored = {}  # id: _Match, every stored article reached
        self.links = {}  # id: [stored articles linked to it by same_happening]
        self.keyed = {}  # link key: [stored articles]
        self.counts = {}  # event id: its number of articles, as the replay goes
        self.made = {}  # provisional id: slug, the events made by the batch and not emptied since
        self.deleted = set()  # stored events emptied by the batch
        # emptied event (stored or made by the batch): the event that took most of its articles, which its
        # addresses go to, as _tidy hands them after a single save
        self.heirs = {}
        self.handed = {}  # slug: the event made by the batch and emptied again that it was issued to
        self.slug_rows = {}  # slug: ids of the stored events holding it (Event.slug, EventSlug)
        self.slugs_read = set()
        self.touched = set()
        self.making = 0
        self.titles = {}
        self.original = {}  # id: event id, of the stored articles reached, as read

    # --- reading -------------------------------------------------------------------------------

    @staticmethod
    def wave_links(wave):
        """(date ranges, meetings, visits, kinds) a wave's candidates are looked up by: sets of strings."""
        ranges, meetings, visits, kinds = set(), set(), set(), set()
        for article in wave:
            start, end = _interval(article)
            ranges.add(f"[{start - SAME_DAY_SLACK},{end + SAME_DAY_SLACK}]")
            signature = article.signature or {}
            meetings.update(m for m in signature.get("meetings", []) if isinstance(m, str))
            if signature.get("visit"):
                visits.add(json.dumps(signature["visit"]))
            if article.precision == "day":
                kinds.update(k for k in signature.get("kinds", []) if isinstance(k, str))
        return ranges, meetings, visits, kinds

    def _read_candidates(self, wave):
        ranges, meetings, visits, kinds = self.wave_links(wave)
        if not (meetings or visits or kinds):
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT id, {", ".join(_Match.__slots__[1:-1])} FROM timeline_article
                WHERE date_start IS NOT NULL
                  AND daterange(date_start, GREATEST(date_start, date_end), '[]') && ANY(%s::daterange[])
                  AND (signature -> 'meetings' ?| %s::text[] OR signature -> 'visit' = ANY(%s::text[]::jsonb[])
                       OR (precision = 'day' AND signature -> 'kinds' ?| %s::text[]))
                  AND NOT (id = ANY(%s::bigint[]))
                """,
                # The ranges as one daterange[] literal, which PostgreSQL parses once, with the statement. (A text[]
                # cast to daterange[] was cast again for every row read: range_in is only STABLE, so the cast is not
                # folded into a constant. 90 ranges over the 1,300 rows the signature indexes give: 127 ms → 19 ms at 10k events.)
                [text_array(sorted(ranges)), text_array(sorted(meetings)),
                 text_array(sorted(visits)), text_array(sorted(kinds)), int_array(self.position)],
            )
            rows = cursor.fetchall()
        # signature comes back parsed (jsonb)
        return [_Match(row) for row in rows]

    def _read_reach(self):
        """Every stored article linked, directly or through stored others, to an article of the batch."""
        wave = [a for a in self.new if a.is_dated]
        expanded = set()
        while wave:
            for match in self._read_candidates(wave):
                if match.pk not in self.stored:
                    self.stored[match.pk] = match
                    self.original[match.pk] = match.event_id
                    for key in _link_keys(match):
                        self.keyed.setdefault(key, []).append(match)
            following = {}
            for article in wave:
                expanded.add(article.pk)
                near = {}
                for key in _link_keys(article):
                    for other in self.keyed.get(key, ()):
                        near[other.pk] = other
                linked = [o for pk, o in near.items() if pk != article.pk and same_happening(article, o)]
                self.links[article.pk] = linked
                for other in linked:
                    if other.pk not in expanded:
                        following[other.pk] = other
            wave = list(following.values())
        events = {m.event_id for m in self.stored.values() if m.event_id}
        if events:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT event_id, count(*) FROM timeline_article WHERE event_id = ANY(%s::bigint[]) GROUP BY event_id",
                    [int_array(sorted(events))],
                )
                self.counts.update(cursor.fetchall())

    def _read_slugs(self, slugs):
        slugs = [s for s in slugs if s not in self.slugs_read]
        if not slugs:
            return
        self.slugs_read.update(slugs)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT slug, event_id FROM timeline_eventslug WHERE slug = ANY(%s::text[]) "
                "UNION ALL SELECT slug, id FROM timeline_event WHERE slug = ANY(%s::text[])",
                [text_array(slugs), text_array(slugs)],
            )
            for slug, event_id in cursor.fetchall():
                self.slug_rows.setdefault(slug, set()).add(event_id)

    @staticmethod
    def _slug_candidates(stem, first, last):
        return [stem if n == 1 else f"{stem}-{n}" for n in range(first, last + 1)]

    # --- the replay --------------------------------------------------------------------------

    def run(self):
        self._read_reach()
        # the addresses a new event of the batch could take: founded by the strongest article of its group
        founders = [*self.new, *self.stored.values()]
        self._read_slugs([s for a in founders for s in self._slug_candidates(f"ev-{a.content_hash[:10]}", 1, 4)])
        for article in self.new:
            self._attach(article)

    def _neighbours(self, current, position):
        linked = list(self.links[current.pk])
        for other in self.new[:position]:  # (distinct objects, distinct ids: `is not` is the id test)
            if other is not current and other.date_start is not None and same_happening(current, other):
                linked.append(other)
        return linked

    def _component(self, article, position):
        members = {article.pk: article}
        frontier = [article]
        while frontier:
            current = frontier.pop()
            for other in self._neighbours(current, position):
                if other.pk not in members:
                    members[other.pk] = other
                    frontier.append(other)
        return list(members.values())

    def _move(self, article, event_id):
        if article.event_id:
            self.counts[article.event_id] -= 1
        self.counts[event_id] = self.counts.get(event_id, 0) + 1
        article.event_id = event_id

    def _attach(self, article):
        position = self.position[article.pk]
        if not article.is_dated:
            event_id = self._new_event(article)
            self._move(article, event_id)
            self.touched.add(event_id)
            return
        component = self._component(article, position + 1)
        locked = [a for a in component if a.event_locked and a.event_id]
        held = {a.event_id for a in locked}
        previous_ids = {a.event_id for a in component if a.event_id}
        used, moves = set(), {}
        for group in _clusters([a for a in component if not (a.event_locked and a.event_id)]):
            event_id = _chosen_event(group, locked, held, used) or self._new_event(group[0])
            used.add(event_id)
            for member in group:
                if member.event_id != event_id:
                    if member.event_id:
                        _count_move(moves, member.event_id, event_id)
                    self._move(member, event_id)
        moved = previous_ids | used
        successors = _successors(moves)
        # an event left without articles goes now, as after a single save, its addresses to its successor
        for event_id in moved:
            if self.counts.get(event_id, 0) == 0:
                self.heirs[event_id] = successors.get(event_id)
                if event_id in self.made:
                    self.handed[self.made.pop(event_id)] = event_id
                else:
                    self.deleted.add(event_id)
        self.touched |= moved

    def _taken(self, slug):
        held = self.slug_rows.get(slug, ())
        return (
            any(e not in self.deleted or self.heirs.get(e) for e in held)
            or slug in self.made.values()
            or self.heirs.get(self.handed.get(slug)) is not None
        )

    def _heir(self, event_id):
        """The live event an emptied one's addresses end up with (heirs can be emptied in turn), or None."""
        while event_id in self.heirs:
            event_id = self.heirs[event_id]
        return event_id

    def _new_event(self, article):
        """_new_event's address for an event founded by `article`, the first one free."""
        stem = f"ev-{article.content_hash[:10]}"
        number = 1
        while True:
            slug = stem if number == 1 else f"{stem}-{number}"
            if slug not in self.slugs_read:
                self._read_slugs(self._slug_candidates(stem, number, number + 9))
            if not self._taken(slug):
                break
            number += 1
        event_id = _PROVISIONAL + self.making
        self.making += 1
        self.made[event_id] = slug
        self.titles[event_id] = article.title[:500]
        self.counts[event_id] = 0
        return event_id

    def save(self):
        """Write what the replay decided: new events given their ids (returned, to be inserted once refreshed), the
        addresses of emptied events handed to their successors and those events deleted, articles moved."""
        provisional = sorted(self.made)
        events = [Event(slug=self.made[p], title=self.titles[p]) for p in provisional]
        for event in events:
            event.strip_stored_text()
        _reserve_ids(events)  # inserted by refresh_events, with their articles' values (the references wait: deferred)
        real = {p: event.pk for p, event in zip(provisional, events)}
        slugs = [EventSlug(slug=event.slug, event=event) for event in events]
        # an address issued to an event the batch made and emptied again leads where a single save would send it
        slugs += [
            EventSlug(slug=slug, event_id=real.get(heir, heir))
            for slug, event_id in sorted(self.handed.items())
            if (heir := self._heir(event_id)) is not None
        ]
        _insert_objects(slugs)
        if self.deleted:
            heirs = {e: self._heir(e) for e in sorted(self.deleted)}
            heirs = {e: real.get(h, h) for e, h in heirs.items() if h is not None}
            if heirs:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE timeline_eventslug s SET event_id = r.heir "
                        "FROM unnest(%s::bigint[], %s::bigint[]) AS r(old, heir) WHERE s.event_id = r.old",
                        [int_array(heirs), int_array(heirs.values())],
                    )
            Event.objects.filter(pk__in=self.deleted).delete()
        moved = [m for m in self.stored.values() if m.event_id != self.original[m.pk]]
        for article in [*self.new, *moved]:
            article.event_id = real.get(article.event_id, article.event_id)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE timeline_article a SET event_id = r.event_id, review_reasons = r.reasons::varchar(32)[], "
                "needs_review = r.needs_review "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::boolean[]) AS r(id, event_id, reasons, needs_review) "
                "WHERE a.id = r.id",
                [
                    int_array(a.pk for a in self.new), int_array(a.event_id for a in self.new),
                    text_array("{" + ",".join(a.review_reasons) + "}" for a in self.new), bool_array(a.needs_review for a in self.new),
                ],
            )
            if moved:
                cursor.execute(
                    "UPDATE timeline_article a SET event_id = r.event_id "
                    "FROM unnest(%s::bigint[], %s::bigint[]) AS r(id, event_id) WHERE a.id = r.id",
                    [int_array(m.pk for m in moved), int_array(m.event_id for m in moved)],
                )
        self.touched = {real.get(e, e) for e in self.touched if e not in self.deleted and (e < _PROVISIONAL or e in real)}
        return events


def apply_extraction(article, result, outlet=None):
    """Copy an extraction result onto an (unsaved or re-extracted) article."""
    article.title = result.title
    article.title_generated = result.title_generated
    article.body = result.body
    article.lead = result.lead
    article.editor = result.editor
    article.content_hash = result.content_hash
    article.signature = result.signature
    article.event_type = result.event_type
    article.event_type_evidence = result.event_type_evidence[:300]
    article.language = result.language
    article.outlet = outlet or outlet_for(result.outlet)
    if article.published_on is None and result.published:
        article.published_on = result.published
    article.published_evidence = result.published_how[:300]
    claim = result.date
    if claim:
        article.date_start, article.date_end = claim.start, claim.end
        article.precision, article.date_method = claim.precision, claim.method
        article.date_evidence = claim.evidence
        if result.warnings:
            article.date_evidence += " — " + "؛ ".join(result.warnings)
        article.date_confidence = claim.confidence
    else:
        article.date_start = article.date_end = None
        article.precision = article.date_method = article.date_evidence = ""
        article.date_confidence = 0.0
    article.machine_date = article.date_claim()
    article.needs_review = result.needs_review
    article.review_reasons = list(result.review_reasons)
    article.date_candidates = list(result.candidates)


def set_review_reasons(article):
    """Add the reasons only the database knows: a proposed name waiting for an editor, a possible
    duplicate (which the other article is flagged as too, whichever came first). Saves the article."""
    reasons = list(article.review_reasons)
    if article.proposals.filter(status=ProposalStatus.PROPOSED).exists():
        reasons.append("proposed_entity")
    twins = list(Article.objects.possible_duplicates_of(article).values_list("pk", flat=True)[:20])
    if twins:
        reasons.append("possible_duplicate")
        for twin in Article.objects.filter(pk__in=twins).exclude(review_reasons__contains=["possible_duplicate"]):
            twin.review_reasons = [*twin.review_reasons, "possible_duplicate"]
            twin.needs_review = True
            twin.save(update_fields=["review_reasons", "needs_review"])
    article.review_reasons = list(dict.fromkeys(reasons))
    article.needs_review = article.needs_review or bool(article.review_reasons)
    article.save(update_fields=["review_reasons", "needs_review"])


def outlet_for(info):
    if info is None:
        return None
    if info.slug:
        outlet = Outlet.objects.filter(slug=info.slug).first()
        if outlet:
            return outlet
    slug = slugify(info.name_en) or "outlet-" + slugify(info.name_ar, allow_unicode=True)[:80]
    outlet, _ = Outlet.objects.get_or_create(
        slug=slug[:100], defaults={"name_ar": info.name_ar, "name_en": info.name_en, "domains": list(info.domains)}
    )
    return outlet


def set_topics(article, matches, known=None):
    """The article's topic matches; `known` ({slug: topic}, read once by a batch) spares a query for a new article."""
    if known is None:
        article.topic_matches.all().delete()
    topics = known if known is not None else {t.slug: t for t in Topic.objects.filter(slug__in=[m.slug for m in matches])}
    ArticleTopic.objects.bulk_create(
        ArticleTopic(article=article, topic=topics[m.slug], evidence=m.evidence) for m in matches if m.slug in topics
    )


def set_entities(article, matches, known=None):
    if known is None:
        article.entity_matches.all().delete()
    entities = known if known is not None else {e.slug: e for e in Entity.objects.filter(slug__in=[m.slug for m in matches])}
    ArticleEntity.objects.bulk_create(
        ArticleEntity(article=article, entity=entities[m.slug], mentions=[list(span) for span in m.mentions])
        for m in matches
        if m.slug in entities
    )


def set_proposals(article, proposals):
    """Link the article to the names it puts after a title; an accepted or rejected name is not proposed again."""
    rows = []
    for proposal in proposals:
        row, _ = ProposedEntity.objects.get_or_create(
            key=proposal.key[:200],
            defaults={
                "name_ar": proposal.name_ar[:200], "kind": proposal.kind,
                "country": proposal.country, "evidence": proposal.evidence[:300],
            },
        )
        if row.status != ProposalStatus.PROPOSED:
            continue
        if proposal.name_ar != row.name_ar and proposal.name_ar not in row.spellings:
            row.spellings.append(proposal.name_ar[:200])
            row.save(update_fields=["spellings"])
        rows.append(row)
    # Links to accepted or rejected names stay: they are the record of where a name was met.
    article.proposals.remove(*article.proposals.filter(status=ProposalStatus.PROPOSED).exclude(pk__in=[r.pk for r in rows]))
    article.proposals.add(*rows)


def accept_proposals(proposals):
    """Each proposal becomes a gazetteer entity; the articles that mention them are tagged again.

    Returns (entities created, articles re-tagged).
    """
    accepted = []
    for proposal in proposals:
        if proposal.status == ProposalStatus.ACCEPTED:
            continue
        name_en = proposal.name_en.strip() or proposal.name_ar
        proposal.entity = Entity.objects.create(
            slug=_free_entity_slug(slugify(proposal.name_en) or slugify(proposal.name_ar, allow_unicode=True) or "entity"),
            kind=proposal.kind, name_en=name_en, name_ar=proposal.name_ar, country=proposal.country,
            aliases=proposal.spellings,
        )
        proposal.status = ProposalStatus.ACCEPTED
        proposal.save(update_fields=["entity", "status"])
        accepted.append(proposal)
    articles = list(Article.objects.filter(proposals__in=accepted).distinct())
    retag_entities(articles)
    return len(accepted), len(articles)


def _free_entity_slug(stem):
    stem = stem[:110]
    taken = set(Entity.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    slug, suffix = stem, 2
    while slug in taken:
        slug, suffix = f"{stem}-{suffix}", suffix + 1
    return slug


def retag_entities(articles, knowledge=None):
    """Match the gazetteer again on these articles (after it grew) and refresh their events' entities."""
    knowledge = knowledge or current_knowledge()
    event_ids = set()
    for article in articles:
        set_entities(article, find_article_entities(article.title, article.body, knowledge))
        if article.event_id:
            event_ids.add(article.event_id)
    for event in Event.objects.filter(pk__in=event_ids):
        refresh_event(event)


# --- events ---------------------------------------------------------------------------------
#
# Which articles share an event is decided on the set of articles, never on their order: a new
# (or re-dated) article pulls in every dated article connected to it by "same happening" links,
# and that group is clustered again in a canonical order, strongest date first.

METHOD_RANK = {"editor": 7, "dateline": 6, "explicit": 5, "relative": 4, "calendar": 3, "anniversary": 2, "publication": 1}
SAME_DAY_SLACK = datetime.timedelta(days=1)


def _interval(article):
    return article.date_start, article.date_end or article.date_start


def dates_compatible(a, b, slack=SAME_DAY_SLACK):
    (s1, e1), (s2, e2) = _interval(a), _interval(b)
    return s1 - slack <= e2 and s2 - slack <= e1


def same_happening(a, b):
    """Do dated articles a and b report the same happening?"""
    if not dates_compatible(a, b):
        return False
    sa, sb = a.signature or {}, b.signature or {}
    if set(sa.get("meetings", [])) & set(sb.get("meetings", [])):
        return True
    if sa.get("visit") and sa.get("visit") == sb.get("visit"):
        return True
    if a.precision == b.precision == "day" and set(sa.get("kinds", [])) & set(sb.get("kinds", [])):
        wa, wb = set(sa.get("words", [])), set(sb.get("words", []))
        if wa and wb and len(wa & wb) / len(wa | wb) >= 0.25:
            return True
    return False


def _strength(article):
    """Sort key: the strongest date evidence first, then a stable tie-break on the text's hash."""
    return (
        -METHOD_RANK.get(article.date_method, 0),
        -_PRECISION_RANK[article.precision or ""],
        -round(article.date_confidence, 2),
        article.date_start,
        article.content_hash,
    )


# What matching reads of an article: never its texts.
MATCH_FIELDS = ("id", "event_id", "date_start", "date_end", "precision", "date_method", "date_confidence", "content_hash", "signature")


def candidates(article, exclude=()):
    """The dated articles that could report the same happening as `article`: a superset of those for
    which same_happening() holds, found through the article_span index, without their texts.

    Dates within the slack of each other (the index), and one of same_happening's links: a shared
    calendar meeting, the same visit, or (both exact days) a shared kind of happening.
    """
    start, end = _interval(article)
    signature = article.signature or {}
    could = Q()
    if signature.get("meetings"):
        could |= Q(signature__meetings__has_any_keys=list(signature["meetings"]))
    if signature.get("visit"):
        could |= Q(signature__visit=signature["visit"])
    if article.precision == "day" and signature.get("kinds"):
        could |= Q(precision="day", signature__kinds__has_any_keys=list(signature["kinds"]))
    if not could:
        return Article.objects.none()
    return (
        Article.objects.alias(span=ARTICLE_SPAN)
        .filter(
            span__overlap=DateRange(start - SAME_DAY_SLACK, end + SAME_DAY_SLACK, "[]"),
            date_start__isnull=False,
            date_start__lte=end + SAME_DAY_SLACK,
            date_end__gte=start - SAME_DAY_SLACK,
        )
        .filter(could)
        .exclude(pk__in=list(exclude))
        .only(*MATCH_FIELDS)
        .order_by()
    )


def _component(article):
    """Every dated article linked to this one, directly or through others, by same_happening."""
    members = {article.pk: article}
    frontier = [article]
    while frontier:
        current = frontier.pop()
        nearby = candidates(current, exclude=members)
        for other in nearby:
            if other.pk not in members and same_happening(current, other):
                members[other.pk] = other
                frontier.append(other)
    return list(members.values())


def _clusters(articles):
    """Canonical clustering: an article joins the first group it reports on and whose exact days it fits."""
    groups = []
    for article in sorted(articles, key=_strength):
        for group in groups:
            fits = all(dates_compatible(article, m) for m in group if m.precision == "day")
            if fits and any(same_happening(article, m) for m in group):
                group.append(article)
                break
        else:
            groups.append([article])
    return groups


def attach_to_event(article):
    """Put the article on the event it reports, re-grouping the articles its arrival connects."""
    with transaction.atomic():
        hold_matching_lock()
        return _attach_to_event(article)


def _chosen_event(group, locked, held, used):
    """The event a group of matched articles goes to, or None for a new one: the event of the editor-placed
    articles most of it reports on, else the event most of its members are on (not one already `used` by another
    group, nor one an editor holds); on a tie, the oldest."""
    anchors = {}
    for held_article in locked:
        if any(same_happening(member, held_article) for member in group):
            anchors[held_article.event_id] = anchors.get(held_article.event_id, 0) + 1
    counts = {}
    for member in group:
        if member.event_id and member.event_id not in used and member.event_id not in held:
            counts[member.event_id] = counts.get(member.event_id, 0) + 1
    chosen = anchors or counts
    return min(chosen, key=lambda pk: (-chosen[pk], pk)) if chosen else None


def _attach_to_event(article, touched=None):
    """Match the article (the matching lock held). The events whose articles changed are refreshed, or,
    when `touched` is a set, added to it for the caller to refresh once (see _store_batch)."""
    previous_ids = {article.event_id} if article.event_id else set()
    if article.event_locked and article.event_id:
        # An editor put it there (merge, split): it stays, only its event's date and title follow it.
        event = Event.objects.get(pk=article.event_id)  # not article.event: that may be a stale copy
        refresh_event(event)
        return event
    if not article.is_dated:
        event = _new_event(article)
        article.event = event
        article.save(update_fields=["event"])
        if touched is not None:
            touched |= previous_ids | {event.pk}
            return event
        refresh_event(event)
        _tidy(previous_ids - {event.pk}, {pk: event.pk for pk in previous_ids})
        return event
    component = _component(article)
    # Articles an editor placed never move; a group that reports their happening joins their event.
    locked = [a for a in component if a.event_locked and a.event_id]
    held = {a.event_id for a in locked}
    previous_ids |= {a.event_id for a in component if a.event_id}
    used, moves = set(), {}
    for group in _clusters([a for a in component if not (a.event_locked and a.event_id)]):
        event_id = _chosen_event(group, locked, held, used) or _new_event(group[0]).pk
        used.add(event_id)
        Article.objects.filter(pk__in=[m.pk for m in group]).update(event_id=event_id)
        for member in group:
            if member.event_id and member.event_id != event_id:
                _count_move(moves, member.event_id, event_id)
            member.event_id = event_id
    successors = _successors(moves)
    if touched is not None:
        touched |= previous_ids | used
        return None
    _tidy(previous_ids | used, successors)
    article.refresh_from_db(fields=["event"])
    return article.event


def _count_move(moves, old, new):
    """Count one article moved from event `old` to `new` in moves ({old: {new: articles}})."""
    to = moves.setdefault(old, {})
    to[new] = to.get(new, 0) + 1


def _successors(moves):
    """{event: its successor}: the event that took most of its moved articles (on a tie, the oldest)."""
    return {old: min(to, key=lambda pk: (-to[pk], pk)) for old, to in moves.items()}


def _tidy(event_ids, successors=None):
    """Refresh the events whose articles changed; delete the ones left without articles.

    An event deleted this way hands its addresses to its successor (the event that took most of its
    articles), so that every address ever issued still leads to the happening.
    """
    successors = successors or {}
    events = list(Event.objects.filter(pk__in=event_ids))
    with_articles = refresh_events(events)
    for event in events:
        if event.pk not in with_articles:
            heir = successors.get(event.pk)
            if heir and heir != event.pk:
                EventSlug.objects.filter(event=event).update(event_id=heir)
            event.delete()


def _new_event(article):
    """A new event, with an address that says nothing that can change: neither its date nor its title.

    Made from the content hash of the article that founds it (the strongest of its group: the same
    whatever the order of ingestion), and never one issued before, even to an event gone since.
    """
    stem = f"ev-{article.content_hash[:10]}"
    taken = set(EventSlug.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    taken |= set(Event.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    slug, suffix = stem, 2
    while slug in taken:
        slug, suffix = f"{stem}-{suffix}", suffix + 1
    return Event.objects.create(slug=slug, title=article.title[:500])


def primary_article(articles):
    """The article that speaks for the event: strongest date, a real title, a report over a preview."""
    return min(
        articles,
        key=lambda a: (
            _strength(a)[:3],
            a.title_generated,
            bool((a.signature or {}).get("preview")),
            a.content_hash,
        ),
    )


def article_event_type(articles):
    """An event's type from its articles': the most common, the primary article's on a tie; reports
    speak before previews (an interview ahead of a visit does not make the visit an interview)."""
    reports = [a for a in articles if not (a.signature or {}).get("preview")] or articles
    return event_type_of([a.event_type for a in reports], primary_article(reports).event_type)


#: Review reasons about an article, not about its date: they do not send its event to review.
NOT_ABOUT_THE_DATE = {"proposed_entity", "possible_duplicate"}


def date_needs_review(article):
    """Whether an article's date needs an editor (a proposed name or a duplicate leaves the event's date alone)."""
    if article.date_confidence < REVIEW_CONFIDENCE:
        return True
    if not article.needs_review:
        return False
    return not article.review_reasons or bool(set(article.review_reasons) - NOT_ABOUT_THE_DATE)


def refresh_event(event):
    """Recompute an event's date, title, lead, topics and entities from its articles."""
    refresh_events([event])


def refresh_events(events, stems=None):
    """refresh_event for each of `events`, their articles, topics and names read in one query each, and the
    new words of all their search documents recorded in one statement (a batch of ingest touches hundreds).
    `stems`: {article id: article_stems(title, body)} already computed (ingest's workers do it for new articles).
    Returns the ids of the events refreshed: those that still have articles (the others are left as they are)."""
    ids = [event.pk for event in events]
    # not event.articles: that may be a stale prefetch (and not the raw text, which nothing here reads)
    articles, topics, entities, matches = {}, {}, {}, {}
    for article in (
        Article.objects.filter(event_id__any_of=ids).select_related("outlet").defer("raw_text", "date_candidates").order_by("pk")
    ):
        articles.setdefault(article.event_id, []).append(article)
    # Each topic and entity read once, however many events name it; the links in the order the models give.
    topic_links = list(
        Topic.objects.filter(article_matches__article__event_id__any_of=ids)
        .annotate(for_event=F("article_matches__article__event_id")).distinct().values_list("pk", "for_event")
    )
    entity_links = list(
        Entity.objects.filter(article_matches__article__event_id__any_of=ids)
        .annotate(for_event=F("article_matches__article__event_id")).distinct().values_list("pk", "for_event")
    )
    # The mentions as their JSON text, parsed in one json.loads for all the rows: the same values as the field's
    # own parsing (the same text, row by row), without a converter call and a decoder run for each of thousands.
    match_rows = list(
        ArticleEntity.objects.filter(article__event_id__any_of=ids)
        .annotate(mentions_json=Cast("mentions", models.TextField()))
        .values_list("article__event_id", "article_id", "entity_id", "mentions_json")
    )
    if match_rows:
        parsed = json.loads("[" + ",".join(row[3] for row in match_rows) + "]")
        match_rows = [(*row[:3], mentions) for row, mentions in zip(match_rows, parsed, strict=True)]
    topic_rows = _in_bulk(Topic, {pk for pk, _ in topic_links})
    entity_rows = _in_bulk(Entity, {pk for pk, _ in entity_links} | {row[2] for row in match_rows})
    for pk, event_id in topic_links:
        topics.setdefault(event_id, []).append(topic_rows[pk])
    for pk, event_id in entity_links:
        entities.setdefault(event_id, []).append(entity_rows[pk])
    for event_id, article_id, entity_id, mentions in match_rows:
        matches.setdefault(event_id, []).append(_EntityMatch(article_id, entity_rows[entity_id], mentions))
    words = set()
    refreshed = []
    lookups = HeadlineLookups()
    for event in events:
        if event.pk in articles:
            _refresh_event(
                event, articles[event.pk], topics.get(event.pk, []), entities.get(event.pk, []), matches.get(event.pk, []),
                stems or {}, lookups,
            )
            refreshed.append(event)
            words.update(event.search_document.split())  # each distinct word tested once, below
    _save_refreshed(refreshed, topics, entities)
    add_words(suggestible(words))
    return set(articles)


@dataclass
class _EntityMatch:
    """What the headlines read of an ArticleEntity row."""

    article_id: int
    entity: Entity
    mentions: list


def _refresh_event(event, articles, topics, entities, matches, stems, lookups):
    """Set the event's fields from its articles (saved by _save_refreshed)."""
    dated = [a for a in articles if a.is_dated]
    titled = [a for a in articles if not a.title_generated] or articles
    speaker = primary_article(titled)
    event.title = speaker.title[:500]
    event.lead = speaker.lead or primary_article(articles).lead
    best = primary_article(dated) if dated else None
    # What the articles say, kept even when an editor fixed the event's date: the admin shows both.
    event.machine_date = best.date_claim() if best else None
    if not event.event_type_locked:
        event.event_type = article_event_type(articles)
    if not event.date_locked:
        if best:
            event.date_start, event.date_end = best.date_start, best.date_end
            event.precision, event.date_method = best.precision, best.date_method
            event.date_evidence, event.date_confidence = best.date_evidence, best.date_confidence
            event.needs_review = date_needs_review(best)
        else:
            event.date_start = event.date_end = None
            event.precision = event.date_method = event.date_evidence = ""
            event.date_confidence = 0.0
            event.needs_review = True
    outlets = {a.outlet for a in articles if a.outlet}
    # search_stems of the parts joined by line breaks, which no stem crosses: the parts' stems joined
    parts = [stems[a.pk] if a.pk in stems else article_stems(a.title, a.body) for a in articles]
    parts += [
        _name_stems(names)
        for names in [f"{o.name_ar} {o.name_en}" for o in outlets]
        + [f"{t.name_ar} {t.name_en}" for t in topics]
        + [f"{e.name_ar} {e.name_en}" for e in entities]
    ]
    event.search_document = " ".join(part for part in parts if part)
    refresh_composed_headlines(event, articles, speaker, matches, lookups)
    # The arrays the filters and facets read, written with the rest of the row (one UPDATE: every update of
    # an event row also updates its search index, so a second one would cost as much again).
    event.topic_ids = sorted(t.pk for t in topics)
    event.entity_ids = sorted(e.pk for e in entities)
    event.outlet_ids = sorted(o.pk for o in outlets)


def _json_value(field, value):
    """A field's value as JSON that jsonb_to_recordset turns back into the value the field's column holds
    (a JSONField's value, None included, is its JSON as it is)."""
    if isinstance(value, (datetime.date, datetime.datetime)) and not isinstance(field, models.JSONField):
        return value.isoformat()
    return value


def _written_fields(model):
    """The columns an INSERT or UPDATE of `model` writes: all but the primary key and generated ones."""
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]


def _json_document(fields, objects, value_of, with_id=False):
    """The objects' values of `fields` (value_of(field, obj)), and their ids when `with_id`, as one JSON document:
    one string for psycopg to send, instead of a parameter per value that it converts one by one (and a text
    array's elements each through a regex)."""
    rows = []
    for obj in objects:
        row = {f.column: _json_value(f, value_of(f, obj)) for f in fields}
        if with_id:
            row["id"] = obj.pk
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, allow_nan=False)


_VARCHAR = re.compile(r"^varchar\(\d+\)")


def _json_columns(fields, *extra):
    """The column definitions of jsonb_to_recordset for `fields`: varchar columns read as text (assigning them
    checks their length, as Django's parameters were checked)."""
    columns = [f"{connection.ops.quote_name(f.column)} {_VARCHAR.sub('text', f.db_type(connection))}" for f in fields]
    return ", ".join([*columns, *extra])


def _insert_objects(objects, with_id=False):
    """bulk_create(objects) for new rows of one model, from one JSON document: the same rows (each field's
    pre_save, as bulk_create's, sets auto_now_add times), the ids set on the objects in their order; `with_id`:
    the objects have their ids already (_reserve_ids)."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = _written_fields(type(objects[0]))
    columns = [*fields, meta.pk] if with_id else fields
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) SELECT {names} FROM "
            f"ROWS FROM (jsonb_to_recordset(%s::jsonb) AS ({_json_columns(columns)})) WITH ORDINALITY AS r "
            f"ORDER BY r.ordinality RETURNING {connection.ops.quote_name(meta.pk.column)}",
            [_json_document(columns, objects, lambda f, obj: obj.pk if f is meta.pk else f.pre_save(obj, True))],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def _reserve_ids(objects):
    """Give new objects of one model the ids their INSERT would take from its sequence, in their order, without
    inserting them (they stay `adding`): rows that refer to them can be written first, their references checked
    at commit."""
    if not objects:
        return
    meta = objects[0]._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk


def _save_refreshed(events, topics, entities):
    """What event.save(denormalised=True), event.topics.set() and event.entities.set() wrote for each event,
    in a statement for all the rows of each table. An event not stored yet (a batch's new one, its id reserved)
    is inserted as refreshed: its row and search index written once, not inserted empty and updated."""
    if not events:
        return
    fields = _written_fields(Event)
    now = timezone.now()
    for event in events:
        event.strip_stored_text()
        event.updated_at = now
    stored = [event for event in events if not event._state.adding]
    _insert_objects([event for event in events if event._state.adding], with_id=True)
    table = connection.ops.quote_name(Event._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = r.{connection.ops.quote_name(f.column)}" for f in fields)
    with connection.cursor() as cursor:
        # one statement for all the rows (its statement triggers run once, not once a row)
        if stored:
            cursor.execute(
                f"UPDATE {table} e SET {sets} FROM jsonb_to_recordset(%s::jsonb) AS r({_json_columns(fields, 'id bigint')}) "
                "WHERE e.id = r.id",
                [_json_document(fields, stored, lambda f, event: getattr(event, f.attname), with_id=True)],
            )
        for relation, by_event in ((Event.topics, topics), (Event.entities, entities)):
            through = relation.through
            source, target = relation.field.m2m_column_name(), relation.field.m2m_reverse_name()
            wanted = {(e.id, tag.id) for e in events for tag in by_event.get(e.id, ())}
            cursor.execute(
                f"SELECT {source}, {target} FROM {through._meta.db_table} WHERE {source} = ANY(%s::bigint[])",
                [int_array(e.pk for e in events)],
            )
            present = set(cursor.fetchall())
            pairs = "SELECT * FROM unnest(%s::bigint[], %s::bigint[])"
            for statement, changed in (
                (f"DELETE FROM {through._meta.db_table} WHERE ({source}, {target}) IN ({pairs})", present - wanted),
                (f"INSERT INTO {through._meta.db_table} ({source}, {target}) {pairs}", wanted - present),
            ):
                if changed:
                    changed = sorted(changed)
                    cursor.execute(statement, [int_array(a for a, _ in changed), int_array(b for _, b in changed)])


# --- an editor's grouping -------------------------------------------------------------------


def merge_events(survivor, others):
    """Merge `others` into `survivor`: their articles move to it and stay there (locked against regrouping),
    and every address they were ever given now leads to it."""
    with transaction.atomic():
        hold_matching_lock()
        ids = [e.pk for e in others if e.pk != survivor.pk]
        # one statement: the history shows each article's move and lock as one change
        Article.objects.filter(Q(event_id__in=ids) | Q(event=survivor)).update(event=survivor, event_locked=True)
        EventSlug.objects.filter(event_id__in=ids).update(event=survivor)
        Event.objects.filter(pk__in=ids).delete()
        refresh_event(survivor)
    return survivor


def split_event(event, articles):
    """Move `articles` out of `event` into a new event with an address of its own; the old event keeps its
    addresses. Both sides are locked against regrouping, as the editor left them."""
    with transaction.atomic():
        hold_matching_lock()
        moving = list(Article.objects.filter(event=event, pk__in=[a.pk for a in articles]))
        if not moving or not Article.objects.filter(event=event).exclude(pk__in=[a.pk for a in moving]).exists():
            raise ValueError("a split moves some of the event's articles, not none or all")
        new = _new_event(primary_article(moving))
        Article.objects.filter(pk__in=[a.pk for a in moving]).update(event=new, event_locked=True)
        Article.objects.filter(event=event).update(event_locked=True)
        refresh_event(event)
        refresh_event(new)
    return new
