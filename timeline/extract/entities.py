"""People, places and organisations from the gazetteer, with every mention's offsets.

All aliases (and people's and places' English names, left in Latin letters by some outlets) are
matched in one pass over the normalised text, and the other spellings of
people's and places' names (spelling.py: ج/غ, ق/ك, ي single or double, vowels, joined
names) in a second; at any position the longest name wins, so "نور سلطان نزارباييف" is
the person while "نور سلطان 7 يونيو" is the city, and Arabic's attached prefixes
(و، ب، ل، ال، بال، لل…) are allowed.
"""

import bisect
import contextlib
import functools
import itertools
import re
from dataclasses import dataclass, field

from .arabic import NormalizedText, normalize, trie_pattern
from .spelling import BORROWED, OPTIONAL_JOINER, is_near, is_stop_word, variant_key, variant_pieces


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
    """The gazetteer's names, found as two regexes would find them (plain_gazetteer in tests/test_extract_shortcuts.py): the aliases as
    written, `(?<![\\w])PREFIX(?=(?P<core>TRIE)(?![\\w]))` over trie_pattern(aliases), and their spelling
    variants, the same over trie_pattern(aliases, variant_pieces). Neither regex is compiled (issue 9: the two
    took ~1.3 s of CPU to compile, the first article of every process paid it, and scanning with them ~0.9 ms
    of each text); ExactCores and VariantTrie find the same cores where they look."""

    exact: "ExactCores"
    by_core: dict  # normalised alias -> entity
    variants: "VariantTrie | None" = None
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
        variants = VariantTrie([c for owners in by_key.values() for c, _ in owners])
    return GazetteerIndex(ExactCores(by_core), by_core, variants, by_key)


# --- finding the cores without the two regexes ------------------------------------------------------------
#
# Both regexes run over the text with its joiner runs made single spaces (_Joined): a core's joiners are
# `[\s\-–—/]+` (aliases) or `[\s\-–—/]*` (variants) between two letters, which take a whole run or, in the
# variants, none where there is none; a run and its single space are both outside \w, so the look-arounds see
# the same; the prefixes and the cores' letters are no joiners. Offsets go back to the text's at the end.

#: The strings PREFIX matches, in the order the regex engine tries them at a place: each optional part greedy,
#: its alternatives left to right, the last part varied first. At a word start the first of them after which a
#: core matches is the regex's match, and that core is its one (a test checks the order against the regex).
PREFIX_ORDER = tuple(a + b + c for a in ("و", "ف", "") for b in ("ب", "ل", "ك", "") for c in ("ال", "لل", ""))
_PREFIX_RANK = {prefix: rank for rank, prefix in enumerate(PREFIX_ORDER)}
_LONGEST_PREFIX = max(map(len, PREFIX_ORDER))
_EMPTY_RANK = _PREFIX_RANK[""]
_PREFIX_LETTERS = frozenset("".join(PREFIX_ORDER))


#: _JOINERS' characters listed: \s is str.isspace (no such character lies past U+3000; a test checks), and a set of
#: listed characters lets the regex engine skip to the next one in C where a category is looked up at every
#: character (_Joined scanned a text in a third of the time).
_JOINER = "[" + re.escape("".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())) + r"\-–—/]"


class _Joined:
    """A text with each run of joiners written as one space, and the way back to the text's offsets."""

    #: What _JOINERS.sub(" ", text) changes: a run of two or more, or one joiner that is not a space (a text's
    #: single spaces, most of its joiners, are left alone: substituting each cost ~0.1 ms a text).
    _CHANGED = re.compile(_JOINER + "(?:" + _JOINER + "+|(?<=[^ ]))")
    _RUNS = re.compile(_JOINER + _JOINER + "+")

    def __init__(self, text):
        self.text = self._CHANGED.sub(" ", text)
        self._at, self._shift = [], []  # where a run of two or more ends in the joined text, the offsets lost so far
        if len(self.text) != len(text):
            lost = 0
            for run in self._RUNS.finditer(text):
                lost += run.end() - run.start() - 1
                self._at.append(run.end() - lost)
                self._shift.append(lost)

    def original(self, offset):
        """The text's offset of a joined text's offset that is not inside a run (a core's start or end)."""
        if not self._at:
            return offset
        i = bisect.bisect_right(self._at, offset)
        return offset + self._shift[i - 1] if i else offset


def _prefixed_cores(text, starts, core_end):
    """[(start, end)] of the cores the prefixed regex finds, in order: `starts` are the offsets where a core may
    begin (every one where one does), `core_end(start)` the end of the core the regex's look-ahead finds there
    or None. At each word start the prefixes are tried in PREFIX_ORDER; only those ending at a start can lead to
    a core."""
    by_word = {}
    for start in starts:
        if start:
            before = text[start - 1]
            if before in _PREFIX_LETTERS:
                # A prefix ends here: the word starts where the prefix letters before `start` do (they are \w, so
                # no word starts among them), if that is a word start at all and they are a prefix.
                word = start - 1
                while word and start - word < _LONGEST_PREFIX and text[word - 1] in _PREFIX_LETTERS:
                    word -= 1
                if word:
                    before = text[word - 1]
                    if before.isalnum() or before == "_":  # (?<![\w]), inline: literals.is_word_char
                        continue
                rank = _PREFIX_RANK.get(text[word:start])
                if rank is not None:
                    by_word.setdefault(word, []).append((rank, start))
                continue
            if before.isalnum() or before == "_":
                continue
        by_word.setdefault(start, []).append((_EMPTY_RANK, start))
    found = []
    for word in sorted(by_word):
        tries = by_word[word]
        for _rank, start in sorted(tries) if len(tries) > 1 else tries:
            end = core_end(start)
            if end is not None:
                found.append((start, end))
                break
    return found


class ExactCores:
    """The exact regex's cores: an Aho-Corasick automaton (pyahocorasick, as literals.WordStartKeys) over every
    alias, the longest one at a place with no \\w after it (the trie regex tries longer ones first and backtracks
    to shorter ones; its pieces are literal characters and joiner runs, so only aliases written at the place are
    on its way)."""

    def __init__(self, by_core):
        import ahocorasick  # a C extension; the extractor needs no database and no Django, not no C

        self._automaton = ahocorasick.Automaton()
        for core in by_core:
            self._automaton.add_word(core, (len(core), core))
        self._automaton.make_automaton()

    def cores(self, joined):
        """{start: (end, core)} of the longest alias at each place of a joined text with no \\w after it."""
        text = joined.text
        n = len(text)
        longest = {}
        for last, (length, core) in self._automaton.iter(text):
            end = last + 1
            if end < n:
                after = text[end]
                if after.isalnum() or after == "_":
                    continue
            start = end - length
            if start not in longest or longest[start][0] < end:
                longest[start] = (end, core)
        return longest


@functools.cache  # a gazetteer's pieces are a few dozen strings, looked at ~40,000 times
def _piece_forms(piece):
    """(alternatives, fewest, most) for a piece of spelling.variant_pieces: what it matches is `fewest` to `most`
    of its alternatives (strings) one after another; None for a piece of another shape."""
    if piece == OPTIONAL_JOINER:
        return (" ",), 0, 1  # in a joined text: a run made one space, or nothing
    match = _PIECE.fullmatch(piece)
    if match is None:
        return None
    atom, quantifier, fewest, most = match.groups()
    if atom.startswith("["):
        alternatives = tuple(atom[1:-1])
    elif atom.startswith("(?:"):
        alternatives = tuple(atom[3:-1].split("|"))
    else:
        alternatives = (atom,)
    if quantifier is None:
        return alternatives, 1, 1
    return (alternatives, 0, 1) if quantifier == "?" else (alternatives, int(fewest), int(most))


#: A piece as variant_pieces writes them: a letter, a set of letters or an alternation of letter strings, and a
#: count (?, {m,n}) or none.
_PIECE = re.compile(r"(\[[^\]\\^\-\[]+\]|\(\?:[^()\\?*+{}\[\].^$]+\)|[^\\\[\](){}?*+|.^$])(\?|\{(\d+),(\d+)\})?")


class VariantTrie:
    """The variant regex's cores, found as its trie (arabic.trie_pattern over variant_pieces) finds them, without
    compiling it (~0.9 s of CPU, paid by every process's first article). An automaton over the first KEY_CHARS
    characters any variant can begin with (letters that one of a piece's sets holds folded into one) says where a
    variant may begin, and which aliases can be written there: only those with one of the keys found there. The
    trie of just those aliases, a small regex compiled when its set of keys is first met, matches there what the
    whole trie matches: the regex engine tries the whole trie's branches in the same order, and the other aliases'
    branches, which cannot match there, only fail. ~55 places in a text of 2,500 characters."""

    #: Seven characters: 11,000 keys built in ~0.1 s; six let ~15 % more places through, eight none fewer.
    KEY_CHARS = 7

    def __init__(self, cores):
        import ahocorasick

        trie = {}
        for core in cores:
            node = trie
            for piece in variant_pieces(core):
                node = node.setdefault(piece, {})
            node[""] = core  # piece_trie's node, with the alias where it ends
        self._fold_table = str.maketrans(self._folding(trie))
        self._fold_pairs = tuple((chr(a), b) for a, b in self._fold_table.items())
        self._spelt, self._under = {}, {}
        self._owners = {}  # key -> aliases that may begin with it
        self._keys(trie, "", set())
        if "" in self._owners:
            raise ValueError("a variant may begin with anything")  # variant_pieces never writes one
        self._automaton = ahocorasick.Automaton()
        for key in self._owners:
            self._automaton.add_word(key, (len(key) - 1, key))
        self._automaton.make_automaton()
        self._regexes = {}  # frozenset of keys -> the regex of their aliases' trie

    def _keys(self, trie, written, seen):
        if len(written) >= self.KEY_CHARS:
            self._owners.setdefault(written[: self.KEY_CHARS], set()).update(self._aliases_under(trie))
            return
        if (id(trie), written) in seen:
            return  # another way to write the same folded beginning reached this node already
        seen.add((id(trie), written))
        if "" in trie:
            self._owners.setdefault(written, set()).add(trie[""])
        for piece, child in trie.items():
            if piece:
                spellings = self._spellings(piece)
                if spellings is None:
                    self._owners.setdefault(written, set()).update(self._aliases_under(child))
                    continue
                for spelling in spellings:
                    self._keys(child, written + spelling, seen)

    def _aliases_under(self, trie):
        if id(trie) not in self._under:
            self._under[id(trie)] = frozenset(
                alias for piece, child in trie.items() for alias in ((child,) if not piece else self._aliases_under(child))
            )
        return self._under[id(trie)]

    def _spellings(self, piece):
        """Every string a piece matches, folded (None for a piece of unknown shape)."""
        if piece not in self._spelt:
            forms = _piece_forms(piece)
            if forms is None:
                self._spelt[piece] = None
            else:
                alternatives, fewest, most = forms
                alternatives = sorted({a.translate(self._fold_table) for a in alternatives})
                self._spelt[piece] = sorted(
                    {
                        "".join(parts)
                        for count in range(fewest, most + 1)
                        for parts in itertools.product(alternatives, repeat=count)
                    }
                )
        return self._spelt[piece]

    @staticmethod
    def _folding(trie):
        """{letter: the letter standing for it}: the letters that one set of a piece holds ([غجگ], [اوي]) are
        one letter in the keys and in the text the automaton reads, so a key stands for all their spellings."""
        pieces, pending = set(), [trie]
        while pending:
            node = pending.pop()
            pieces.update(node)
            pending.extend(child for piece, child in node.items() if piece)
        stands_for = {}
        for piece in pieces - {""}:
            forms = _piece_forms(piece)
            if forms is not None and all(len(a) == 1 for a in forms[0]):
                group = set(forms[0])
                for letter in forms[0]:
                    group |= stands_for.get(letter, {letter})
                for letter in group:
                    stands_for[letter] = group
        return {letter: min(group) for letter, group in stands_for.items() if letter != min(group)}

    def starts(self, text):
        """{offset: keys found there} of a joined text, where some variant may begin (every one where one does)."""
        for letter, standing in self._fold_pairs:  # one str.replace a letter costs less than str.translate
            text = text.replace(letter, standing)
        found = {}
        for last, (back, key) in self._automaton.iter(text):
            found.setdefault(last - back, []).append(key)
        return found

    def core_end(self, text, start, keys):
        """Where the variant regex's core beginning at `start` ends, or None when none does; `keys`: those found there."""
        keys = frozenset(keys)
        regex = self._regexes.get(keys)
        if regex is None:
            aliases = sorted(set().union(*(self._owners[key] for key in keys)))
            regex = self._regexes[keys] = re.compile(trie_pattern(aliases, variant_pieces) + r"(?![\w])")
        match = regex.match(text, start)
        return match.end() if match else None


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
    joined = _Joined(text)
    by_core = index.by_core
    exact = index.exact.cores(joined)
    candidates = [
        (joined.original(start), joined.original(end), by_core[exact[start][1]])
        for start, end in _prefixed_cores(joined.text, exact, lambda start: exact[start][0])
    ]
    if index.variants is not None:
        # Second pass for the other spellings; the exact pass keeps its own longest-alias choice,
        # and an exact match goes first so that it wins a tie over a variant of the same span.
        variants, text = index.variants, joined.text
        starts = variants.starts(text)
        for start, end in _prefixed_cores(text, starts, lambda start: variants.core_end(text, start, starts[start])):
            core = text[start:end]  # its joiners are single spaces already
            if core in by_core:
                continue
            entity = index.variant_entity(core)
            if entity is not None:
                candidates.append((joined.original(start), joined.original(end), entity))
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
