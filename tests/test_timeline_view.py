"""The timeline page, its htmx partial, the event page and /events.json."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import body_of, json_of, make_events
from timeline.models import Event

pytestmark = pytest.mark.django_db


def test_timeline_shows_four_events_grouped_by_year_oldest_first(client, ingested):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    positions = [html.index(f'id="year-{y}"') for y in (2017, 2022, 2024, 2025)]
    assert positions == sorted(positions)
    assert "يوليو 2024" in html and "8 يونيو 2017" in html and "17 يونيو 2025" in html
    assert "1 يوليو 2024" not in html  # month precision: no invented day
    assert html.count('class="event"') == 4
    assert "شينخوا" in html and "جفرا نيوز" in html


def test_year_filter_single_and_range(client, ingested):
    assert client.get("/?year=2024").content.decode().count('class="event"') == 1
    html = client.get("/?year_from=2022&year_to=2024").content.decode()
    assert html.count('class="event"') == 2 and 'id="year-2017"' not in html
    # reversed range is read the way it was meant
    assert client.get("/?year_from=2024&year_to=2022").content.decode().count('class="event"') == 2


def test_topic_filter_combines_with_years_and_shows_counts(client, ingested):
    html = client.get("/?topic=health").content.decode()
    assert html.count('class="event"') == 1
    html = client.get("/?topic=health&topic=agriculture").content.decode()
    assert html.count('class="event"') == 2
    html = client.get("/?topic=security&year_from=2024").content.decode()
    assert html.count('class="event"') == 2
    assert 'value="security" checked' in html
    assert "(2)" in html  # counts beside each choice, within the chosen years


def test_htmx_request_gets_the_partial_and_a_plain_request_the_page(client, ingested):
    partial = client.get("/?topic=security", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body and 'id="timeline"' in body and body.count('class="event"') == 3
    assert "HX-Request" in partial["Vary"]
    assert partial["HX-Push-Url"] == "/?topic=security"
    history = client.get("/?topic=security", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in history.content.decode()


@pytest.mark.parametrize(
    "query",
    ["year=abc", "year=99999", "topic=unknown", "year=&topic=", "year=2017&year=2024&year=x",
     "year_from=abc&year_to=" + "9" * 5000, "topic=" + "x" * 5000, "year_from=-1", "topic=energy&topic=energy"],
)
def test_bad_parameters_never_fail(client, ingested, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    assert client.get(f"/events.json?{query}").status_code == 200


def test_ignored_parameters_are_reported(client, ingested):
    html = client.get("/?year=abc&topic=unknown").content.decode()
    assert "abc" in html and "unknown" in html
    assert html.count('class="event"') == 4
    data = json_of(client.get("/events.json?topic=unknown"))
    assert data["ignored"] and data["count"] == 4


def test_repeated_years_mean_the_range_they_span(client, ingested):
    assert client.get("/?year=2017&year=2022").content.decode().count('class="event"') == 2


def test_events_json_follows_the_page_filters(client, ingested):
    data = json_of(client.get("/events.json?year=2024"))
    assert data["count"] == 1
    event = data["events"][0]
    assert event["date"]["start"] == "2024-07-01" and event["date"]["precision"] == "month"
    assert event["date"]["method"] == "calendar" and event["date"]["evidence"]
    assert len(event["articles"]) == 2
    assert {a["outlet"] for a in event["articles"]} == {"Al-Wahda", "Jfra News"}
    assert "trade" in event["topics"]


def test_event_page_shows_every_article_with_its_date_evidence_and_topic_words(client, ingested):
    event = Event.objects.get(date_start__year=2024)
    html = client.get(f"/events/{event.slug}/").content.decode()
    assert html.count('class="article"') == 2
    assert "كيف عرفنا هذا التاريخ" in html
    assert "قمّة منظمة شنغهاي" in html  # the words of evidence
    assert "الوحدة" in html and "جفرا نيوز" in html
    assert "Exit mobile version" not in html
    assert "المواضيع والكلمات التي دلت عليها" in html


def test_unknown_event_is_a_404_not_a_500(client, ingested):
    assert client.get("/events/no-such-event/").status_code == 404


def test_english_interface_is_left_to_right_and_keeps_article_text(client, ingested):
    html = client.get("/en/?year=2024").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "July 2024" in html and "Topics" in html
    assert "زيارة تاريخية" in html  # article text stays Arabic
    assert 'href="/?year_from=2024&amp;year_to=2024"' in html or 'href="/?year=2024"' in html  # switch keeps filters


def test_article_text_is_escaped(client, db):
    from timeline.ingest import ingest_text

    ingest_text("عنوان فيه <script>alert(1)</script>\n\nبكين 3 يوليو 2024 (كونا) -- نص الخبر.")
    event = Event.objects.get()
    html = client.get(f"/events/{event.slug}/").content.decode() + client.get("/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("url", ["/", "/?topic=trade&year_from=2001", "/events.json", "/events.json?topic=diplomacy"])
def test_query_count_does_not_grow_with_the_corpus(client, db, url):
    make_events(4)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
        assert response.status_code == 200
        body_of(response)  # a streamed body runs its queries while it is read
    make_events(200, start_year=2001)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, HTTP_HX_REQUEST="true") if url == "/" else client.get(url)
        assert response.status_code == 200
        body_of(response)
    with CaptureQueriesContext(connection) as cached:  # nothing written since: the facets come from the cache
        response = client.get(url, HTTP_HX_REQUEST="true") if url == "/" else client.get(url)
        body_of(response)
    # A write in between: the facet pass (1 query), what every view shares (4), the cache's reads and writes
    # (with the database cache: 1 per read, 5 per write), the page, 3 prefetches.
    assert len(small) == len(large) <= 22
    assert len(cached) <= 10 if not url.startswith("/events.json") else len(cached) == len(large)


def test_events_json_streams(client, ingested):
    response = client.get("/events.json")
    assert response.streaming and response["Content-Type"] == "application/json"
    assert json_of(client.get("/events.json"))["count"] == 4


def test_event_page_query_count_is_fixed(client, db):
    from timeline.models import Article

    events = make_events(3)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/events/{events[0].slug}/")
    for i in range(30):
        Article.objects.create(event=events[0], title=f"خبر {i}", raw_text="نص", body="نص", content_hash=f"x{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/events/{events[0].slug}/")
    assert len(one) == len(many) <= 9  # event, topics, entities, articles, their topics and entities, filters, prev, next


def test_health_endpoint(client, db):
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.parametrize("query", ["year=²", "year=٢٠٢٤", "year_from=²&year_to=٣", "entity=" + "x" * 3000])
def test_unicode_digits_are_not_years_and_never_fail(client, ingested, query):
    assert client.get(f"/?{query}").status_code == 200
    assert client.get(f"/events.json?{query}").status_code == 200
