"""Issue 10: the event type as a facet with counts, a filter (?type=), export columns and a data-dictionary entry;
the filters' drawer and skip link as the server renders them; no "(0)" for an entity of undated events only."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from django.test.utils import CaptureQueriesContext

from tests.conftest import body_of, json_of, make_events
from timeline.models import Entity, Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language_after():
    """A request to /en/ leaves English active in this thread: the next test module must not start in it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def typed_events(n=12):
    """n dated events (make_events), typed in turn: talks, talks, summit, phone_call, talks, talks, summit, …"""
    events = make_events(n)
    cycle = ["talks", "talks", "summit", "phone_call"]
    for i, event in enumerate(Event.objects.order_by("slug")):
        Event.objects.filter(pk=event.pk).update(event_type=cycle[i % 4])
    return events


def option(html, name, slug):
    """The label of a facet option: its name and count, as the page shows them (tags removed)."""
    match = re.search(rf'id="{name}-{slug}"[^>]*>\s*<label for="{name}-{slug}">(.*?)</label>', html, re.S)
    return match and re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_event_types_are_a_facet_with_counts_in_both_languages(client, db):
    typed_events(12)
    html = client.get("/en/").content.decode()
    assert "<legend>Event types</legend>" in html
    assert option(html, "type", "talks") == "Talks (6)"
    assert option(html, "type", "summit") == "Summit (3)"
    assert option(html, "type", "phone_call") == "Phone call (3)"
    assert option(html, "type", "state_visit") is None  # a type no event of the view has is not offered
    arabic = client.get("/").content.decode()
    assert "<legend>أنواع الأحداث</legend>" in arabic
    assert option(arabic, "type", "talks") == "محادثات (6)"


def test_the_type_filter_narrows_the_list_and_every_other_facet_but_not_its_own(client, db):
    typed_events(12)
    response = client.get("/en/?type=summit")
    assert response.context["total"] == 3
    assert {e.event_type for e in response.context["events"]} == {"summit"}
    html = response.content.decode()
    assert 'id="type-summit" value="summit" checked' in html
    assert option(html, "type", "talks") == "Talks (6)"  # counted without the type filter: still choosable
    assert sum(n for _, n, _ in response.context["outlet_options"]) == 3  # the outlet counts are the summits'
    # two types: either of them (as topics and outlets combine)
    assert json_of(client.get("/events.json?type=summit&type=phone_call"))["count"] == 6
    # combined with another filter
    year = Event.objects.filter(event_type="summit").order_by("date_start").first().date_start.year
    both = json_of(client.get(f"/events.json?type=summit&year={year}"))
    assert both["count"] == Event.objects.filter(event_type="summit", date_start__year=year).count() >= 1


def test_the_type_filter_is_a_chip_in_the_canonical_url_and_in_the_drawers_summary(client, db):
    typed_events(8)
    response = client.get("/en/?type=phone_call&type=talks&year=2001")
    # the address the page pushes and links to: types in the list's order, after the topics
    assert response.context["query"] == "year_from=2001&year_to=2001&type=talks&type=phone_call"
    html = response.content.decode()
    chips = re.findall(r'<a class="chip" href="\?([^"]*)"', html)
    assert "year_from=2001&amp;year_to=2001&amp;type=talks" in chips  # removing "Phone call" keeps the rest
    summary = re.sub(r"<[^>]+>", "", re.search(r'<summary id="filters-toggle">(.*?)</summary>', html, re.S).group(1))
    assert " ".join(summary.split()) == "Filters 3 filters: 2001, Talks, Phone call"


def test_an_unknown_type_is_reported_and_ignored_never_an_error(client, db):
    typed_events(4)
    response = client.get("/en/?type=invasion&type=talks&type=%00x")
    assert response.status_code == 200
    assert response.context["total"] == 2
    assert any("unknown event type: invasion" in message for message in response.context["ignored"])
    exported = json_of(client.get("/events.json?type=invasion"))
    assert exported["count"] == 4 and exported["ignored"]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_type_facet_and_filter_cost_a_fixed_number_of_queries(client, db):
    from timeline.search import synonyms

    typed_events(8)
    synonyms()
    url = "/?type=talks&topic=diplomacy&year_from=2000"
    small_cold, small_cached = queries(client, url), queries(client, url)
    typed_events(240)  # a write: the next request counts again
    large_cold, large_cached = queries(client, url), queries(client, url)
    assert small_cold == large_cold and small_cached == large_cached < small_cold


def test_the_type_filter_reads_a_page_from_its_index(db):
    """?type= with the timeline's order is served by event_type_chronology (index-only: no event row is read)."""
    from django.test import RequestFactory

    from timeline.filtering import filtered_events

    typed_events(40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timeline_event")
    view = filtered_events(RequestFactory().get("/", {"type": "phone_call"}))
    ids = view.events.values("pk")[:50]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        # (40 rows: the planner would rightly read the table, or a bitmap of it; at 100k it takes the index itself)
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using event_type_chronology" in plan, plan
    assert "Sort" not in plan, plan  # the index gives the order


def test_exports_carry_the_event_type_code_and_both_labels(client, db):
    typed_events(4)
    rows = list(csv.DictReader(io.StringIO(body_of(client.get("/events.csv")).decode("utf-8-sig"))))
    assert [(r["event_type"], r["event_type_en"], r["event_type_ar"]) for r in rows][:3] == [
        ("talks", "Talks", "محادثات"), ("talks", "Talks", "محادثات"), ("summit", "Summit", "قمة"),
    ]
    events = json_of(client.get("/events.json?type=phone_call"))["events"]
    assert [e["event_type"] for e in events] == [{"code": "phone_call", "en": "Phone call", "ar": "اتصال هاتفي"}]


def test_about_documents_the_type_columns_and_lists_every_type(client, db):
    from timeline.extract.event_types import EVENT_TYPES

    for prefix in ("", "/en"):
        html = client.get(prefix + "/about/").content.decode()
        for column in ("event_type", "event_type_en", "event_type_ar", "events[].event_type"):
            assert f'<code dir="ltr">{column}</code>' in html
        table = html.split('id="event-types"')[1].split("</table>")[0]
        for code, (english, arabic) in EVENT_TYPES.items():
            assert f'<code dir="ltr">{code}</code>' in table and english in table and arabic in table


def test_an_entity_named_only_by_undated_events_is_not_offered_with_zero(client, db):
    """Issue 10, "Smaller": an undated event's people appeared in the public people facet as "(0)"."""
    make_events(3)
    dated = Entity.objects.filter(kind="person").order_by("slug")[0]
    undated_only = Entity.objects.filter(kind="person").order_by("slug")[1]
    for event in Event.objects.all():
        event.entities.add(dated)
    waiting = Event.objects.create(slug="undated-1", title="خبر بلا تاريخ")  # in the review queue, not listed
    waiting.entities.add(undated_only, dated)
    Event.objects.all().refresh_denormalised()

    for prefix in ("", "/en"):
        response = client.get(prefix + "/")
        people = dict((item.slug, n) for item, n, _ in response.context["entity_facets"]["person"])
        assert people == {dated.slug: 3}
        html = response.content.decode()
        assert f'id="entity-{undated_only.slug}"' not in html
        people_html = re.search(r"<fieldset>\s*<legend>(People|الأشخاص)</legend>(.*?)</fieldset>", html, re.S).group(2)
        assert "(0)" not in people_html
    # Chosen through its address, it is still shown (checked, with its count) so that it can be removed.
    response = client.get(f"/en/?entity={undated_only.slug}")
    assert [(i.slug, n, chosen) for i, n, chosen in response.context["entity_facets"]["person"]
            if i.slug == undated_only.slug] == [(undated_only.slug, 0, True)]


def test_filters_are_a_drawer_closed_at_first_and_kept_open_by_a_swap_from_inside_it(client, db):
    make_events(3)
    html = client.get("/en/").content.decode()
    drawer = re.search(r'<details class="filters-drawer" id="filters-drawer"( open)?>\s*<summary id="filters-toggle">', html)
    assert drawer and drawer.group(1) is None
    assert html.index('id="filters-drawer"') < html.index('<form class="filters"') < html.index("</details>")
    assert "none chosen" in html
    # htmx: a box ticked in the drawer (the form triggers) keeps it open; a chip outside it does not open it
    inside = client.get("/en/?topic=diplomacy", headers={"HX-Request": "true", "HX-Target": "timeline",
                                                          "HX-Trigger": "filters"}).content.decode()
    assert '<details class="filters-drawer" id="filters-drawer" open>' in inside
    outside = client.get("/en/", headers={"HX-Request": "true", "HX-Target": "timeline"}).content.decode()
    assert '<details class="filters-drawer" id="filters-drawer">' in outside


def test_the_skip_link_is_the_first_link_and_leads_to_the_events(client, db):
    make_events(2)
    for prefix, label in (("", "انتقل إلى الأحداث"), ("/en", "Skip to events")):
        html = client.get(prefix + "/").content.decode()
        body = html.split("<body>")[1]
        first_link = re.search(r"<a [^>]*>[^<]*</a>", body).group(0)
        assert first_link == f'<a class="skip" href="#events-page">{label}</a>'
        assert body.index('id="events-page"') < body.index('class="event"')
    # other pages keep the skip to their content
    assert '<a class="skip" href="#main">' in client.get("/en/about/").content.decode()
