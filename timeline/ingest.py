"""Turn extraction results into rows: one transaction per article, idempotent, order-independent.

An article joins an existing event when both report the same happening (same
calendar meeting, same leader's visit, or the same day and the same words) and
their dates overlap; otherwise it starts a new event. The event's date, title
and topics are recomputed from all its articles by a rule that does not depend
on which article came first.
"""

import codecs
import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from timeline.extract import ExtractionError, extract_article
from timeline.models import REVIEW_CONFIDENCE, Article, ArticleEntity, ArticleTopic, Entity, Event, Outlet, Topic
from timeline.reference import current_knowledge

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 1_000_000  # a news article is a few tens of kilobytes
_PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "": 0}


@dataclass
class Outcome:
    name: str
    status: str  # "new", "unchanged" or "failed"
    article: Article | None = None
    message: str = ""


# --- reading files ------------------------------------------------------------------------


def decode_article_bytes(data, name="input"):
    """Text from bytes, or ExtractionError saying why not (empty, binary, undecodable, too large)."""
    if not data or not data.strip():
        raise ExtractionError(f"{name}: الملف فارغ (empty file)")
    if len(data) > MAX_ARTICLE_BYTES:
        raise ExtractionError(
            f"{name}: الملف أكبر من {MAX_ARTICLE_BYTES // 1000} كيلوبايت، وهذا ليس حجم مقالة إخبارية "
            f"(file is {len(data) // 1000} KB, over the {MAX_ARTICLE_BYTES // 1000} KB limit for one article)"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        raise ExtractionError(f"{name}: ملف ثنائي وليس نصا (binary file: contains NUL bytes)")
    else:
        candidates = ["utf-8-sig", "cp1256"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1256" and not _mostly_arabic(text):
            break
        return text
    raise ExtractionError(
        f"{name}: تعذرت قراءة الترميز (undecodable: not UTF-8, UTF-16 or Windows-1256 Arabic text)"
    )


def _mostly_arabic(text):
    letters = [ch for ch in text if ch.isalpha()]
    arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff")
    return bool(letters) and arabic / len(letters) > 0.5


def article_files(paths):
    """Every .txt file under the given files and folders, sorted, plus unreadable paths."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".text"))
        else:
            yield path


# --- writing one article -------------------------------------------------------------------


def ingest_file(path, knowledge):
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Outcome(name, "failed", message=f"{name}: {exc.strerror or exc}")
    try:
        text = decode_article_bytes(data, name)
        return ingest_text(text, knowledge=knowledge, source_name=Path(path).name)
    except ExtractionError as exc:
        return Outcome(name, "failed", message=str(exc))


def ingest_text(text, *, knowledge=None, source_name="", url="", published=None, outlet=None):
    """Extract and store one article in its own transaction; an Outcome says what happened."""
    knowledge = knowledge or current_knowledge()
    name = source_name or "article"
    try:
        result = extract_article(text, knowledge, published=published)
    except ExtractionError as exc:
        return Outcome(name, "failed", message=f"{name}: {exc}")
    existing = Article.objects.filter(content_hash=result.content_hash).first()
    if existing:
        return Outcome(name, "unchanged", existing, "already ingested")
    try:
        with transaction.atomic():
            article = Article(raw_text=text, source_name=source_name, url=url, published_on=published)
            apply_extraction(article, result, outlet=outlet)
            article.save()
            set_topics(article, result.topics)
            set_entities(article, result.entities)
            attach_to_event(article)
    except IntegrityError:
        # Another process stored the same text a moment ago.
        return Outcome(name, "unchanged", Article.objects.filter(content_hash=result.content_hash).first())
    return Outcome(name, "new", article)


def apply_extraction(article, result, outlet=None):
    """Copy an extraction result onto an (unsaved or re-extracted) article."""
    article.title = result.title
    article.title_generated = result.title_generated
    article.body = result.body
    article.lead = result.lead
    article.editor = result.editor
    article.content_hash = result.content_hash
    article.signature = result.signature
    article.outlet = outlet or outlet_for(result.outlet)
    if article.published_on is None and result.published:
        article.published_on = result.published
    article.published_evidence = result.published_evidence[:300]
    claim = result.date
    if claim:
        article.date_start, article.date_end = claim.start, claim.end
        article.precision, article.date_method = claim.precision, claim.method
        article.date_evidence = claim.evidence
        if result.warnings:
            article.date_evidence += " — " + "؛ ".join(result.warnings)
        article.date_confidence = claim.confidence
    else:
        article.date_start = article.date_end = None
        article.precision = article.date_method = article.date_evidence = ""
        article.date_confidence = 0.0
    article.needs_review = result.needs_review


def outlet_for(info):
    if info is None:
        return None
    if info.slug:
        outlet = Outlet.objects.filter(slug=info.slug).first()
        if outlet:
            return outlet
    slug = slugify(info.name_en) or "outlet-" + slugify(info.name_ar, allow_unicode=True)[:80]
    outlet, _ = Outlet.objects.get_or_create(slug=slug[:100], defaults={"name_ar": info.name_ar, "name_en": info.name_en})
    return outlet


def set_topics(article, matches):
    article.topic_matches.all().delete()
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=[m.slug for m in matches])}
    ArticleTopic.objects.bulk_create(
        ArticleTopic(article=article, topic=topics[m.slug], evidence=m.evidence) for m in matches if m.slug in topics
    )


def set_entities(article, matches):
    article.entity_matches.all().delete()
    entities = {e.slug: e for e in Entity.objects.filter(slug__in=[m.slug for m in matches])}
    ArticleEntity.objects.bulk_create(
        ArticleEntity(article=article, entity=entities[m.slug], mentions=[list(span) for span in m.mentions])
        for m in matches
        if m.slug in entities
    )


# --- events ----------------------------------------------------------------------------------


def same_happening(a, b):
    """Do articles a and b (already date-compatible) report the same happening?"""
    sa, sb = a.signature or {}, b.signature or {}
    if set(sa.get("meetings", [])) & set(sb.get("meetings", [])):
        return True
    if sa.get("visit") and sa.get("visit") == sb.get("visit"):
        return True
    if a.precision == b.precision == "day" and abs((a.date_start - b.date_start).days) <= 1:
        wa, wb = set(sa.get("words", [])), set(sb.get("words", []))
        if wa and wb and len(wa & wb) / len(wa | wb) >= 0.2:
            return True
    return False


def attach_to_event(article):
    """Put the article on the event it reports, creating or merging events as needed."""
    if not article.is_dated:
        event = Event.objects.create(slug=_event_slug(article), title=article.title)
        article.event = event
        article.save(update_fields=["event"])
        refresh_event(event)
        return event
    candidates = (
        Event.objects.select_for_update()
        .filter(date_start__lte=article.date_end, date_end__gte=article.date_start)
        .exclude(pk=article.event_id or 0)
        .prefetch_related("articles")
        .order_by("pk")
    )
    matched = [e for e in candidates if any(same_happening(article, other) for other in e.articles.all())]
    previous = article.event
    if matched:
        event = Event.objects.get(pk=matched[0].pk)  # without the candidates' prefetched articles
        for other in matched[1:]:
            other.articles.update(event=event)
            other.delete()
    else:
        event = Event.objects.create(slug=_event_slug(article), title=article.title)
    article.event = event
    article.save(update_fields=["event"])
    refresh_event(event)
    if previous and previous.pk != event.pk:
        _refresh_or_delete(previous)
    return event


def _refresh_or_delete(event):
    if Article.objects.filter(event=event).exists():
        refresh_event(event)
    else:
        event.delete()


def _event_slug(article):
    stem = article.date_start.strftime("%Y-%m-%d") if article.date_start else "undated"
    return f"{stem}-{article.content_hash[:8]}"


def primary_article(articles):
    """The article that speaks for the event: best date, a real title, a report over a preview."""
    return max(
        articles,
        key=lambda a: (
            _PRECISION_RANK[a.precision or ""],
            round(a.date_confidence, 2),
            not a.title_generated,
            not (a.signature or {}).get("preview"),
            a.content_hash,
        ),
    )


def refresh_event(event):
    """Recompute an event's date, title, lead and topics from its articles."""
    articles = list(Article.objects.filter(event=event))  # not event.articles: it may be a stale prefetch
    if not articles:
        return
    lead = primary_article(articles)
    dated = [a for a in articles if a.is_dated]
    titled = [a for a in articles if not a.title_generated] or articles
    speaker = primary_article(titled)
    event.title = speaker.title[:500]
    event.lead = speaker.lead or lead.lead
    if not event.date_locked:
        if dated:
            best = primary_article(dated)
            event.date_start, event.date_end = best.date_start, best.date_end
            event.precision, event.date_method = best.precision, best.date_method
            event.date_evidence, event.date_confidence = best.date_evidence, best.date_confidence
            event.needs_review = best.needs_review or best.date_confidence < REVIEW_CONFIDENCE
        else:
            event.date_start = event.date_end = None
            event.precision = event.date_method = event.date_evidence = ""
            event.date_confidence = 0.0
            event.needs_review = True
    event.save()
    event.topics.set(Topic.objects.filter(article_matches__article__event=event).distinct())
    event.entities.set(Entity.objects.filter(article_matches__article__event=event).distinct())


def reattach(article):
    """After an editor changes an article's date: find its event again."""
    with transaction.atomic():
        return attach_to_event(article)

