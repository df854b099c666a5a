from dataclasses import dataclass
from itertools import groupby

from django.db import connection
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from timeline.forms import TimelineFilter
from timeline.models import ArticleTopic, Entity, Event, Topic


MAX_ENTITY_FILTERS = 10


@dataclass
class FilteredView:
    """The timeline's query string read once: the form, the clean filters and the querysets they give."""

    form: TimelineFilter
    filters: dict
    topics: list
    base: object  # every dated event matching the entity filter (facet counts start here)
    by_year: object  # base within the chosen years
    events: object  # the events on screen, in order

    @property
    def query(self):
        return _query_string(self.filters)


def filtered_events(request):
    """Read the timeline filters from request.GET (bad values are dropped and reported, never raised)."""
    topics = list(Topic.objects.all())
    wanted = [v[:120] for v in request.GET.getlist("entity")[:MAX_ENTITY_FILTERS] if v.strip()]
    known = list(Entity.objects.filter(slug__in=wanted)) if wanted else []
    form = TimelineFilter(request.GET, topics, known)
    filters = form.filters()
    base = Event.objects.dated().involving([e.slug for e in filters["entities"]])
    by_year = base.between(filters["year_from"], filters["year_to"])
    events = by_year.about(filters["topics"]).chronological()
    return FilteredView(form, filters, topics, base, by_year, events)


def _query_string(filters):
    params = []
    if filters["year_from"]:
        params.append(("year_from", filters["year_from"]))
    if filters["year_to"]:
        params.append(("year_to", filters["year_to"]))
    params += [("topic", slug) for slug in filters["topics"]]
    params += [("entity", entity.slug) for entity in filters["entities"]]
    return urlencode(params)


@require_GET
@vary_on_headers("HX-Request")
def index(request):
    view = filtered_events(request)
    form, filters, topics, by_year, base = view.form, view.filters, view.topics, view.by_year, view.base
    events = list(view.events.for_listing())
    topic_counts = by_year.topic_counts()
    year_counts = base.about(filters["topics"]).year_counts()
    years = [year for year, _ in base.year_counts()]
    count_by_year = dict(year_counts)
    query = view.query
    context = {
        "form": form,
        "filters": filters,
        "ignored": form.ignored,
        "events": events,
        "groups": [(year, list(items)) for year, items in groupby(events, key=lambda e: e.date_start.year)],
        "topic_options": [(t, topic_counts.get(t.slug, 0), t.slug in filters["topics"]) for t in topics],
        "year_options": [(year, count_by_year.get(year, 0)) for year in years],
        "query": query,
        "active_entities": [
            (entity, _query_string({**filters, "entities": [e for e in filters["entities"] if e != entity]}))
            for entity in filters["entities"]
        ],
        "json_url": reverse("events_json") + (f"?{query}" if query else ""),
    }
    template = "timeline/index.html"
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, template + "#results", context)
        # The address bar shows the canonical query (no empty fields), the URL that reproduces this view.
        response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
        return response
    return render(request, template, context)


@require_GET
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.prefetch_related("topics", "entities"), slug=slug)
    articles = event.articles.select_related("outlet").prefetch_related(
        Prefetch("topic_matches", queryset=ArticleTopic.objects.select_related("topic"))
    )
    return render(request, "timeline/event.html", {"event": event, "articles": list(articles)})


@require_GET
def events_json(request):
    view = filtered_events(request)
    form = view.form
    events = list(view.events.for_listing())
    payload = {
        "count": len(events),
        "ignored": form.ignored,
        "events": [
            {
                "slug": event.slug,
                "title": event.title,
                "url": request.build_absolute_uri(event.get_absolute_url()),
                "date": event.date_claim(),
                "topics": [t.slug for t in event.topics.all()],
                "entities": [e.name_en for e in event.entities.all()],
                "articles": [
                    {
                        "title": a.title,
                        "outlet": (a.outlet.name_en or a.outlet.name_ar) if a.outlet else None,
                        "url": a.url or None,
                    }
                    for a in event.articles.all()
                ],
            }
            for event in events
        ],
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
