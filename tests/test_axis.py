"""The time axis above the timeline (issue 10): windows as URLs, density and events drawn to scale, its budgets."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import json_of, make_events
from timeline.axis import EVENT_LIMIT, MAX_NODES, MEETING_LIMIT
from timeline.forms import parse_period
from timeline.models import Event

pytestmark = pytest.mark.django_db

NODE_CAP = MAX_NODES  # elements inside the axis's figure, whatever the corpus and the zoom level


def axis_of(html):
    start = html.index('<figure class="axis"')
    return html[start:html.index("</figure>", start)]


def nodes(html):
    return len(re.findall(r"<[a-zA-Z]", axis_of(html)))


def listed(html):
    return html.count('class="event"')


def bar_labels(html):
    return re.findall(r'<a href="[^"]*" id="axis-[^"]*"[^>]*aria-label="([^"]*)"', axis_of(html))


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("raw, expected", [
    ("2024", (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))),
    ("2024-06", (datetime.date(2024, 6, 1), datetime.date(2024, 6, 30))),
    ("2024-02", (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))),
    ("2025-06-17", (datetime.date(2025, 6, 17), datetime.date(2025, 6, 17))),
    (" 2017 ", (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))),
])
def test_a_period_is_a_year_a_month_or_a_day(raw, expected):
    assert parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "24", "2024-6", "2024-13", "2023-02-29", "2024-06-31", "1899", "2101",
                                 "٢٠٢٤", "2024/06", "2024-06-17T00:00", "²⁰²⁴"])
def test_anything_else_is_not_a_period(raw):
    assert parse_period(raw) is None


def test_the_whole_span_has_every_year_empty_ones_included(client, ingested):
    html = get(client, "/en/")
    labels = bar_labels(html)
    assert labels == [f"{year}: {n} event{'s' if n != 1 else ''}"
                      for year, n in [(2017, 1), (2018, 0), (2019, 0), (2020, 0), (2021, 0), (2022, 1), (2023, 0),
                                      (2024, 1), (2025, 1)]]
    assert listed(html) == 4
    # the decades, reachable by plain links
    assert 'href="?from=2010&amp;to=2019"' in html and 'href="?from=2020&amp;to=2029"' in html


def test_arabic_names_use_the_plural_forms(client, ingested):
    labels = bar_labels(get(client, "/"))
    assert "2017: حدث واحد" in labels and "2018: 0 أحداث" in labels


def test_each_zoom_level_is_a_url_and_the_list_shows_its_window(client, ingested):
    assert listed(get(client, "/?from=2020&to=2029")) == 3  # a decade
    year = get(client, "/en/?from=2024&to=2024")
    assert listed(year) == 1 and "July 2024: 1 event" in bar_labels(year) and len(bar_labels(year)) == 12
    month = get(client, "/en/?from=2022-06&to=2022-06")
    assert listed(month) == 1 and len(bar_labels(month)) == 30 and "7 June 2022: 1 event" in bar_labels(month)
    day = get(client, "/en/?from=2022-06-07&to=2022-06-07")
    assert listed(day) == 1 and bar_labels(day) == ["7 June 2022: 1 event"]
    assert listed(get(client, "/?from=2022-06-08&to=2022-06-08")) == 0
    # a window of two months (the example) and an open-ended one
    assert listed(get(client, "/?from=2024-06&to=2024-07")) == 1
    assert listed(get(client, "/?from=2022")) == 3
    assert listed(get(client, "/?to=2022-06")) == 2


def test_a_window_overlapping_an_event_shows_it(client, ingested):
    # the 2024 visit is known to the month (July): a window of its 3rd day holds it
    assert listed(get(client, "/?from=2024-07-03&to=2024-07-03")) == 1


def test_zooming_out_and_panning_keep_the_other_filters(client, ingested):
    html = get(client, "/en/?from=2024-07&to=2024-07&topic=security")
    trail = html[html.index('class="axis-trail"'):html.index("</ol>", html.index('class="axis-trail"'))]
    hrefs = re.findall(r'href="([^"]*)"', trail)
    assert hrefs == ["?topic=security", "?from=2020&amp;to=2029&amp;topic=security",
                     "?from=2024&amp;to=2024&amp;topic=security"]
    assert 'aria-current="page">July 2024<' in trail
    assert 'id="axis-earlier" hx-get="?from=2024-06&amp;to=2024-06&amp;topic=security"' in html
    assert 'id="axis-later" hx-get="?from=2024-08&amp;to=2024-08&amp;topic=security"' in html
    # the filter form carries the window, so a change of topic keeps it
    assert '<input type="hidden" name="from" value="2024-07">' in html


def test_the_axis_window_replaces_the_year_filter_when_zooming(client, ingested):
    html = get(client, "/en/?year=2024")
    assert "Time axis: <span class=\"axis-window\">2024</span>" in html
    assert 'href="?from=2024-07&amp;to=2024-07"' in html  # a month of 2024, without year_from/year_to


def test_points_for_days_spans_for_months_and_ranges(client, ingested):
    Event.objects.create(slug="range", title="قمة", date_start=datetime.date(2025, 6, 16),
                         date_end=datetime.date(2025, 6, 17), precision="day", date_method="calendar")
    axis = axis_of(get(client, "/en/?from=2025-06&to=2025-06"))
    marks = dict(re.findall(r'<a href="/en/events/([^/]+)/[^"]*" class="(point|span)"', axis))
    assert marks["range"] == "span"
    assert sorted(marks.values()) == ["point", "span"]  # the 17 June treaty is a point
    whole = axis_of(get(client, "/en/"))
    kinds = re.findall(r'class="(point|span)" aria-label="[^"]*\((\w+ )?(\w+ )?(\d{4})\)"', whole)
    by_year = {year: kind for kind, _day, _month, year in kinds}
    assert by_year["2017"] == "point" and by_year["2024"] == "span"  # July 2024: known to the month


def test_a_span_is_drawn_as_long_as_it_lasts(client, ingested):
    axis = axis_of(get(client, "/en/?from=2024&to=2024"))
    x, width = map(float, re.search(r'class="span"[^>]*><rect x="([\d.]+)" y="\d+" width="([\d.]+)"', axis).groups())
    day = (1000 - 2 * 12) / 366
    assert abs(width - 31 * day) < 1 and abs(x - (12 + 182 * day)) < 1  # July: 31 days from the 183rd


def test_time_runs_right_to_left_in_arabic_and_left_to_right_in_english(client, ingested):
    def x_of(html, year):
        return float(re.search(rf'id="axis-{year}"[^>]*><rect class="hit" x="([\d.]+)"', html).group(1))

    arabic, english = get(client, "/"), get(client, "/en/")
    assert x_of(arabic, 2017) > x_of(arabic, 2025)
    assert x_of(english, 2017) < x_of(english, 2025)
    assert 'x="940,' not in arabic  # coordinates are never written the Arabic way


def test_the_context_lane_shows_the_reference_meetings_in_the_window(client, ingested):
    axis = axis_of(get(client, "/en/?from=2024&to=2024"))
    assert 'href="?from=2024-07-03&amp;to=2024-07-04"' in axis  # the SCO summit in Astana
    assert re.search(r'aria-label="SCO [^"]*\(Astana\), 3–4 July 2024"', axis)
    meetings = re.search(r'<g class="axis-meetings">.*?</g>', axis).group(0)
    assert "2024" in meetings and "2023" not in meetings and "2025" not in meetings  # only meetings in the window
    summit = get(client, "/en/?from=2024-07-03&to=2024-07-04")
    assert listed(summit) == 1


@pytest.mark.parametrize("query", ["from=abc", "from=2024-13", "to=2023-02-29", "from=99999", "from=٢٠٢٤",
                                   "to=" + "9" * 5000, "from=2024-6&to=x", "from=%00"])
def test_bad_windows_are_reported_never_a_500(client, ingested, query):
    html = get(client, f"/en/?{query}")
    assert listed(html) == 4
    assert "is not a date" in html or "control character" in html or "محرف تحكم" in html
    assert client.get(f"/events.json?{query}").status_code == 200


def test_a_window_written_backwards_is_read_the_way_it_was_meant(client, ingested):
    assert listed(get(client, "/?from=2025&to=2022")) == 3


def test_htmx_swap_pushes_the_window_url(client, ingested):
    response = client.get("/en/?from=2024&to=2024", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline")
    assert response["HX-Push-Url"] == "/en/?from=2024&to=2024"
    body = response.content.decode()
    assert "<html" not in body and 'id="axis"' in body


def test_facets_and_exports_count_the_window(client, ingested):
    html = get(client, "/en/?from=2024&to=2025")
    assert re.search(r'id="topic-security"[^>]*>\s*<label[^>]*>(?:<bdi>)?[^<]*(?:</bdi>)?\s*<span class="count">\(2\)', html)
    all_time = get(client, "/en/")
    assert re.search(r'id="topic-security"[^>]*>\s*<label[^>]*>(?:<bdi>)?[^<]*(?:</bdi>)?\s*<span class="count">\(3\)', all_time)
    assert json_of(client.get("/events.json?from=2024&to=2025"))["count"] == 2


def test_a_chip_removes_the_window(client, ingested):
    html = get(client, "/en/?from=2024&to=2024&topic=security")
    assert re.search(r'<a class="chip" href="\?topic=security"[^>]*>\s*<span dir="auto">2024</span>', html)


WINDOWS = ["/", "/?from=2000&to=2009", "/?from=2005&to=2005", "/?from=2005-03&to=2005-03",
           "/?from=2005-03-04&to=2005-03-04", "/?from=2003&to=2006&topic=trade"]


@pytest.mark.parametrize("url", WINDOWS)
def test_queries_and_nodes_do_not_grow_with_the_corpus(client, db, url):
    make_events(20)
    with CaptureQueriesContext(connection) as small:
        small_html = get(client, url)
    make_events(400)
    with CaptureQueriesContext(connection) as large:
        large_html = get(client, url)
    assert len(small) == len(large)
    assert nodes(small_html) <= NODE_CAP and nodes(large_html) <= NODE_CAP
    # zoomed out on many events: density only; the events themselves when few
    if url in ("/", "/?from=2000&to=2009"):
        assert 'class="axis-events"' in small_html and 'class="axis-events"' not in large_html


def test_the_axis_adds_one_query_to_a_cached_view(client, db):
    make_events(20)
    get(client, "/")
    with CaptureQueriesContext(connection) as cached:
        get(client, "/")
    assert sum("timeline_referencemeeting" in q["sql"] for q in cached) == 1
    assert not any("GROUP BY" in q["sql"] and "timeline_event" in q["sql"] for q in cached)  # year bars: the facets'


def test_node_cap_holds_for_the_widest_windows(client, db):
    make_events(400)
    for url in ("/?from=1900&to=2100", "/?from=2000-01&to=2002-12", "/?from=2001-01-01&to=2001-03-03"):
        html = get(client, url)
        assert 0 < len(bar_labels(html)) <= 62 and nodes(html) <= NODE_CAP, url


def test_node_cap_holds_with_the_most_events_and_meetings_a_window_draws(client, db):
    from timeline.models import MeetingSeries, ReferenceMeeting

    series = MeetingSeries.objects.create(slug="test-forum", name_ar="منتدى", name_en="Forum", patterns=["منتدى"])
    ReferenceMeeting.objects.bulk_create(
        ReferenceMeeting(series=series, start=datetime.date(2001, 1, 1) + datetime.timedelta(days=i),
                         end=datetime.date(2001, 1, 1) + datetime.timedelta(days=i + 1), city_ar="أستانا",
                         city_en="Astana")
        for i in range(MEETING_LIMIT + 10)
    )
    Event.objects.bulk_create(
        Event(slug=f"e{i}", title=f"حدث {i}", date_start=datetime.date(2001, 1, 1) + datetime.timedelta(days=i),
              date_end=datetime.date(2001, 1, 1) + datetime.timedelta(days=i + i % 3), precision="day",
              date_method="dateline")
        for i in range(EVENT_LIMIT)
    )
    html = get(client, "/en/?from=2001-01&to=2001-02")
    axis = axis_of(html)
    assert len(bar_labels(html)) == 59 and axis.count('class="point"') + axis.count('class="span"') == EVENT_LIMIT
    assert len(re.findall(r'aria-label="Forum \(Astana\)', axis)) == MEETING_LIMIT
    assert nodes(html) <= NODE_CAP
