"""The timeline's counts: every facet of a view computed in one pass over its events, cached for every process.

One SQL statement per view reads the events the filters that no facet ignores select (dated, the search, the
entities) once, into a materialised CTE, with a flag per remaining filter (topics, years, outlets, exact dates,
event types);
each facet then counts the rows that pass every filter but its own, unnesting the GIN-indexed arrays
Event.topic_ids, entity_ids and outlet_ids (EventQuerySet.refresh_denormalised keeps them equal to the links), or
grouping by the event's own column (event_type).
So the search is evaluated once, and no join table is read.

Blocks are cached in the shared cache (Redis or the database table: settings.CACHES) under the data version
(DataVersion: a trigger changes it with every statement that writes events, articles, topics, entities, outlets
or the events' links, in the same transaction) and the canonical filters: a write is seen by the next request
of every process, and an unchanged corpus is never counted twice. `warm()` fills the cache for the unfiltered
view and every single-filter view the page links to (run at the end of `manage.py ingest` and by
`manage.py warm_facets`).
"""

import datetime
import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import Exists, OuterRef

from timeline.models import Article, DataVersion, Entity, EntityKind, Event, EventType, NamedInBothLanguages, Outlet


def _reading():
    """The connection this request reads from (a replica when the router chose one, see config/db_router.py)."""
    return connections[router.db_for_read(Event)]

logger = logging.getLogger(__name__)

PER_KIND = 8  # entities offered per kind (the most mentioned overall; the selected ones besides)
# Entries expire after the cache's TIMEOUT (settings.CACHES): keys carry the data version, so an entry of an
# older version is never read again and only waits to expire or be culled.


class Item(NamedInBothLanguages):
    """An entity or outlet as a facet shows it (slug, names): cached as a plain tuple, cheap to unpickle."""

    __slots__ = ("pk", "slug", "name_ar", "name_en", "kind")

    def __init__(self, pk, slug, name_ar, name_en, kind=""):
        self.pk, self.slug, self.name_ar, self.name_en, self.kind = pk, slug, name_ar, name_en, kind

    @classmethod
    def of(cls, obj):
        return cls(obj.pk, obj.slug, obj.name_ar, obj.name_en, getattr(obj, "kind", ""))

    def row(self):
        return (self.pk, self.slug, self.name_ar, self.name_en, self.kind)

    def __eq__(self, other):
        return isinstance(other, Item) and other.pk == self.pk

    def __hash__(self):
        return hash(self.pk)

    def __repr__(self):
        return f"Item({self.slug})"


@dataclass
class FacetBlock:
    total: int
    exact_count: int
    topic_counts: dict  # topic id -> events (without the topic filter)
    year_counts: dict  # year -> events starting in it (without the year filter)
    all_years: list  # every year a dated event starts in, whatever the filters
    entity_facets: dict  # kind -> [(Item, events, selected)]
    outlet_options: list  # [(Item, events without the outlet filter, selected)]
    type_counts: dict = field(default_factory=dict)  # event type code -> events (without the type filter)
    version: int = 0
    approximate: bool = False  # estimated from a sample (never cached): every number is shown with ≈
    cached: bool = field(default=False, compare=False)
    key: str = field(default="", compare=False)  # its cache key (an estimate's page is kept until this key is set)

    def pack(self):
        """Plain tuples and ints for the cache (model instances cost milliseconds to unpickle)."""
        return (
            self.total, self.exact_count, self.topic_counts, self.year_counts, self.all_years,
            {kind: [(item.row(), n, chosen) for item, n, chosen in options] for kind, options in self.entity_facets.items()},
            [(item.row(), n, chosen) for item, n, chosen in self.outlet_options],
            self.type_counts,
            self.version,
        )

    @classmethod
    def unpack(cls, packed):
        total, exact_count, topic_counts, year_counts, all_years, entities, outlets, type_counts, version = packed
        return cls(
            total, exact_count, topic_counts, year_counts, all_years,
            {kind: [(Item(*row), n, chosen) for row, n, chosen in options] for kind, options in entities.items()},
            [(Item(*row), n, chosen) for row, n, chosen in outlets],
            type_counts,
            version,
        )


def facet_block(view, version=None):
    """The facet block of a FilteredView (filtering.py): from the cache, or counted and cached.

    When the view is not cached and counting it exactly would read more than settings.FACETS_EXACT_ROWS events
    (the planner's estimate), the block is estimated from a random sample of that many events instead
    (approximate=True: the page marks every such number with ≈ and says why), and the exact block is counted
    in the background and cached, so it is what the following requests show. The count is asked for on the view's
    first request and starts at once, or as soon as this process's counting thread is free (_count_later); until it
    lands, the page rendered with the estimate is kept (page_cache.ESTIMATED) and this estimate too (ESTIMATE).
    """
    version = DataVersion.current() if version is None else version  # (the request's, read once: page_cache)
    key = _key(view, version)
    packed = cache.get(key)
    if packed is not None:
        block = FacetBlock.unpack(packed)
        block.cached, block.key = True, key
        return block
    limit = getattr(settings, "FACETS_EXACT_ROWS", None)
    if limit is not None:
        packed = cache.get(key + ESTIMATE)
        if packed is not None:  # estimated seconds ago, and the exact block has not landed yet
            _count_later(view, version, key)  # (the count may have been skipped: one at a time per process)
            block = FacetBlock.unpack(packed)
            block.approximate, block.key = True, key
            return block
        estimated = _estimated_rows(view)
        if estimated > limit:
            _count_later(view, version, key)
            block = compute(view, version, sample=100.0 * limit / estimated)
            block.key = key
            seconds = getattr(settings, "FACETS_ESTIMATE_SECONDS", 0)
            if seconds:
                cache.set(key + ESTIMATE, block.pack(), seconds)
            return block
    block = compute(view, version)
    block.key = key
    cache.set(key, block.pack())
    return block


#: The suffix of an estimated block's key. An estimate is kept a few seconds (settings.FACETS_ESTIMATE_SECONDS)
#: so that the visitors of a large view whose exact count has not landed yet do not each sample the table again
#: (a sample scan reads the whole table: ~70 ms at 100k events, plus the search on every sampled row); it is read
#: only while the exact block is missing, and always shown as approximate (≈), never cached as exact.
ESTIMATE = ":estimate"


def _base(view):
    return view.events_without("topics", "years", "outlets", "exact", "types").order_by().values(
        "date_start", "date_end", "precision", "event_type", "topic_ids", "entity_ids", "outlet_ids"
    )


def _estimated_rows(view):
    """The planner's estimate of the events a count of this view reads (one EXPLAIN, no execution)."""
    sql, params = _base(view).query.sql_with_params()
    with _reading().cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]


#: The suffix of the key that says a process is counting the view now (it expires if that process dies mid-count).
COUNTING = ":counting"

#: Views waiting for this process's counting thread: key -> (view, version, asked at), at most
#: settings.FACETS_PENDING (a crawler's many views must not pile up counts: beyond it the longest-waiting view is
#: dropped, and its next request asks again). One thread per process counts them one at a time, the most recently
#: asked for first (what a visitor is waiting for now); the thread ends when none is left.
_pending = OrderedDict()
_lock = threading.Lock()
_counter = None  # the counting thread, while it runs


def _count_later(view, version, key):
    """Count the view exactly in this process's counting thread and cache it (once at a time per view, across
    processes): started now when the thread is idle, else as soon as the counts asked for after it are done."""
    global _counter
    if not getattr(settings, "FACETS_COUNT_IN_BACKGROUND", True):
        return
    with _lock:
        if key not in _pending:
            logger.info("facets: count asked for %s (%s)", key[-8:], view.query or "/")
        _pending[key] = (view, version, _pending.get(key, (None, None, time.monotonic()))[2])
        _pending.move_to_end(key)
        while len(_pending) > max(1, getattr(settings, "FACETS_PENDING", 8)):
            dropped, (old, _, _) = _pending.popitem(last=False)
            logger.info("facets: count dropped for %s (%s): too many waiting", dropped[-8:], old.query or "/")
        if _counter is None or not _counter.is_alive():  # (not alive: a thread of the parent before a fork)
            _counter = threading.Thread(target=_count_pending, name="facets-count", daemon=True)
            _counter.start()


def counter_idle():
    """Whether this process's counting thread is idle (nothing counted or waiting)."""
    return _counter is None or not _counter.is_alive()


def count_later(request, version):
    """Count the view of this request exactly in the background (page_cache: a page with estimated counts served
    while nobody counts them)."""
    from timeline.filtering import filtered_events

    if not getattr(settings, "FACETS_COUNT_IN_BACKGROUND", True):
        return
    view = filtered_events(request)
    _count_later(view, version, _key(view, version))


def _count_pending():
    """The counting thread: the pending views, newest first, until none is left."""
    global _counter
    try:
        while True:
            with _lock:
                if not _pending:
                    _counter = None
                    return
                key, (view, version, asked) = _pending.popitem(last=True)
            _count(view, version, key, asked)
    finally:
        connections.close_all()  # (this thread's connections)
        with _lock:
            if _counter is threading.current_thread():  # (ended by an error: the next request starts another)
                _counter = None


def _count(view, version, key, asked):
    if not cache.add(key + COUNTING, 1, 600):
        return
    started = time.monotonic()
    try:
        if DataVersion.current() != version:  # (a write since: the next request asks again)
            return
        if cache.get(key) is not None:  # (counted by another process meanwhile)
            return
        cache.set(key, compute(view, version).pack())
        cache.delete(key + ESTIMATE)  # (read only while the exact block is missing: now never)
        logger.info("facets: counted %s (%s): waited %.0f ms, counted in %.0f ms", key[-8:], view.query or "/",
                    (started - asked) * 1000, (time.monotonic() - started) * 1000)
    except Exception:  # noqa: BLE001 - a background count that fails leaves the estimate; it is logged
        logger.exception("facets: background count failed")
    finally:
        cache.delete(key + COUNTING)


def _selection(view):
    f = view.filters
    return {
        "q": f["q"] or "",
        "year_from": f["year_from"],
        "year_to": f["year_to"],
        "topics": sorted(t.pk for t in view.topics if t.slug in f["topics"]),
        "entities": sorted(e.pk for e in f["entities"]),
        "outlets": sorted(o.pk for o in f["outlets"]),
        "exact": bool(f["exact"]),
        "window": (f.get("window_start"), f.get("window_end")),
        "types": sorted(f["types"]),
    }


def _key(view, version):
    digest = hashlib.sha256(repr(sorted(_selection(view).items())).encode()).hexdigest()[:32]
    return f"timeline:facets:3:{version}:{digest}"


# The years dated events start in, one step along event_chronology per year (a few dozen index probes, where a
# DISTINCT read every event).
YEARS_SQL = """
WITH RECURSIVE first_days(day) AS (
  (SELECT date_start FROM timeline_event WHERE date_start IS NOT NULL ORDER BY date_start LIMIT 1)
  UNION ALL
  SELECT (SELECT e.date_start FROM timeline_event e
          WHERE e.date_start >= (date_trunc('year', f.day) + interval '1 year')::date ORDER BY e.date_start LIMIT 1)
  FROM first_days f WHERE f.day IS NOT NULL
)
SELECT extract(year FROM day)::int FROM first_days WHERE day IS NOT NULL
"""


def _corpus(version):
    """What every view shares, counted once per data version: the years, the entity ranking, the outlets."""
    key = f"timeline:facets-corpus:3:{version}"
    corpus = cache.get(key)
    if corpus is not None:
        return corpus
    with _reading().cursor() as cursor:
        cursor.execute(YEARS_SQL)
        years = [row[0] for row in cursor.fetchall()]
        # dated events per entity: the options' order, kept by triggers (models.EntityCount). An entity named only
        # in undated events (which the timeline never lists) is not offered: it would read "(0)" on the unfiltered page.
        cursor.execute("SELECT entity_id, events FROM timeline_entitycount WHERE events > 0")
        totals = dict(cursor.fetchall())
    ranked = sorted(Entity.objects.filter(pk__in=list(totals)), key=lambda e: (-totals[e.pk], e.name_en, e.pk))
    top = {kind: [] for kind, _ in EntityKind.choices}
    for entity in ranked:
        if len(top[entity.kind]) < PER_KIND:
            top[entity.kind].append(Item.of(entity).row())
    outlets = [Item.of(o).row() for o in Outlet.objects.filter(Exists(Article.objects.filter(outlet=OuterRef("pk"))))]
    corpus = {"years": years, "totals": totals, "top": top, "outlets": outlets}
    cache.set(key, corpus)
    return corpus


def _entity_options(corpus, chosen):
    """{kind: [entity]}: the PER_KIND most mentioned of each kind and the chosen ones, in the ranking's order."""
    totals = corpus["totals"]
    options = {kind: [Item(*row) for row in rows] for kind, rows in corpus["top"].items()}
    for entity in map(Item.of, chosen):
        if entity not in options[entity.kind]:
            options[entity.kind].append(entity)
    for kind, entities in options.items():
        # Entities in no event rank after every other, by name (as the plain query orders them).
        entities.sort(key=lambda e: (-totals.get(e.pk, 0), e.name_en, e.pk))
    return options


FACETS_SQL = """
WITH f AS NOT MATERIALIZED (
  SELECT * FROM (
    SELECT extract(year FROM s.date_start)::int AS y, s.precision = 'day' AS d,
           array_position(%s::text[], s.event_type::text) AS k,
           {topics} AS t, {years} AS yr, {outlets} AS o, {exact} AS x, {types} AS ty,
           s.topic_ids, s.entity_ids, s.outlet_ids
    FROM ({base}) s
  ) flagged
  WHERE t::int + yr::int + o::int + x::int + ty::int >= 4  -- no facet counts an event that two filters exclude
), b AS MATERIALIZED (  -- each array kept only where its facet counts the event: a narrow view stays small
  SELECT y, d, k, t, yr, o, x, ty,
         CASE WHEN yr AND o AND x AND ty THEN topic_ids END AS topic_ids,
         CASE WHEN {entities} AND t AND yr AND o AND x AND ty THEN entity_ids END AS entity_ids,
         CASE WHEN t AND yr AND x AND ty THEN outlet_ids END AS outlet_ids
  FROM f
)
SELECT 0, 0, count(*) FILTER (WHERE t AND yr AND o AND x AND ty), count(*) FILTER (WHERE t AND yr AND o AND d AND ty) FROM b
UNION ALL
SELECT 1, y, count(*), 0 FROM b WHERE t AND o AND x AND ty GROUP BY y
UNION ALL
SELECT 2, u, count(*), 0 FROM b CROSS JOIN LATERAL unnest(b.topic_ids) u WHERE yr AND o AND x AND ty GROUP BY u
UNION ALL
SELECT 3, u, count(*), 0 FROM b CROSS JOIN LATERAL unnest(b.entity_ids) u
  WHERE t AND yr AND o AND x AND ty AND u = ANY(%s::bigint[]) GROUP BY u
UNION ALL
SELECT 4, u, count(*), 0 FROM b CROSS JOIN LATERAL unnest(b.outlet_ids) u WHERE t AND yr AND x AND ty GROUP BY u
UNION ALL
SELECT 5, k, count(*), 0 FROM b WHERE t AND yr AND o AND x AND k IS NOT NULL GROUP BY k
"""


def compute(view, version=0, sample=None):
    """Count every facet of the view in one statement (see the module's docstring).

    sample: a percentage: count a random sample of the events that size (TABLESAMPLE BERNOULLI) and scale the
    counts up (an estimate: the block says approximate=True).
    """
    corpus = _corpus(version)
    chosen = view.filters["entities"]
    entity_options = _entity_options(corpus, chosen)
    shown = sorted({e.pk for entities in entity_options.values() for e in entities})

    sel = _selection(view)
    # Unfiltered, an entity's count is its dated events: what EntityCount keeps (the corpus's totals), so the
    # 2.7 M entity ids of 100k events (more than half of counting this view) are not unnested; nor, when the view is
    # estimated, the sample's (most of a sample's cost: 26 ids an event), and those counts are exact.
    from_totals = not any(any(value) if name == "window" else value for name, value in sel.items())
    base_sql, base_params = _base(view).query.sql_with_params()
    if sample is not None:
        sample = max(0.01, min(100.0, sample))
        table = ' FROM "timeline_event" '
        assert table in base_sql + " ", base_sql  # the outer FROM: the selected columns come before it
        base_sql = (base_sql + " ").replace(table, f' FROM "timeline_event" TABLESAMPLE BERNOULLI ({sample:.4f}) ', 1)
    flag_params = []
    topics = "true"
    if sel["topics"]:
        topics = "s.topic_ids && %s::bigint[]"
        flag_params.append(sel["topics"])
    years = []
    if sel["year_from"] is not None:
        years.append("s.date_end >= %s")
        flag_params.append(datetime.date(sel["year_from"], 1, 1))
    if sel["year_to"] is not None:
        years.append("s.date_start <= %s")
        flag_params.append(datetime.date(sel["year_to"], 12, 31))
    years = f"coalesce({' AND '.join(years)}, false)" if years else "true"
    outlets = "true"
    if sel["outlets"]:
        outlets = "s.outlet_ids && %s::bigint[]"
        flag_params.append(sel["outlets"])
    exact = "s.precision = 'day'" if sel["exact"] else "true"
    types = "true"
    if sel["types"]:
        types = "s.event_type = ANY(%s::text[])"
        flag_params.append(sel["types"])
    codes = EventType.values  # a type is counted by its place in this list (a UNION's columns share one type)
    sql = FACETS_SQL.format(topics=topics, years=years, outlets=outlets, exact=exact, types=types, base=base_sql,
                            entities="false" if from_totals else "true")
    with _reading().cursor() as cursor:
        cursor.execute(sql, [codes, *flag_params, *base_params, shown])
        rows = cursor.fetchall()

    total = exact_count = 0
    counts = {1: {}, 2: {}, 3: {}, 4: {}, 5: {}}
    if sample is not None:
        rows = [(part, value, round(n * 100 / sample), round(m * 100 / sample)) for part, value, n, m in rows]
    for part, value, n, m in rows:
        if part == 0:
            total, exact_count = n, m
        else:
            counts[part][value] = n
    if from_totals:
        counts[3] = {pk: corpus["totals"][pk] for pk in shown if pk in corpus["totals"]}
    chosen_ids = {e.pk for e in chosen}
    entity_facets = {
        kind: [(e, counts[3].get(e.pk, 0), e.pk in chosen_ids) for e in entities]
        for kind, entities in entity_options.items()
    }
    chosen_outlets = set(sel["outlets"])
    outlet_options = sorted(
        ((o, counts[4].get(o.pk, 0), o.pk in chosen_outlets) for o in map(lambda row: Item(*row), corpus["outlets"])),
        key=lambda option: (-option[1], option[0].name_ar, option[0].pk),
    )
    return FacetBlock(
        total=total,
        exact_count=exact_count,
        topic_counts=counts[2],
        year_counts=counts[1],
        all_years=corpus["years"],
        entity_facets=entity_facets,
        outlet_options=outlet_options,
        type_counts={codes[position - 1]: n for position, n in counts[5].items()},
        version=version,
        approximate=sample is not None,
    )


def warm(seconds=None):
    """Count and cache the unfiltered view and every single-filter view the page links to (each topic, each
    year of the chart, each entity and outlet offered), most used first, for at most `seconds`.

    Returns the number of views counted now (those already cached for this version are skipped).
    """
    import time

    from django.http import QueryDict

    from timeline.filtering import filtered_events
    from timeline.models import Topic

    deadline = None if seconds is None else time.monotonic() + seconds
    version = DataVersion.current()
    corpus = _corpus(version)
    queries = [""]
    queries += [f"topic={t.slug}" for t in Topic.objects.all()]
    queries += [f"entity={row[1]}" for rows in corpus["top"].values() for row in rows]
    queries += [f"year_from={y}&year_to={y}" for y in reversed(corpus["years"])]
    queries += [f"outlet={row[1]}" for row in corpus["outlets"]]
    queries += [f"type={code}" for code in EventType.values]
    counted = 0
    for query in queries:
        if deadline is not None and time.monotonic() > deadline:
            break
        view = filtered_events(_Request(QueryDict(query)))
        key = _key(view, version)
        if cache.get(key) is None:
            cache.set(key, compute(view, version).pack())
            counted += 1
    return counted


@dataclass
class _Request:
    GET: object
