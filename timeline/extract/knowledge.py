"""Reference knowledge the extractor reads: plain data, loaded from the database or fixtures."""

import datetime
import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property

from .arabic import NOT_ARTICLE, lexicon_keys, lexicon_regex, normalize, normalize_keyword, normalize_pattern
from .literals import FoundStrings, KeyOffsets, key_starts, matches_at, must_contain, must_contain_found, start_keys


# Outlets quote names: قمة "شنغهاي"، قمة «خماسي شنغهاي». A space in a pattern also takes quotation marks.
_QUOTED_SPACE = r"[\s\"'«»“”„]+"


def phrase_regex(patterns):
    """Compile editor-written Arabic patterns: normalised, 'ال' also matching 'لل' (للحزام), quotes as spaces."""
    parts = []
    for pattern in patterns:
        pattern = normalize_pattern(pattern).replace(r"\s+", _QUOTED_SPACE)
        parts.append("(?:" + re.sub(r"(?<![\w\\])ال", "(?:ال|لل)", pattern) + ")")
    return re.compile("|".join(parts))


class PhraseScan:
    """phrase_regex(patterns).finditer(text) as a list, tried only where a match can begin.

    The whole alternation's literals.must_contain test says whether the text holds what some match must contain
    (most texts name no meeting of a series); then its literals.start_keys, the strings its matches begin with
    ("زيار", "الري", "رييس"), say where: the alternation is tried at those places alone (literals.matches_at),
    not at every character, and where none begins the engine's scan finds nothing either.

    When some pattern has no keys (a match may begin with any character), each pattern's own must_contain test
    leaves out those that cannot match in the text, and the kept ones are scanned for as one alternation in their
    order (compiled once per subset; a left-out pattern matches nowhere, so it can neither match nor win over a
    later one); with capturing groups, whose numbers would shift in a subset, the whole alternation is scanned.
    """

    MAX_COMPILED = 64

    def __init__(self, patterns):
        self.patterns = tuple(patterns)
        self.regex = phrase_regex(self.patterns)
        self.possible = must_contain(self.regex)
        # The same test reading a set of the strings the text holds (literals.FoundStrings), when one is given.
        self.strings, self.possible_found = must_contain_found(self.regex)
        self.all_keys = start_keys(self.regex)
        # Each pattern compiled alone only when its test is read (every series and anchor has keys today: ~70 ms
        # of compiling at start-up for nothing).
        self.tests = None if self.regex.groups or self.all_keys is not None else [
            must_contain(phrase_regex([p])) for p in self.patterns
        ]
        self.compiled = {tuple(range(len(self.patterns))): self.regex}

    def finditer(self, text, found=None, strings=None):
        """The matches in `text`; `found` is literals.key_starts' memory of this text's keys, if one is kept, and
        `strings` the set of this scan's `strings` that the text holds (literals.FoundStrings), if one was made."""
        if self.tests is None:
            if strings is not None and self.possible_found is not None:
                if not self.possible_found(text, strings):
                    return []
            elif not self.possible(text):
                return []
            if self.all_keys is None:
                return list(self.regex.finditer(text))
            return matches_at(self.regex, text, key_starts(self.all_keys, text, found))
        keep = tuple(i for i, test in enumerate(self.tests) if test(text))
        if not keep:
            return []
        regex = self.compiled.get(keep)
        if regex is None:
            regex = phrase_regex([self.patterns[i] for i in keep])
            if len(self.compiled) < self.MAX_COMPILED:
                self.compiled[keep] = regex
        return list(regex.finditer(text))


@dataclass(frozen=True)
class TopicLexicon:
    slug: str
    name_ar: str
    name_en: str
    phrases: tuple

    @cached_property
    def regex(self):
        """One alternation for the whole lexicon, word boundary and prefixes factored out (it is the hot path)."""
        parts = sorted({normalize_keyword(p) for p in self.phrases if p.strip()}, key=len, reverse=True)
        return lexicon_regex(parts) if parts else None

    @cached_property
    def keys(self):
        """arabic.lexicon_keys of the phrases `regex` is built from (what its matches can begin with), or None."""
        parts = {normalize_keyword(p) for p in self.phrases if p.strip()}
        return lexicon_keys(parts) if parts else None

    @cached_property
    def word_keys(self):
        """`keys` uncut: each prefix with the whole first word of a phrase (an automaton looks for them all at once,
        and the longer a key, the fewer the words that begin with it in vain)."""
        parts = {normalize_keyword(p) for p in self.phrases if p.strip()}
        return lexicon_keys(parts, chars=None) if parts else None

    @cached_property
    def matches_at_word_starts(self):
        """Whether every match of `regex` begins where a word begins (true of every phrase beginning with a
        letter or digit: the Arabic ones by the regex's own look-behind and look-ahead), so that trying it at
        the words' starts alone finds what a scan of the whole text finds."""
        return all(re.match(r"\w", normalize_keyword(p).replace(NOT_ARTICLE, "").strip()) for p in self.phrases if p.strip())


@dataclass(frozen=True)
class OutletInfo:
    name_ar: str
    name_en: str = ""
    slug: str = ""
    aliases: tuple = ()
    domains: tuple = ()  # hosts of its sites: "arabic.news.cn"; a subdomain belongs to the same outlet

    def names(self):
        return {normalize(n) for n in (self.name_ar, self.name_en, *self.aliases) if n}


@dataclass(frozen=True)
class MeetingSeries:
    slug: str
    name_ar: str
    name_en: str
    patterns: tuple
    multilateral: bool = True  # a summit or forum of several states; a visit or a bilateral committee is not
    # Of a visit series, who visits whom (countries as the gazetteer writes them; office president or premier);
    # blank for the others.
    visitor_country: str = ""
    visitor_office: str = ""
    host_country: str = ""

    @cached_property
    def regex(self):
        return phrase_regex(self.patterns)

    @cached_property
    def scan(self):
        """PhraseScan: regex.finditer(text) as a list, with less work."""
        return PhraseScan(self.patterns)


@dataclass(frozen=True)
class Meeting:
    series: str
    ordinal: int | None
    start: datetime.date
    end: datetime.date
    city_ar: str
    city_en: str
    session_day: datetime.date | None = None  # the leaders' session when the meeting spans arrival days

    @property
    def main_day(self):
        """The day the meeting itself is held: its session day, or its first day."""
        return self.session_day or self.start


@dataclass(frozen=True)
class Anchor:
    slug: str
    name_ar: str
    name_en: str
    date: datetime.date
    patterns: tuple

    @cached_property
    def regex(self):
        return phrase_regex(self.patterns)

    @cached_property
    def scan(self):
        """PhraseScan: regex.finditer(text) as a list, with less work."""
        return PhraseScan(self.patterns)


@dataclass(frozen=True)
class Entity:
    slug: str
    kind: str  # person | place | organisation
    name_en: str
    name_ar: str
    aliases: tuple = ()
    country: str = ""
    is_country: bool = False
    terms: tuple = ()  # ((role, from, to or None), ...): the offices a person held, as dates


def role_terms(roles):
    """The gazetteer's roles ([{"role", "from", "to"}]) as ((role, from, to or None), ...)."""
    terms = []
    for role in roles or ():
        try:
            start = datetime.date.fromisoformat(role["from"]) if role.get("from") else None
            end = datetime.date.fromisoformat(role["to"]) if role.get("to") else None
        except (TypeError, ValueError):
            continue
        if role.get("role") and start:
            terms.append((role["role"], start, end))
    return tuple(terms)


@dataclass
class Knowledge:
    topics: list = field(default_factory=list)
    outlets: list = field(default_factory=list)
    series: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    anchors: list = field(default_factory=list)
    entities: list = field(default_factory=list)

    @cached_property
    def name_words(self):
        """Words of every gazetteer name: a shared place or person does not make two stories one."""
        from .happenings import content_words

        return frozenset(w for e in self.entities for name in (e.name_ar, *e.aliases) for w in content_words(name))

    @cached_property
    def scan_keys(self):
        """literals.KeyOffsets over the start keys of every series' and anchor's scan: a text's DateFinder finds
        them all in one pass (they share many)."""
        return KeyOffsets(key for item in (*self.series, *self.anchors) for key in item.scan.all_keys or ())

    @cached_property
    def scan_strings(self):
        """literals.FoundStrings over the strings the series' and anchors' scans' tests look up: a text's DateFinder
        finds those it holds in one pass, instead of each test scanning the text for its own, again and again."""
        return FoundStrings(string for item in (*self.series, *self.anchors) for string in item.scan.strings)

    @cached_property
    def entity_index(self):
        from .entities import gazetteer_index

        return gazetteer_index(self.entities)

    @cached_property
    def entity_keys(self):
        """Spelling-folded keys of every gazetteer name: discovery never proposes one of them again."""
        from .discovery import name_key

        return frozenset(name_key(name) for e in self.entities for name in (e.name_ar, *e.aliases))

    @cached_property
    def person_name_word_keys(self):
        """Spelling-folded keys of each word of every person's names: a surname alone is a known person."""
        from .discovery import name_key

        return frozenset(
            word for e in self.entities if e.kind == "person" for name in (e.name_ar, *e.aliases) for word in name_key(name).split()
        )

    @cached_property
    def outlet_by_name(self):
        index = {}
        for outlet in self.outlets:
            for name in outlet.names():
                index.setdefault(name, outlet)
        return index

    def find_outlet(self, name):
        """The known outlet called `name` (any alias, any spelling), or None."""
        exact = normalize(name).strip(" -–:()")
        stripped = re.sub(r"^(?:وكاله (?:انباء |الانباء )?)", "", exact)
        return self.outlet_by_name.get(exact) or self.outlet_by_name.get(stripped)

    @cached_property
    def outlet_by_domain(self):
        from .metadata import host_of

        return {host_of(d): outlet for outlet in self.outlets for d in outlet.domains if host_of(d)}

    def find_outlet_by_url(self, url):
        """The known outlet whose site the address is on (arabic.news.cn, www.news.cn/arabic/…), or None."""
        from .metadata import host_of

        host = host_of(url or "")
        while host:
            if host in self.outlet_by_domain:
                return self.outlet_by_domain[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""
        return None

    @cached_property
    def non_outlet_words(self):
        """Normalised words that can sit where an outlet's name does but never name one: places."""
        return frozenset(
            normalize(name) for e in self.entities if e.kind == "place" for name in (e.name_ar, *e.aliases)
        )

    @cached_property
    def _meetings_by_series(self):
        by_series = {}
        for meeting in self.meetings:
            by_series.setdefault(meeting.series, []).append(meeting)
        return by_series

    def meetings_of(self, series_slug):
        return list(self._meetings_by_series.get(series_slug, ()))

    @cached_property
    def person_names(self):
        """Every person's name and alias, normalised."""
        return frozenset(normalize(n) for e in self.entities if e.kind == "person" for n in (e.name_ar, *e.aliases))

    @cached_property
    def _memo(self):
        return {}

    def persons_named_after(self, name):
        """Persons' names that begin with the word(s) `name` ("نور سلطان نزارباييف" for "نور سلطان")."""
        key = ("persons", name)
        if key not in self._memo:
            self._memo[key] = tuple(p for p in self.person_names if p.startswith(name + " "))
        return self._memo[key]

    def city_spellings(self, city_ar, city_en):
        """The city's Arabic name and the gazetteer's spellings of the same place that are variants of it.

        Only close spellings count (أستانه for أستانا, هانغشو for هانغتشو): a place's other names (نور سلطان,
        أكمولا) are also a person's name or a region's, and would identify a meeting where the text means neither.
        """
        key = ("city", city_ar, city_en)
        if key not in self._memo:
            own = normalize(city_ar)
            spellings = {own}
            for entity in self.entities:
                if entity.kind == "place" and (entity.name_en == city_en or normalize(entity.name_ar) == own):
                    for name in (entity.name_ar, *entity.aliases):
                        variant = normalize(name)
                        if len(variant) >= 3 and difflib.SequenceMatcher(None, variant, own).ratio() >= 0.6:
                            spellings.add(variant)
            self._memo[key] = frozenset(spellings)
        return self._memo[key]

    @cached_property
    def place_by_name(self):
        """{normalised name or alias: place entity} for the gazetteer's places that lie in a country (not the
        countries themselves). A name two places of different countries share names neither (None)."""
        index = {}
        for entity in self.entities:
            if entity.kind != "place" or entity.is_country or not entity.country:
                continue
            for name in (entity.name_ar, *entity.aliases):
                key = normalize(name)
                if not key:
                    continue
                known = index.get(key, entity)
                index[key] = entity if known is entity or (known and known.country == entity.country) else None
        return index

    @cached_property
    def country_by_adjective(self):
        """{normalised name, alias or adjective of a country, without "ال": its country} ("كازاخستاني": kazakhstan)."""
        index = {}
        for entity in self.entities:
            if entity.kind == "place" and entity.is_country and entity.country:
                for name in (entity.name_ar, *entity.aliases):
                    key = normalize(name)
                    index.setdefault(key[2:] if key.startswith("ال") else key, entity.country)
        return index
