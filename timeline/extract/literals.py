"""What text a regex's matches must contain, to skip a scan that cannot find anything (issue 9).

`must_contain(regex)` reads the compiled pattern's parse tree and returns a test of a text: False only when
the text lacks every string some part of each match must contain, so that `regex.finditer(text)` would find
nothing; then the scan need not run. Only what the engine must match is read: literal characters in sequence,
every alternative of a branch, a repeat's body when it repeats at least once. Anything else (character sets,
look-arounds, case-insensitive parts, conditional groups) requires nothing, so the test errs towards scanning.
"""

import functools
import re
from re import _constants as C  # noqa: N812 (the regex engine's own names for its operations)
from re import _parser

_ALWAYS = ("always",)


def must_contain(regex):
    """A function text -> bool: whether `regex` could match somewhere in text (False means surely not)."""
    if regex.flags & re.IGNORECASE:
        return _possible(_ALWAYS)
    try:
        tree = _sequence(_parsed(regex.pattern, regex.flags & ~re.UNICODE))
    except (re.error, TypeError, ValueError, RecursionError):
        tree = _ALWAYS
    return _possible(tree)


@functools.lru_cache(maxsize=256)
def _parsed(pattern, flags):
    """The regex engine's parse of a pattern (its items, only read): must_contain, must_contain_found and start_keys
    read the same patterns' (a calendar series' big alternation is parsed once at start-up, not three times)."""
    return _parser.parse(pattern, flags).data


def _possible(tree):
    if tree is _ALWAYS:
        return lambda text: True
    tree = _cheap_first(tree)
    if _depth(tree) > 40:
        return lambda text: _holds(tree, text)
    # One expression of `in` tests ("a" in text and ("b" in text or "c" in text)): a tree walk per text cost more.
    tests = {}  # the automata of the "any" nodes of many strings, by the names the expression calls them
    source = _expression(tree, tests)
    return eval("lambda text: " + source, tests)  # the source is made of repr()s of strings, and, or, tests' names


def must_contain_found(regex):
    """(strings, test): must_contain(regex) as a function test(text, found) -> bool, where `found` is a set holding
    those of `strings` (the test's strings of three characters or more) that the text holds (more do no harm), as
    one FoundStrings pass over many tests' strings gives it; shorter strings ("ش", "ال": in most texts, found at
    once) are looked for in the text. The same answers as must_contain; (frozenset(), None) when the test reads
    no such string."""
    try:
        tree = None if regex.flags & re.IGNORECASE else _sequence(_parsed(regex.pattern, regex.flags & ~re.UNICODE))
    except (re.error, TypeError, ValueError, RecursionError):
        tree = None
    if tree is None or tree is _ALWAYS or _depth(tree) > 40:
        return frozenset(), None
    strings = frozenset(s for s in _strings(tree) if len(s) >= FoundStrings.CHARS)
    if not strings:
        return strings, None
    return strings, eval("lambda text, found: " + _expression(_cheap_first(tree), {}, strings), {})


class FoundStrings:
    """Which of many strings a text holds, in one Aho-Corasick pass (pyahocorasick): the calendar's seventeen series'
    tests name the same few dozen strings ("قمه", "رييس", "زيار") over and over in their branches, each an `in`
    scan of the whole article (~12 µs a series); looked up in the set of those found, each costs a hash."""

    CHARS = 3

    def __init__(self, strings):
        import ahocorasick

        self.strings = frozenset(strings)
        self._automaton = None
        if self.strings:
            self._automaton = ahocorasick.Automaton()
            for string in self.strings:
                self._automaton.add_word(string, string)
            self._automaton.make_automaton()

    def found(self, text):
        return {string for _end, string in self._automaton.iter(text)} if self._automaton else set()


def _strings(node):
    return [node[1]] if node[0] == "in" else [s for part in node[1] for s in _strings(part)]


#: From this many strings on, an "any" node's strings are looked for in one pass (any_of), not with one `in` scan of
#: the text each: a text that holds none of forty month names is read once instead of forty times (~4 times less).
ANY_OF_STRINGS = 8


def any_of(options):
    """A function text -> bool: whether all the strings of one of `options` (tuples of strings, none empty) are in
    text, any(all(s in text for s in option) for option in options), read in one pass of an Aho-Corasick automaton
    (pyahocorasick), which stops at the first string that is an option alone."""
    import ahocorasick  # a C extension, like literals.WordStartKeys'

    automaton = ahocorasick.Automaton()
    for option in options:
        for string in option:
            if not string:
                raise ValueError("an empty string is in every text")
            automaton.add_word(string, string)  # (a string given twice is one key)
    automaton.make_automaton()
    find = automaton.iter
    if all(len(option) == 1 for option in options):
        return lambda text: next(find(text), None) is not None
    alone = frozenset(option[0] for option in options if len(option) == 1)
    together = [frozenset(option) for option in options if len(option) > 1]

    def test(text):
        found = set()
        for _end, string in find(text):
            if string in alone:
                return True
            found.add(string)
        return any(option <= found for option in together)

    return test


def _cheap_first(node):
    """The same test with each "all" node's parts in the order of their cost: single strings first (the longest,
    the rarest, first), then the alternatives with fewest strings; each "any" node's strings the other way round,
    the shortest first (the likeliest to be there: "اب" answers for forty month names in most long texts). Every
    part is a plain `in` test or a combination of them, so the order changes what is tested first, not the answer;
    a text that lacks a year or "منه" is let go before forty month names are looked for."""
    kind, parts = node
    if kind == "in":
        return node
    parts = [_cheap_first(part) for part in parts]
    if kind == "all":
        parts.sort(key=lambda part: (0, -len(part[1])) if part[0] == "in" else (1, _count(part)))
    else:  # "any": the answer is yes at the first string found, no only after a scan for each
        parts.sort(key=lambda part: (0, len(part[1])) if part[0] == "in" else (1, _count(part)))
    return (kind, parts)


def _count(node):
    return 1 if node[0] == "in" else sum(_count(part) for part in node[1])


def _depth(node):
    return 1 if node[0] == "in" else 1 + max(_depth(part) for part in node[1])


def _expression(node, tests, in_found=frozenset()):
    """The Python source of the test of `node`; an "any" node of many strings becomes a call of an any_of test, put in
    `tests` under the name the source calls it by. The strings of `in_found` are looked up in a set `found` instead
    (and then no any_of test is made)."""
    kind, parts = node
    if kind == "in":
        return f"{parts!r} in {'found' if parts in in_found else 'text'}"
    if kind == "any" and len(parts) >= ANY_OF_STRINGS and not in_found:
        # Parts that are strings, or strings that must all be there ("ربيع" and "الاول" for "ربيع\s+الاول").
        options = [(part[1],) if part[0] == "in" else tuple(p[1] for p in part[1]) for part in parts]
        if all(part[0] == "in" or all(p[0] == "in" for p in part[1]) for part in parts):
            name = f"_any_of_{len(tests)}"
            tests[name] = any_of(options)
            return f"{name}(text)"
    clauses = [_expression(part, tests, in_found) for part in parts]
    return "(" + f" {'and' if kind == 'all' else 'or'} ".join(clauses) + ")"


def _holds(node, text):
    kind, parts = node
    if kind == "in":
        return parts in text
    if kind == "all":
        return all(_holds(part, text) for part in parts)
    return any(_holds(part, text) for part in parts)  # "any"


def _sequence(items):
    """The requirement of a sequence of parsed items: all of its parts' requirements, literal runs joined."""
    needs, run = [], []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            needs.append(("in", "".join(run)))
            run = []
        need = _item(op, av)
        if need is not _ALWAYS:
            needs.append(need)
    if run:
        needs.append(("in", "".join(run)))
    if not needs:
        return _ALWAYS
    return needs[0] if len(needs) == 1 else ("all", needs)


def _item(op, av):
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = av
        return _ALWAYS if add_flags & re.IGNORECASE else _sequence(pattern.data if hasattr(pattern, "data") else pattern)
    if op is C.ATOMIC_GROUP:
        return _sequence(av.data if hasattr(av, "data") else av)
    if op is C.BRANCH:
        alternatives = [_sequence(p.data if hasattr(p, "data") else p) for p in av[1]]
        return _ALWAYS if any(a is _ALWAYS for a in alternatives) else ("any", alternatives)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, pattern = av
        return _sequence(pattern.data if hasattr(pattern, "data") else pattern) if low >= 1 else _ALWAYS
    return _ALWAYS


class Gated:
    """A compiled regex whose search and finditer first ask must_contain whether the text can hold a match at
    all, and answer None or nothing at once when it cannot: the event-type patterns are many alternations of
    Arabic words searched in each headline and sentence, and most texts hold none of the words of most of them
    (nine searches in ten were let go in the corpus; issue 9); so are most lines of an article asked whether they
    are a photo caption or a date stamp. With pos and endpos the test reads the whole text: a match inside a
    slice is in the text too. `regex` is the plain pattern (tests compare the two)."""

    __slots__ = ("regex", "_test")

    def __init__(self, regex):
        self.regex = regex
        self._test = must_contain(regex)

    def search(self, text, *bounds):
        return self.regex.search(text, *bounds) if self._test(text) else None

    def finditer(self, text, *bounds):
        return self.regex.finditer(text, *bounds) if self._test(text) else iter(())

    def match(self, text, *bounds):
        return self.regex.match(text, *bounds) if self._test(text) else None

    def sub(self, replacement, text, count=0):
        return self.regex.sub(replacement, text, count) if self._test(text) else text


# --- where a match can begin ------------------------------------------------------------------------

#: Longest start key read off a pattern: four characters make most keys rare in a text ("زيار", "رييس").
KEY_CHARS = 4
#: Most keys one pattern may have (character classes multiply them); past it the keys stop growing.
MAX_KEYS = 256


def start_keys(regex):
    """The strings every match of `regex` begins with (one of them each), up to KEY_CHARS characters long, as a
    frozenset; None when some match could begin anywhere (an empty key, a case-insensitive part, a character
    class too broad to list). Only what the engine must match first is read: look-arounds take no characters and
    are passed over (a key says where a match may begin, not that one does), literals and small character sets
    extend the keys, an optional part adds its keys beside those without it; anything else ends them there."""
    keys = _read_keys(regex)
    if not keys or "" in keys:
        return None
    if DIGIT in keys:  # where a key begins with a digit, the text has a digit: DIGIT finds it already
        keys = {key for key in keys if key is DIGIT or not key[0].isdecimal()}
    length = KEY_CHARS
    while len(keys) > MAX_KEYS and length > 1:  # too many to look for one by one: their shorter beginnings
        length -= 1
        keys = {key if key is DIGIT else key[:length] for key in keys}
    return frozenset(keys) if len(keys) <= MAX_KEYS else None


def word_start_keys(regex, chars=KEY_CHARS):
    """start_keys(regex) with no limit on their number (an automaton looks for them all at once, literals.
    WordStartKeys); None when some match could begin anywhere or with any digit."""
    keys = _read_keys(regex, chars, float("inf"))
    return None if not keys or "" in keys or DIGIT in keys else frozenset(keys)


def _read_keys(regex, chars=None, limit=None):
    """The keys _keys reads off `regex`'s parsed pattern (a set), or None for a case-insensitive or unparsable one."""
    if regex.flags & re.IGNORECASE:
        return None
    try:
        tree = _parsed(regex.pattern, regex.flags & ~re.UNICODE)
    except (re.error, TypeError, ValueError, RecursionError):
        return None
    opened, closed = _keys({""}, list(tree), chars, limit)
    return opened | closed


def _keys(opened, items, chars=None, limit=None):
    """(keys that may still grow, keys ended) after matching `items` from each of `opened`; keys stop growing at
    `chars` characters (KEY_CHARS) and all of them at once past `limit` keys (MAX_KEYS)."""
    chars = KEY_CHARS if chars is None else chars
    limit = MAX_KEYS if limit is None else limit
    closed = set()
    for op, av in items:
        if not opened:
            break
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # takes no characters
        if op is C.LITERAL:
            opened = {key + chr(av) for key in opened}
        elif op is C.IN and _listable(av):
            opened = {key + char for key in opened for char in _chars(av)}
        elif op is C.IN and av == [(C.CATEGORY, C.CATEGORY_DIGIT)] and "" in opened:
            closed |= (opened - {""}) | {DIGIT}  # a match beginning with a digit ("3 يوليو 2017")
            opened = set()
        elif op is C.SUBPATTERN and not av[1] & re.IGNORECASE:
            opened, more = _keys(opened, list(av[3]), chars, limit)
            closed |= more
        elif op is C.ATOMIC_GROUP:
            opened, more = _keys(opened, list(av), chars, limit)
            closed |= more
        elif op is C.BRANCH:
            grown = set()
            for alternative in av[1]:
                branch_open, more = _keys(opened, list(alternative), chars, limit)
                grown |= branch_open
                closed |= more
            opened = grown
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[1] == 1:
            once, more = _keys(opened, list(av[2]), chars, limit)  # an optional part: with it or without it
            closed |= more
            opened = opened | once if av[0] == 0 else once
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            once, more = _keys(opened, list(av[2]), chars, limit)  # at least once: its first time, then it ends the keys
            closed |= more | once
            opened = set()
        else:
            closed |= opened
            opened = set()
        ended = opened if len(opened) > limit else {key for key in opened if len(key) >= chars}
        closed |= ended
        opened -= ended
    return opened, closed


def _listable(av):
    """Whether a character set is a short list of characters (literals and small ranges: "[اة]", "[0-3]")."""
    if not all(kind is C.LITERAL or kind is C.RANGE for kind, _ in av):
        return False
    return sum(1 if kind is C.LITERAL else value[1] - value[0] + 1 for kind, value in av) <= 10


def _chars(av):
    for kind, value in av:
        if kind is C.LITERAL:
            yield chr(value)
        else:
            yield from (chr(code) for code in range(value[0], value[1] + 1))


class _Digit:
    """The key of matches that begin with any digit (what \\d matches, Arabic-Indic and others too): no string, so
    that it equals no literal key; key_starts finds it where the text has a digit."""

    def __repr__(self):
        return "DIGIT"


DIGIT = _Digit()
_DIGITS = re.compile(r"\d")


def key_starts(keys, text, found=None):
    """Sorted offsets in `text` where one of `keys` begins. `found` ({key: offsets}, for this text only) keeps
    each key's offsets for the next call about the same text: the calendar's series share many keys."""
    found = {} if found is None else found
    starts = set()
    find = text.find
    for key in keys:
        offsets = found.get(key)
        if offsets is None and key is DIGIT:
            offsets = found[key] = [match.start() for match in _DIGITS.finditer(text)]
        if offsets is None:
            offsets = []
            at = find(key)
            while at >= 0:
                offsets.append(at)
                at = find(key, at + 1)
            found[key] = offsets
        starts.update(offsets)
    return sorted(starts)


def matches_at(regex, text, starts):
    """list(regex.finditer(text)) for a regex that matches nowhere but at `starts` (sorted) and never matches
    the empty string: the match tried at each start, left to right, none inside an earlier match. The engine's
    scan tries the same match at every offset; where it found one it goes on from its end, like this."""
    found, end = [], 0
    match = regex.match
    for start in starts:
        if start >= end:
            hit = match(text, start)
            if hit:
                found.append(hit)
                end = hit.end()
    return found


_KEYS = {}


def scan(regex, text, found=None):
    """list(regex.finditer(text)), tried only at the places where its start_keys begin when it has keys (the
    whole text scanned otherwise); `found` as for key_starts."""
    keys = _KEYS.get(regex, False)
    if keys is False:
        keys = _KEYS[regex] = start_keys(regex)
    return list(regex.finditer(text)) if keys is None else matches_at(regex, text, key_starts(keys, text, found))


# --- where words begin with one of many keys ------------------------------------------------------------


def is_word_char(char):
    """Whether the regex engine's \\w matches `char` (a str of one character): what (?<![\\w]) looks at."""
    return char.isalnum() or char == "_"


#: What ends a sentence in normalised text: a full stop, a line break, an exclamation or a question mark.
SENTENCE_ENDS = ".\n!?؟"


def sentence_bounds(text, position):
    """(start, end) of the sentence of `text` around `position`: from after the sentence end before it to the next
    one (or the text's edges)."""
    start = max(text.rfind(mark, 0, position) for mark in SENTENCE_ENDS) + 1
    ends = [i for i in (text.find(mark, position) for mark in SENTENCE_ENDS) if i >= 0]
    return start, min(ends, default=len(text))


class WordStartKeys:
    """Where in a text a word begins with one of many keys, for each of several owners (topic lexicons): one
    Aho-Corasick pass in C (pyahocorasick) finds every place a key is written, and only those a word begins at
    (nothing in \\w before them) are kept. A dictionary look-up per word start and key length found the same
    places at twice the cost (issue 9)."""

    def __init__(self, keys, owners):
        """`keys`: {key: indexes of the owners whose matches it may begin}; `owners`: how many owners there are."""
        import ahocorasick  # a C extension (pyahocorasick); the extractor needs no database and no Django, not no C

        self.owners = owners
        self._automaton = None
        if keys:
            self._automaton = ahocorasick.Automaton()
            for key, owned in keys.items():
                if not key:
                    raise ValueError("an empty key begins everywhere")
                self._automaton.add_word(key, (len(key) - 1, tuple(owned)))
            self._automaton.make_automaton()

    def starts(self, text):
        """For each owner, the sorted offsets where a word of `text` begins with one of its keys."""
        found = [set() for _ in range(self.owners)]
        if self._automaton is None:
            return [[] for _ in found]
        for end, (back, owned) in self._automaton.iter(text):
            start = end - back
            if start:
                before = text[start - 1]
                if before.isalnum() or before == "_":  # is_word_char, inline: the loop runs per key found
                    continue
            for i in owned:
                found[i].add(start)
        return [sorted(offsets) for offsets in found]


class KeyOffsets:
    """key_starts' memory ({key: offsets where it begins}) of a text for many keys at once: one automaton pass
    over the text (pyahocorasick) instead of a str.find loop per key; each key's offsets are those the loop
    finds (overlapping ones too, ascending), an empty tuple for a key the text lacks. DIGIT is left to key_starts."""

    def __init__(self, keys):
        import ahocorasick

        self.keys = tuple(sorted(key for key in set(keys) if key is not DIGIT))
        self._automaton = None
        if self.keys:
            if "" in self.keys:
                raise ValueError("an empty key begins everywhere")
            self._automaton = ahocorasick.Automaton()
            for key in self.keys:
                self._automaton.add_word(key, (len(key) - 1, key))
            self._automaton.make_automaton()

    def found(self, text):
        found = dict.fromkeys(self.keys, ())
        if self._automaton is None:
            return found
        for end, (back, key) in self._automaton.iter(text):
            offsets = found[key]
            if not offsets:
                offsets = found[key] = []
            offsets.append(end - back)
        return found
