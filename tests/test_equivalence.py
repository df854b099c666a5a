"""The fast path (denormalised arrays, the one-pass facet block, its cache) gives exactly what plain queries give.

A few hundred events are written through the real write path (articles with outlets, topic and entity matches,
then ingest.refresh_event; some articles then moved, deleted or re-tagged), and for random filter combinations the
page's counts, facets, page of events and the JSON export are compared with straightforward ORM queries over the
join tables, written out below as the timeline computed them before the arrays existed.
"""

import datetime
import random

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Count, Q
from django.test import RequestFactory
from django.utils.http import urlencode

from tests.conftest import json_of
from timeline import facets, ingest
from timeline.extract.event_types import EVENT_TYPES
from timeline.filtering import PAGE_SIZE, filtered_events
from timeline.models import Article, ArticleEntity, ArticleTopic, Entity, EntityKind, Event, Outlet, Topic

WORDS = ["تجارة", "نفط", "قمة", "غاز", "طريق", "حرير", "ميناء", "قطار", "جامعة", "مصرف", "زراعة", "حدود"]
PRECISIONS = ["day", "day", "day", "month", "year"]
TYPES = ["state_visit", "talks", "talks", "summit", "forum", "other", "other"]


# --- the reference: plain queries over the join tables ---------------------------------------------------

def ref_events_without(view, *skip):
    f = view.filters
    qs = Event.objects.filter(date_start__isnull=False)
    if "q" not in skip and view.tsquery:
        qs = qs.annotate(plain_search=SearchVector("search_document", config="simple")).filter(
            plain_search=SearchQuery(view.tsquery, search_type="raw", config="simple")
        )
    if "entities" not in skip:
        for entity in f["entities"]:
            qs = qs.filter(pk__in=Event.entities.through.objects.filter(entity=entity).values("event_id"))
    if "outlets" not in skip and f["outlets"]:
        qs = qs.filter(pk__in=Article.objects.filter(outlet__in=f["outlets"]).values("event_id"))
    if "exact" not in skip and f["exact"]:
        qs = qs.filter(precision="day")
    if "years" not in skip:
        if f["year_from"] is not None:
            qs = qs.filter(date_end__gte=datetime.date(f["year_from"], 1, 1))
        if f["year_to"] is not None:
            qs = qs.filter(date_start__lte=datetime.date(f["year_to"], 12, 31))
    if "topics" not in skip and f["topics"]:
        qs = qs.filter(pk__in=Event.topics.through.objects.filter(topic__slug__in=f["topics"]).values("event_id"))
    if "types" not in skip and f["types"]:
        qs = qs.filter(event_type__in=f["types"])
    return qs


def ref_block(view):
    f = view.filters
    current = ref_events_without(view)
    without_topics = ref_events_without(view, "topics").values("pk")
    topic_counts = dict(
        Topic.objects.annotate(n=Count("events", filter=Q(events__in=without_topics))).values_list("slug", "n")
    )
    year_rows = (
        ref_events_without(view, "years").order_by().values_list("date_start__year").annotate(n=Count("pk"))
    )
    all_years = sorted({d.year for d in Event.objects.filter(date_start__isnull=False).values_list("date_start", flat=True)})
    chosen = {e.pk for e in f["entities"]}
    entity_rows = (
        Entity.objects.annotate(
            # ranked by the dated events that name them: an entity of undated events only is not offered
            total=Count("events", distinct=True, filter=Q(events__date_start__isnull=False)),
            n=Count("events", distinct=True, filter=Q(events__in=current.order_by().values("pk"))),
        )
        .filter(Q(total__gt=0) | Q(pk__in=chosen))
        .order_by("-total", "name_en")
    )
    entity_facets = {kind: [] for kind, _ in EntityKind.choices}
    for entity in entity_rows:
        options = entity_facets[entity.kind]
        if len(options) < facets.PER_KIND or entity.pk in chosen:
            options.append((entity.slug, entity.n, entity.pk in chosen))
    chosen_outlets = {o.pk for o in f["outlets"]}
    without_outlets = ref_events_without(view, "outlets").order_by().values("pk")
    outlet_rows = (
        Outlet.objects.filter(articles__isnull=False)
        .annotate(n=Count("articles__event", distinct=True, filter=Q(articles__event__in=without_outlets)))
        .order_by("-n", "name_ar")
    )
    type_rows = dict(ref_events_without(view, "types").order_by().values_list("event_type").annotate(n=Count("pk")))
    return {
        "total": current.count(),
        "type_options": [(code, type_rows.get(code, 0), code in f["types"]) for code in EVENT_TYPES
                         if type_rows.get(code) or code in f["types"]],
        "exact_count": ref_events_without(view, "exact").filter(precision="day").count(),
        "topic_options": [(t.slug, topic_counts[t.slug], t.slug in f["topics"]) for t in Topic.objects.all()],
        "year_options": [(year, dict(year_rows).get(year, 0)) for year in all_years],
        "entity_facets": entity_facets,
        "outlet_options": [(o.slug, o.n, o.pk in chosen_outlets) for o in outlet_rows],
    }


def shown(context):
    """The same facts as the page's context holds them."""
    return {
        "total": context["total"],
        "exact_count": context["exact_count"],
        "topic_options": [(t.slug, n, selected) for t, n, selected in context["topic_options"]],
        "type_options": [(t.slug, n, selected) for t, n, selected in context["type_options"]],
        "year_options": list(context["year_options"]),
        "entity_facets": {
            kind: [(e.slug, n, selected) for e, n, selected in options]
            for kind, options in context["entity_facets"].items()
        },
        "outlet_options": [(o.slug, n, selected) for o, n, selected in context["outlet_options"]],
    }


# --- the corpus ------------------------------------------------------------------------------------------

def build_corpus(rng, n_events=300):
    topics = list(Topic.objects.all())
    entities = list(Entity.objects.order_by("slug")[:18])
    outlets = list(Outlet.objects.order_by("slug")[:7])
    assert len(topics) >= 5 and len(entities) >= 10 and len(outlets) >= 4  # the reference data is loaded
    events = []
    for i in range(n_events):
        event = Event.objects.create(slug=f"eq-{i}", title=f"حدث {i}")
        for j in range(rng.choice([1, 1, 2, 3])):
            words = rng.sample(WORDS, rng.randint(1, 4))
            if rng.random() < 0.08:
                start = end = None
                precision = ""
            else:
                start = datetime.date(rng.randint(2003, 2024), rng.randint(1, 12), rng.randint(1, 28))
                precision = rng.choice(PRECISIONS)
                if precision == "month":
                    start, end = start.replace(day=1), start.replace(day=28)
                elif precision == "year":
                    start, end = start.replace(month=1, day=1), start.replace(month=12, day=31)
                else:
                    end = start + datetime.timedelta(days=rng.choice([0, 0, 0, 5]))  # some cross a year's end
            article = Article.objects.create(
                event=event, title=f"خبر {i}-{j} عن {words[0]}", raw_text=" ".join(words), body=" ".join(words),
                outlet=rng.choice(outlets + [None]), content_hash=f"eq-{i}-{j}",
                event_type=TYPES[(3 * i + j) % len(TYPES)],  # (not from rng: the corpus stays the one it was)
                date_start=start, date_end=end, precision=precision, date_method="dateline" if start else "",
                date_confidence=rng.random(),
            )
            for topic in rng.sample(topics, rng.choice([0, 1, 1, 2, 3])):
                ArticleTopic.objects.create(article=article, topic=topic, evidence=["كلمة"])
            for entity in rng.sample(entities, rng.choice([0, 1, 2, 4, 6])):
                ArticleEntity.objects.create(article=article, entity=entity, mentions=[[0, 1]])
        ingest.refresh_event(event)
        events.append(event)
    return events, topics, entities, outlets


def mutate(rng, events, entities):
    """Writes after the first refresh: moves, deletions, re-tagging, an editor's date (every path must keep up)."""
    articles = list(Article.objects.order_by("pk"))
    for article in rng.sample(articles, 15):  # moved to another event, as matching does
        previous = article.event_id
        Article.objects.filter(pk=article.pk).update(event=rng.choice(events))
        ingest._tidy({previous, Article.objects.get(pk=article.pk).event_id})
    for article in rng.sample(list(Article.objects.order_by("pk")), 10):
        article.delete()  # the event keeps its topics (as before), but loses the outlet
    for article in rng.sample(list(Article.objects.order_by("pk")), 10):
        ArticleEntity.objects.filter(article=article).delete()
        ArticleEntity.objects.create(article=article, entity=rng.choice(entities), mentions=[[0, 1]])
        ingest.refresh_event(article.event)
    event = Event.objects.filter(date_start__isnull=False).order_by("pk").first()
    event.precision = "year"
    event.save()  # an editor's change: a plain save (the stored arrays stay)


def random_query(rng, topics, entities, outlets):
    params = []
    if rng.random() < 0.35:
        params.append(("q", " ".join(rng.sample(WORDS, rng.choice([1, 1, 2])))))
    if rng.random() < 0.4:
        first = rng.randint(2002, 2024)
        params.append(("year_from", first))
        if rng.random() < 0.7:
            params.append(("year_to", rng.randint(first, 2025)))
    elif rng.random() < 0.15:
        params.append(("year_to", rng.randint(2002, 2024)))
    for topic in rng.sample(topics, rng.choice([0, 0, 1, 1, 2])):
        params.append(("topic", topic.slug))
    for entity in rng.sample(entities, rng.choice([0, 0, 1, 1, 2])):
        params.append(("entity", entity.slug))
    for outlet in rng.sample(outlets, rng.choice([0, 0, 1, 2])):
        params.append(("outlet", outlet.slug))
    if rng.random() < 0.25:
        params.append(("exact", "1"))
    for code in rng.sample(TYPES, rng.choice([0, 0, 1, 1, 2])):
        params.append(("type", code))
    return urlencode(params)


@pytest.mark.parametrize("seed", [9, 2026])
def test_fast_path_equals_plain_queries_for_random_filters(client, db, seed):
    rng = random.Random(seed)
    events, topics, entities, outlets = build_corpus(rng)
    mutate(rng, events, entities)

    # The arrays equal the links they copy.
    for event in Event.objects.prefetch_related("topics", "entities", "articles"):
        assert event.topic_ids == sorted(t.pk for t in event.topics.all()), event.slug
        assert event.entity_ids == sorted(e.pk for e in event.entities.all()), event.slug
        assert event.outlet_ids == sorted({a.outlet_id for a in event.articles.all() if a.outlet_id}), event.slug

    factory = RequestFactory()
    nonempty = 0
    for i in range(41):
        # first the unfiltered view (its entity counts are read from EntityCount, not counted from the arrays)
        query = random_query(rng, topics, entities, outlets) if i else ""
        view = filtered_events(factory.get("/", dict(_pairs(query))))
        expected = ref_block(view)
        nonempty += expected["total"] > 0
        pages = max(1, (expected["total"] + PAGE_SIZE - 1) // PAGE_SIZE)
        page = rng.randint(1, pages)
        expected_page = list(
            ref_events_without(view).order_by("date_start", "date_end", "pk")
            .values_list("slug", flat=True)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        )
        url = "/?" + query + (f"&page={page}" if page > 1 else "")
        for attempt in ("counted", "cached"):
            response = client.get(url)
            assert response.status_code == 200
            assert shown(response.context) == expected, (query, attempt)
            assert [e.slug for e in response.context["events"]] == expected_page, (query, attempt)
        exported = json_of(client.get("/events.json?" + query))
        assert exported["count"] == expected["total"]
        assert [e["slug"] for e in exported["events"]] == list(
            ref_events_without(view).order_by("date_start", "date_end", "pk").values_list("slug", flat=True)
        ), query
    assert nonempty >= 20  # the combinations mostly select something: the comparison is not of empty sets


def _pairs(query):
    from urllib.parse import parse_qsl

    out = {}
    for key, value in parse_qsl(query):
        out.setdefault(key, []).append(value)
    return out


def test_refresh_denormalised_rebuilds_every_array_set_based(db):
    rng = random.Random(5)
    build_corpus(rng, n_events=40)
    expected = {e.pk: (e.topic_ids, e.entity_ids, e.outlet_ids) for e in Event.objects.all()}
    Event.objects.update(topic_ids=[], entity_ids=[], outlet_ids=[])  # e.g. a bulk loader that wrote links only
    assert Event.objects.filter(topic_ids=[]).count() == 40
    assert Event.objects.all().refresh_denormalised() == 40
    assert {e.pk: (e.topic_ids, e.entity_ids, e.outlet_ids) for e in Event.objects.all()} == expected


def test_a_write_is_seen_by_the_next_request_and_the_cache_serves_an_unchanged_corpus(client, db):
    from timeline.models import DataVersion

    rng = random.Random(7)
    build_corpus(rng, n_events=30)
    first = client.get("/")
    before = DataVersion.current()
    again = client.get("/")
    assert DataVersion.current() == before  # reading writes nothing
    assert again.context["total"] == first.context["total"]
    Event.objects.filter(pk=Event.objects.filter(date_start__isnull=False).first().pk).update(date_start=None)
    assert DataVersion.current() != before  # the trigger: any statement, even a bulk UPDATE
    assert client.get("/").context["total"] == first.context["total"] - 1
    Topic.objects.create(slug="new-topic", name_ar="موضوع", name_en="New topic")
    assert "new-topic" in [t.slug for t, _, _ in client.get("/").context["topic_options"]]


def test_the_database_cache_is_what_the_facets_use(db, settings):
    """Production without REDIS_URL shares facets through the database table (not one process's memory)."""
    from django.core.cache import cache
    from django.db import connection

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    # The cache table is no model's: a flush leaves it, and the live server's or a child process's tests run
    # earlier on this test database (which ones depends on how make test shares the files out) left rows in it.
    cache.clear()
    build_corpus(random.Random(3), n_events=10)
    view = filtered_events(RequestFactory().get("/"))
    block = facets.facet_block(view)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM timeline_cache WHERE cache_key LIKE %s", ["%timeline:facets:%"])
        assert cursor.fetchone()[0] == 1
    cached = facets.facet_block(view)
    assert cached.cached and cached.total == block.total == 10 - Event.objects.filter(date_start__isnull=True).count()
    cache.clear()
    assert not facets.facet_block(view).cached


@pytest.mark.django_db(transaction=True)
def test_a_large_uncounted_view_is_estimated_says_so_and_is_counted_in_the_background(client, settings):
    """Counting exactly would read more events than FACETS_EXACT_ROWS: ≈ numbers (with why), then the exact ones."""
    import time

    from django.core.cache import cache
    from django.db import connection

    from timeline.models import DataVersion

    build_corpus(random.Random(11), n_events=150)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timeline_event")  # the planner knows the table's size
    exact = Event.objects.filter(date_start__isnull=False).count()
    settings.FACETS_EXACT_ROWS = 90  # a sample of ~90 of the ~140 dated events

    response = client.get("/en/")
    html = response.content.decode()
    assert response.context["approximate"]
    assert 'class="approximate" title="estimated from a sample of the events' in html and "≈" in html
    assert abs(response.context["total"] - exact) <= exact * 0.4  # an estimate, not any number
    assert "disabled" not in html.split('name="topic"')[1].split(">")[0]  # a 0 in a sample is not a 0

    deadline = time.monotonic() + 30
    while cache.get(facets._key(filtered_events(RequestFactory().get("/")), DataVersion.current())) is None:
        assert time.monotonic() < deadline, "the background count did not finish"
        time.sleep(0.2)
    response = client.get("/en/")
    assert not response.context["approximate"] and response.context["total"] == exact
    assert "≈" not in response.content.decode()
