"""People, places and organisations from the gazetteer, with every mention's offsets.

All aliases are matched in one pass over the normalised text; at any position the
longest alias wins, so "نور سلطان نزارباييف" is the person while "نور سلطان 7 يونيو"
is the city, and Arabic's attached prefixes (و، ب، ل، ال، بال، لل…) are allowed.
"""

import re
from dataclasses import dataclass, field

from .arabic import PREFIX, NormalizedText, normalize, trie_pattern


@dataclass
class EntityMatch:
    slug: str
    name_en: str
    name_ar: str
    kind: str
    mentions: list = field(default_factory=list)  # [(start, end)] offsets in the text searched
    title_mentions: int = 0
    is_country: bool = False

    def as_dict(self):
        return {
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "kind": self.kind,
            "mentions": len(self.mentions) + self.title_mentions,
        }


_JOINERS = re.compile(r"[\s\-–—/]+")


def _core(alias):
    """The alias as matched after the prefixes: normalised, leading article removed, joiners as spaces.

    Only the article goes: "ألماتي" keeps its "ال" (a hamza-alef, not the article).
    """
    starts_with_article = alias.strip()[:2] == "ال"
    alias = _JOINERS.sub(" ", normalize(alias)).strip()
    if starts_with_article and len(alias.split()[0]) > 3:
        return alias[2:]
    return alias


def gazetteer_index(entities):
    """(regex, {core: entity}) for all aliases of all entities."""
    by_core = {}
    for entity in entities:
        for alias in (entity.name_ar, *entity.aliases):
            core = _core(alias)
            if len(core) >= 3:
                by_core.setdefault(core, entity)
    if not by_core:
        return None, {}
    # A lookahead finds a candidate at every word start (the trie gives the longest alias there);
    # overlapping candidates are then resolved in favour of the longer one.
    regex = re.compile(r"(?<![\w])" + PREFIX + r"(?=(?P<core>" + trie_pattern(by_core) + r")(?![\w]))")
    return regex, by_core


def _longest_first(candidates):
    """Non-overlapping (start, end, entity) spans, a longer span beating any shorter one it overlaps."""
    chosen = []
    for start, end, entity in sorted(candidates, key=lambda c: (c[0], c[0] - c[1])):
        if chosen and start < chosen[-1][1]:
            if end - start > chosen[-1][1] - chosen[-1][0]:
                chosen[-1] = (start, end, entity)
            continue
        chosen.append((start, end, entity))
    return chosen


def gazetteer_spans(norm, knowledge):
    """[(start, end, entity)] of every gazetteer name in a NormalizedText, in normalised offsets."""
    regex, by_core = knowledge.entity_index
    if regex is None:
        return []
    candidates = []
    for match in regex.finditer(norm.text):
        entity = by_core.get(_JOINERS.sub(" ", match.group("core")))
        if entity is not None:
            candidates.append((match.start("core"), match.end("core"), entity))
    return _longest_first(candidates)


def find_entities(text, knowledge):
    norm = text if isinstance(text, NormalizedText) else NormalizedText.of(text)
    found = {}
    for start, end, entity in gazetteer_spans(norm, knowledge):
        item = found.setdefault(
            entity.slug, EntityMatch(entity.slug, entity.name_en, entity.name_ar, entity.kind, is_country=entity.is_country)
        )
        item.mentions.append(norm.original_offsets(start, end))
    return sorted(found.values(), key=lambda e: (e.mentions[0][0], e.slug))


def find_article_entities(title, body, knowledge):
    """Entities of an article: offsets are in the body; mentions in the title are counted too."""
    found = {e.slug: e for e in find_entities(body, knowledge)}
    for match in find_entities(title, knowledge):
        item = found.setdefault(
            match.slug, EntityMatch(match.slug, match.name_en, match.name_ar, match.kind, is_country=match.is_country)
        )
        item.title_mentions += len(match.mentions)
    return sorted(found.values(), key=lambda e: (e.mentions[0][0] if e.mentions else -1, e.slug))
