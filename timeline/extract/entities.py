"""People, places and organisations from the gazetteer, with every mention's offsets.

All aliases (and people's and places' English names, left in Latin letters by some outlets) are
matched in one pass over the normalised text, and the other spellings of
people's and places' names (spelling.py: ج/غ, ق/ك, ي single or double, vowels, joined
names) in a second; at any position the longest name wins, so "نور سلطان نزارباييف" is
the person while "نور سلطان 7 يونيو" is the city, and Arabic's attached prefixes
(و، ب، ل، ال، بال، لل…) are allowed.
"""

import contextlib
import re
from dataclasses import dataclass, field

from .arabic import PREFIX, NormalizedText, normalize, trie_pattern
from .spelling import BORROWED, is_near, is_stop_word, variant_key, variant_pieces


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


#: Kinds whose names are foreign names, spelt in the ways spelling.py knows.
VARIANT_KINDS = {"person", "place"}


@dataclass
class GazetteerIndex:
    """Two one-pass regexes over the gazetteer: the aliases as written, and their spelling variants."""

    exact: re.Pattern
    by_core: dict  # normalised alias -> entity
    variants: re.Pattern | None = None
    by_key: dict = field(default_factory=dict)  # variant_key -> [(alias core, entity)]
    _checks: dict = field(default_factory=dict, repr=False)  # alias core -> its own variant pattern
    _spans: dict | None = field(default=None, repr=False)  # during an extraction: texts scanned -> their spans

    def variant_entity(self, core):
        """The entity whose alias this spelling is a variant of; None for a common word or a tie."""
        if is_stop_word(core):
            return None
        # The spelling must be one that an alias's own pattern accepts and stays near to; when the
        # aliases of two entities do, it is a tie and nobody's.
        owners = {
            id(entity): entity
            for alias, entity in self.by_key.get(variant_key(core), ())
            if is_near(core, alias) and self._check(alias).fullmatch(core)
        }
        return next(iter(owners.values())) if len(owners) == 1 else None

    def _check(self, alias):
        if alias not in self._checks:
            self._checks[alias] = re.compile("".join(variant_pieces(alias)))
        return self._checks[alias]


def _prefixed(trie):
    # A lookahead finds a candidate at every word start (the trie gives the longest alias there);
    # overlapping candidates are then resolved in favour of the longer one.
    return re.compile(r"(?<![\w])" + PREFIX + r"(?=(?P<core>" + trie + r")(?![\w]))")


def gazetteer_index(entities):
    """A GazetteerIndex over all aliases of all entities (None when there are none).

    Aliases of people and places also match their spelling variants (spelling.py); a variant is
    only kept when it is not a common word and not another entity's name.
    """
    by_core = {}
    for entity in entities:
        for alias in (entity.name_ar, *entity.aliases, *_latin_name(entity)):
            core = _core(alias)
            if len(core) >= 3:
                by_core.setdefault(core, entity)
    if not by_core:
        return None
    by_key = {}
    for core, entity in by_core.items():
        if entity.kind in VARIANT_KINDS and _is_arabic_name(core):
            by_key.setdefault(variant_key(core), []).append((core, entity))
    variants = None
    if by_key:
        variants = _prefixed(trie_pattern([c for owners in by_key.values() for c, _ in owners], variant_pieces))
    return GazetteerIndex(_prefixed(trie_pattern(by_core)), by_core, variants, by_key)


def _latin_name(entity):
    """A person's or place's English name, as outlets quoting agencies leave it ("الرئيس الصيني Xi Jinping").

    Matched as written, capitals and all; organisations' English names are left out, as those are
    often plain English words an English quote could hold ("Belt and Road Forum").
    """
    return (entity.name_en,) if entity.kind in VARIANT_KINDS and entity.name_en else ()


def _is_arabic_name(core):
    return all("\u0621" <= ch <= "\u064a" or ch in BORROWED or ch == " " for ch in core)


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


@contextlib.contextmanager
def spans_remembered(knowledge):
    """Within it, each text is scanned for names once: one article's extraction asks for its body's spans
    (names, proposals) and its title's twice each. Outside it nothing is kept (the spans follow the
    gazetteer and the spelling rules, which may change between two articles)."""
    index = knowledge.entity_index
    if index is None:
        yield
        return
    index._spans = {}
    try:
        yield
    finally:
        index._spans = None


def gazetteer_spans(norm, knowledge):
    """((start, end, entity), ...) of every gazetteer name in a NormalizedText, in normalised offsets."""
    index = knowledge.entity_index
    if index is None:
        return ()
    remembered = index._spans
    spans = remembered.get(norm.text) if remembered is not None else None
    if spans is None:
        spans = tuple(_gazetteer_spans(norm.text, index))
        if remembered is not None:
            remembered[norm.text] = spans
    return spans


def _gazetteer_spans(text, index):
    # A core written as the alias is (single spaces between its words) is its own _JOINERS.sub: the aliases' keys
    # hold no other joiner, so a core found among them needs no substitution (most of them; a sub costs ~1 µs).
    by_core = index.by_core
    candidates = []
    for match in index.exact.finditer(text):
        core = match.group("core")
        entity = by_core.get(core)
        if entity is None:
            entity = by_core.get(_JOINERS.sub(" ", core))
        if entity is not None:
            candidates.append((*match.span("core"), entity))
    if index.variants is not None:
        # Second pass for the other spellings; the exact pass keeps its own longest-alias choice,
        # and an exact match goes first so that it wins a tie over a variant of the same span.
        for match in index.variants.finditer(text):
            core = match.group("core")
            if core in by_core:
                continue
            core = _JOINERS.sub(" ", core)
            if core in by_core:
                continue
            entity = index.variant_entity(core)
            if entity is not None:
                candidates.append((*match.span("core"), entity))
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
