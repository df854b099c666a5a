"""Pure-Python extraction: article text in, a result object out. No database, no Django."""

import hashlib
from dataclasses import dataclass, field

from .arabic import NormalizedText, normalize
from .clean import clean_article, html_to_text, looks_like_html, looks_like_text, normalized_hash_source
from .dates import DateClaim, DateFinder, parse_stamp
from .discovery import find_article_proposals
from .entities import find_article_entities
from .happenings import happening_signature
from .knowledge import Knowledge, OutletInfo
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
    published_evidence: str
    date: DateClaim | None
    topics: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    proposals: list = field(default_factory=list)  # names after a title that the gazetteer lacks
    signature: dict = field(default_factory=dict)
    content_hash: str = ""
    warnings: list = field(default_factory=list)
    removed: list = field(default_factory=list)

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
            "topics": [t.as_dict() for t in self.topics],
            "entities": [e.as_dict() for e in self.entities],
            "proposals": [p.as_dict() for p in self.proposals],
            "needs_review": self.needs_review,
            "warnings": self.warnings,
            "error": None,
        }


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
        if cleaned and cleaned not in ("وكالات", "وكالات الأنباء", "متابعات"):
            return OutletInfo(name_ar=cleaned)
    return None


def extract_article(raw_text, knowledge, published=None):
    """Clean, date, tag and fingerprint one article.

    `published` is a supplied publication date (admin form, feed metadata);
    a publication stamp printed in the text is used when none is supplied.
    """
    if raw_text is None or not looks_like_text(raw_text):
        raise ExtractionError("الملف فارغ أو لا يحتوي على نص مقروء (empty or not text)")
    if looks_like_html(raw_text):
        raw_text = html_to_text(raw_text)
    cleaned = clean_article(raw_text, knowledge)
    if not cleaned.paragraphs:
        raise ExtractionError("لا يوجد نص مقالة بعد التنظيف (no article text after cleaning)")
    published_evidence = ""
    if published is None and cleaned.published_stamp:
        published = parse_stamp(cleaned.published_stamp)
        published_evidence = cleaned.published_stamp if published else ""
    elif published is not None:
        published_evidence = "supplied"

    full_text = cleaned.title + "\n" + cleaned.body
    finder = DateFinder(cleaned.body, knowledge, published, title=cleaned.title)
    date = finder.find()
    # Which calendar meetings are this article's occasion, given its date.
    year = date.start.year if date else None
    meeting_keys = [
        f"{m.series.slug}:{m.meeting.start.isoformat()}"
        for m in finder.meeting_mentions(year)
        if date is not None and _overlaps(m.meeting, date)
    ]
    signature = happening_signature(
        cleaned.title, cleaned.lead, cleaned.body, meeting_keys, ignore_words=knowledge.name_words
    )
    kinds = set(signature["kinds"]) | ({"multilateral-meeting"} if meeting_keys else set())
    lead_end = len(NormalizedText.of(cleaned.title + "\n" + cleaned.lead).text)
    topics = find_topics(NormalizedText.of(full_text), knowledge.topics, lead_end=lead_end, kinds=kinds)
    content_hash = hashlib.sha256(normalized_hash_source(cleaned).encode("utf-8")).hexdigest()
    return ExtractionResult(
        title=cleaned.title,
        title_generated=cleaned.title_generated,
        body=cleaned.body,
        lead=cleaned.lead,
        outlet=_resolve_outlet(cleaned.outlet_names, cleaned.outlet_hints, knowledge),
        editor=cleaned.editor,
        published=published,
        published_evidence=published_evidence,
        date=date,
        topics=topics,
        entities=find_article_entities(cleaned.title, cleaned.body, knowledge),
        proposals=find_article_proposals(cleaned.title, cleaned.body, knowledge),
        signature=signature,
        content_hash=content_hash,
        warnings=list(date.warnings) if date else list(finder.warnings),
        removed=cleaned.removed,
    )
