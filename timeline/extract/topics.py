"""Tag an article with topics from the editable lexicon, keeping the matched words as evidence.

A topic is what the article is about, not every word it passes: a keyword in the headline or
lead counts LEAD_WEIGHT times, one further down counts once, and a topic needs MIN_SCORE
(one mention up top, or two further down).
What the article reports (a visit, talks, a summit of a multilateral series) adds to the
topics that kind of happening belongs to.
"""

from dataclasses import dataclass

from .arabic import NormalizedText

LEAD_WEIGHT = 2
MIN_SCORE = 2
#: Happening kinds (see happenings.py) and the topic each one is evidence for.
KIND_TOPICS = {"visit": "diplomacy", "talks": "diplomacy", "statement": "diplomacy", "multilateral-meeting": "multilateral"}


@dataclass
class TopicMatch:
    slug: str
    evidence: list
    hits: int

    def as_dict(self):
        return {"slug": self.slug, "evidence": self.evidence}


def find_topics(text, lexicons, lead_end=None, kinds=(), min_score=MIN_SCORE):
    """Topics of `text`; characters before `lead_end` (headline and lead) weigh more."""
    norm = text if isinstance(text, NormalizedText) else NormalizedText.of(text)
    lead_end = len(norm.text) if lead_end is None else lead_end
    boosted = {KIND_TOPICS[k] for k in kinds if k in KIND_TOPICS}
    matches = []
    for lexicon in lexicons:
        if lexicon.regex is None:
            continue
        hits = list(lexicon.regex.finditer(norm.text))
        score = sum(LEAD_WEIGHT if hit.start() < lead_end else 1 for hit in hits)
        if lexicon.slug in boosted:
            score += MIN_SCORE
        if score < min_score or not hits and lexicon.slug not in boosted:
            continue
        evidence = []
        for hit in hits:
            words = norm.span(*hit.span()).strip()
            if words not in evidence:
                evidence.append(words)
        matches.append(TopicMatch(lexicon.slug, evidence[:12], len(hits)))
    return matches
