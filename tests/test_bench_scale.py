"""The scale benchmark's generator (bench/scale.py) keeps writing rows the app can serve and would itself store.

A few dozen events are generated with the benchmark's own code (Generator, write: the COPY it uses for 100k) into
the test database; the listing, a filtered view, an event page and the export must answer with the counts the
generated rows imply, and ingest.refresh_event must find nothing to change in a generated event (every derived
column: date, type, composed headlines, search document, filter arrays). A schema change that the generator
does not follow fails here, not in the middle of a 40-minute build.
"""

import re

import pytest
from django.db import connection

from bench.corpus import Composer
from bench.scale import Generator, reset_sequences, write
from tests.conftest import json_of
from timeline import ingest
from timeline.models import Event, EventSlug, Topic

pytestmark = pytest.mark.django_db

EVENTS = 30
DERIVED = (
    "title", "lead", "date_start", "date_end", "precision", "date_method", "date_evidence", "date_confidence",
    "needs_review", "machine_date", "event_type", "composed_headline_ar", "composed_headline_en", "title_poor",
    "search_document", "topic_ids", "entity_ids", "outlet_ids",
)


@pytest.fixture(scope="module")
def composer():
    """A small sentence bank (a few fills per template: the benchmark uses 40), made once for the module."""
    from timeline.reference import fixture_knowledge, read_fixture

    return Composer(fixture_knowledge(), read_fixture("entities.json"), read_fixture("outlets.json"), seed=3, fills=3)


@pytest.fixture
def generated(db, composer):
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY, as the benchmark writes
        generator = Generator(raw, composer=composer)
        write(raw, generator.chunk(EVENTS))
        reset_sequences(raw)
    return generator


def result_count(html):
    return int(re.search(r'id="result-count-link">(?:<abbr[^>]*>≈</abbr>)?(\d+)', html).group(1))


def test_generated_events_are_served_with_their_counts(client, generated):
    assert Event.objects.count() == EVENTS
    dated = Event.objects.filter(date_start__isnull=False).count()
    listing = client.get("/")
    assert listing.status_code == 200
    assert result_count(listing.content.decode()) == dated
    assert json_of(client.get("/events.json"))["count"] == dated

    # a topic's facet count is the number of dated events carrying it, and following it shows as many
    topic = Topic.objects.get(pk=Event.objects.exclude(topic_ids=[]).values_list("topic_ids", flat=True)[0][0])
    expected = Event.objects.filter(date_start__isnull=False, topic_ids__contains=[topic.pk]).count()
    option = re.search(rf'id="topic-{topic.slug}".*?<span class="count">\((\d+)\)', listing.content.decode(), re.S)
    assert int(option.group(1)) == expected
    filtered = client.get(f"/?topic={topic.slug}")
    assert filtered.status_code == 200 and result_count(filtered.content.decode()) == expected

    event = Event.objects.filter(date_start__isnull=False).order_by("?").first()
    page = client.get(f"/en/events/{event.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    reports = event.articles.count()
    assert (f"{reports} reports" if reports > 1 else "1 report") in html
    assert event.headline("en") in html.replace("&#x27;", "'")


def test_generated_events_are_what_ingest_would_store(generated):
    events = list(Event.objects.order_by("pk"))
    assert all(re.fullmatch(r"ev-[0-9a-f]{10}(-\d+)?", e.slug) for e in events)
    assert set(EventSlug.objects.values_list("slug", flat=True)) == {e.slug for e in events}
    assert {e.event_type for e in events} - {"other"}  # the classifier ran: not every event is "other"
    assert all(e.composed_headline_en for e in events)
    for event in events[:10]:
        before = {field: getattr(event, field) for field in DERIVED}
        ingest.refresh_event(event)
        event.refresh_from_db()
        assert {field: getattr(event, field) for field in DERIVED} == before, event.slug
