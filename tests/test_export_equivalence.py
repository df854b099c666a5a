"""The streamed exports (one query through a server-side cursor) give byte for byte what the old per-event code gave.

The old implementation (a prefetch per 500 events, each event's articles loaded whole) is kept here as the reference.
"""

import csv
import datetime
import json
import random

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.conftest import body_of
from timeline import exports
from timeline.extract.event_types import EVENT_TYPES
from timeline.extract.search import search_stems
from timeline.filtering import filtered_events
from timeline.models import Article, Entity, Event, Outlet, Topic

pytestmark = pytest.mark.django_db


# The reference: the code /events.csv and /events.json ran before the exports were streamed from one query.


def old_csv_row(event, url):
    claim = event.date_claim()
    outlets = dict.fromkeys(
        (a.outlet.name_en or a.outlet.name_ar) for a in event.articles.all() if a.outlet is not None
    )
    return [
        event.slug, url, event.title, claim["start"], claim["end"], claim["precision"], claim["method"],
        claim["evidence"], claim["confidence"], event.event_type, *EVENT_TYPES[event.event_type], ";".join(t.slug for t in event.topics.all()),
        ";".join(e.name_en for e in event.entities.all()), ";".join(outlets), len(event.articles.all()),
    ]


def old_listing(events):
    return events.prefetch_related(
        "topics", "entities", Prefetch("articles", queryset=Article.objects.select_related("outlet").order_by("pk"))
    )


def old_csv(request):
    events = old_listing(filtered_events(request).events)
    writer = csv.writer(exports.Echo())
    lines = ["\ufeff" + writer.writerow(exports.CSV_HEADER)]
    for event in events.iterator(chunk_size=7):
        lines.append(writer.writerow(old_csv_row(event, exports.permalink(request, event))))
    return "".join(lines).encode()


def old_event_json(request, event):
    return {
        "slug": event.slug,
        "title": event.title,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "date": event.date_claim(),
        "event_type": dict(zip(("code", "en", "ar"), (event.event_type, *EVENT_TYPES[event.event_type]))),
        "topics": [t.slug for t in event.topics.all()],
        "entities": [e.name_en for e in event.entities.all()],
        "articles": [
            {"title": a.title, "outlet": (a.outlet.name_en or a.outlet.name_ar) if a.outlet else None, "url": a.url or None}
            for a in event.articles.all()
        ],
    }


def old_json(request):
    view = filtered_events(request)
    events = view.events
    head = {"count": events.count(), "ignored": view.form.ignored}
    parts = [json.dumps(head, ensure_ascii=False)[:-1] + ', "events": [']
    for i, event in enumerate(old_listing(events).iterator(chunk_size=7)):
        parts.append(("," if i else "") + json.dumps(old_event_json(request, event), ensure_ascii=False))
    parts.append("]}")
    return "".join(parts).encode()


# A generated corpus with the awkward cases: no outlet, an outlet with no English name, no URL, no article,
# quotes, commas and line breaks in titles, confidences that round, shared dates (the id breaks ties).

AWKWARD_TITLES = ['عنوان "مقتبس", وفاصلة', "سطر\nوسطر آخر", "Tokayev; Xi & <b>co</b>", "الصين وكازاخستان", "،؛"]


def generated_corpus(n=120, seed=9):
    rng = random.Random(seed)
    topics = list(Topic.objects.all())
    outlets = [
        Outlet.objects.create(slug="gen-a", name_ar="وكالة أ", name_en="Agency A"),
        Outlet.objects.create(slug="gen-b", name_ar="وكالة ب", name_en=""),
        Outlet.objects.create(slug="gen-c", name_ar="وكالة ج", name_en="Agency C"),
    ]
    entities = [
        Entity.objects.create(slug=f"gen-e{i}", kind=kind, name_en=name, name_ar=f"كيان {i}")
        for i, (kind, name) in enumerate(
            [("person", "Zhang"), ("person", "Abai"), ("place", "Astana"), ("organisation", "SCO"), ("place", "Almaty")]
        )
    ]
    for i in range(n):
        start = datetime.date(2000 + rng.randrange(6), 1 + rng.randrange(12), 1 + rng.randrange(28))
        end = start + datetime.timedelta(days=rng.choice([0, 0, 2, 30]))
        title = rng.choice(AWKWARD_TITLES) + f" {i}"
        event = Event.objects.create(
            slug=f"gen-{i}", title=title, lead="نص", date_start=start, date_end=end,
            precision=rng.choice(["day", "month", "year"]), date_method=rng.choice(["dateline", "calendar"]),
            date_evidence=rng.choice(["", "أستانا 8 يونيو", 'قال "نعم"']),
            date_confidence=rng.choice([0.125, 0.955, 1.0, 0.3333333, 0.0]),
            event_type=rng.choice(list(EVENT_TYPES)),
            search_document=search_stems(title + " " + rng.choice(["الصين", "كازاخستان", "تجارة", ""])),
        )
        event.topics.set(rng.sample(topics, rng.randrange(min(4, len(topics)))))
        event.entities.set(rng.sample(entities, rng.randrange(4)))
        for j in range(rng.choice([0, 1, 1, 2, 4])):
            Article.objects.create(
                event=event, title=rng.choice(AWKWARD_TITLES), raw_text="نص طويل " * 50, body="نص طويل " * 50,
                outlet=rng.choice([*outlets, None]), url=rng.choice(["", f"https://example.com/{i}/{j}?a=1&b=2"]),
                content_hash=f"gen-{i}-{j}",
            )
    Event.objects.all().refresh_denormalised()  # the arrays the filters and exports read, as ingest writes them


@pytest.mark.parametrize(
    "query", ["", "topic=trade", "year_from=2002&year_to=2003", "q=الصين", "q=كازاخستان&exact=1", "outlet=gen-b",
              "entity=gen-e2", "year=abc"],
)
def test_streamed_exports_are_byte_identical_to_the_old_ones(client, db, query):
    generated_corpus()
    request = RequestFactory().get(f"/events.csv?{query}")
    new_csv = body_of(client.get(f"/events.csv?{query}"))
    assert new_csv == old_csv(request)
    assert len(new_csv.splitlines()) > 1 or query == "entity=gen-e2"
    request = RequestFactory().get(f"/events.json?{query}")
    new_json = body_of(client.get(f"/events.json?{query}"))
    assert new_json == old_json(request)
    assert json.loads(new_json)["count"] == len(json.loads(new_json)["events"])


def test_exports_read_no_article_text_and_run_one_query_for_the_rows(client, db):
    generated_corpus(30)
    for url in ("/events.csv", "/events.json"):
        with CaptureQueriesContext(connection) as queries:
            body_of(client.get(url))
        sql = " ".join(q["sql"] for q in queries)
        assert '"body"' not in sql and '"raw_text"' not in sql
        assert sum("timeline_article" in q["sql"] for q in queries) == 1


def test_a_streamed_export_has_no_length_and_says_how_many_events_it_holds(client, db):
    generated_corpus(30)
    for url in ("/events.csv", "/events.json"):
        response = client.get(url)
        assert response.streaming and not response.has_header("Content-Length")
        assert response["X-Event-Count"] == "30"
    body = body_of(client.get("/events.json"))
    for cut in (len(body) // 3, len(body) - 1):
        with pytest.raises(ValueError):
            json.loads(body[:cut])


def test_text_written_before_its_cleaning_is_escaped_and_quoted_as_before(client, db):
    """PostgreSQL writes the JSON text now: every character json.dumps escapes (quotes, backslashes, control
    characters) or leaves alone (U+2028, DEL, emoji), and every one csv quotes, must come out the same."""
    generated_corpus(12)
    # (and %: the JSON's article text gets its outlet names with Python's % operator)
    awkward = 'a "b" \\c\td\re\nf\x01g\x1fh\x7fi\u2028j😀k,l;m %s %% %(x)s%'
    # update() bypasses the cleaning of save(): text stored before it, or by raw SQL
    Event.objects.filter(slug__in=["gen-1", "gen-2"]).update(title=awkward, date_evidence=awkward + "!")
    Article.objects.filter(event__slug__in=["gen-1", "gen-3"]).update(title=awkward,
                                                                     url="https://e.x/\\\"?q=1,2&p=%(-)s%25")
    Entity.objects.filter(slug="gen-e2").update(name_en="Astana, \"city\"\t\\")
    Outlet.objects.filter(slug="gen-a").update(name_en='Agency "A", \\ltd\x02 %s%')
    Event.objects.filter(slug="gen-4").update(date_confidence=0.005)  # rounds to 0.01 or 0.0 by its binary value
    request = RequestFactory().get("/events.csv")
    assert body_of(client.get("/events.csv")) == old_csv(request)
    request = RequestFactory().get("/events.json")
    body = body_of(client.get("/events.json"))
    assert body == old_json(request)
    assert sum(e["title"] == awkward for e in json.loads(body)["events"]) == 2
