"""Public requests never fail: any query string, any stored text, any method a browser or a monitor sends."""

import re
import xml.etree.ElementTree as ET

import icalendar
import pytest

from tests.conftest import body_of, json_of, make_events
from timeline.models import Article, Event

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LISTINGS = ["/", "/en/", "/events.csv", "/events.atom", "/events.ics", "/events.json"]
# Control characters a stored title or lead may hold (pasted from a word processor, a PDF, a terminal).
CONTROL_TITLE = "زيارة\x0bدولة\x01 إلى\x08 أستانا\x1f"
CONTROL_LEAD = "وصل الرئيس\x0c إلى أستانا\x02 اليوم\x7f."


@pytest.fixture
def event(db):
    return make_events(3)[0]


def event_pages(event):
    return [f"/events/{event.slug}/", f"/en/events/{event.slug}/"]


# 1. A NUL byte (or another control character) in any query-string value never reaches PostgreSQL.


@pytest.mark.parametrize("query", ["entity=%00", "outlet=%00", "entity=a%00b", "outlet=x%00&entity=y%01",
                                   "q=a%00b", "topic=%00", "year=20%0024", "page=1%00", "exact=%00"])
def test_a_control_character_in_any_filter_is_never_a_500(client, event, query):
    for url in [*LISTINGS, *event_pages(event)]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, url
        assert body_of(response), url


def test_a_value_with_a_nul_byte_is_ignored_and_listed_and_the_other_filters_still_apply(client, event):
    topic = event.topics.get().slug
    shown = {e.slug for e in Event.objects.filter(topics__slug=topic)}
    data = json_of(client.get(f"/events.json?entity=a%00b&outlet=%00&topic={topic}"))
    assert {e["slug"] for e in data["events"]} == shown
    assert len(data["ignored"]) == 2
    assert any("entity" in message for message in data["ignored"])
    assert any("outlet" in message for message in data["ignored"])

    html = client.get(f"/en/?entity=a%00b&topic={topic}").content.decode()
    assert "Some filters were ignored" in html
    assert "\x00" not in html  # the listed value shows where the NUL was, without the byte itself
    assert "a\ufffdb" in html


def test_a_filter_value_that_cannot_be_a_slug_is_listed_as_unknown_without_a_query(client, event):
    data = json_of(client.get("/events.json?entity=" + "%E2%80%AE" * 3 + "&outlet=a%20b"))
    assert data["count"] == 3
    assert len(data["ignored"]) == 2


# 2. Stored text can never break a feed.


@pytest.fixture
def event_with_control_characters(event):
    Event.objects.filter(pk=event.pk).update(title=CONTROL_TITLE, lead=CONTROL_LEAD)
    Article.objects.filter(event=event).update(title=CONTROL_TITLE)
    event.refresh_from_db()
    return event


def test_control_characters_in_a_stored_title_never_break_the_atom_feed(client, event_with_control_characters):
    response = client.get("/events.atom")
    assert response.status_code == 200
    entries = ET.fromstring(body_of(response)).findall(f"{ATOM}entry")
    assert len(entries) == 3
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert "زيارة دولة إلى أستانا" in titles  # a vertical tab reads as a space, the rest is dropped
    summaries = [entry.find(f"{ATOM}summary").text for entry in entries]
    assert "وصل الرئيس  إلى أستانا اليوم." in summaries


def test_control_characters_in_a_stored_title_stay_out_of_the_calendar(client, event_with_control_characters):
    raw = body_of(client.get("/events.ics"))
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", raw)  # RFC 5545 text holds no control characters
    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")]
    assert "زيارة دولة إلى أستانا" in summaries


# 3. What made Django's debug page itself fail is a 4xx with a message, with DEBUG on or off.


@pytest.mark.parametrize("debug", [True, False])
def test_a_post_to_a_page_address_without_its_slash_is_a_404_with_a_message(client, settings, db, debug):
    settings.DEBUG = debug
    response = client.post("/en")
    assert response.status_code == 404
    message = "No page at this address accepts POST: the page's address ends with a slash, /en/\n"
    assert response.content.decode() == message
    assert client.get("/en").status_code == 301  # a browser's GET still finds the page


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("url", ["/", "/en/", "/events.csv", "/events.json", "/healthz", "/no-such-page"])
def test_more_than_a_thousand_query_parameters_is_a_400_with_a_message(client, settings, db, debug, url):
    settings.DEBUG = debug
    query = "&".join(f"topic=t{i}" for i in range(1001))
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    # The message is in the language of the address: English under /en/, Arabic everywhere else.
    assert ("1000 parameters" if url.startswith("/en/") else "أكثر من 1000 معامل") in response.content.decode()
    assert client.get("/?" + "&".join(f"topic=t{i}" for i in range(999))).status_code == 200


# 12. HEAD wherever GET works.


def test_head_answers_wherever_get_does(client, event):
    urls = [*LISTINGS, *event_pages(event), f"/events/{event.slug}/cite.json", f"/events/{event.slug}/cite.bib",
            "/healthz", "/admin/login/", "/?topic=trade&page=2"]
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert not body_of(head), url
        assert head["Content-Type"] == get["Content-Type"], url
    assert client.head("/events/no-such-event/").status_code == 404
    assert client.post("/events.csv").status_code == 405
