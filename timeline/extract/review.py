"""Why an article waits for an editor (stable reason codes), and the other dates its text allows.

Pure Python like the rest of extract/: the labels an editor reads live with the models
(timeline.models.ReviewReason); here are only the codes and the ranking of candidate dates.
"""

import datetime

from .dates import CONFIDENCE, PUBLICATION_LABEL, DateClaim, explicit_dates

#: Every reason an article can wait in the review queue, in the order they are listed.
REVIEW_REASONS = (
    "undated",
    "low_confidence",
    "weekday_contradiction",
    "two_datelines",
    "stamp_before_event",
    "hijri_mismatch",
    "meeting_mismatch",
    "conflicting_anniversaries",
    "partial_text",
    "proposed_entity",
    "possible_duplicate",
)

#: How many candidate dates an article keeps.
CANDIDATES = 5

_METHOD_RANK = {"dateline": 6, "explicit": 5, "relative": 4, "calendar": 3, "anniversary": 2, "publication": 1}


def reasons_for(date, confidence_floor, warning_codes, notes=()):
    """The reason codes an extraction gives on its own (without the database: no duplicate, no proposal)."""
    reasons = []
    if date is None:
        reasons.append("undated")
    elif date.confidence < confidence_floor:
        reasons.append("low_confidence")
    reasons += [code for code in warning_codes if code in REVIEW_REASONS]
    if notes:
        reasons.append("partial_text")
    return sorted(set(reasons), key=REVIEW_REASONS.index)


def _as_dict(claim, chosen):
    return {**claim.as_dict(), "chosen": chosen}


def date_candidates(finder, chosen=None, limit=CANDIDATES, doubtful=True):
    """The dates the text allows, each with its evidence, strongest first; the chosen date leads.

    `finder` is the DateFinder that chose the date (what it has read is reused); each method is asked on
    its own, and any warning that asking adds is taken back, so the chosen date and its warnings never
    change by looking for the others. Two candidates for the same days are one. Only a `doubtful`
    extraction (one the review queue will show) looks for the others.
    """
    if not doubtful:  # a confident date with no warning: the other readings are not worth their cost
        return [_as_dict(chosen, True)] if chosen is not None else []
    kept = len(finder.warnings), len(finder.warning_codes)
    try:
        return _candidates(finder, finder.published, chosen, limit)
    finally:
        del finder.warnings[kept[0]:]
        del finder.warning_codes[kept[1]:]


def _candidates(probe, published, chosen, limit):
    claims = []
    located = probe.dateline()
    if located:
        found, span = located
        claims.append(DateClaim(found.start, found.end, found.precision, "dateline", f"«{probe.quote(span)}»",
                                CONFIDENCE["dateline"]))
    lead_end = probe._lead_end(2)
    founding = probe._anchor_dates()  # "since 3 January 1992" is not when anything in the report happened
    for found in [f for f in explicit_dates(probe.text, probe.default_year) if f.start not in founding][:20]:
        confidence = CONFIDENCE["explicit"] - 0.1 if found.span[0] < lead_end else CONFIDENCE["publication"] - 0.15
        claims.append(DateClaim(found.start, found.end, found.precision, "explicit", f"«{probe.quote(found.span)}»",
                                confidence))
    if published:
        relative = probe.relative_to(published, PUBLICATION_LABEL)
        if relative:
            claims.append(relative)
    anniversary = probe.from_anniversaries(record=False)
    if anniversary:
        claims.append(anniversary)
    context_year = anniversary.start.year if anniversary else (published.year if published else None)
    calendar = probe.from_calendar(context_year)
    if calendar:
        claims.append(calendar)
    if chosen is not None and chosen.start == chosen.end:
        # "اليوم (الجمعة)" under a Thursday's dateline: the day of that weekday nearest the chosen date.
        lead_end = probe._lead_end(2)
        for weekday, span in probe.weekday_mentions():
            if span[0] > lead_end or weekday == chosen.start.weekday():
                continue
            shift = (weekday - chosen.start.weekday() + 3) % 7 - 3
            day = chosen.start + datetime.timedelta(days=shift)
            claims.append(DateClaim(day, day, "day", "relative", f"«{probe.quote(span)}» + {chosen.start.isoformat()}",
                                    CONFIDENCE["contradicted"]))
    if published:
        claims.append(DateClaim(published, published, "day", "publication",
                                probe.anchor_words(published, PUBLICATION_LABEL), CONFIDENCE["publication"]))
    claims.sort(key=lambda c: (-round(c.confidence, 2), -_METHOD_RANK.get(c.method, 0), c.start))
    seen = set()
    ranked = []
    if chosen is not None:
        ranked.append(_as_dict(chosen, True))
        seen.add((chosen.start, chosen.end))
    for claim in claims:
        if (claim.start, claim.end) in seen or not isinstance(claim.start, datetime.date):
            continue
        seen.add((claim.start, claim.end))
        ranked.append(_as_dict(claim, False))
    return ranked[:limit]
