import json
import logging
import re
from itertools import groupby

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import BooleanField, Prefetch
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from timeline.extract.search import highlight_pattern
from timeline.filtering import PAGE_SIZE, query_string, filtered_events
from timeline.exports import (
    citation_parts, event_or_redirect, event_url_parts, export_json_rows, permalink, streamed,
)
from timeline.history import date_corrections
from timeline.highlight import evidence_spans, first_passage, marked_paragraphs
from timeline import axis, facets
from timeline.extract.event_types import EVENT_TYPES
from timeline.page_cache import cached_page, data_version
from timeline.rows import rendered_rows
from timeline.models import ArticleEntity, ArticleTopic, Event
from timeline.search import suggestion, synonyms

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
    for kind in filters["types"]:
        chips.append((event_type_item(kind).name, query_string(filters, types=[t for t in filters["types"] if t != kind])))
    for key in ("entities", "outlets"):
        for item in filters[key]:
            chips.append((item.name, query_string(filters, **{key: [i for i in filters[key] if i != item]})))
    if filters["exact"]:
        chips.append((_("exact dates only"), query_string(filters, exact=False)))
    if filters["window_from"] or filters["window_to"]:
        window = "–".join(dict.fromkeys(w for w in (filters["window_from"], filters["window_to"]) if w))
        chips.append((window, query_string(filters, window_from=None, window_to=None)))
    return chips


# The ids of the elements inside the filters' drawer that swap the timeline by htmx (index.html).
DRAWER_CONTROLS = {"filters", "clear-filters", "suggestion-link"}


def event_type_item(code):
    """An event type as a facet option shows it: its code as the slug, its label in both languages."""
    english, arabic = EVENT_TYPES[code]
    return facets.Item(code, code, arabic, english)


def _type_options(block, filters):
    """Every event type that has events in the view without the type filter, or is chosen, in the list's order."""
    return [
        (event_type_item(code), block.type_counts.get(code, 0), code in filters["types"])
        for code in EVENT_TYPES
        if block.type_counts.get(code) or code in filters["types"]
    ]


def _page_number(request, form):
    raw = form.data.get("page", "1").strip() or "1"
    if re.fullmatch(r"[0-9]{1,6}", raw) and int(raw) >= 1:
        return int(raw)
    form.ignored.append(_("page “%(value)s” is not a page number") % {"value": raw[:20]})
    return 1


def _page_context(view, page, pages, total):
    """What changes from one page of a view to another: its events, the page numbers and the links that carry them."""
    filters = view.filters
    events = list(view.events.page_of(page, PAGE_SIZE).for_listing(with_bodies=bool(filters["q"])))
    pattern = highlight_pattern(filters["q"], synonyms()) if filters["q"] else None
    for event in events:
        event.passage = None
        if pattern:
            event.passage = first_passage([event.lead] + [a.body for a in event.articles.all()], pattern)  # prefetched
    event_query = query_string(filters)  # carried by every event's link
    rendered_rows(events, event_query)  # each event's row HTML, rendered only when not seen before
    return {
        "filters": filters,
        "events": events,
        "total": total,
        "groups": [(year, list(items)) for year, items in groupby(events, key=lambda e: e.date_start.year)],
        "page": page,
        "pages": pages,
        "previous_page": query_string(filters, page=page - 1) if page > 1 else None,
        "next_page": query_string(filters, page=page + 1) if page < pages else None,
        "event_query": event_query,
        "language_query": query_string(filters, page=page),
    }


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@cached_page
def index(request):
    view = filtered_events(request)
    form, filters = view.form, view.filters
    filters["topic_objects"] = [t for t in view.topics if t.slug in filters["topics"]]
    page = _page_number(request, form)

    block = facets.facet_block(view, data_version(request))  # every count on the page, one cached pass
    total = block.total
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    if page > pages and not block.approximate:  # (an estimated total cannot say a page does not exist)
        form.ignored.append(_("there is no page %(page)s: showing page %(last)s") % {"page": page, "last": pages})
        page = pages
    template = "timeline/index.html"
    swap = request.htmx and not request.htmx.history_restore_request
    if swap and request.htmx.target == "events-page" and not form.ignored:
        # Another page of the same view (a pagination link): only the list and the page numbers change, so only
        # they are sent (the counts and facets on screen stay right) and no facet is counted.
        response = render(request, template + "#events_page", {**_page_context(view, page, pages, total),
                                                                "page_only": True})
        page_query = query_string(filters, page=page)
        response["HX-Push-Url"] = request.path + (f"?{page_query}" if page_query else "")
        _estimated(response, block)
        return response

    all_years, count_by_year = block.all_years, block.year_counts

    query = view.query
    page_context = _page_context(view, page, pages, total)
    if block.approximate:  # the pages as far as the events seen say
        pages = max(pages, page + 1) if len(page_context["events"]) == PAGE_SIZE else page
        page_context.update(pages=pages, next_page=query_string(filters, page=page + 1) if page < pages else None)
    context = {
        **page_context,
        "form": form,
        "ignored": form.ignored,
        "topic_options": [(t, block.topic_counts.get(t.pk, 0), t.slug in filters["topics"]) for t in view.topics],
        "type_options": _type_options(block, filters),
        "year_options": [(year, count_by_year.get(year, 0)) for year in all_years],
        "entity_facets": block.entity_facets,
        "outlet_options": block.outlet_options,
        "exact_count": block.exact_count,
        "approximate": block.approximate,
        "chips": _chips(filters),
        # a swap asked for from inside the filters' drawer keeps it open (on a phone it is otherwise closed)
        "drawer_open": bool(swap) and request.htmx.trigger in DRAWER_CONTROLS,
        "suggestion": suggestion(filters["q"]) if filters["q"] else None,  # "did you mean" (one query)
        "clear_query": "",
        "query": query,
        "json_url": reverse("events_json") + (f"?{query}" if query else ""),
        "export_query": query,
        "axis": axis.build(view, block, page_context["events"], total),
    }
    if swap:
        response = render(request, template + "#results", context)
        # The address bar shows the canonical query (no empty fields), the URL that reproduces this view.
        page_query = query_string(filters, page=page)
        response["HX-Push-Url"] = request.path + (f"?{page_query}" if page_query else "")
    else:
        response = render(request, template, context)
    _estimated(response, block)
    return response


def _estimated(response, block):
    """Estimated counts: the page is not cached as the view's page (a reload shows the exact ones), only kept until
    they land (page_cache.ESTIMATED)."""
    if block.approximate:
        response.page_cacheable = False
        response.estimated_from = block.key


@require_safe
@cached_page
def event_detail(request, slug):
    event, moved = event_or_redirect(
        request, slug, "timeline:event",
        Event.objects.defer("search_document", "search_vector").prefetch_related("topics", "entities"),
    )
    if moved:
        return moved
    articles = list(
        event.articles.select_related("outlet").defer("raw_text", "signature").prefetch_related(
            Prefetch("topic_matches", queryset=ArticleTopic.objects.select_related("topic")),
            Prefetch("entity_matches", queryset=ArticleEntity.objects.select_related("entity")),
        )
    )
    for article in articles:
        spans = evidence_spans(article, article.topic_matches.all(), article.entity_matches.all())
        article.marked_body = marked_paragraphs(article.body, spans)
    view = filtered_events(request)
    # One step each way along event_chronology from the event's own place (row comparisons the index serves).
    neighbours = view.events.defer("search_document", "search_vector")
    previous_event = next_event = None
    if event.date_start:
        place = (event.date_start, event.date_end or event.date_start, event.pk)
        previous_event = neighbours.filter(_chronology_before(place)).order_by("-date_start", "-date_end", "-pk").first()
        next_event = neighbours.filter(_chronology_after(place)).first()
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


def _event_description(event):
    """One line for search engines and link previews: the editor's summary, else the date and the headline."""
    from timeline.templatetags.timeline_tags import when

    summary = " ".join(event.summary().split())
    if summary:
        return summary[:197] + "…" if len(summary) > 200 else summary
    return f"{when(event)}: {event.headline()}"


def _chronology_before(place):
    return RawSQL('("timeline_event"."date_start", "timeline_event"."date_end", "timeline_event"."id") < (%s, %s, %s)',
                  place, output_field=BooleanField())


def _chronology_after(place):
    return RawSQL('("timeline_event"."date_start", "timeline_event"."date_end", "timeline_event"."id") > (%s, %s, %s)',
                  place, output_field=BooleanField())


@require_safe
def events_json(request):
    """The current view as JSON, streamed (see exports.streamed): cut short, it is never valid JSON."""
    view = filtered_events(request)
    events = view.events
    count = events.count()
    head = {"count": count, "ignored": view.form.ignored}

    def chunks():
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "events": ['
        yield from export_json_rows(events, event_url_parts(request, permanent=False))
        yield "]}"

    return streamed(chunks(), "application/json", count)


def bench_constant(request):
    """bench/runner.py's constant view (only routed with BENCH_CONSTANT_VIEW=1): a fixed body, no database."""
    return HttpResponse("constant\n", content_type="text/plain")


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
