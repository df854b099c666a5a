"""Pure-Python extraction: article text in, a result object out. No database, no Django."""

import hashlib
from dataclasses import dataclass, field

from .arabic import NormalizedText, normalize, strip_controls
from .clean import clean_article, could_name_outlet, looks_like_html, looks_like_text, normalized_hash_source
from .dates import DateClaim, DateFinder, parse_stamp
from .discovery import find_article_proposals
from .entities import find_article_entities, spans_remembered
from .event_types import explain as explain_event_type
from .happenings import happening_signature
from .knowledge import Knowledge, OutletInfo
from .language import detect_language
from .metadata import (
    Publication,
    best_publication,
    canonical_url,
    date_from_html,
    date_from_url,
    date_readings_from_url,
    main_text_from_html,
)
from .metadata import is_heavy_page, month_from_url, plausible_publication, registrable_domain
from .review import date_candidates, reasons_for
from .topics import find_topics

__all__ = ["ExtractionError", "ExtractionResult", "Knowledge", "extract_article", "normalize"]


class ExtractionError(ValueError):
    """The input cannot be an article (empty, binary, no text)."""


@dataclass
class ExtractionResult:
    title: str
    title_generated: bool
    body: str
    lead: str
    outlet: OutletInfo | None
    editor: str
    published: object  # datetime.date | None
    published_evidence: str  # the address's segment, the page's tag, the printed stamp
    date: DateClaim | None
    published_method: str = ""  # supplied | address | page metadata | text stamp (metadata.METHODS)
    topics: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    proposals: list = field(default_factory=list)  # names after a title that the gazetteer lacks
    signature: dict = field(default_factory=dict)
    event_type: str = "other"  # event_types.EVENT_TYPES code of the happening reported
    event_type_evidence: str = ""  # the rule and words it rests on
    content_hash: str = ""
    warnings: list = field(default_factory=list)
    # review.REVIEW_REASONS codes this extraction alone gives (the database adds proposals and duplicates)
    review_reasons: list = field(default_factory=list)
    # other dates the text allows, ranked, the chosen one first (review.date_candidates)
    candidates: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    url: str = ""  # the address supplied, or the one the page gives for itself
    language: str = "ar"  # language.detect_language: ar, en, zh, ru, kk, fr or und

    @property
    def published_how(self):
        """'address: /2022/9/14/': how the publication date was found, as an Article keeps it."""
        return f"{self.published_method}: {self.published_evidence}".rstrip(": ") if self.published_method else ""

    @property
    def needs_review(self):
        return self.date is None or self.date.confidence < REVIEW_CONFIDENCE or bool(self.warnings)

    def as_dict(self, file=None):
        return {
            "file": file,
            "title": self.title,
            "outlet": {"name_ar": self.outlet.name_ar, "name_en": self.outlet.name_en or None} if self.outlet else None,
            "date": self.date.as_dict() if self.date else None,
            "published": self.published.isoformat() if self.published else None,
            "published_method": self.published_method or None,
            "published_evidence": self.published_evidence or None,
            "topics": [t.as_dict() for t in self.topics],
            "entities": [e.as_dict() for e in self.entities],
            "proposals": [p.as_dict() for p in self.proposals],
            "event_type": self.event_type,
            "needs_review": self.needs_review,
            "language": self.language,
            "warnings": self.warnings,
            "review_reasons": self.review_reasons,
            "candidates": self.candidates,
            "error": None,
        }


#: Characters of an article's body that dates, topics, names and the happening are read from: ten times the
#: longest news article seen (the seeds' longest is under 9,000). Beyond it a text is no news report, and
#: reading all of an accepted megabyte would cost more than an editor can wait; the body is stored whole.
ANALYSED_CHARS = 100_000

#: Mirrors timeline.models.REVIEW_CONFIDENCE (the models import nothing from here but arabic).
REVIEW_CONFIDENCE = 0.6


def _overlaps(meeting, claim, slack_days=3):
    import datetime

    slack = datetime.timedelta(days=slack_days)
    return meeting.start - slack <= claim.end and claim.start <= meeting.end + slack


def _resolve_outlet(names, hints, knowledge):
    for name in [*names, *hints]:
        known = knowledge.find_outlet(name)
        if known:
            return known
    for name in names:
        cleaned = name.strip(" -–:()")
        if cleaned not in ("وكالات", "وكالات الأنباء", "متابعات") and could_name_outlet(cleaned, knowledge):
            return OutletInfo(name_ar=cleaned)
    return None


def _outlet(cleaned, knowledge, url, named):
    """Who published the article: the name supplied with it, the site of its address, the text's own
    outlet line, and only then an unknown site's registrable domain ("albayda-news.com")."""
    if named:
        return knowledge.find_outlet(named) or OutletInfo(name_ar=named.strip())
    found = knowledge.find_outlet_by_url(url) or _resolve_outlet(cleaned.outlet_names, cleaned.outlet_hints, knowledge)
    domain = registrable_domain(url) if url and not found else ""
    return found or (OutletInfo(name_ar=domain, name_en=domain, domains=(domain,)) if domain else None)


def _confirmed_reading(readings, cleaned, body, knowledge):
    """The one reading of an uncertain address date that the lead's weekday words confirm, else None."""
    if not readings:
        return None
    probe = DateFinder(body, knowledge, None, title=cleaned.title, dateline=cleaned.dateline)
    confirmed = [reading for reading in readings if probe.weekday_confirms(reading.date)]
    return confirmed[0] if len(confirmed) == 1 else None


def extract_article(raw_text, knowledge, published=None, url=None, outlet=None):
    """Clean, date, tag and fingerprint one article (see _extract_article)."""
    with spans_remembered(knowledge):
        return _extract_article(raw_text, knowledge, published, url, outlet)


def _extract_article(raw_text, knowledge, published=None, url=None, outlet=None):
    """Clean, date, tag and fingerprint one article.

    `published` is a supplied publication date (admin form, manifest row), `url` the article's
    address and `outlet` a supplied outlet name. Without a supplied date the publication date is
    read from the address, the page's metadata (HTML input) or a stamp printed in the text, in
    that order (metadata.METHODS says why); relative words are counted from it.
    """
    if raw_text is None or not looks_like_text(raw_text):
        raise ExtractionError("الملف فارغ أو لا يحتوي على نص مقروء (empty or not text)")
    page_date = None
    raw_text = strip_controls(raw_text)  # every title, body and piece of evidence below comes from this
    notes = []
    if looks_like_html(raw_text):
        if is_heavy_page(raw_text):
            notes.append("صفحة ثقيلة: قرئ نصها بمرشح الوسوم وحده، فقد تبقى فيه قوائم وتعليقات")
        url = url or canonical_url(raw_text)
        page_date = date_from_html(raw_text)
        raw_text = strip_controls(main_text_from_html(raw_text))  # "&#11;" in the markup is a control too
    cleaned = clean_article(raw_text, knowledge)
    if not cleaned.paragraphs:
        raise ExtractionError("لا يوجد نص مقالة بعد التنظيف (no article text after cleaning)")
    body = cleaned.body
    if len(body) > ANALYSED_CHARS:
        body = body[:ANALYSED_CHARS]
        notes.append(f"نص طويل جدا: قرئت أول {ANALYSED_CHARS} حرف منه فقط (text over {ANALYSED_CHARS} characters: only its start was read)")
    stamp = parse_stamp(cleaned.published_stamp) if cleaned.published_stamp else None
    if not plausible_publication(stamp):  # a page's "today" widget is not the article's date
        stamp = None
    publication = best_publication(
        [
            Publication(published, "supplied") if published else None,
            date_from_url(url),
            page_date,
            Publication(stamp, "text stamp", cleaned.published_stamp) if stamp else None,
        ]
    )
    if publication is None and url:
        publication = _confirmed_reading(date_readings_from_url(url), cleaned, body, knowledge)
    published = publication.date if publication else None
    # "/2010/1/529253.htm": no day, but the month the article was published in.
    published_month = month_from_url(url) if publication is None else None

    lead = cleaned.lead[:ANALYSED_CHARS]
    full_text = cleaned.title + "\n" + body
    finder = DateFinder(
        body, knowledge, published, title=cleaned.title,
        published_source=publication.describe() if publication else "", published_month=published_month,
        dateline=cleaned.dateline,
    )
    date = finder.find()
    # Which calendar meetings are this article's occasion, given its date.
    year = date.start.year if date else None
    occasions = [m for m in finder.meeting_mentions(year) if date is not None and _overlaps(m.meeting, date)]
    meeting_keys = [f"{m.series.slug}:{m.meeting.start.isoformat()}" for m in occasions]
    signature = happening_signature(
        cleaned.title, lead, body, meeting_keys, ignore_words=knowledge.name_words
    )
    event_type = explain_event_type(cleaned.title, lead, body, signature)
    # A state visit is in the calendar too, but it is no multilateral meeting.
    kinds = set(signature["kinds"]) | ({"multilateral-meeting"} if any(m.series.multilateral for m in occasions) else set())
    kinds.add(f"type:{event_type.code}")  # the happening's coded type speaks for its topic too (a state visit is diplomacy)
    lead_end = len(NormalizedText.of(cleaned.title + "\n" + cleaned.through_lead[:ANALYSED_CHARS]).text)
    topics = find_topics(NormalizedText.joined(cleaned.title, body), knowledge.topics, lead_end=lead_end, kinds=kinds)  # of(full_text)
    content_hash = hashlib.sha256(normalized_hash_source(cleaned).encode("utf-8")).hexdigest()
    return ExtractionResult(
        title=cleaned.title,
        title_generated=cleaned.title_generated,
        body=cleaned.body,
        lead=cleaned.lead,
        outlet=_outlet(cleaned, knowledge, url, outlet),
        editor=cleaned.editor,
        published=published,
        published_evidence=publication.evidence if publication else "",
        published_method=publication.method if publication else "",
        date=date,
        topics=topics,
        entities=find_article_entities(cleaned.title, body, knowledge),
        proposals=find_article_proposals(cleaned.title, body, knowledge),
        signature=signature,
        event_type=event_type.code,
        event_type_evidence=f"{event_type.rule}: {event_type.evidence}".rstrip(": "),
        content_hash=content_hash,
        warnings=(list(date.warnings) if date else list(finder.warnings)) + notes,
        review_reasons=reasons_for(date, REVIEW_CONFIDENCE, finder.warning_codes, notes),
        candidates=date_candidates(
            finder, chosen=date, doubtful=date is None or date.confidence < REVIEW_CONFIDENCE or bool(finder.warnings)
        ),
        removed=cleaned.removed,
        url=url or "",
        language=detect_language(full_text),
    )
