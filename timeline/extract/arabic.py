"""Arabic text normalisation shared by every extractor and by search.

`normalize()` folds the spelling variation that Arabic news text carries
(alef and hamza forms, ى/ي, ة/ه, tashkeel, tatweel, Arabic-Indic digits) so that
one pattern matches every way an outlet writes a word. `NormalizedText` keeps a
map back to the original characters so that evidence is quoted as written.
"""

import functools
import re
from dataclasses import dataclass, field

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian kaf
        "،": ",",
        "؛": ";",
        "؟": "?",
        "٫": ".",
        "٬": ",",
    }
)
# Tashkeel (harakat, tanween, shadda, sukun, superscript alef) and tatweel.
# Tashkeel, tatweel, invisible marks, and quotation marks (names are quoted in many ways: “التفاعل”, «بريكس»).
_DROPPED = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c-\u200f\u202a-\u202e\ufeff“”«»\"„‟]")
#: The plain form of the runs of spaces normalize() makes one space: every run of spaces but the newline.
_SPACES_PLAIN = r"[^\S\n]+"
# The same text after the substitution, written to begin with a space character (the engine skips to the next one
# in C) and to match only what changes: a run of two or more, or one space that is not " " (a tab, a thin space).
# A lone " " is left as it is instead of being replaced by itself; that was most of the matches (a test compares).
_SPACES = re.compile(r"[^\S\n](?:[^\S\n]+|(?<=[^\S\n ]))")
# Every space but the newline becomes " "; then a gap (dropped marks and spaces, at the start of the
# text or a line, or more than one character long) becomes one space or nothing.
_OTHER_SPACES = {code: " " for code in range(0x3000 + 1) if chr(code).isspace() and chr(code) != "\n"}
_FOLD = {**_DIGITS, **_LETTERS}  # one pass over the text instead of two
_FOLD_AND_SPACES = {**_FOLD, **_OTHER_SPACES}
_GAP_CHARS = _DROPPED.pattern[:-1] + " ]"
#: The plain form of the gaps: a run of two or more, one dropped mark, or one space opening the text or a line.
_GAPS_PLAIN = f"{_GAP_CHARS}{{2,}}|{_DROPPED.pattern}|(?:^|(?<=\n)) "
# The same matches written to begin with their first character, a gap character, so that the regex engine skips
# to the next one in C instead of trying three alternatives at every character: after that first character, the
# rest of a run, or (looking back at it) a dropped mark, or a space after a line break or at the text's start,
# in the plain form's order (a test compares the two).
_GAPS = re.compile(f"{_GAP_CHARS}(?:{_GAP_CHARS}+|(?<={_DROPPED.pattern})|(?<=\n )|(?<= )(?<![\\s\\S]{{2}}))")


class _Fold:
    """str.translate(table) for a table of single characters, as one str.replace per changed character on longer
    texts: translate looks every character of an Arabic text up in the table (~46 µs per 1,000 characters), the
    62 replaces of _FOLD_AND_SPACES scan for one character each in C (~4 µs per 1,000 in all). The same result
    when no character the table writes is one it changes (checked here; otherwise translate is used): then each
    replace touches only its own character, whatever the order."""

    #: Below this many characters translate costs less than sixty replace calls.
    MIN_CHARS = 128

    def __init__(self, table):
        self.table = table
        changes = {chr(key): value if isinstance(value, str) else "" if value is None else chr(value)
                   for key, value in table.items()}
        self.pairs = tuple((old, new) for old, new in changes.items() if old != new)
        if any(changes.get(char, char) != char for _old, new in self.pairs for char in new):
            self.pairs = None

    def __call__(self, text):
        if self.pairs is None or len(text) < self.MIN_CHARS:
            return text.translate(self.table)
        for old, new in self.pairs:
            text = text.replace(old, new)
        return text


_fold = _Fold(_FOLD)
_fold_and_spaces = _Fold(_FOLD_AND_SPACES)

# Control characters other than tab, newline and carriage return break feeds (XML refuses them) and
# hide in titles; the bidi embedding, override and isolate characters can make text read other than
# it is stored. Neither belongs in an article. The controls that separate words become spaces.
_CONTROL_SPACES = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_CONTROL_DROPPED = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text):
    """`text` without control characters (tab and line breaks kept) and bidi override characters."""
    # Every character either regex takes is unprintable (str.isprintable: a control or format character), and most
    # texts hold none: one check in C lets them go without two scans of the text (a test compares the two ways).
    if not text or text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
        return text
    return _CONTROL_DROPPED.sub("", _CONTROL_SPACES.sub(" ", text))


#: Prefixes that Arabic attaches to a word (conjunctions, prepositions, the article).
PREFIX = r"(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)?"
#: The same when the article is required: "النقل" matches "والنقل", "للنقل", not "نقل" or "لنقل".
PREFIX_WITH_ARTICLE = r"(?:و|ف)?(?:ب|ك)?(?:ال|لل)"
#: Every string PREFIX and PREFIX_WITH_ARTICLE match, built from the same choices (a test checks they agree).
PREFIX_STRINGS = tuple(a + b + c for a in ("", "و", "ف") for b in ("", "ب", "ل", "ك") for c in ("", "ال", "لل"))
PREFIX_WITH_ARTICLE_STRINGS = tuple(a + b + c for a in ("", "و", "ف") for b in ("", "ب", "ك") for c in ("ال", "لل"))
#: Marks a normalised word that began with hamza (أل، إل، آل): "ألبان" is not "ال" + "بان".
NOT_ARTICLE = "\x00"


def normalize_keyword(phrase):
    """normalize() for a keyword or alias, remembering which words began with a hamza-alef, not the article."""
    words = []
    for word in phrase.split():
        folded = normalize(word)
        words.append(NOT_ARTICLE + folded if word[:2] in ("أل", "إل", "آل") else folded)
    return " ".join(words)


def normalize(text):
    """Fold Arabic spelling variants; keep everything else as it is."""
    return _SPACES.sub(" ", _DROPPED.sub("", _fold(text))).strip()


_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def normalize_pattern(pattern):
    """Fold the letters of a regular expression written in Arabic, leaving its syntax alone."""
    return _TASHKEEL.sub("", pattern.translate(_FOLD))


@dataclass
class NormalizedText:
    """Normalised text plus, for each of its characters, the index in the original."""

    original: str
    text: str
    index: list
    #: The (start, end) ranges of the original whose characters the text keeps, in order (a gap's single space is
    #: one); the index is their offsets one after the other. NormalizedText.joined is built from them.
    runs: tuple = field(default=(), repr=False, compare=False)

    @classmethod
    @functools.lru_cache(maxsize=16)  # one article's extraction normalises its title and body several times
    def of(cls, original):
        # Whole-string translation, then a look only at the places where characters go: dropped marks
        # and runs of spaces. A loop over every character took a second or more on a long article.
        text = _fold_and_spaces(original)
        out = []
        runs = []
        position = 0
        for match in _GAPS.finditer(text):
            start, end = match.span()
            out.append(text[position:start])
            runs.append((position, start))
            space = text.find(" ", start, end)
            if space >= 0 and start > 0 and text[start - 1] != "\n":
                out.append(" ")
                runs.append((space, space + 1))
            position = end
        out.append(text[position:])
        runs.append((position, len(text)))
        index = []
        for start, end in runs:
            index.extend(range(start, end))
        return cls(original, "".join(out), index, tuple(runs))

    @classmethod
    @functools.lru_cache(maxsize=4)  # an article's title and body: its dates and its topics read them joined
    def joined(cls, first, second):
        """NormalizedText.of(first + "\n" + second), made of the two parts' own normalisations (each cached, and
        read by other steps alone) instead of a third pass over the whole text. The same: folding is character by
        character, and no gap runs across a line break; a gap opening `second` goes as one opening a text does,
        as one opening a line does (a test compares the two on random texts)."""
        head, tail = cls.of(first), cls.of(second)
        shift = len(first) + 1
        runs = (*head.runs, (len(first), shift), *((start + shift, end + shift) for start, end in tail.runs))
        index = head.index.copy()
        index.append(len(first))
        for start, end in tail.runs:
            index.extend(range(start + shift, end + shift))
        return cls(first + "\n" + second, head.text + "\n" + tail.text, index, runs)

    def span(self, start, end):
        """The original text behind normalised characters start..end."""
        if start >= end:
            return ""
        return self.original[self.index[start] : self.index[end - 1] + 1]

    def original_offsets(self, start, end):
        return self.index[start], self.index[end - 1] + 1


def word_pattern(phrase, *, allow_prefix=True):
    """A regex matching the (already normalised) phrase as whole words.

    A trailing `*` on the phrase means "any ending" (تجار* matches تجارة, التجاري).
    Spaces inside a phrase match any run of spaces, hyphens or slashes.
    """
    prefix_match = phrase.endswith("*")
    core = phrase.rstrip("*").strip()
    arabic_prefix = allow_prefix and _is_arabic(core[:1])
    body = _phrase_body(core) if arabic_prefix else r"[\s\-–—/]+".join(re.escape(part) for part in core.split())
    start = r"(?<![\w])" + (PREFIX if arabic_prefix else "")
    end = r"\w*" if prefix_match else r"(?![\w])"
    return start + "(?:" + body + ")" + end


def _phrase_body(core):
    """Regex for an Arabic phrase, each word with or without the article: "السكك الحديدية" = "سكك حديدية".

    The first word's article is left to PREFIX (which also covers "لل", "بال", "وال").
    """
    parts = []
    for i, word in enumerate(core.split()):
        if word.startswith(NOT_ARTICLE):
            parts.append(re.escape(word[1:]))
            continue
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        elif i == 0 or not _is_arabic(word[:1]):
            parts.append(re.escape(word))
            continue
        parts.append(re.escape(word) if i == 0 else "(?:ال|لل)?" + re.escape(word))
    return r"[\s\-–—/]+".join(parts)


def _first_word_has_article(core):
    first = core.split()[0] if core.split() else ""
    return first.startswith("ال") and len(first) > 3


def lexicon_regex(phrases):
    """Like word_pattern() for many normalised phrases at once, with shared parts factored out."""
    groups = {}  # (article required, stem) -> bodies
    other = []
    for phrase in phrases:
        stem = phrase.endswith("*")
        core = phrase.rstrip("*").strip()
        if not _is_arabic(core.lstrip(NOT_ARTICLE)[:1]):
            other.append(word_pattern(phrase.replace(NOT_ARTICLE, "")))
            continue
        groups.setdefault((_first_word_has_article(core), stem), []).append(_literal_head(core))
    alternatives = []
    for (with_article, stem), bodies in sorted(groups.items()):
        tail = r"\w*" if stem else r"(?![\w])"
        prefix = PREFIX_WITH_ARTICLE if with_article else PREFIX
        alternatives.append(r"(?<![\w])(?=[\u0621-\u064a])" + prefix + "(?:" + _factored(bodies) + ")" + tail)
    return re.compile("|".join(alternatives + other))


#: How many leading characters lexicon_keys keeps of a match's beginning.
KEY_CHARS = 4


def lexicon_keys(phrases, chars=KEY_CHARS):
    """What a match of lexicon_regex(phrases) can begin with, to try the regex only where it can match:
    (keys, other) where `keys` holds the first `chars` characters (or all, if fewer) of every prefix + first
    word an Arabic phrase's match begins with, and `other` says whether non-Arabic phrases (matched where a
    character outside the Arabic letters begins) are in the list. None when a phrase has no literal first word."""
    keys, other = set(), False
    for phrase in phrases:
        core = phrase.rstrip("*").strip()
        if not _is_arabic(core.lstrip(NOT_ARTICLE)[:1]):
            other = True
            continue
        head, _ = _literal_head(core)
        if not head:
            return None
        prefixes = PREFIX_WITH_ARTICLE_STRINGS if _first_word_has_article(core) else PREFIX_STRINGS
        keys.update((prefix + head)[:chars] for prefix in prefixes)
    return frozenset(keys), other


def _literal_head(core):
    """_phrase_body(core) as (its leading literal characters, the regex after them)."""
    body = _phrase_body(core)
    first = core.split()[0]
    head = first[1:] if first.startswith(NOT_ARTICLE) else first[2:] if first.startswith("ال") and len(first) > 3 else first
    escaped = re.escape(head)
    if not body.startswith(escaped):  # cannot happen: the body begins with the escaped first word
        return "", body
    return head, body[len(escaped) :]


def _factored(bodies):
    """The alternation of bodies [(literal head, rest)], alternatives sharing leading characters under one branch.

    The same matches as "|".join(head + rest): at any place only alternatives whose head the text begins with can
    match, and among them the order is kept, so the regex engine tries the same ones in the same order; it just
    skips the others after one character comparison instead of one per alternative (the topics' hot path)."""
    if len(bodies) == 1 or any(not head for head, _ in bodies):
        return "|".join(re.escape(head) + rest for head, rest in bodies)
    by_first = {}
    for head, rest in bodies:
        by_first.setdefault(head[0], []).append((head[1:], rest))
    return "|".join(
        re.escape(first) + ("(?:" + _factored(group) + ")" if len(group) > 1 else re.escape(group[0][0]) + group[0][1])
        for first, group in by_first.items()
    )


def literal_pieces(word):
    """A string as regex pieces, one per character; a space matches any run of spaces, hyphens or slashes."""
    return [r"[\s\-–—/]+" if ch == " " else re.escape(ch) for ch in word]


def trie_pattern(words, pieces=literal_pieces):
    """One regex alternation for many strings, factored by common prefixes (fast for big lists).

    `pieces(word)` splits a string into regex pieces (by default its literal characters); strings
    sharing leading pieces share a branch.
    """
    trie = {}
    for word in words:
        node = trie
        for piece in pieces(word):
            node = node.setdefault(piece, {})
        node[""] = True

    def build(node):
        if list(node) == [""]:
            return ""
        optional = "" in node
        branches = []
        for piece in sorted(k for k in node if k):
            branches.append(piece + build(node[piece]))
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if optional else body

    return build(trie)


def _is_arabic(ch):
    return bool(ch) and "\u0600" <= ch <= "\u06ff"
