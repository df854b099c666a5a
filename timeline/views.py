import logging
import re
from itertools import groupby

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Prefetch, Q
import json

from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from timeline.extract.search import highlight_pattern
from timeline.filtering import PAGE_SIZE, query_string, filtered_events
from timeline.exports import CHUNK_SIZE, citation_parts, permalink
from timeline.history import date_corrections
from timeline.highlight import evidence_spans, marked_paragraphs, search_passage
from timeline.models import ArticleEntity, ArticleTopic, Entity, Event, EventSlug, Outlet
from timeline.search import synonyms

logger = logging.getLogger(__name__)


def _chips(filters):
    """(label, query string without it) for every active filter."""
    chips = []
    if filters["q"]:
        chips.append((f"«{filters['q']}»", query_string(filters, q="")))
    if filters["year_from"] or filters["year_to"]:
        years = "–".join(str(y) for y in dict.fromkeys([filters["year_from"], filters["year_to"]]) if y)
        chips.append((years, query_string(filters, year_from=None, year_to=None)))
    for topic in filters["topic_objects"]:
        chips.append((topic.name, query_string(filters, topics=[t for t in filters["topics"] if t != topic.slug])))
    for key in ("entities", "outlets"):
        for item in filters[key]:
            chips.append((item.name, query_string(filters, **{key: [i for i in filters[key] if i != item]})))
    if filters["exact"]:
        chips.append((_("exact dates only"), query_string(filters, exact=False)))
    return chips


def _page_number(request, form):
    raw = form.data.get("page", "1").strip() or "1"
    if re.fullmatch(r"[0-9]{1,6}", raw) and int(raw) >= 1:
        return int(raw)
    form.ignored.append(_("page “%(value)s” is not a page number") % {"value": raw[:20]})
    return 1


def _year_bars(year_counts, filters):
    """The year overview: one bar per year, as numbers the template turns into SVG."""
    if not year_counts:
        return []
    tallest = max(n for _, n in year_counts) or 1
    bars = []
    for year, n in year_counts:
        height = round(80 * n / tallest) if n else 0
        bars.append({
            "year": year, "count": n, "height": height, "y": 100 - height,
            "query": query_string(filters, year_from=year, year_to=year),
            "selected": filters["year_from"] == year == filters["year_to"],
        })
    return bars


@require_safe
@vary_on_headers("HX-Request")
def index(request):
    view = filtered_events(request)
    form, filters = view.form, view.filters
    filters["topic_objects"] = [t for t in view.topics if t.slug in filters["topics"]]
    page = _page_number(request, form)

    current = view.events_without()
    total = current.count()
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    if page > pages:
        form.ignored.append(_("there is no page %(page)s: showing page %(last)s") % {"page": page, "last": pages})
        page = pages
    events = list(view.events.for_listing()[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])

    topic_counts = view.events_without("topics").topic_counts()
    chart_counts = view.events_without("years").year_counts()
    all_years = [year for year, _ in Event.objects.dated().year_counts()]
    count_by_year = dict(chart_counts)
    entity_counts = Entity.objects.facet_counts(current, selected=filters["entities"])
    outlet_counts = Outlet.objects.facet_counts(view.events_without("outlets"), selected=filters["outlets"])
    exact_count = view.events_without("exact").filter(precision="day").count()

    pattern = highlight_pattern(filters["q"], synonyms()) if filters["q"] else None
    for event in events:
        event.passage = None
        if pattern:
            texts = [event.lead] + [a.body for a in event.articles.all()]  # prefetched: no query
            event.passage = next((p for p in (search_passage(t, pattern) for t in texts) if p), None)
    query = view.query
    context = {
        "form": form,
        "filters": filters,
        "ignored": form.ignored,
        "events": events,
        "total": total,
        "groups": [(year, list(items)) for year, items in groupby(events, key=lambda e: e.date_start.year)],
        "topic_options": [(t, topic_counts.get(t.slug, 0), t.slug in filters["topics"]) for t in view.topics],
        "year_options": [(year, count_by_year.get(year, 0)) for year in all_years],
        "year_bars": _year_bars([(y, count_by_year.get(y, 0)) for y in all_years], filters),
        "entity_facets": entity_counts,
        "outlet_options": outlet_counts,
        "exact_count": exact_count,
        "chips": _chips(filters),
        "clear_query": "",
        "query": query,
        "page": page,
        "pages": pages,
        "previous_page": query_string(filters, page=page - 1) if page > 1 else None,
        "next_page": query_string(filters, page=page + 1) if page < pages else None,
        "event_query": query_string(filters),
        "language_query": query_string(filters, page=page),
        "json_url": reverse("events_json") + (f"?{query}" if query else ""),
        "export_query": query,
    }
    template = "timeline/index.html"
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, template + "#results", context)
        # The address bar shows the canonical query (no empty fields), the URL that reproduces this view.
        page_query = query_string(filters, page=page)
        response["HX-Push-Url"] = request.path + (f"?{page_query}" if page_query else "")
        return response
    return render(request, template, context)


@require_safe
def event_detail(request, slug):
    event = Event.objects.prefetch_related("topics", "entities").filter(slug=slug).first()
    if event is None:
        return _redirect_to_holder(request, slug)
    articles = list(
        event.articles.select_related("outlet").prefetch_related(
            Prefetch("topic_matches", queryset=ArticleTopic.objects.select_related("topic")),
            Prefetch("entity_matches", queryset=ArticleEntity.objects.select_related("entity")),
        )
    )
    for article in articles:
        spans = evidence_spans(article, article.topic_matches.all(), article.entity_matches.all())
        article.marked_body = marked_paragraphs(article.body, spans)
    view = filtered_events(request)
    ordered = view.events
    previous_event = ordered.filter(_before(event)).order_by("-date_start", "-date_end", "-pk").first()
    next_event = ordered.filter(_after(event)).first()
    outlets = {a.outlet_id for a in articles if a.outlet_id}
    link = permalink(request, event)
    return render(
        request,
        "timeline/event.html",
        {
            "event": event,
            "articles": articles,
            "outlet_count": len(outlets),
            "languages": sorted({a.language for a in articles}),
            "permalink": link,
            "citation": citation_parts(event, link, timezone.localdate()),
            "previous_event": previous_event,
            "next_event": next_event,
            "event_query": view.query,
            "language_query": view.query,
            "corrections": date_corrections(event),
            "meta_title": event.headline(),
            "meta_description": _event_description(event),
            "og_type": "article",
        },
    )


def _redirect_to_holder(request, slug):
    """An address issued before (an event merged into another, or emptied by regrouping) answers with a
    permanent redirect to the event now holding that happening, in the same language, with the same query."""
    alias = EventSlug.objects.select_related("event").filter(slug=slug).first()
    if alias is None:
        raise Http404("no event at this address")
    target = alias.event.get_absolute_url()  # the active language's prefix, as in the request
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))


def _event_description(event):
    """One line for search engines and link previews: the editor's summary, else the date and the headline."""
    from timeline.templatetags.timeline_tags import when

    summary = " ".join(event.summary().split())
    if summary:
        return summary[:197] + "…" if len(summary) > 200 else summary
    return f"{when(event)}: {event.headline()}"


def _before(event):
    if not event.date_start:
        return Q(pk__in=[])
    return Q(date_start__lt=event.date_start) | Q(date_start=event.date_start, date_end__lt=event.date_end) | Q(
        date_start=event.date_start, date_end=event.date_end, pk__lt=event.pk
    )


def _after(event):
    if not event.date_start:
        return Q(pk__in=[])
    return Q(date_start__gt=event.date_start) | Q(date_start=event.date_start, date_end__gt=event.date_end) | Q(
        date_start=event.date_start, date_end=event.date_end, pk__gt=event.pk
    )


def _event_json(request, event):
    return {
        "slug": event.slug,
        "title": event.title,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "date": event.date_claim(),
        "topics": [t.slug for t in event.topics.all()],
        "entities": [e.name_en for e in event.entities.all()],
        "articles": [
            {"title": a.title, "outlet": (a.outlet.name_en or a.outlet.name_ar) if a.outlet else None, "url": a.url or None}
            for a in event.articles.all()
        ],
    }


@require_safe
def events_json(request):
    """The current view as JSON, streamed event by event so a large export stays small in memory."""
    view = filtered_events(request)
    events = view.events
    head = {"count": events.count(), "ignored": view.form.ignored}

    def chunks():
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "events": ['
        for i, event in enumerate(events.for_listing().iterator(chunk_size=CHUNK_SIZE)):
            yield ("," if i else "") + json.dumps(_event_json(request, event), ensure_ascii=False)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json")


@require_safe
def healthz(request):
    """For monitors and the container's health check: JSON, 200 when the database answers, else 503 and why."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        # The reason names the failing part, not the server's address or the driver's message (logged instead).
        logger.error("healthz: database unreachable: %s", exc)
        response = JsonResponse({"status": "unavailable", "database": "unreachable",
                                 "reason": f"database unreachable ({type(exc).__name__})"}, status=503)
        response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})
