"""Reference knowledge: seeded from JSON fixtures, kept in the database, edited in the admin.

`load_reference_data()` adds what the fixtures have and the database lacks
(matched by slug or natural key); it never overwrites an editor's change.
`current_knowledge()` reads the database into the plain objects the extractor takes.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from timeline.extract import knowledge as k

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reference"


def read_fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _missing(items, have, key=lambda item: item["slug"]):
    """The items whose key is not in `have` (the keys a table holds), each key once: the first item wins."""
    have = set(have)
    for item in items:
        if key(item) not in have:
            have.add(key(item))
            yield item


@transaction.atomic
def load_reference_data():
    """Add the fixtures' rows the database lacks (matched by slug, meetings by series and first day); returns how
    many. One query reads each table's keys and one writes what is missing: it runs after every migrate and, in
    the tests, after every flush of the test database, where every row is missing."""
    from timeline.models import Anchor, Entity, MeetingSeries, Outlet, ReferenceMeeting, Topic, TopicKeyword

    topics = [
        (Topic(slug=item["slug"], name_ar=item["name_ar"], name_en=item["name_en"], position=position), item["keywords"])
        for position, item in _missing(enumerate(read_fixture("topics.json")),
                                       Topic.objects.values_list("slug", flat=True), key=lambda pair: pair[1]["slug"])
    ]
    Topic.objects.bulk_create([topic for topic, _ in topics])
    TopicKeyword.objects.bulk_create(
        [keyword for topic, phrases in topics for keyword in _unique_keywords(topic, phrases)], ignore_conflicts=True
    )

    outlets = [
        Outlet(slug=item["slug"], name_ar=item["name_ar"], name_en=item.get("name_en", ""),
               aliases=item.get("aliases", []), website=item.get("website", ""), domains=item.get("domains", []))
        for item in _missing(read_fixture("outlets.json"), Outlet.objects.values_list("slug", flat=True))
    ]
    for outlet in outlets:
        outlet.strip_stored_text()  # what save() does; bulk_create does not call it
    Outlet.objects.bulk_create(outlets)

    calendar = read_fixture("calendar.json")
    series_by_slug = {series.slug: series for series in MeetingSeries.objects.all()}
    new_series = [
        MeetingSeries(slug=item["slug"], name_ar=item["name_ar"], name_en=item["name_en"], patterns=item["patterns"],
                      multilateral=item.get("multilateral", True), **_visit(item))
        for item in _missing(calendar["series"], series_by_slug)
    ]
    MeetingSeries.objects.bulk_create(new_series)
    series_by_slug.update((series.slug, series) for series in new_series)

    meetings = [
        ReferenceMeeting(
            series=series_by_slug[item["series"]],
            start=datetime.date.fromisoformat(item["start"]),
            ordinal=item.get("ordinal"),
            end=datetime.date.fromisoformat(item["end"]),
            city_ar=item["city_ar"],
            city_en=item["city_en"],
            note=item.get("note", "")[:300],
            session_day=_session_day(item),
        )
        for item in _missing(
            calendar["meetings"],
            ReferenceMeeting.objects.values_list("series_id", "start"),
            key=lambda item: (series_by_slug[item["series"]].pk, datetime.date.fromisoformat(item["start"])),
        )
    ]
    ReferenceMeeting.objects.bulk_create(meetings)

    anchors = [
        Anchor(slug=item["slug"], name_ar=item["name_ar"], name_en=item["name_en"],
               date=datetime.date.fromisoformat(item["date"]), patterns=item["patterns"])
        for item in _missing(calendar["anchors"], Anchor.objects.values_list("slug", flat=True))
    ]
    Anchor.objects.bulk_create(anchors)
    created = len(topics) + len(outlets) + len(new_series) + len(meetings) + len(anchors)

    if (FIXTURES / "entities.json").exists():
        new = [
            Entity(
                slug=item["slug"], kind=item["kind"], name_en=item["name_en"], name_ar=item["name_ar"],
                aliases=item.get("aliases", []), country=item.get("country") or "",
                roles=item.get("roles", []), historic=item.get("historic", []), is_country=item.get("is_country", False),
            )
            for item in _missing(read_fixture("entities.json"), Entity.objects.values_list("slug", flat=True))
        ]
        Entity.objects.bulk_create(new)
        created += len(new)
    return created


@transaction.atomic
def sync_reference_data(prune=False):
    """Bring existing rows in line with the fixtures (an explicit step, after the fixtures improve).

    Adds what is missing and overwrites fixture-owned fields. With prune=True it also removes
    keywords, entities, meetings and series that the fixtures no longer have (editors' additions
    included, so it is never done silently). Returns {what: count}.
    """
    from timeline.models import Anchor, Entity, MeetingSeries, Outlet, ReferenceMeeting, Topic, TopicKeyword

    changed = {"added": load_reference_data(), "updated": 0, "removed": 0}
    for item in read_fixture("topics.json"):
        topic = Topic.objects.get(slug=item["slug"])
        wanted = {normalize_keyword_key(k): k for k in item["keywords"]}
        have = {kw.normalized: kw for kw in topic.keywords.all()}
        TopicKeyword.objects.bulk_create(_unique_keywords(topic, [k for n, k in wanted.items() if n not in have]))
        if prune:
            stale = [kw.pk for n, kw in have.items() if n not in wanted]
            changed["removed"] += TopicKeyword.objects.filter(pk__in=stale).delete()[0]
    calendar = read_fixture("calendar.json")
    for item in calendar["series"]:
        changed["updated"] += MeetingSeries.objects.filter(slug=item["slug"]).update(
            name_ar=item["name_ar"], name_en=item["name_en"], patterns=item["patterns"],
            multilateral=item.get("multilateral", True), **_visit(item))
    for item in calendar["meetings"]:
        if item.get("session_day"):  # fixture-owned when the fixture gives it; an editor's own stays otherwise
            changed["updated"] += ReferenceMeeting.objects.filter(
                series__slug=item["series"], start=item["start"]).exclude(session_day=item["session_day"]).update(
                session_day=_session_day(item))
    for item in calendar["anchors"]:
        changed["updated"] += Anchor.objects.filter(slug=item["slug"]).update(patterns=item["patterns"])
    for item in read_fixture("outlets.json"):
        changed["updated"] += Outlet.objects.filter(slug=item["slug"]).update(
            aliases=item.get("aliases", []), website=item.get("website", ""), domains=item.get("domains", []))
    entities = read_fixture("entities.json")
    for item in entities:
        changed["updated"] += Entity.objects.filter(slug=item["slug"]).update(
            kind=item["kind"], name_en=item["name_en"], name_ar=item["name_ar"], aliases=item.get("aliases", []),
            country=item.get("country") or "", roles=item.get("roles", []), historic=item.get("historic", []),
            is_country=item.get("is_country", False))
    if prune:
        changed["removed"] += Entity.objects.exclude(slug__in=[e["slug"] for e in entities]).delete()[0]
        keep = {(m["series"], m["start"]) for m in calendar["meetings"]}
        stale = [m.pk for m in ReferenceMeeting.objects.select_related("series")
                 if (m.series.slug, m.start.isoformat()) not in keep]
        changed["removed"] += ReferenceMeeting.objects.filter(pk__in=stale).delete()[0]
    return changed


def normalize_keyword_key(phrase):
    from timeline.extract.arabic import normalize

    return normalize(phrase)


def _unique_keywords(topic, phrases):
    from timeline.extract.arabic import normalize
    from timeline.models import TopicKeyword

    seen = set()
    for phrase in phrases:
        key = normalize(phrase)
        if key and key not in seen:
            seen.add(key)
            yield TopicKeyword(topic=topic, phrase=phrase, normalized=key)


def outlet_domains(website, domains):
    """The hosts an outlet publishes on: its website's and its listed domains."""
    from timeline.extract.metadata import host_of

    return tuple(dict.fromkeys(h for h in (host_of(website or ""), *map(host_of, domains)) if h))


# The last knowledge current_knowledge() returned: its indexes (the gazetteer's, the lexicons' regexes) take about
# a second to build and are kept on the object, so an equal reading of the tables gets that object back.
_last_knowledge = None


def current_knowledge():
    """The reference knowledge as the extractor takes it (6 queries).

    When the tables read the same as last time (every field equal), the object returned last time is returned
    again, with the indexes it has built: they follow from those fields alone. Any change an editor makes reads
    as a different knowledge, which starts with no index."""
    global _last_knowledge

    fresh = _read_knowledge()
    last = _last_knowledge
    if last is not None and last == fresh:
        return last
    _last_knowledge = fresh
    return fresh


def _read_knowledge():
    from timeline.models import Anchor, Entity, MeetingSeries, Outlet, ReferenceMeeting, Topic

    topics = [
        k.TopicLexicon(t.slug, t.name_ar, t.name_en, tuple(kw.phrase for kw in t.keywords.all()))
        for t in Topic.objects.prefetch_related("keywords")
    ]
    return k.Knowledge(
        topics=topics,
        outlets=[
            k.OutletInfo(o.name_ar, o.name_en, o.slug, tuple(o.aliases), outlet_domains(o.website, o.domains))
            for o in Outlet.objects.all()
        ],
        series=[k.MeetingSeries(s.slug, s.name_ar, s.name_en, tuple(s.patterns), s.multilateral,
                                s.visitor_country, s.visitor_office, s.host_country)
                for s in MeetingSeries.objects.all()],
        meetings=[
            k.Meeting(m.series.slug, m.ordinal, m.start, m.end, m.city_ar, m.city_en, m.session_day)
            for m in ReferenceMeeting.objects.select_related("series")
        ],
        anchors=[k.Anchor(a.slug, a.name_ar, a.name_en, a.date, tuple(a.patterns)) for a in Anchor.objects.all()],
        entities=[
            k.Entity(e.slug, e.kind, e.name_en, e.name_ar, tuple(e.aliases), e.country, e.is_country, k.role_terms(e.roles))
            for e in Entity.objects.all()
        ],
    )


def fixture_knowledge():
    """The same knowledge straight from the fixtures, for use without a database."""
    calendar = read_fixture("calendar.json")
    return k.Knowledge(
        topics=[
            k.TopicLexicon(t["slug"], t["name_ar"], t["name_en"], tuple(t["keywords"]))
            for t in read_fixture("topics.json")
        ],
        outlets=[
            k.OutletInfo(o["name_ar"], o.get("name_en", ""), o["slug"], tuple(o.get("aliases", [])),
                         outlet_domains(o.get("website", ""), o.get("domains", [])))
            for o in read_fixture("outlets.json")
        ],
        series=[k.MeetingSeries(s["slug"], s["name_ar"], s["name_en"], tuple(s["patterns"]), s.get("multilateral", True),
                                **_visit(s))
                for s in calendar["series"]],
        meetings=[
            k.Meeting(
                m["series"],
                m.get("ordinal"),
                datetime.date.fromisoformat(m["start"]),
                datetime.date.fromisoformat(m["end"]),
                m["city_ar"],
                m["city_en"],
                _session_day(m),
            )
            for m in calendar["meetings"]
        ],
        anchors=[
            k.Anchor(a["slug"], a["name_ar"], a["name_en"], datetime.date.fromisoformat(a["date"]), tuple(a["patterns"]))
            for a in calendar["anchors"]
        ],
        entities=[
            k.Entity(e["slug"], e["kind"], e["name_en"], e["name_ar"], tuple(e.get("aliases", [])), e.get("country") or "",
                     e.get("is_country", False), k.role_terms(e.get("roles")))
            for e in (read_fixture("entities.json") if (FIXTURES / "entities.json").exists() else [])
        ],
    )


def _visit(item):
    """A fixture series' visit fields (who visits whom), blank for a series of no visits."""
    return {name: item.get(name, "") for name in ("visitor_country", "visitor_office", "host_country")}


def _session_day(item):
    return datetime.date.fromisoformat(item["session_day"]) if item.get("session_day") else None
