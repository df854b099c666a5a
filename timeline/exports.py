"""The timeline's exports (CSV, Atom, iCalendar) and the citation of one event (CSL-JSON, BibTeX, plain text).

Every export reads the query string through filtering.filtered_events(), so it holds exactly the events on screen.
"""

import csv
import datetime
import json
import math
import queue
import re
import threading
from json.encoder import encode_basestring as json_string  # a str as json.dumps(…, ensure_ascii=False) writes it

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import connections
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from timeline.extract.event_types import EVENT_TYPES
from timeline.models import Entity, Event, EventSlug, Outlet, Precision, Topic
from timeline.templatetags.timeline_tags import when
from timeline.filtering import filtered_events

SITE_TITLE = "China–Kazakhstan relations: a timeline"
CALENDAR_DOMAIN = "china-kazakhstan-timeline"
# Rows fetched (and prefetched) per round trip: memory stays flat however large the corpus grows.
CHUNK_SIZE = 500
ATOM_LIMIT = 100

CSV_HEADER = [
    "slug", "url", "title", "date_start", "date_end", "precision", "date_method", "date_evidence",
    "date_confidence", "event_type", "event_type_en", "event_type_ar", "topics", "entities", "outlets", "article_count",
]
BIBTEX_MONTHS = ["", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
BIBTEX_SPECIAL = re.compile(r"[\\{}$&%#_^~]")
BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
# XML 1.0 and iCalendar text (RFC 5545) allow no control character but tab and line breaks, and stored text may
# predate its cleaning: feeds write text through feed_text(), so no title can ever break them.
FEED_SPACE = str.maketrans({"\x0b": " ", "\x0c": " "})
FEED_FORBIDDEN = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def permalink(request, event):
    """The event's absolute URL in the default language: an export or a citation does not depend on who downloads it."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(event.get_absolute_url())


def event_or_redirect(request, slug, url_name, queryset=Event.objects):
    """The event at `slug`, or a permanent redirect from an address issued before (an event merged into another,
    or emptied by regrouping) to the same view (`url_name`) of the event now holding that happening, with the
    same query string; 404 for an address never issued. Returns (event, None) or (None, response)."""
    event = queryset.filter(slug=slug).first()
    if event is not None:
        return event, None
    holder = EventSlug.objects.holder_of(slug)
    if holder is None:
        raise Http404("no event at this address")
    target = reverse(url_name, kwargs={"slug": holder.slug})  # the page: the active language's prefix, as asked
    query = request.META.get("QUERY_STRING", "")
    return None, HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))


def feed_text(value):
    """Text (or a list of texts) without the characters a feed cannot hold; a vertical tab or form feed is a space."""
    if isinstance(value, str):
        return FEED_FORBIDDEN.sub("", value.translate(FEED_SPACE))
    if isinstance(value, (list, tuple)):
        return [feed_text(item) for item in value]
    return value


def _attachment(response, filename):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# CSV


class Echo:
    """A file-like object that hands back what csv.writer writes, so each row can be streamed as it is made."""

    def write(self, value):
        return value


def event_url_parts(request, permanent=True):
    """(head, tail): an event's absolute URL is head + slug + tail (the permalink, or in the reader's language),
    reversed once for all rows."""
    marker = "event-slug-marker"
    if permanent:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("timeline:event", kwargs={"slug": marker})
    else:
        path = reverse("timeline:event", kwargs={"slug": marker})
    head, _, tail = request.build_absolute_uri(path).rpartition(marker)
    return head, tail


def json_float(value):
    """A float as json.dumps writes it."""
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


class ExportNames:
    """The names an export writes for topic, entity and outlet ids, read once per export (three small tables), in
    the orders the listing's prefetches give: topics by position and slug, entities by kind and English name as
    the database sorts them; an outlet is named in English, else in Arabic. With as_json, each name is its JSON
    text (quoted and escaped as json.dumps(…, ensure_ascii=False) writes a string), made once."""

    def __init__(self, as_json=False):
        topics = Topic.objects.order_by("position", "slug", "pk").values_list("pk", "slug")
        entities = Entity.objects.order_by("kind", "name_en", "pk").values_list("pk", "name_en")
        name = json_string if as_json else str
        self.topic_rank, self.topic_names = self.ranked(topics, name)
        self.entity_rank, self.entity_names = self.ranked(entities, name)
        self.outlet = {str(pk): name(name_en or name_ar) for pk, name_en, name_ar in  # keyed as article rows hold it
                       Outlet.objects.values_list("pk", "name_en", "name_ar")}

    @staticmethod
    def ranked(rows, name):
        """(id -> rank, the names by rank) of (id, name) rows in their order, ids as an id array's text holds them."""
        return {str(pk): rank for rank, (pk, _) in enumerate(rows)}, [name(text) for _, text in rows]

    def topics(self, ids):
        """The names of the topic ids of an id array's text ('{3,1}'), in order."""
        return self.in_order(ids, self.topic_rank, self.topic_names)

    def entities(self, ids):
        return self.in_order(ids, self.entity_rank, self.entity_names)

    @staticmethod
    def in_order(ids, rank, names):
        return map(names.__getitem__, sorted(map(rank.__getitem__, ids[1:-1].split(",")))) if ids != "{}" else ()

    def outlets(self, ids):
        """The names of the outlets of an event's articles ('3,-,5' in article order, '-' for none, None for no
        article), None for an article without one."""
        return [None if pk == "-" else self.outlet[pk] for pk in ids.split(",")] if ids else []


class Made(dict):
    """Each value made from its key once (make(key)), then looked up: an export writes the same few confidences,
    event types and topic, entity and outlet sets over and over. At most `size` are kept, so memory stays flat."""

    def __init__(self, make, size=20_000):
        super().__init__()
        self.make, self.size = make, size

    def __missing__(self, key):
        if len(self) >= self.size:
            self.clear()
        value = self[key] = self.make(key)
        return value


# The columns of EventQuerySet.for_export(), in order.
EXPORT_COLUMNS = ["slug", "title", "date_start", "date_end", "precision", "date_method", "date_evidence",
                  "date_confidence", "event_type", "topic_set", "entity_set", "article_rows"]


#: Batches read ahead of the one being written (each CHUNK_SIZE rows: memory stays flat).
READ_AHEAD = 4


def export_rows(rows):
    """Batches of these for_export() rows (an ordered values() query) as tuples (EXPORT_COLUMNS), from one query
    read through a server-side cursor CHUNK_SIZE rows at a time (the ORM's per-value converters are left out: the
    driver's types are the ones wanted).

    The cursor is read in a thread, at most READ_AHEAD batches ahead, so PostgreSQL makes the next rows while this
    thread writes the ones it has (the database's half of an export no longer adds to the Python half). The thread
    uses this thread's connection (the same transaction and snapshot), which this thread leaves alone meanwhile."""
    sql, params = rows.query.sql_with_params()
    connection = connections[rows.db]  # the database the router reads from
    batches = queue.Queue(maxsize=READ_AHEAD)
    stop = threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def read():
        try:
            with connection.chunked_cursor() as cursor:
                cursor.execute(sql, params)
                assert [column.name for column in cursor.description] == EXPORT_COLUMNS
                while batch := cursor.fetchmany(CHUNK_SIZE):
                    if not put(batch):
                        return  # (the response was closed before its end)
        except BaseException as exc:  # noqa: BLE001 - raised again in the writing thread
            put(exc)
        else:
            put(None)

    connection.inc_thread_sharing()
    reader = threading.Thread(target=read, name="export-reader", daemon=True)
    reader.start()
    try:
        while (batch := batches.get()) is not None:
            if isinstance(batch, BaseException):
                raise batch
            yield batch
    finally:
        stop.set()
        reader.join()
        connection.dec_thread_sharing()


def export_json_rows(events, url_parts):
    """The events of /events.json, each as json.dumps(event_json, ensure_ascii=False) writes it, joined by commas,
    as UTF-8 a batch of rows at a time. Written with a template, not a dict per event and json.dumps: strings go
    through json_string() (json.dumps's own escaping); PostgreSQL writes the articles' JSON text
    (EventQuerySet.for_export), which gets its outlets' names here with one % per event; confidences, event types
    and topic sets are JSON text made once per distinct value (Made)."""
    names = ExportNames(as_json=True)
    types = {code: json.dumps({"code": code, "en": en, "ar": ar}, ensure_ascii=False)
             for code, (en, ar) in EVENT_TYPES.items()}
    confidence = Made(lambda value: json_float(round(value, 2)))
    event_type = Made(lambda code: types.get(code) or json.dumps({"code": code, "en": code, "ar": code},
                                                                 ensure_ascii=False))
    topics = Made(lambda ids: ", ".join(names.topics(ids)))
    entities = names.entities  # (not kept: an event's entities are mostly a set no other event has)
    outlets = {**names.outlet, "-": "null"}  # '%(3)s' in the articles' text is outlet 3's name, '%(-)s' none
    head, tail = url_parts

    separator = b""
    for batch in export_rows(events.for_export(as_json=True)):
        yield separator + ",".join([
            f'{{"slug": {json_string(slug)}, "title": {json_string(title)}, "url": {json_string(head + slug + tail)}, '
            f'"date": {{"start": "{start.isoformat()}", "end": "{(end or start).isoformat()}", '
            f'"precision": {json_string(precision)}, "method": {json_string(method)}, '
            f'"evidence": {json_string(evidence)}, "confidence": {confidence[value]}}}, '
            f'"event_type": {event_type[code]}, "topics": [{topics[topic_ids]}], '
            f'"entities": [{", ".join(entities(entity_ids))}], '
            f'"articles": [{article_rows % outlets if article_rows else ""}]}}'
            for slug, title, start, end, precision, method, evidence, value, code, topic_ids, entity_ids, article_rows
            in batch
        ]).encode()
        separator = b","


def streamed(batches, content_type, count):
    """A streamed export, one write per batch of rows. No Content-Length: the server sends it chunked, so a body cut
    short (a killed worker) ends without the closing chunk and the client reports an error instead of a
    complete-looking file; X-Event-Count says how many events a complete body holds."""
    response = StreamingHttpResponse(batches, content_type=content_type)
    response["X-Event-Count"] = str(count)
    return response


def csv_lines(rows):
    """Each row (a tuple of str, float and int) as csv.writer writes it: most need no quoting, and a join is many times
    faster than the writer (which reads every character); a row whose fields hold a comma, a quote or a line break
    goes through the writer."""
    writer = csv.writer(Echo())
    commas = len(CSV_HEADER) - 1
    for row in rows:
        line = ",".join(map(str, row))
        if line.count(",") == commas and '"' not in line and "\n" not in line and "\r" not in line:
            yield line + "\r\n"
        else:
            yield writer.writerow(row)


@require_safe
def events_csv(request):
    events = filtered_events(request).events
    count = events.count()
    head, tail = event_url_parts(request)
    names = ExportNames()
    confidence = Made(lambda value: round(value, 2))
    event_type = Made(lambda code: EVENT_TYPES.get(code, (code, code)))  # date_claim() and event_type()
    topics = Made(lambda ids: ";".join(names.topics(ids)))
    entities = names.entities  # (not kept: an event's entities are mostly a set no other event has)

    def article_outlets(ids):  # each outlet once, in the order of its first article; the number of articles
        outlets = names.outlets(ids)
        return ";".join(dict.fromkeys(name for name in outlets if name is not None)), len(outlets)

    outlets = Made(article_outlets)

    def fields(row):
        slug, title, start, end, precision, method, evidence, value, code, topic_ids, entity_ids, article_rows = row
        return (
            slug, head + slug + tail, title, start.isoformat(), (end or start).isoformat(), precision, method, evidence,
            confidence[value], code, *event_type[code], topics[topic_ids], ";".join(entities(entity_ids)),
            *outlets[article_rows],
        )

    def lines():
        # The byte order mark is how Excel knows the file is UTF-8; without it Arabic comes out as mojibake.
        yield "\ufeff" + "".join(csv_lines([CSV_HEADER]))
        for batch in export_rows(events.for_export(as_json=False)):
            yield "".join(csv_lines(map(fields, batch))).encode()

    response = streamed(lines(), "text/csv; charset=utf-8", count)
    return _attachment(response, "china-kazakhstan-events.csv")


# Atom


class PlainTextAtom1Feed(Atom1Feed):
    """Atom whose every item field goes through feed_text(): Django's XML writer fails on a control character."""

    def add_item(self, **fields):
        super().add_item(**{name: feed_text(value) for name, value in fields.items()})


class EventsFeed(Feed):
    """The newest events of the current view, as an Atom feed."""

    feed_type = PlainTextAtom1Feed
    title = SITE_TITLE
    subtitle = "Events in the relations between China and Kazakhstan, as reported in Arabic news"
    language = settings.LANGUAGE_CODE

    def __call__(self, request, *args, **kwargs):
        # Links in the feed are permalinks, the same whatever language the reader's browser asks for.
        with translation.override(settings.LANGUAGE_CODE):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return filtered_events(request)

    def link(self, view):
        return reverse("timeline:index") + (f"?{view.query}" if view.query else "")

    def feed_url(self, view):
        return reverse("events_atom") + (f"?{view.query}" if view.query else "")

    def items(self, view):
        newest_first = view.events.order_by("-date_start", "-date_end", "-pk")
        return newest_first.prefetch_related("topics")[:ATOM_LIMIT]

    def item_title(self, event):
        # Atom titles are plain text (no type attribute): the XML writer's escaping is all they need.
        return event.title

    def item_description(self, event):
        # Atom1Feed marks <summary type="html">: escaped here, the lead reaches the reader as text, never markup.
        return escape(event.lead)

    def item_link(self, event):
        return event.get_absolute_url()

    def item_pubdate(self, event):
        return datetime.datetime.combine(event.date_start, datetime.time.min, tzinfo=datetime.timezone.utc)

    def item_updateddate(self, event):
        return event.updated_at

    def item_categories(self, event):
        return [topic.slug for topic in event.topics.all()]


events_atom = require_safe(EventsFeed())


# iCalendar


def calendar_event(event, url):
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.slug}@{CALENDAR_DOMAIN}")
    vevent.add("dtstamp", event.updated_at)
    # Dates (not datetimes) make all-day events; DTEND is exclusive, hence the day after the last one.
    vevent.add("dtstart", event.date_start)
    vevent.add("dtend", (event.date_end or event.date_start) + datetime.timedelta(days=1))
    vevent.add("summary", feed_text(event.title))
    vevent.add("description", feed_text(f"{event.lead}\n\n{url}"))
    vevent.add("url", url)
    return vevent


@require_safe
def events_ics(request):
    events = filtered_events(request).events.filter(precision=Precision.DAY)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{CALENDAR_DOMAIN}//events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", SITE_TITLE)
    # The calendar is written as its head, one VEVENT at a time, then its closing line, so it streams.
    head = calendar.to_ical().removesuffix(b"END:VCALENDAR\r\n")

    def lines():
        yield head
        for event in events.iterator(chunk_size=CHUNK_SIZE):
            yield calendar_event(event, permalink(request, event)).to_ical()
        yield b"END:VCALENDAR\r\n"

    response = StreamingHttpResponse(lines(), content_type="text/calendar; charset=utf-8")
    return _attachment(response, "china-kazakhstan-events.ics")


# Citations


def date_parts(event):
    """CSL date-parts as precise as the date is known: [[2024, 7]], [[2017, 6, 8]], or a [start, end] range."""
    if not event.is_dated:
        return None
    size = {Precision.YEAR: 1, Precision.MONTH: 2}.get(event.precision, 3)
    start, end = event.date_start, event.date_end or event.date_start
    first, last = [start.year, start.month, start.day][:size], [end.year, end.month, end.day][:size]
    return [first] if first == last else [first, last]


def date_basis(event):
    """How the date is known, in English like the rest of a citation: 'dateline of the report — «…»'."""
    if not event.is_dated:
        return "undated"
    with translation.override("en"):
        method = event.get_date_method_display() or "unknown method"
    return f"{method} — {event.date_evidence}" if event.date_evidence else method


def csl_item(event, url, accessed):
    item = {
        "id": event.slug,
        "type": "event",
        "title": event.title,
        "container-title": SITE_TITLE,
        "URL": url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "note": f"Date: {date_basis(event)}",
    }
    parts = date_parts(event)
    if parts:
        item["issued"] = {"date-parts": parts}
    if event.lead:
        item["abstract"] = event.lead
    return item


def bibtex_escape(text):
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_REPLACEMENTS.get(m.group(), "\\" + m.group()), text)


def bibtex_key(event):
    return re.sub(r"[^A-Za-z0-9]", "", event.slug) or f"event{event.pk}"


def bibtex_entry(event, url, accessed):
    # Double braces keep the title's letters as written (BibTeX styles lower-case titles otherwise).
    fields = [
        ("title", f"{{{{{bibtex_escape(event.title)}}}}}"),
        ("howpublished", f"{{\\url{{{url}}}}}"),
        ("url", f"{{{url}}}"),
    ]
    if event.is_dated:
        fields.append(("year", f"{{{event.date_start.year}}}"))
        if event.precision in (Precision.DAY, Precision.MONTH):
            fields.append(("month", BIBTEX_MONTHS[event.date_start.month]))  # a macro, so no braces
    note = f"Accessed {accessed.isoformat()}; date: {date_basis(event)}"
    fields.append(("note", f"{{{bibtex_escape(note)}}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{bibtex_key(event)},\n{body}\n}}\n"


def citation_parts(event, url, accessed):
    """The parts of a citation, so a page can isolate the Arabic title from the English words around it."""
    with translation.override("en"):
        date_known = when(event)
    title = event.title.strip()
    return {
        "title": title,
        "stop": "" if title.endswith((".", "!", "?", "؟")) else ".",
        "container": SITE_TITLE,
        "date": date_known,
        "url": url,
        "accessed": accessed.isoformat(),
    }


def plain_citation(event, url, accessed):
    """'<title>. In: China–Kazakhstan relations: a timeline. July 2024. <url> (accessed 2025-01-31).'"""
    p = citation_parts(event, url, accessed)
    return f"{p['title']}{p['stop']} In: {p['container']}. {p['date']}. {p['url']} (accessed {p['accessed']})."


@require_safe
def event_cite_json(request, slug):
    event, moved = event_or_redirect(request, slug, "event_cite_json")
    if moved:
        return moved
    items = [csl_item(event, permalink(request, event), timezone.localdate())]
    response = HttpResponse(
        json.dumps(items, ensure_ascii=False, indent=2), content_type="application/vnd.citationstyles.csl+json"
    )
    return _attachment(response, f"{event.slug}.json")


@require_safe
def event_cite_bib(request, slug):
    event, moved = event_or_redirect(request, slug, "event_cite_bib")
    if moved:
        return moved
    entry = bibtex_entry(event, permalink(request, event), timezone.localdate())
    response = HttpResponse(entry, content_type="application/x-bibtex; charset=utf-8")
    return _attachment(response, f"{event.slug}.bib")
