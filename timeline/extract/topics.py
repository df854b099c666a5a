"""Tag an article with topics from the editable lexicon, keeping the matched words as evidence."""

from dataclasses import dataclass

from .arabic import NormalizedText

#: A topic needs this many keyword hits: one passing mention is not what an article is about.
MIN_HITS = 2


@dataclass
class TopicMatch:
    slug: str
    evidence: list
    hits: int

    def as_dict(self):
        return {"slug": self.slug, "evidence": self.evidence}


def find_topics(text, lexicons, min_hits=MIN_HITS):
    norm = text if isinstance(text, NormalizedText) else NormalizedText.of(text)
    matches = []
    for lexicon in lexicons:
        if lexicon.regex is None:
            continue
        hits = list(lexicon.regex.finditer(norm.text))
        if len(hits) < min_hits:
            continue
        evidence = []
        for hit in hits:
            words = norm.span(*hit.span()).strip()
            if words not in evidence:
                evidence.append(words)
        matches.append(TopicMatch(lexicon.slug, evidence[:12], len(hits)))
    return matches
