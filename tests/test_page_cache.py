"""Whole pages cached under the data version (timeline/page_cache.py): a repeated view costs one query in the process
that served it (two in another: the version and the shared entry) and is byte for byte what the view renders; a
write, another language, another partial or another query is another page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_events
from timeline import page_cache
from timeline.models import Article, Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached_pages(settings):
    settings.PAGE_CACHE = True


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("url", ["/", "/?topic=trade&year_from=2001", "/?q=حدث", "/?page=2", "/en/?page=3"])
def test_a_repeated_view_is_the_same_page_for_two_queries(client, settings, url):
    make_events(130, start_year=2001)
    first, cold = get(client, url)
    again, warm = get(client, url)
    assert again.content == first.content
    assert warm == 1 < cold  # the data version: the page is in this process's memory
    page_cache.recent.clear()  # as another process meets it: the version and the shared cache entry
    elsewhere, shared = get(client, url)
    assert elsewhere.content == first.content and shared == 2
    settings.PAGE_CACHE = False
    assert client.get(url).content == first.content  # what the view renders now


def test_a_write_is_seen_at_once(client):
    events = make_events(3)
    before, _ = get(client, "/")
    Event.objects.filter(pk=events[0].pk).update(title="عنوان جديد بعد التعديل")
    after, queries = get(client, "/")
    assert "عنوان جديد بعد التعديل" in after.content.decode() and queries > 2
    page, _ = get(client, f"/en/events/{events[1].slug}/")
    assert "1 report" in page.content.decode()
    Article.objects.create(event=events[1], title="خبر ثان", raw_text="نص", body="نص", content_hash="second")
    again, _ = get(client, f"/en/events/{events[1].slug}/")
    assert "2 reports" in again.content.decode() and "خبر ثان" in again.content.decode()


def test_language_partials_and_headers_are_pages_of_their_own(client):
    make_events(120, start_year=2001)
    full, _ = get(client, "/?page=2")
    english, _ = get(client, "/en/?page=2")
    partial, _ = get(client, "/?page=2", HTTP_HX_REQUEST="true")
    page_only, _ = get(client, "/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="events-page")
    assert len({full.content, english.content, partial.content, page_only.content}) == 4
    for kept in (True, False):  # from this process's memory, then from the shared cache
        if not kept:
            page_cache.recent.clear()
        cached, queries = get(client, "/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="events-page")
        assert queries == (1 if kept else 2) and cached.content == page_only.content
        assert cached["HX-Push-Url"] == page_only["HX-Push-Url"] == "/?page=2"
        assert "HX-Target" in cached["Vary"] and "Content-Security-Policy" in cached
        assert cached["Content-Type"] == page_only["Content-Type"]


def make_large_view():
    """200 events, and the table's statistics as a real corpus has them: the ≈ path starts from the planner's
    estimate of the rows a count reads, and a table whose last (auto)analyze saw only the dead rows of earlier
    tests is estimated at a row or two, whatever it holds (which made these tests depend on the tests run before)."""
    make_events(200, start_year=2001)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timeline_event")


def test_estimated_counts_are_not_kept_as_the_page(client, settings):
    settings.FACETS_EXACT_ROWS = 10  # this view is estimated from a sample (≈)
    settings.FACETS_ESTIMATE_SECONDS = 0  # and its page not kept at all
    make_large_view()
    first, _ = get(client, "/?topic=trade")
    assert "≈" in first.content.decode()
    _, queries = get(client, "/?topic=trade")
    assert queries > 3  # not the estimate again (neither from the shared cache nor from this process's memory): counted (or estimated) anew


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_an_estimated_page_is_served_until_the_exact_counts_land_then_never(client, settings, headers):
    """While a large view's exact count runs, its ≈ page is served again without rendering (three queries: the version,
    the page's entries, whether the exact counts landed); the first request after they land renders the exact page."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from timeline import facets
    from timeline.filtering import filtered_events

    settings.FACETS_EXACT_ROWS = 10
    settings.FACETS_COUNT_IN_BACKGROUND = False  # the exact block lands only when this test puts it there
    settings.FACETS_ESTIMATE_SECONDS = 60
    make_large_view()
    first, _ = get(client, "/?topic=trade", **headers)
    assert "≈" in first.content.decode()
    for forget in (False, True):  # (whatever this process kept: the estimated page is never in its memory)
        if forget:
            page_cache.recent.clear()
        again, queries = get(client, "/?topic=trade", **headers)
        assert again.content == first.content and queries == 3
        assert again["Content-Type"] == first["Content-Type"] and again.get("HX-Push-Url") == first.get("HX-Push-Url")
    _, other = get(client, "/en/?topic=trade", **headers)
    assert other > 3  # another page of the same view: rendered (from the kept estimate)

    view = filtered_events(RequestFactory().get("/?topic=trade"))
    version = facets.DataVersion.current()
    cache.set(facets._key(view, version), facets.compute(view, version).pack())  # the exact count lands
    exact, queries = get(client, "/?topic=trade", **headers)
    assert "≈" not in exact.content.decode() and queries > 3
    cached, queries = get(client, "/?topic=trade", **headers)
    assert cached.content == exact.content and queries == 1


def test_an_estimated_page_served_while_nobody_counts_it_asks_for_the_count(client, settings, monkeypatch):
    """A ≈ page served from the cache by a process whose counting thread is idle, while no process counts the view
    (its count was asked for in a process busy with others, or dropped there), asks for it here."""
    from types import SimpleNamespace

    from timeline import facets

    settings.FACETS_EXACT_ROWS = 10
    settings.FACETS_ESTIMATE_SECONDS = 60
    asked = []
    monkeypatch.setattr(facets, "_count_later", lambda view, version, key: asked.append((view.query, key)))
    make_large_view()
    get(client, "/?topic=trade")
    assert len(asked) == 1  # by the first request, which estimated the view
    get(client, "/?topic=trade")
    assert [query for query, _ in asked] == ["topic=trade"] * 2 and asked[0][1] == asked[1][1]
    from django.core.cache import cache

    cache.set(asked[0][1] + facets.COUNTING, 1)  # another process counts it now
    get(client, "/?topic=trade")
    monkeypatch.setattr(facets, "_counter", SimpleNamespace(is_alive=lambda: True))  # this process's counter is busy
    cache.delete(asked[0][1] + facets.COUNTING)
    get(client, "/?topic=trade")
    assert len(asked) == 2


def test_an_estimate_is_kept_seconds_for_the_next_visitors_and_never_as_exact(settings):
    """While a large view's exact count runs, its estimate is read back (no new sample of the table), still ≈;
    once the exact block is cached it is what every request gets; with FACETS_ESTIMATE_SECONDS=0 each samples."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from timeline import facets
    from timeline.filtering import filtered_events

    settings.FACETS_EXACT_ROWS = 10
    settings.FACETS_COUNT_IN_BACKGROUND = False  # the exact block lands only when this test puts it there
    settings.FACETS_ESTIMATE_SECONDS = 60
    make_large_view()
    view = filtered_events(RequestFactory().get("/?topic=trade"))

    def block():
        with CaptureQueriesContext(connection) as queries:
            found = facets.facet_block(view)
        return found, [q["sql"] for q in queries]

    first, sampled = block()
    assert first.approximate and any("TABLESAMPLE" in sql for sql in sampled)
    again, read = block()
    assert again.approximate and not again.cached and again.total == first.total
    assert again.topic_counts == first.topic_counts and again.year_counts == first.year_counts
    assert not any("TABLESAMPLE" in sql or "EXPLAIN" in sql for sql in read)
    exact = facets.compute(view, again.version)
    cache.set(facets._key(view, again.version), exact.pack())
    counted, _ = block()
    assert counted.cached and not counted.approximate and counted.total == exact.total

    cache.clear()
    settings.FACETS_ESTIMATE_SECONDS = 0
    for _ in range(2):
        estimate, sampled = block()
        assert estimate.approximate and any("TABLESAMPLE" in sql for sql in sampled)


def test_a_missing_event_is_not_cached(client):
    assert client.get("/events/no-such-event/").status_code == 404
    make_events(1)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/events/no-such-event/").status_code == 404
    assert len(queries) > 2


def test_a_cached_page_costs_the_same_at_two_corpus_sizes(client):
    make_events(4)
    get(client, "/?topic=trade")
    _, small = get(client, "/?topic=trade")
    make_events(200, start_year=2001)
    get(client, "/?topic=trade")
    _, large = get(client, "/?topic=trade")
    assert small == large == 1


def test_an_editors_change_to_the_calendar_is_seen_at_once_on_the_axis(client):
    """The axis draws the reference calendar's meetings: a change there is a change of the cached page."""
    import datetime

    from timeline.models import MeetingSeries, ReferenceMeeting

    make_events(3, start_year=2024)
    url = "/en/?from=2024-07&to=2024-07"
    get(client, url)
    series = MeetingSeries.objects.create(slug="editors-forum", name_ar="منتدى المحررين", name_en="Editors' Forum",
                                          patterns=["منتدى المحررين"])
    meeting = ReferenceMeeting.objects.create(series=series, start=datetime.date(2024, 7, 10),
                                              end=datetime.date(2024, 7, 11), city_ar="ألماتي", city_en="Almaty")
    page, queries = get(client, url)
    assert "Editors&#x27; Forum" in page.content.decode() or "Editors' Forum" in page.content.decode()
    assert queries > 2
    ReferenceMeeting.objects.filter(pk=meeting.pk).update(city_en="Shymkent")
    page, _ = get(client, url)
    assert "Shymkent" in page.content.decode()


def test_background_counts_run_one_at_a_time_newest_first_and_a_crawler_cannot_pile_them_up(settings, monkeypatch):
    """Each process counts in one thread: a view asked for while another is counted waits (it is not skipped), the
    most recently asked for first; beyond FACETS_PENDING waiting views the one waiting longest is dropped."""
    import threading
    from types import SimpleNamespace

    from timeline import facets

    settings.FACETS_PENDING = 3
    release, started, counted = threading.Event(), threading.Event(), []

    def count(view, version, key, asked):
        counted.append((key, threading.current_thread().name))
        started.set()
        release.wait(10)

    monkeypatch.setattr(facets, "_count", count)
    monkeypatch.setattr(facets, "_pending", facets.OrderedDict())

    def ask(key):
        facets._count_later(SimpleNamespace(query=key), 1, key)

    ask("v1")
    assert started.wait(10)  # counted at once: the thread was idle
    thread = facets._counter
    for key in ("v2", "v3", "v4", "v5", "v3"):  # v2 waits longest: dropped; v3 asked for again: the newest
        ask(key)
    assert list(facets._pending) == ["v4", "v5", "v3"] and facets._counter is thread
    release.set()
    thread.join(10)
    assert [key for key, _ in counted] == ["v1", "v3", "v5", "v4"]
    assert {name for _, name in counted} == {"facets-count"} and facets._counter is None and not facets._pending
    settings.FACETS_COUNT_IN_BACKGROUND = False
    ask("v6")
    assert facets._counter is None and not facets._pending
