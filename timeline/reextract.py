"""Re-extraction: run extraction again on stored texts with today's reference data and regroup events,
keeping every field an editor set (Article.locked_fields, an editor's date, an event's own locks).

Used by `manage.py reextract`, the admin action on articles, the background job (timeline/jobs.py) and
the admin's change form when a publication date or address changes (re-dating). Each article is
re-extracted in its own transaction; a dry run does the same work in one transaction rolled back at the end.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from timeline import ingest
from timeline.extract import ExtractionError, extract_article
from timeline.history import machine
from timeline.models import Article, ArticleLock, Event
from timeline.reference import current_knowledge

#: What a report counts, in the order it prints them.
KINDS = ("redated", "regrouped", "topics", "entities", "title", "outlet", "unchanged", "failed")

#: The fields an editor's date lock keeps (the machine's own claim, machine_date, is refreshed beside it).
DATE_FIELDS = ("date_start", "date_end", "precision", "date_method", "date_evidence", "date_confidence", "needs_review")

#: What event matching reads of an article: when none of it changed, the article keeps its event.
GROUPING_FIELDS = ("date_start", "date_end", "precision", "date_method", "signature")


class _DryRun(Exception):
    """Raised to roll a dry run back."""


@dataclass
class Line:
    """What re-extraction did to one article."""

    article_id: int
    name: str
    kinds: list = field(default_factory=list)  # KINDS except unchanged and failed; empty: unchanged
    old_date: str = ""
    new_date: str = ""
    old_event: str = ""
    new_event: str = ""
    message: str = ""  # why it failed

    @property
    def status(self):
        return "failed" if self.message else ("changed" if self.kinds else "unchanged")

    def text(self):
        if self.message:
            return f"#{self.article_id} {self.name}: failed: {self.message}"
        if not self.kinds:
            return f"#{self.article_id} {self.name}: unchanged ({self.new_date})"
        parts = [f"date {self.old_date} → {self.new_date}" if "redated" in self.kinds else f"date {self.new_date}"]
        if "regrouped" in self.kinds:
            parts.append(f"event {self.old_event or '—'} → {self.new_event or '—'}")
        others = [k for k in self.kinds if k not in ("redated", "regrouped")]
        if others:
            parts.append("changed: " + ", ".join(others))
        return f"#{self.article_id} {self.name}: " + "; ".join(parts)

    def as_dict(self):
        return {"article": self.article_id, "status": self.status, "text": self.text()}


@dataclass
class Report:
    lines: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    events_removed: int = 0

    def add(self, line):
        self.lines.append(line)
        if line.message:
            self.counts["failed"] += 1
        elif not line.kinds:
            self.counts["unchanged"] += 1
        for kind in line.kinds:
            self.counts[kind] += 1

    def summary(self):
        counts = ", ".join(f"{self.counts.get(kind, 0)} {kind}" for kind in KINDS)
        return f"{len(self.lines)} article(s): {counts}; {self.events_removed} empty event(s) removed"


def date_text(article):
    if not article.date_start:
        return "undated"
    end = article.date_end or article.date_start
    span = str(article.date_start) if end == article.date_start else f"{article.date_start}..{end}"
    return f"{span} [{article.precision or '-'}, {article.date_method or '-'}]"


def _snapshot(article):
    return {
        "date": date_text(article),
        "grouping": tuple(getattr(article, name) for name in GROUPING_FIELDS),
        "event": article.event_id,
        "topics": sorted(article.topic_matches.values_list("topic__slug", flat=True)),
        "entities": sorted(article.entity_matches.values_list("entity__slug", flat=True)),
        "title": article.title,
        "outlet": article.outlet_id,
    }


def _published_supplied(article):
    """The publication date came with the article (an editor, a manifest, the add form), not from its address,
    page or text: it is passed to extraction again; a found one is found again (from the address as it is now)."""
    if article.is_locked(ArticleLock.PUBLISHED):
        return True
    return article.published_on is not None and (
        not article.published_evidence or article.published_evidence.startswith("supplied")
    )


def reextract_article(article, knowledge=None):
    """Re-extract one stored article and regroup what its new reading connects; a Line says what changed.

    Raises ExtractionError when its text cannot be read any more (the transaction is rolled back)."""
    knowledge = knowledge or current_knowledge()
    with transaction.atomic():
        ingest.hold_matching_lock()  # before the article's row is written: see ingest.hold_matching_lock
        article = Article.objects.select_related("event").select_for_update(of=("self",)).get(pk=article.pk)
        before = _snapshot(article)
        old_event_slug = article.event.slug if article.event else ""
        kept = {name: getattr(article, name) for name in (*DATE_FIELDS, "title", "title_generated", "outlet_id")}
        supplied = article.published_on if _published_supplied(article) else None
        result = extract_article(article.raw_text, knowledge, published=supplied, url=article.url or None)
        if supplied is None:
            article.published_on = None  # read again from the address, page or stamp
        content_hash = article.content_hash  # an article's identity: kept even if the cleaning changed
        outlet = article.outlet if article.is_locked(ArticleLock.OUTLET) else None
        ingest.apply_extraction(article, result, outlet=outlet)
        article.content_hash = content_hash
        if article.outlet_id is None:  # one supplied with the article (a manifest, the add form) is not in the text
            article.outlet_id = kept["outlet_id"]
        if article.is_locked(ArticleLock.DATE):
            for name in DATE_FIELDS:
                setattr(article, name, kept[name])
            # reasons about the date are the machine's doubts about a date no longer its own
            article.review_reasons = [r for r in article.review_reasons if r in ingest.NOT_ABOUT_THE_DATE]
        if article.is_locked(ArticleLock.TITLE):
            article.title, article.title_generated = kept["title"], kept["title_generated"]
        article.save()
        if not article.is_locked(ArticleLock.TOPICS):
            ingest.set_topics(article, result.topics)
        ingest.set_entities(article, result.entities)
        ingest.set_proposals(article, result.proposals)
        ingest.set_review_reasons(article)
        regroup = article.event_id is None or before["grouping"] != tuple(getattr(article, n) for n in GROUPING_FIELDS)
        if regroup:
            ingest.attach_to_event(article)
        else:
            ingest.refresh_event(Event.objects.get(pk=article.event_id))
        article.refresh_from_db()
        after = _snapshot(article)
        line = Line(article.pk, str(article)[:80], old_date=before["date"], new_date=after["date"],
                    old_event=old_event_slug, new_event=article.event.slug if article.event else "")
        if before["date"] != after["date"]:
            line.kinds.append("redated")
        if before["event"] != after["event"]:
            line.kinds.append("regrouped")
        for kind in ("topics", "entities", "title", "outlet"):
            if before[kind] != after[kind]:
                line.kinds.append(kind)
    return line


def select_articles(ids=(), every=False, since=None, outlet=None):
    """The articles a run covers, in id order: these ids, or all, or those added since a date, or an outlet's
    (`since` and `outlet` narrow each other)."""
    articles = Article.objects.order_by("pk")
    if ids:
        return articles.filter(pk__in=list(ids))
    if every:
        return articles
    if since is None and not outlet:
        return articles.none()
    if since is not None:
        articles = articles.filter(created_at__date__gte=since)
    if outlet:
        articles = articles.filter(outlet__slug=outlet)
    return articles


def run(article_ids, *, dry_run=False, on_line=None, knowledge=None, command="reextract"):
    """Re-extract these articles (ids) one by one; `on_line(line)` after each. A dry run changes nothing.

    The history names `command` as the author of every change (with the editor, when a request asked)."""
    knowledge = knowledge or current_knowledge()
    report = Report()
    article_ids = list(article_ids)
    events_before = set(Article.objects.filter(pk__in=article_ids, event__isnull=False).values_list("event_id", flat=True))
    with machine(command):
        if dry_run:
            try:
                with transaction.atomic():
                    _each(article_ids, knowledge, report, on_line)
                    report.events_removed = _removed(events_before)
                    raise _DryRun
            except _DryRun:
                pass
        else:
            _each(article_ids, knowledge, report, on_line)
            report.events_removed = _removed(events_before)
    return report


def _removed(event_ids):
    """How many of these events are gone (emptied by regrouping: their addresses now lead to their heirs)."""
    return len(event_ids) - Event.objects.filter(pk__in=event_ids).count()


def _each(article_ids, knowledge, report, on_line):
    names = dict(Article.objects.filter(pk__in=list(article_ids)).values_list("pk", "title"))
    for pk in article_ids:
        if pk not in names:
            line = Line(pk, "?", message="no such article (deleted since?)")
        else:
            try:
                line = reextract_article(Article(pk=pk), knowledge)
            except ExtractionError as exc:
                line = Line(pk, names[pk][:80], message=str(exc))
            except Exception as exc:  # noqa: BLE001 - one article must not stop the run; it is reported
                line = Line(pk, names[pk][:80], message=f"{type(exc).__name__}: {str(exc).strip()[:200]}")
        report.add(line)
        if on_line:
            on_line(line)
