"""The timeline's query string, read once: filters, the events they give, the canonical URL.

Every page and export goes through filtered_events(), so they always hold the same events.
"""

from dataclasses import dataclass

from django.utils.http import urlencode
from django.utils.translation import gettext as _

from timeline.extract.search import build_tsquery
from timeline.forms import TimelineFilter
from timeline.models import Entity, Event, EventType, Outlet, Topic
from timeline.search import synonyms

MAX_ENTITY_FILTERS = 10
PAGE_SIZE = 50


@dataclass
class FilteredView:
    """The timeline's query string read once: the form, the clean filters and the querysets they give."""

    form: TimelineFilter
    filters: dict
    topics: list
    tsquery: str | None
    # the events a rare search matches, read once from the index (None: no search, or too many to list)
    search_ids: list | None = None

    def events_without(self, *skip):
        """Dated events under every filter except those named (a facet counts without its own filter)."""
        f = self.filters
        qs = Event.objects.dated()
        if "q" not in skip:
            qs = qs.matching(self.tsquery, self.search_ids)
        if "entities" not in skip:
            qs = qs.involving([e.pk for e in f["entities"]])
        if "outlets" not in skip:
            qs = qs.from_outlets([o.pk for o in f["outlets"]])
        if "exact" not in skip and f["exact"]:
            qs = qs.filter(precision="day")
        if "years" not in skip:
            qs = qs.between(f["year_from"], f["year_to"])
        if "window" not in skip:
            qs = qs.within(f.get("window_start"), f.get("window_end"))
        if "topics" not in skip:
            qs = qs.about([t.pk for t in self.topics if t.slug in f["topics"]])
        if "types" not in skip:
            qs = qs.of_types(f["types"])
        return qs

    @property
    def events(self):
        return self.events_without().chronological()

    @property
    def query(self):
        return query_string(self.filters)


def filtered_events(request):
    """Read the timeline filters from request.GET (bad values are dropped and reported, never raised)."""
    topics = list(Topic.objects.all())
    form = TimelineFilter(request.GET, topics, EventType.values)  # drops values that cannot be valid before any query
    wanted = form.slugs("entity", MAX_ENTITY_FILTERS)
    wanted_outlets = form.slugs("outlet", MAX_ENTITY_FILTERS)
    form.recognise(
        Entity.objects.filter(slug__in=wanted) if wanted else [],
        Outlet.objects.filter(slug__in=wanted_outlets) if wanted_outlets else [],
    )
    filters = form.filters()
    tsquery = build_tsquery(filters["q"], synonyms()) if filters["q"] else None
    if filters["q"] and not tsquery:
        form.ignored.append(_("the search “%(q)s” has no word to look for") % {"q": filters["q"][:40]})
        filters["q"] = ""
    search_ids = Event.objects.ids_matching(tsquery) if tsquery else None
    return FilteredView(form, filters, topics, tsquery, search_ids)


def query_string(filters, **changes):
    """The canonical query string of these filters, with some of them changed (None removes)."""
    f = {**filters, **changes}
    params = []
    if f.get("q"):
        params.append(("q", f["q"]))
    if f.get("year_from"):
        params.append(("year_from", f["year_from"]))
    if f.get("year_to"):
        params.append(("year_to", f["year_to"]))
    if f.get("window_from"):
        params.append(("from", f["window_from"]))
    if f.get("window_to"):
        params.append(("to", f["window_to"]))
    params += [("topic", slug) for slug in f.get("topics") or []]
    params += [("type", code) for code in f.get("types") or []]
    params += [("entity", entity.slug) for entity in f.get("entities") or []]
    params += [("outlet", outlet.slug) for outlet in f.get("outlets") or []]
    if f.get("exact"):
        params.append(("exact", "1"))
    if f.get("page", 1) and f.get("page", 1) > 1:
        params.append(("page", f["page"]))
    return urlencode(params)
