"""An event's composed headlines, from its rows: who its reports name and where, fed to extract/headlines.py.

Called by ingest whenever an event is refreshed; writes only the composed fields, never an editor's.
"""

import re

from django.db.models import Q

from timeline.extract.arabic import normalize
from timeline.extract.headlines import PROMINENT_OFFSET, Participant, Place, compose_headlines, name_on, title_is_poor
from timeline.models import ArticleEntity, Entity, ReferenceMeeting


def _participants(matches):
    """Participant per person and country the articles name: first mention (smallest offset) and all mentions."""
    seen = {}
    for match in matches:
        entity = match.entity
        if entity.kind != "person" and not (entity.is_country and entity.country):
            continue  # a region (Central Asia, the Caspian Sea) is no participant
        offsets = [start for start, _ in match.mentions if isinstance(start, int)] or [10**9]
        first, count = seen.get(entity.pk, (10**9, 0, entity))[:2]
        seen[entity.pk] = (min(first, min(offsets)), count + len(match.mentions), entity)
    return [
        Participant(
            slug=e.slug, name_en=e.name_en, name_ar=e.name_ar,
            kind="person" if e.kind == "person" else "country",
            country=e.slug if e.is_country else e.country,
            roles=tuple(r for r in (e.roles or []) if isinstance(r, dict)),
            first_offset=first, mentions=count,
        )
        for first, count, e in seen.values()
    ]


def _countries_by_slug(matches):
    return {m.entity.slug: m.entity for m in matches if m.entity.is_country}


def _arabic_spelling(article, match, entity):
    """How the article spells the place where it first names it (the old name of a renamed city), else its name."""
    for start, end in match.mentions:
        if 0 <= start < end <= len(article.body):
            words = article.body[start:end].strip()
            known = {normalize(n) for n in (entity.name_ar, *entity.aliases)}
            for candidate in (words, re.sub(r"^[وبل]", "", words)):
                if normalize(candidate) in known:
                    return candidate
    return entity.name_ar


class HeadlineLookups:
    """The reference rows the headlines of many events read, each read once (refresh_events passes one of these
    for all the events it refreshes: the same answers as asking for each event, fewer queries)."""

    def __init__(self):
        self._meetings, self._cities, self._countries = {}, {}, {}

    def meeting(self, wanted_keys):
        """The earliest reference meeting among these (series slug, start) pairs, or None."""
        if wanted_keys not in self._meetings:
            wanted = Q(pk__in=[])
            for slug, start in wanted_keys:
                wanted |= Q(series__slug=slug, start=start)
            self._meetings[wanted_keys] = ReferenceMeeting.objects.filter(wanted).order_by("start").first() if wanted_keys else None
        return self._meetings[wanted_keys]

    def city(self, name_en):
        if name_en not in self._cities:
            self._cities[name_en] = Entity.objects.filter(kind="place", is_country=False, name_en=name_en).first()
        return self._cities[name_en]

    def country(self, slug):
        if slug not in self._countries:
            self._countries[slug] = Entity.objects.filter(slug=slug, is_country=True).first()
        return self._countries[slug]


def _place_from_meeting(articles, day, lookups):
    keys = {key for a in articles for key in (a.signature or {}).get("meetings", []) if isinstance(key, str)}
    wanted = []
    for key in sorted(keys):
        slug, _, start = key.partition(":")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
            wanted.append((slug, start))
    meeting = lookups.meeting(tuple(wanted))
    if meeting is None:
        return None
    city = lookups.city(meeting.city_en)
    country = city.country if city else ""
    return Place(meeting.city_en, meeting.city_ar, country)


def _place_from_text(speaker, matches, day):
    """The first city the speaking article names near its top (a dateline, the lead)."""
    candidates = []
    for match in matches:
        entity = match.entity
        if match.article_id != speaker.pk or entity.kind != "place" or entity.is_country or not entity.country:
            continue
        first = min((start for start, _ in match.mentions if isinstance(start, int)), default=10**9)
        if first <= PROMINENT_OFFSET:
            candidates.append((first, entity.slug, match))
    if not candidates:
        return None
    match = min(candidates)[2]
    entity = match.entity
    english = name_on(entity.name_en, entity.historic, day)
    arabic = entity.name_ar if english == entity.name_en else _arabic_spelling(speaker, match, entity)
    return Place(english, arabic, entity.country)


def refresh_composed_headlines(event, articles, speaker, matches=None, lookups=None):
    """Set event.composed_headline_en/_ar and event.title_poor from the event's articles (not saved here).
    `matches`: their ArticleEntity rows with the entities, when the caller has read them already;
    `lookups`: a HeadlineLookups shared by the events refreshed together."""
    lookups = lookups or HeadlineLookups()
    if matches is None:
        matches = list(ArticleEntity.objects.filter(article__in=[a.pk for a in articles]).select_related("entity"))
    day = event.date_start
    place = _place_from_meeting(articles, day, lookups) or _place_from_text(speaker, matches, day)
    if place and place.country:
        country = _countries_by_slug(matches).get(place.country) or lookups.country(place.country)
        if country:
            place = Place(place.name_en, place.name_ar, place.country, country.name_en, country.name_ar)
    headlines = compose_headlines(event.event_type, _participants(matches), place, day)
    event.composed_headline_en = headlines.en[:300]
    event.composed_headline_ar = headlines.ar[:300]
    outlet_names = [n for a in articles if a.outlet for n in (a.outlet.name_ar, a.outlet.name_en, *a.outlet.aliases)]
    place_names = [n for m in matches if m.entity.kind == "place" for n in (m.entity.name_ar, *m.entity.aliases)]
    event.title_poor = title_is_poor(speaker.title, speaker.title_generated, outlet_names, place_names)
