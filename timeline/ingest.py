"""Turn extraction results into rows: one transaction per article, idempotent, order-independent.

An article joins an existing event when both report the same happening (same
calendar meeting, same leader's visit, or the same day and the same words) and
their dates overlap; otherwise it starts a new event. The event's date, title
and topics are recomputed from all its articles by a rule that does not depend
on which article came first.
"""

import csv
import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from timeline.extract import ExtractionError, extract_article
from timeline.extract.entities import find_article_entities
from timeline.extract.event_types import event_type_of
from timeline.extract.search import search_stems
from timeline.extract.decode import MAX_ARTICLE_BYTES, MAX_PAGE_BYTES, decode_article_bytes  # noqa: F401 (used by admin, commands)
from timeline.models import (
    REVIEW_CONFIDENCE,
    Article,
    ArticleEntity,
    ArticleTopic,
    Entity,
    Event,
    Outlet,
    ProposalStatus,
    ProposedEntity,
    Topic,
)
from timeline.reference import current_knowledge


_PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "": 0}


@dataclass
class Outcome:
    name: str
    status: str  # "new", "unchanged" or "failed"
    article: Article | None = None
    message: str = ""


# --- reading files ------------------------------------------------------------------------


ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm")


def article_files(paths):
    """Every article file (.txt, .html) under the given files and folders, sorted, plus unreadable paths."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            yield path


@dataclass
class ManifestRow:
    """What a manifest says about one file: its address, publication date and outlet (each optional)."""

    file: Path
    url: str = ""
    published: datetime.date | None = None
    outlet: str = ""


@dataclass
class Manifest:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # bad rows: (file name, message naming it and the line)

    def row_for(self, path):
        """The row for a file named on the command line: the same path, failing that the same file name."""
        path = Path(path)
        same = [r for r in self.rows if r.file == path.resolve()] or [r for r in self.rows if r.file.name == path.name]
        return same[0] if same else None


def _manifest_records(text):
    """(line number, row as a dict) for a CSV with a header row, or for JSON lines."""
    if text.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    record = {"error": f"not JSON ({exc.msg})"}
                yield number, record if isinstance(record, dict) else {"error": "not a JSON object"}
        return
    reader = csv.DictReader(io.StringIO(text))
    for record in reader:
        yield reader.line_num, record


def read_manifest(path):
    """Read a manifest (CSV with a header row, or JSON lines) of columns file, url, published, outlet.

    `file` is absolute or relative to the manifest's folder. A row whose file is missing or whose date
    is not a date (YYYY-MM-DD, not after today) is a problem, reported by its file name; the others stand.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # what spreadsheets export
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text") from exc
    manifest = Manifest()
    for number, record in _manifest_records(text):
        where = f"{path.name} line {number}"
        record = {str(k).strip().lower(): "" if v is None else str(v).strip() for k, v in record.items() if k}
        name = record.get("file") or ""
        if not name:
            manifest.problems.append((where, f"{where}: {record.get('error') or 'no file column'}"))
            continue
        file = (path.parent / name).resolve()
        if not file.is_file():
            manifest.problems.append((name, f"{name} ({where}): no such file"))
            continue
        published = None
        if record.get("published"):
            try:
                published = datetime.date.fromisoformat(record["published"][:10])
            except ValueError:
                published = None
            if published is None or published > datetime.date.today():
                manifest.problems.append((name, f"{name} ({where}): publication date «{record['published']}» is not a date"))
                continue
        manifest.rows.append(ManifestRow(file, record.get("url", ""), published, record.get("outlet", "")))
    return manifest


def files_with_metadata(paths, manifest=None):
    """(file, manifest row or None) for every file to read: those under `paths`, else the manifest's own."""
    if paths:
        return [(p, manifest.row_for(p) if manifest else None) for p in article_files(paths)]
    return [(row.file, row) for row in manifest.rows] if manifest else []


# --- writers at the same moment -------------------------------------------------------------


def _hold_lock(name):
    """Take the PostgreSQL advisory lock called `name`, held until the current transaction ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("an advisory lock taken outside a transaction is released at once")
    key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def hold_article_lock(content_hash):
    """Serialise writers of one text: the duplicate check after it sees any article stored before."""
    _hold_lock(f"timeline.article:{content_hash}")


def hold_matching_lock():
    """Serialise event matching, so that the grouping never depends on the timing of saves.

    One key for all happenings, not one per day: matching re-groups the whole connected component
    of "same happening" links, which can reach days far from the new article's, and is only known
    once read. Taken before the caller writes any article row (two saves each holding a row the other
    re-groups would deadlock). Matching takes milliseconds; extraction, the slow part, runs before it.
    """
    _hold_lock("timeline.event-matching")


# --- writing one article -------------------------------------------------------------------


def read_article(data, name):
    """An article file's text: a saved web page (.html) may be larger than an article's text."""
    html = Path(name).suffix.lower() in (".html", ".htm")
    return decode_article_bytes(data, name, max_bytes=MAX_PAGE_BYTES if html else MAX_ARTICLE_BYTES)


def ingest_file(path, knowledge, row=None):
    """Ingest one file; `row` is its manifest row (address, publication date, outlet), if any."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Outcome(name, "failed", message=f"{name}: {exc.strerror or exc}")
    row = row or ManifestRow(Path(path))
    try:
        text = read_article(data, name)
        return ingest_text(
            text, knowledge=knowledge, source_name=Path(path).name, url=row.url, published=row.published, outlet=row.outlet
        )
    except ExtractionError as exc:
        return Outcome(name, "failed", message=str(exc))


def ingest_text(text, *, knowledge=None, source_name="", url="", published=None, outlet=""):
    """Extract and store one article in its own transaction; an Outcome says what happened.

    `url`, `published` and `outlet` (a name) are what came with the article; each is optional."""
    knowledge = knowledge or current_knowledge()
    name = source_name or "article"
    try:
        result = extract_article(text, knowledge, published=published, url=url or None, outlet=outlet or None)
    except ExtractionError as exc:
        return Outcome(name, "failed", message=f"{name}: {exc}")
    try:
        with transaction.atomic():
            hold_article_lock(result.content_hash)
            existing = Article.objects.filter(content_hash=result.content_hash).first()
            if existing:
                return Outcome(name, "unchanged", existing, "already ingested")
            hold_matching_lock()
            article = Article(raw_text=text, source_name=source_name, url=url or result.url, published_on=published)
            apply_extraction(article, result)
            article.save()
            set_topics(article, result.topics)
            set_entities(article, result.entities)
            set_proposals(article, result.proposals)
            set_review_reasons(article)
            attach_to_event(article)
    except IntegrityError:
        # Another writer that does not take the article lock stored the same text a moment ago.
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
    article.event_type = result.event_type
    article.event_type_evidence = result.event_type_evidence[:300]
    article.language = result.language
    article.outlet = outlet or outlet_for(result.outlet)
    if article.published_on is None and result.published:
        article.published_on = result.published
    article.published_evidence = result.published_how[:300]
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
    article.review_reasons = list(result.review_reasons)
    article.date_candidates = list(result.candidates)


def set_review_reasons(article):
    """Add the reasons only the database knows: a proposed name waiting for an editor, a possible
    duplicate (which the other article is flagged as too, whichever came first). Saves the article."""
    reasons = list(article.review_reasons)
    if article.proposals.filter(status=ProposalStatus.PROPOSED).exists():
        reasons.append("proposed_entity")
    twins = list(Article.objects.possible_duplicates_of(article).values_list("pk", flat=True)[:20])
    if twins:
        reasons.append("possible_duplicate")
        for twin in Article.objects.filter(pk__in=twins).exclude(review_reasons__contains=["possible_duplicate"]):
            twin.review_reasons = [*twin.review_reasons, "possible_duplicate"]
            twin.needs_review = True
            twin.save(update_fields=["review_reasons", "needs_review"])
    article.review_reasons = list(dict.fromkeys(reasons))
    article.needs_review = article.needs_review or bool(article.review_reasons)
    article.save(update_fields=["review_reasons", "needs_review"])


def outlet_for(info):
    if info is None:
        return None
    if info.slug:
        outlet = Outlet.objects.filter(slug=info.slug).first()
        if outlet:
            return outlet
    slug = slugify(info.name_en) or "outlet-" + slugify(info.name_ar, allow_unicode=True)[:80]
    outlet, _ = Outlet.objects.get_or_create(
        slug=slug[:100], defaults={"name_ar": info.name_ar, "name_en": info.name_en, "domains": list(info.domains)}
    )
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


def set_proposals(article, proposals):
    """Link the article to the names it puts after a title; an accepted or rejected name is not proposed again."""
    rows = []
    for proposal in proposals:
        row, _ = ProposedEntity.objects.get_or_create(
            key=proposal.key[:200],
            defaults={
                "name_ar": proposal.name_ar[:200], "kind": proposal.kind,
                "country": proposal.country, "evidence": proposal.evidence[:300],
            },
        )
        if row.status != ProposalStatus.PROPOSED:
            continue
        if proposal.name_ar != row.name_ar and proposal.name_ar not in row.spellings:
            row.spellings.append(proposal.name_ar[:200])
            row.save(update_fields=["spellings"])
        rows.append(row)
    # Links to accepted or rejected names stay: they are the record of where a name was met.
    article.proposals.remove(*article.proposals.filter(status=ProposalStatus.PROPOSED).exclude(pk__in=[r.pk for r in rows]))
    article.proposals.add(*rows)


def accept_proposals(proposals):
    """Each proposal becomes a gazetteer entity; the articles that mention them are tagged again.

    Returns (entities created, articles re-tagged).
    """
    accepted = []
    for proposal in proposals:
        if proposal.status == ProposalStatus.ACCEPTED:
            continue
        name_en = proposal.name_en.strip() or proposal.name_ar
        proposal.entity = Entity.objects.create(
            slug=_free_entity_slug(slugify(proposal.name_en) or slugify(proposal.name_ar, allow_unicode=True) or "entity"),
            kind=proposal.kind, name_en=name_en, name_ar=proposal.name_ar, country=proposal.country,
            aliases=proposal.spellings,
        )
        proposal.status = ProposalStatus.ACCEPTED
        proposal.save(update_fields=["entity", "status"])
        accepted.append(proposal)
    articles = list(Article.objects.filter(proposals__in=accepted).distinct())
    retag_entities(articles)
    return len(accepted), len(articles)


def _free_entity_slug(stem):
    stem = stem[:110]
    taken = set(Entity.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    slug, suffix = stem, 2
    while slug in taken:
        slug, suffix = f"{stem}-{suffix}", suffix + 1
    return slug


def retag_entities(articles, knowledge=None):
    """Match the gazetteer again on these articles (after it grew) and refresh their events' entities."""
    knowledge = knowledge or current_knowledge()
    event_ids = set()
    for article in articles:
        set_entities(article, find_article_entities(article.title, article.body, knowledge))
        if article.event_id:
            event_ids.add(article.event_id)
    for event in Event.objects.filter(pk__in=event_ids):
        refresh_event(event)


# --- events ---------------------------------------------------------------------------------
#
# Which articles share an event is decided on the set of articles, never on their order: a new
# (or re-dated) article pulls in every dated article connected to it by "same happening" links,
# and that group is clustered again in a canonical order, strongest date first.

METHOD_RANK = {"editor": 7, "dateline": 6, "explicit": 5, "relative": 4, "calendar": 3, "anniversary": 2, "publication": 1}
SAME_DAY_SLACK = datetime.timedelta(days=1)


def _interval(article):
    return article.date_start, article.date_end or article.date_start


def dates_compatible(a, b, slack=SAME_DAY_SLACK):
    (s1, e1), (s2, e2) = _interval(a), _interval(b)
    return s1 - slack <= e2 and s2 - slack <= e1


def same_happening(a, b):
    """Do dated articles a and b report the same happening?"""
    if not dates_compatible(a, b):
        return False
    sa, sb = a.signature or {}, b.signature or {}
    if set(sa.get("meetings", [])) & set(sb.get("meetings", [])):
        return True
    if sa.get("visit") and sa.get("visit") == sb.get("visit"):
        return True
    if a.precision == b.precision == "day" and set(sa.get("kinds", [])) & set(sb.get("kinds", [])):
        wa, wb = set(sa.get("words", [])), set(sb.get("words", []))
        if wa and wb and len(wa & wb) / len(wa | wb) >= 0.25:
            return True
    return False


def _strength(article):
    """Sort key: the strongest date evidence first, then a stable tie-break on the text's hash."""
    return (
        -METHOD_RANK.get(article.date_method, 0),
        -_PRECISION_RANK[article.precision or ""],
        -round(article.date_confidence, 2),
        article.date_start,
        article.content_hash,
    )


def _component(article):
    """Every dated article linked to this one, directly or through others, by same_happening."""
    members = {article.pk: article}
    frontier = [article]
    while frontier:
        current = frontier.pop()
        start, end = _interval(current)
        nearby = Article.objects.filter(
            date_start__isnull=False, date_start__lte=end + SAME_DAY_SLACK, date_end__gte=start - SAME_DAY_SLACK
        ).exclude(pk__in=list(members))
        for other in nearby:
            if other.pk not in members and same_happening(current, other):
                members[other.pk] = other
                frontier.append(other)
    return list(members.values())


def _clusters(articles):
    """Canonical clustering: an article joins the first group it reports on and whose exact days it fits."""
    groups = []
    for article in sorted(articles, key=_strength):
        for group in groups:
            fits = all(dates_compatible(article, m) for m in group if m.precision == "day")
            if fits and any(same_happening(article, m) for m in group):
                group.append(article)
                break
        else:
            groups.append([article])
    return groups


def attach_to_event(article):
    """Put the article on the event it reports, re-grouping the articles its arrival connects."""
    with transaction.atomic():
        hold_matching_lock()
        return _attach_to_event(article)


def _attach_to_event(article):
    previous_ids = {article.event_id} if article.event_id else set()
    if not article.is_dated:
        event = _new_event(article)
        article.event = event
        article.save(update_fields=["event"])
        refresh_event(event)
        _tidy(previous_ids - {event.pk})
        return event
    component = _component(article)
    previous_ids |= {a.event_id for a in component if a.event_id}
    used = set()
    for group in _clusters(component):
        counts = {}
        for member in group:
            if member.event_id and member.event_id not in used:
                counts[member.event_id] = counts.get(member.event_id, 0) + 1
        event_id = min(counts, key=lambda pk: (-counts[pk], pk)) if counts else _new_event(group[0]).pk
        used.add(event_id)
        Article.objects.filter(pk__in=[m.pk for m in group]).update(event_id=event_id)
        for member in group:
            member.event_id = event_id
    _tidy(previous_ids | used)
    article.refresh_from_db(fields=["event"])
    return article.event


def _tidy(event_ids):
    """Refresh the events whose articles changed; delete the ones left without articles."""
    for event in Event.objects.filter(pk__in=event_ids):
        if Article.objects.filter(event=event).exists():
            refresh_event(event)
        else:
            event.delete()


def _new_event(article):
    stem = article.date_start.strftime("%Y-%m-%d") if article.date_start else "undated"
    slug = f"{stem}-{article.content_hash[:8]}"
    taken = set(Event.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    suffix = 2
    while slug in taken:
        slug = f"{stem}-{article.content_hash[:8]}-{suffix}"
        suffix += 1
    return Event.objects.create(slug=slug, title=article.title[:500])


def primary_article(articles):
    """The article that speaks for the event: strongest date, a real title, a report over a preview."""
    return min(
        articles,
        key=lambda a: (
            _strength(a)[:3],
            a.title_generated,
            bool((a.signature or {}).get("preview")),
            a.content_hash,
        ),
    )


def article_event_type(articles):
    """An event's type from its articles': the most common, the primary article's on a tie; reports
    speak before previews (an interview ahead of a visit does not make the visit an interview)."""
    reports = [a for a in articles if not (a.signature or {}).get("preview")] or articles
    return event_type_of([a.event_type for a in reports], primary_article(reports).event_type)


#: Review reasons about an article, not about its date: they do not send its event to review.
NOT_ABOUT_THE_DATE = {"proposed_entity", "possible_duplicate"}


def date_needs_review(article):
    """Whether an article's date needs an editor (a proposed name or a duplicate leaves the event's date alone)."""
    if article.date_confidence < REVIEW_CONFIDENCE:
        return True
    if not article.needs_review:
        return False
    return not article.review_reasons or bool(set(article.review_reasons) - NOT_ABOUT_THE_DATE)


def refresh_event(event):
    """Recompute an event's date, title, lead, topics and entities from its articles."""
    # not event.articles: that may be a stale prefetch
    articles = list(Article.objects.filter(event=event).select_related("outlet"))
    if not articles:
        return
    dated = [a for a in articles if a.is_dated]
    titled = [a for a in articles if not a.title_generated] or articles
    speaker = primary_article(titled)
    event.title = speaker.title[:500]
    event.lead = speaker.lead or primary_article(articles).lead
    if not event.event_type_locked:
        event.event_type = article_event_type(articles)
    if not event.date_locked:
        if dated:
            best = primary_article(dated)
            event.date_start, event.date_end = best.date_start, best.date_end
            event.precision, event.date_method = best.precision, best.date_method
            event.date_evidence, event.date_confidence = best.date_evidence, best.date_confidence
            event.needs_review = date_needs_review(best)
        else:
            event.date_start = event.date_end = None
            event.precision = event.date_method = event.date_evidence = ""
            event.date_confidence = 0.0
            event.needs_review = True
    topics = list(Topic.objects.filter(article_matches__article__event=event).distinct())
    entities = list(Entity.objects.filter(article_matches__article__event=event).distinct())
    outlets = {a.outlet for a in articles if a.outlet}
    event.search_document = search_stems(
        "\n".join(
            [a.title + "\n" + a.body for a in articles]
            + [f"{o.name_ar} {o.name_en}" for o in outlets]
            + [f"{t.name_ar} {t.name_en}" for t in topics]
            + [f"{e.name_ar} {e.name_en}" for e in entities]
        )
    )
    event.save()
    event.topics.set(topics)
    event.entities.set(entities)

