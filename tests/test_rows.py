"""The timeline's rows rendered once per content (timeline/rows.py): a later page renders only the rows whose content
changed, and what it shows is exactly what rendering every row afresh shows, whatever was written in between."""

import pytest
from django.db.models import F

from tests.conftest import make_events
from timeline import fragments, page_cache
from timeline.models import Event, Outlet, Topic
from timeline.rows import ROW_PARTIAL

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_memo():
    fragments.memo.clear()
    yield
    fragments.memo.clear()


def rows_kept():
    return {key for key in fragments.memo.entries if key[0] == ROW_PARTIAL}


def page(client, url="/", **headers):
    """(HTML, rows rendered for it), checked against the same page with every row rendered afresh."""
    before = rows_kept()
    html = client.get(url, **headers).content.decode()
    rendered = len(rows_kept() - before)
    kept = dict(fragments.memo.entries)
    fragments.memo.clear()
    assert client.get(url, **headers).content.decode() == html  # nothing the memo gave differs from a fresh row
    fragments.memo.entries.update(kept)
    return html, rendered


@pytest.mark.parametrize("cached", [False, True])
def test_a_write_re_renders_only_the_rows_it_changed(client, settings, cached):
    settings.PAGE_CACHE = cached  # the first request after a write meets a new data version either way
    events = make_events(12, start_year=2001)
    html, rendered = page(client)
    assert rendered == 12 and "حدث رقم 3" in html
    html, rendered = page(client)
    assert rendered == 0  # a repeated page: every row from the memo (or the whole page from the page cache)

    event = Event.objects.get(pk=events[3].pk)
    event.headline_ar = "عنوان المحرر الجديد"
    event.save()
    page_cache.recent.clear()  # as another process would meet it: nothing but the rows' memo is kept
    html, rendered = page(client)
    assert rendered == 1 and "عنوان المحرر الجديد" in html and "حدث رقم 3<" not in html

    # a rename writes no event, yet changes the rows that show the name
    topic = events[5].topics.first()
    showing = Event.objects.filter(topics=topic).count()
    Topic.objects.filter(pk=topic.pk).update(name_ar="موضوع بعد إعادة التسمية")
    html, rendered = page(client)
    assert rendered == showing and html.count("<li>موضوع بعد إعادة التسمية</li>") == showing
    Outlet.objects.filter(slug="bulk-12").update(name_ar="وكالة بعد التعديل")
    html, rendered = page(client)
    assert rendered == 12 and html.count('<bdi class="outlet">وكالة بعد التعديل</bdi>') == 12


def test_rows_depend_on_the_language_the_filters_and_the_search(client):
    make_events(6, start_year=2001)
    Event.objects.update(search_document=F("title"))  # what ingest indexes (make_events leaves it empty)
    _, rendered = page(client)
    assert rendered == 6
    english, rendered = page(client, "/en/")
    assert rendered == 6 and "Topics" in english  # the list's labels in English, its links under /en/
    assert 'href="/en/events/bulk-6-0/"' in english
    filtered, rendered = page(client, "/?year_from=2001")
    assert rendered > 0 and 'href="/events/bulk-6-0/?year_from=2001"' in filtered  # the link keeps the filters
    found, rendered = page(client, "/?q=حدث")
    assert rendered == 6 and "<mark" in found  # the search passage is part of the row
    partial, rendered = page(client, "/", HTTP_HX_REQUEST="true")
    assert rendered == 0  # the same rows as the full page


def test_an_event_title_is_escaped_in_its_row(client):
    events = make_events(1, start_year=2001)
    Event.objects.filter(pk=events[0].pk).update(title="<script>alert(1)</script>")
    html, _ = page(client)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_search_passage_follows_its_text(client):
    from timeline import highlight
    from timeline.models import Article

    highlight.passages.clear()
    events = make_events(3, start_year=2001)
    Event.objects.update(search_document=F("title"), lead="")
    html, _ = page(client, "/?q=حدث")
    assert '<mark class="q">حدث</mark> رقم 1' in html
    Article.objects.filter(event=events[1]).update(body="في نص آخر تماما: حدث جديد في أستانا")
    html, _ = page(client, "/?q=حدث")
    assert '<mark class="q">حدث</mark> جديد في أستانا' in html and '<mark class="q">حدث</mark> رقم 1' not in html
    assert '<mark class="q">حدث</mark> رقم 2' in html  # the others' passages as they were
    highlight.passages.clear()


def test_a_part_is_keyed_by_plain_values_only(client):
    """A model instance compares equal by its primary key alone: as part of a key it would let a renamed object's
    old HTML be served, so it is refused."""
    events = make_events(1, start_year=2001)
    with pytest.raises(TypeError):
        fragments.key_of(ROW_PARTIAL, {"row": (events[0],)})
    assert fragments.key_of(ROW_PARTIAL, {"row": ("a", 1, None, (True, 2.5))})
