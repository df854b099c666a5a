"""Exports of the current view (CSV, Atom, iCalendar) and the citation downloads of one event."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from tests.conftest import body_of, json_of, make_events
from timeline import exports
from timeline.models import Event

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SCRIPT_TITLE = "عنوان فيه <script>alert(1)</script> & \"اقتباس\", وفاصلة"


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body_of(response).decode("utf-8-sig"))))


def page_slugs(client, query):
    html = client.get(f"/?{query}").content.decode()
    return list(dict.fromkeys(re.findall(r'href="/events/([\w-]+)/(?:\?[^"]*)?"', html)))


def atom_entries(response):
    return ET.fromstring(body_of(response)).findall(f"{ATOM}entry")


def calendar_events(response):
    return icalendar.Calendar.from_ical(body_of(response)).walk("VEVENT")


def event_of(year):
    return Event.objects.get(date_start__year=year)


# CSV


def test_csv_is_a_streamed_utf8_attachment_with_a_bom_and_arabic_intact(client, ingested):
    response = client.get("/events.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="china-kazakhstan-events.csv"'
    raw = body_of(response)
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Arabic
    text = raw.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == exports.CSV_HEADER
    assert "الصين وقازاقستان تعتزمان تعزيز التعاون" in text
    assert len(list(csv.DictReader(io.StringIO(text)))) == 4


@pytest.mark.parametrize(
    "query",
    ["", "year=2024", "topic=security", "year_from=2022&year_to=2025&topic=trade", "exact=1", "outlet=xinhua",
     "q=كازاخستان", "q=الصين&exact=1&year_from=2020"],
)
def test_csv_rows_are_the_events_of_the_page_in_the_same_order(client, ingested, query):
    slugs = [row["slug"] for row in csv_rows(client.get(f"/events.csv?{query}"))]
    assert slugs and slugs == page_slugs(client, query)
    assert slugs == [e["slug"] for e in json_of(client.get(f"/events.json?{query}"))["events"]]


def test_csv_row_carries_dates_topics_entities_outlets_and_article_count(client, ingested):
    (row,) = csv_rows(client.get("/events.csv?year=2024"))
    event = event_of(2024)
    assert row["url"] == f"http://testserver/events/{event.slug}/"
    assert (row["date_start"], row["date_end"], row["precision"]) == ("2024-07-01", "2024-07-31", "month")
    assert row["date_method"] == "calendar" and "قمّة منظمة شنغهاي" in row["date_evidence"]
    assert float(row["date_confidence"]) == round(event.date_confidence, 2)
    assert "trade" in row["topics"].split(";")
    assert {"Xi Jinping", "Kassym-Jomart Tokayev"} <= set(row["entities"].split(";"))
    assert row["outlets"].split(";") == ["Al-Wahda", "Jfra News"]
    assert row["article_count"] == "2"


def test_csv_is_complete_across_chunks(client, ingested, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    rows = csv_rows(client.get("/events.csv"))
    assert [r["slug"] for r in rows] == page_slugs(client, "")
    assert [r["article_count"] for r in rows] == ["1", "1", "2", "1"]
    assert all(r["topics"] and r["outlets"] for r in rows)


# Atom


def test_atom_feed_lists_events_newest_first_with_links_dates_and_topics(client, ingested):
    response = client.get("/events.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    entries = atom_entries(response)
    published = [e.findtext(f"{ATOM}published") for e in entries]
    assert [p[:10] for p in published] == ["2025-06-17", "2024-07-01", "2022-06-07", "2017-06-08"]
    assert published[0] == "2025-06-17T00:00:00+00:00"
    first, event = entries[0], event_of(2025)
    assert first.findtext(f"{ATOM}title") == event.title
    assert first.find(f"{ATOM}link").get("href") == f"http://testserver/events/{event.slug}/"
    assert first.findtext(f"{ATOM}summary") == escape(event.lead)
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {t.slug for t in event.topics.all()}


def test_atom_feed_honours_the_filters(client, ingested):
    assert len(atom_entries(client.get("/events.atom?year=2024"))) == 1
    root = ET.fromstring(body_of(client.get("/events.atom?topic=health")))
    assert len(root.findall(f"{ATOM}entry")) == 1
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/events.atom?topic=health"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/?topic=health"


def test_atom_feed_holds_the_newest_hundred(client, db):
    make_events(120)
    dates = [e.findtext(f"{ATOM}published") for e in atom_entries(client.get("/events.atom"))]
    assert len(dates) == exports.ATOM_LIMIT
    assert dates == sorted(dates, reverse=True)
    assert dates[0][:10] == max(Event.objects.values_list("date_start", flat=True)).isoformat()


# iCalendar


def test_ics_holds_only_day_precision_events_as_all_day_events(client, ingested):
    response = client.get("/events.ics")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="china-kazakhstan-events.ics"'
    vevents = calendar_events(response)
    expected = Event.objects.filter(precision="day").order_by("date_start")
    assert len(vevents) == 3
    assert [str(v["UID"]) for v in vevents] == [f"{e.slug}@china-kazakhstan-timeline" for e in expected]
    assert event_of(2024).slug not in body_of(response).decode()  # the month-precision visit is left out
    first, event = vevents[0], expected[0]
    assert first["DTSTART"].params["VALUE"] == "DATE"
    assert first.decoded("DTSTART") == datetime.date(2017, 6, 8)
    assert first.decoded("DTEND") == datetime.date(2017, 6, 9)
    assert str(first["SUMMARY"]) == event.title
    url = f"http://testserver/events/{event.slug}/"
    assert str(first["URL"]) == url
    assert str(first["DESCRIPTION"]) == f"{event.lead}\n\n{url}"


def test_ics_honours_the_filters_and_stays_a_valid_calendar_when_empty(client, ingested):
    assert len(calendar_events(client.get("/events.ics?year=2022"))) == 1
    assert calendar_events(client.get("/events.ics?year=2024")) == []


# Citations


@pytest.mark.parametrize(
    "precision, start, end, parts",
    [
        ("day", datetime.date(2017, 6, 8), datetime.date(2017, 6, 8), [[2017, 6, 8]]),
        ("day", datetime.date(2025, 6, 16), datetime.date(2025, 6, 17), [[2025, 6, 16], [2025, 6, 17]]),
        ("month", datetime.date(2024, 7, 1), datetime.date(2024, 7, 31), [[2024, 7]]),
        ("year", datetime.date(2019, 1, 1), datetime.date(2019, 12, 31), [[2019]]),
    ],
)
def test_csl_json_issued_date_is_as_precise_as_the_date(client, db, precision, start, end, parts):
    Event.objects.create(slug="e", title="حدث", date_start=start, date_end=end, precision=precision,
                         date_method="dateline", date_evidence="«بكين»")
    assert client.get("/events/e/cite.json").json()[0]["issued"] == {"date-parts": parts}


def test_csl_json_of_a_seed_event(client, ingested):
    event = event_of(2024)
    response = client.get(f"/events/{event.slug}/cite.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.json"'
    (item,) = json.loads(response.content.decode("utf-8"))
    today = timezone.localdate()
    assert item["id"] == event.slug and item["type"] == "event"
    assert item["title"] == event.title
    assert item["URL"] == f"http://testserver/events/{event.slug}/"
    assert item["issued"] == {"date-parts": [[2024, 7]]}
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert item["container-title"] == "China–Kazakhstan relations: a timeline"
    assert item["note"].startswith("Date: reference calendar of meetings — ") and "قمّة منظمة شنغهاي" in item["note"]


def test_bibtex_entry_of_a_seed_event(client, ingested):
    event = event_of(2017)
    response = client.get(f"/events/{event.slug}/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.bib"'
    text = response.content.decode("utf-8")
    key = re.sub(r"[^A-Za-z0-9]", "", event.slug)
    assert text.startswith(f"@misc{{{key},\n")
    assert f"title = {{{{{event.title}}}}}" in text
    assert f"howpublished = {{\\url{{http://testserver/events/{event.slug}/}}}}" in text
    assert "year = {2017}" in text and "month = jun," in text
    assert f"note = {{Accessed {timezone.localdate().isoformat()}; date: dateline of the report — «أستانا" in text
    assert text.count("{") == text.count("}")


def test_bibtex_escapes_special_characters_and_leaves_out_an_unknown_month(client, db):
    Event.objects.create(slug="odd_title-2019", title=r"نمو 50% & حصة_أولى {#1} $5 ~ ^ \ نهاية",
                         date_start=datetime.date(2019, 1, 1), date_end=datetime.date(2019, 12, 31),
                         precision="year", date_method="anniversary")
    text = client.get("/events/odd_title-2019/cite.bib").content.decode()
    assert text.startswith("@misc{oddtitle2019,")
    assert (r"title = {{نمو 50\% \& حصة\_أولى \{\#1\} \$5 \textasciitilde{} \textasciicircum{} "
            r"\textbackslash{} نهاية}}") in text
    assert "year = {2019}" in text and "month" not in text


def test_plain_citation_line(ingested):
    event, accessed = event_of(2024), datetime.date(2025, 1, 31)
    assert exports.plain_citation(event, "https://example.org/events/x/", accessed) == (
        f"{event.title}. In: China–Kazakhstan relations: a timeline. July 2024. "
        "https://example.org/events/x/ (accessed 2025-01-31)."
    )
    assert " 8 June 2017. " in exports.plain_citation(event_of(2017), "u", accessed)


@pytest.mark.parametrize("route", ["cite.json", "cite.bib"])
def test_citing_an_unknown_event_is_a_404(client, ingested, route):
    assert client.get(f"/events/no-such-event/{route}").status_code == 404


# Every export


def test_links_are_permalinks_whatever_language_the_reader_asks_for(client, ingested):
    slug = event_of(2017).slug
    permalink = f"http://testserver/events/{slug}/"
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert csv_rows(client.get("/events.csv?year=2017", **english))[0]["url"] == permalink
    assert atom_entries(client.get("/events.atom?year=2017", **english))[0].find(f"{ATOM}link").get("href") == permalink
    assert str(calendar_events(client.get("/events.ics?year=2017", **english))[0]["URL"]) == permalink
    assert client.get(f"/events/{slug}/cite.json", **english).json()[0]["URL"] == permalink


def test_markup_in_a_title_stays_text_in_every_export(client, db):
    Event.objects.create(slug="markup", title=SCRIPT_TITLE, lead="<script>alert(2)</script> نص",
                         date_start=datetime.date(2024, 7, 3), date_end=datetime.date(2024, 7, 3), precision="day",
                         date_method="dateline")
    atom = body_of(client.get("/events.atom"))
    assert b"<script>" not in atom
    (entry,) = ET.fromstring(atom).findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == SCRIPT_TITLE  # a text construct: readers show it as written
    assert entry.findtext(f"{ATOM}summary") == "&lt;script&gt;alert(2)&lt;/script&gt; نص"  # html: shown, not run
    assert csv_rows(client.get("/events.csv"))[0]["title"] == SCRIPT_TITLE
    assert str(calendar_events(client.get("/events.ics"))[0]["SUMMARY"]) == SCRIPT_TITLE
    assert client.get("/events/markup/cite.json").json()[0]["title"] == SCRIPT_TITLE


EXPORTS = ["/events.csv", "/events.atom", "/events.ics"]


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize(
    "query",
    ["year=abc", "year=99999", "topic=unknown", "year=&topic=", "year=2017&year=2024&year=x",
     "year_from=abc&year_to=" + "9" * 5000, "topic=" + "x" * 5000, "year_from=-1", "year=٢٠٢٤",
     "entity=" + "x" * 3000, "page=-1", "q=" + "ك" * 5000],
)
def test_bad_parameters_never_fail_an_export(client, ingested, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert body_of(response)


def test_bad_year_is_ignored_so_every_event_is_exported(client, ingested):
    assert len(csv_rows(client.get("/events.csv?year=abc"))) == 4
    assert len(atom_entries(client.get("/events.atom?year=abc"))) == 4
    assert len(calendar_events(client.get("/events.ics?year=abc"))) == 3


@pytest.mark.parametrize("url", [*EXPORTS, "/events/x/cite.json", "/events/x/cite.bib"])
def test_exports_answer_only_get(client, db, url):
    assert client.post(url).status_code == 405


@pytest.mark.parametrize(
    "url",
    [*EXPORTS, "/events.csv?topic=trade&year_from=2001", "/events.atom?topic=security&year_from=2001",
     "/events.csv?exact=1&year_from=2001", "/events.ics?exact=1&topic=trade"],
)
def test_export_query_count_does_not_grow_with_the_corpus(client, db, url):
    make_events(4)
    with CaptureQueriesContext(connection) as small:
        small_body = body_of(client.get(url))  # a streamed export queries while it is read
    make_events(200, start_year=2001)
    with CaptureQueriesContext(connection) as large:
        large_body = body_of(client.get(url))
    assert len(large_body) > len(small_body)
    assert len(small) == len(large) <= 6


def test_export_rows_are_read_ahead_in_a_thread_that_stops_with_the_response(client, db, monkeypatch):
    """exports.export_rows reads the cursor in a thread, a few batches ahead of the writing: every row in order, the
    same connection (so the same transaction), an error raised where the rows are written, and a response closed
    before its end stops the thread and leaves the connection usable."""
    import threading

    monkeypatch.setattr(exports, "CHUNK_SIZE", 7)
    make_events(60)
    events = Event.objects.dated().order_by("date_start", "date_end", "pk")
    expected = list(events.values_list("slug", flat=True))
    events = events.for_export(as_json=False)
    batches = list(exports.export_rows(events))
    assert [row[0] for batch in batches for row in batch] == expected  # (made in this test's transaction)
    assert [len(batch) for batch in batches] == [7] * 8 + [4]

    readers = lambda: [t for t in threading.enumerate() if t.name == "export-reader"]  # noqa: E731
    rows = exports.export_rows(events)
    assert len(next(rows)) == 7 and len(readers()) == 1
    rows.close()  # what the server does with a response cut short
    assert not readers()
    assert Event.objects.count() == 60  # the connection is free again

    with monkeypatch.context() as patched:
        patched.setattr(exports, "EXPORT_COLUMNS", exports.EXPORT_COLUMNS[:-1])
        with pytest.raises(AssertionError):
            list(exports.export_rows(events))
    assert not readers()

    response = client.get("/events.csv")
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith("\ufeff".encode()) and next(chunks) and len(readers()) == 1  # (the header, a batch)
    response.close()  # (which leaves the test's transaction to be rolled back, as it did before the thread)
    assert not readers()
