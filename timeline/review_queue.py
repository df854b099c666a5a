"""The admin's review queue: what waits for an editor and why, with the dates the text allows.

GET  lists the articles (or, `?kind=events`, the events) that need review, newest first, filtered by
     `?reason=<code>`, paginated; the same handful of queries whatever the page's size.
POST `accept` sets an article's date to one of its candidates as the editor's correction (the event is
     re-grouped and refreshed by ingest and its date locked); `reviewed` clears "needs review".
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from timeline import ingest
from timeline.models import Article, DateMethod, Event, ReviewReason

PER_PAGE = 25


def reason_counts():
    """{code: number of articles waiting for review with that reason}, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT reason, count(*) FROM {Article._meta.db_table}, unnest(review_reasons) AS reason"
            " WHERE needs_review GROUP BY reason"
        )
        return dict(cursor.fetchall())


def queue_size():
    """Articles and events that wait for an editor (the admin home's link)."""
    return Article.objects.filter(needs_review=True).count() + Event.objects.filter(needs_review=True).count()


def _events_for_review(reason):
    events = Event.objects.filter(needs_review=True)
    if reason:
        events = events.filter(articles__review_reasons__contains=[reason]).distinct()
    return events.order_by("-created_at", "-pk").prefetch_related(
        Prefetch("articles", queryset=Article.objects.only("pk", "event_id", "title", "review_reasons").order_by("pk"))
    )


@require_http_methods(["GET", "POST"])
def review_queue(request, model_admin):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        if not model_admin.has_change_permission(request):
            raise PermissionDenied
        return _act(request)
    kind = "events" if request.GET.get("kind") == "events" else "articles"
    reason = request.GET.get("reason", "")
    if reason not in ReviewReason.values:
        reason = ""
    if kind == "events":
        items = _events_for_review(reason)
    else:
        items = (
            Article.objects.for_review().with_reason(reason).select_related("outlet", "event")
            .defer("raw_text", "body", "lead", "signature", "event__search_document", "event__lead")
        )
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    if kind == "events":
        for event in page.object_list:
            codes = dict.fromkeys(code for article in event.articles.all() for code in article.review_reasons)
            if not event.date_start:
                codes = {"undated": None, **codes}
            event.reason_labels = [ReviewReason(c).label for c in codes if c in ReviewReason.values]
    else:
        methods = dict(DateMethod.choices)
        for article in page.object_list:
            for candidate in article.date_candidates:
                candidate["method_label"] = methods.get(candidate.get("method"), candidate.get("method", ""))
    counts = reason_counts()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Review queue"),
        "kind": kind,
        "reason": reason,
        "page": page,
        "reasons": [(code, label, counts.get(code, 0)) for code, label in ReviewReason.choices],
        "article_total": Article.objects.filter(needs_review=True).count(),
        "event_total": Event.objects.filter(needs_review=True).count(),
    }
    return TemplateResponse(request, "admin/timeline/review_queue.html", context)


def _back(request):
    target = request.POST.get("next", "")
    queue = reverse("admin:timeline_review_queue")
    return HttpResponseRedirect(target if target.startswith(queue) else queue)


def _act(request):
    action = request.POST.get("action")
    model = Event if request.POST.get("kind") == "events" else Article
    try:
        pk = int(request.POST.get("pk", ""))
    except ValueError:
        messages.error(request, _("Nothing chosen."))
        return _back(request)
    item = get_object_or_404(model, pk=pk)
    if action == "reviewed":
        item.needs_review = False
        item.save(update_fields=["needs_review"])
        messages.success(request, _("Marked as reviewed: %(item)s") % {"item": item})
    elif action == "accept" and model is Article:
        _accept(request, item)
    else:
        messages.error(request, _("Unknown action."))
    return _back(request)


def _accept(request, article):
    try:
        candidate = article.date_candidates[int(request.POST.get("candidate", ""))]
        start = datetime.date.fromisoformat(candidate["start"])
        end = datetime.date.fromisoformat(candidate["end"])
    except (ValueError, IndexError, KeyError, TypeError):
        messages.error(request, _("That candidate date no longer exists; the page was reloaded."))
        return
    with transaction.atomic():
        ingest.hold_matching_lock()
        article.date_start, article.date_end = start, end
        article.precision = candidate.get("precision") or "day"
        article.date_method = DateMethod.EDITOR
        article.date_confidence = 1.0
        article.date_evidence = _("accepted by %(user)s from the candidates: %(evidence)s") % {
            "user": request.user.get_username(), "evidence": candidate.get("evidence", ""),
        }
        article.needs_review = False
        article.save()
        event = ingest.attach_to_event(article)
        if event is not None:
            # The editor's date is kept: the event is no longer re-dated from its articles.
            event.date_start, event.date_end, event.precision = start, end, article.precision
            event.date_method, event.date_confidence = DateMethod.EDITOR, 1.0
            event.date_evidence, event.needs_review, event.date_locked = article.date_evidence, False, True
            event.save()
    messages.success(request, _("Date %(start)s–%(end)s accepted for “%(article)s”.") % {
        "start": start, "end": end, "article": article,
    })
