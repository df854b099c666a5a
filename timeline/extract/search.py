"""Full-text search on Arabic-normalised text, in PostgreSQL's 'simple' configuration.

Documents are reduced to stems: normalised (see arabic.py), and the article with its
attached particles removed (والصين، بالسكك، للأمن → صين، سكك، امن). A query word then
matches its stem with any attached prefix and any ending (كازاخستان:* also finds
الكازاخستانية), and a word that names a gazetteer entity brings in every spelling of that
entity (كازاخستان also finds قازاقستان; Tokayev finds توكاييف).
"""

import re

from .arabic import normalize
from .spelling import is_near, is_stop_word, variant_key

_TOKEN = re.compile(r"[\u0621-\u064a]+|[a-z0-9]+")
_ARTICLE = re.compile(r"^(?:و|ف)?(?:بال|كال|لل|ال)(?=[\u0621-\u064a]{2})")
_PARTICLES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل")
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# Unquoted words that together spell a name are searched as that name: "شي جين بينج", "قاسم جومرت توكايف".
MAX_NAME_WORDS = 5
# A single word is taken for a spelling of a name only from this length (short words are too often common words).
MIN_VARIANT_LETTERS = 6
_VARIANT = "\x00variant"  # synonym-index keys by spelling variant key (spelling.variant_key), not by stems


def stem(token):
    return _ARTICLE.sub("", token)


#: stem() of every token of a space-separated token string at once: the article where a token begins.
_ARTICLES = re.compile(r"(?<![^ ])" + _ARTICLE.pattern.removeprefix("^"))


def search_stems(text):
    """The searchable form of a text: normalised, lower-cased, one stem per word.

    The same as " ".join(stem(token) for token in tokens), in one substitution over the joined tokens: a token
    begins at the string's start or after a space, and stem's look-ahead reads letters, which a space ends."""
    return _ARTICLES.sub("", " ".join(_TOKEN.findall(normalize(text).lower())))


def _word_query(word):
    """tsquery for one stem: with any attached particle, and any ending when it is long enough."""
    suffix = ":*" if len(word) >= 4 else ""
    if not re.match(r"[\u0621-\u064a]", word):
        return word + suffix
    return "(" + " | ".join(f"{particle}{word}{suffix}" for particle in _PARTICLES) + ")"


def _phrase_query(stems):
    return " <-> ".join(_word_query(s) for s in stems) if len(stems) > 1 else _word_query(stems[0])


def parse_query(q):
    """[(stems, is_phrase)] from a query: quoted phrases stay together, other words stand alone."""
    q = (q or "")[:MAX_QUERY_CHARS]
    parts = []
    for quoted, loose in re.findall(r'"([^"]*)"|(\S+)', q):
        stems = search_stems(quoted or loose).split()
        if not stems:
            continue
        if quoted:
            parts.append((stems, True))
        else:
            parts += [([s], False) for s in stems]
    return parts[:MAX_TERMS]


def synonym_index(entities):
    """{stem sequence of any spelling or English name: [stem sequences of all its spellings]}."""
    index = {}
    for entity in entities:
        spellings = {tuple(search_stems(name).split()) for name in (entity.name_ar, entity.name_en, *entity.aliases)}
        spellings.discard(())
        keys = set(spellings)
        if entity.kind == "person":
            # a surname alone names the person too: "Tokayev", "توكاييف"
            keys |= {spelling[-1:] for spelling in spellings if len(spelling) > 1 and len(spelling[-1]) >= 5}
        for key in keys:
            index.setdefault(key, set()).update(spellings)
        # Every spelling's variant key too: a spelling no list holds (قاسم جومرت توكايف) still finds the name.
        for spelling in spellings:
            if re.match(r"[\u0621-\u064a]", spelling[0]):
                index.setdefault((_VARIANT, variant_key(" ".join(spelling))), set()).update(spellings)
    return index


def name_spellings(stems, synonyms):
    """All spellings (stem sequences) of the name these stems spell, as listed or by a known variant; else empty."""
    stems = tuple(stems)
    listed = synonyms.get(stems)
    if listed:
        return listed
    text = " ".join(stems)
    if not re.match(r"[\u0621-\u064a]", text) or (len(stems) == 1 and len(text) < MIN_VARIANT_LETTERS):
        return set()
    if is_stop_word(text):
        return set()
    candidates = synonyms.get((_VARIANT, variant_key(text)), set())
    # The key folds a lot together: the spelling must also stay near one of the name's spellings.
    if any(len(c) == len(stems) and is_near(text, " ".join(c)) for c in candidates):
        return candidates
    return set()


def grouped_query(q, synonyms=None):
    """parse_query(q), with runs of unquoted words that spell a name joined into one phrase (longest run first)."""
    synonyms = synonyms or {}
    parts = parse_query(q)
    grouped, i = [], 0
    while i < len(parts):
        joined = False
        if not parts[i][1]:
            for j in range(min(len(parts), i + MAX_NAME_WORDS), i + 1, -1):
                run = parts[i:j]
                if any(is_phrase for _, is_phrase in run):
                    continue
                words = [stems[0] for stems, _ in run]
                if name_spellings(words, synonyms):
                    grouped.append((words, True))
                    i, joined = j, True
                    break
        if not joined:
            grouped.append(parts[i])
            i += 1
    return grouped


def _covers(word, other):
    """Whether every lexeme _word_query(other) matches is matched by _word_query(word) (same particles; an exact
    word covers itself, a prefix word every word it begins)."""
    return other == word or (len(word) >= 4 and other.startswith(word))


def _needed(alternatives):
    """The alternatives without the phrases another alternative implies: a phrase holding a word that a one-word
    alternative covers can only match where that word does. Same matches, a shorter query with fewer phrase
    operators (a phrase makes the index recheck every candidate's positions)."""
    single = [a[0] for a in alternatives if len(a) == 1]
    return sorted(a for a in alternatives if len(a) == 1 or not any(_covers(w, s) for w in single for s in a))


def build_tsquery(q, synonyms=None):
    """A to_tsquery('simple', …) string for q, or None when q has no searchable word."""
    synonyms = synonyms or {}
    clauses = []
    for stems, _ in grouped_query(q, synonyms):
        alternatives = {tuple(stems)} | name_spellings(stems, synonyms)
        clauses.append("(" + " | ".join(_phrase_query(list(a)) for a in _needed(alternatives)) + ")")
    return " & ".join(clauses) if clauses else None


def highlight_pattern(q, synonyms=None):
    """A regex over normalised text that finds the query's words (for marking the matching passage)."""
    synonyms = synonyms or {}
    words = set()
    for stems, _ in grouped_query(q, synonyms):
        for alternative in {tuple(stems)} | name_spellings(stems, synonyms):
            words.update(alternative)
    if not words:
        return None
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)?(?:" + body + r")\w*", re.IGNORECASE)
