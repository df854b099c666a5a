"""The systematic ways Arabic outlets spell one foreign name, as regex pieces for the gazetteer.

A Kazakh, Chinese or Uzbek name has no fixed Arabic spelling. Outlets differ in the same few
ways, so instead of listing every spelling the gazetteer turns each alias of a person or place
into a pattern that also accepts:

- Egyptian ج for غ (and غ for ج): غوربانغولي / جوربانجولي;
- the borrowed letters ڤ، پ، گ for ف، ب، غ: ڤلاديمير / فلاديمير;
- ق for ك and ك for ق, as Turkic and Chinese names are written both ways: توكاييف / توقاييف;
- a doubled ي or و written single, or a single one doubled: توكاييف / توكايف;
- in a long word, a long vowel (ا، و، ي) added or dropped inside it: بكتينوف / بيكتينوف,
  نزارباييف / نازارباييف, خورجوس / خوروجوس (never its first or last letter, never in a short
  word, where a vowel is what tells تشانغ from تشنغ);
- the words of a name written joined or split: شي جين بينغ / شي جينبينغ;
- in a long word, one vowel letter written for another: تليوبيردي / تلاوبردي;
- two neighbouring letters that the rules above make one sound written once: رونغجي / رونغي
  (Zhu Rongji, where Egyptian ج for غ leaves غج one sound);
- a word that starts with ش written with تش, or the reverse, when the word is longer than one
  Chinese syllable (pinyin x and q heard as one sound): شينجيانغ / تشينجيانغ;
- in a name of several words, a word-initial ه written خ (pinyin h heard as the Russian х, which
  Kazakh and Russian sources pass on): تشانغ هان هوي / تشانغ خان خوي;
- in a name of several words, a word ending in ن or نغ written with the other (the Chinese -n and
  -ng that transliterators confuse): جيانغ زيمين / جيان زيمينغ.

The text is never rewritten: the pattern runs on the normalised text, so offsets stay those of
what the outlet wrote. `variant_key()` maps every spelling a pattern accepts to the same key,
which is how a match finds its entity again; `STOP_WORDS` are common words that a name's
variant could spell and that are therefore never taken for the name.
"""

import re

from .arabic import normalize

VOWELS = "اوي"
#: Between the words of a name: any joiner, or none (written joined).
OPTIONAL_JOINER = r"[\s\-–—/]*"
_G, _Q, _F, _B = "[غجگ]", "[قك]", "[فڤ]", "[بپ]"
_CLASS = {"غ": _G, "ج": _G, "گ": _G, "ق": _Q, "ك": _Q, "ف": _F, "ڤ": _F, "ب": _B, "پ": _B}
_FOLD = str.maketrans({"ج": "غ", "گ": "غ", "ك": "ق", "ڤ": "ف", "پ": "ب"})
#: Letters that some outlets borrow from Persian for sounds Arabic lacks (v, p, g).
BORROWED = "ڤپگ"
_JOINERS = re.compile(r"[\s\-–—/]+")
#: A word needs this many letters before a vowel may be added or dropped inside it
#: (Chinese syllables are shorter, and there the vowel is the name).
LONG_WORD = 7
#: ...and this many before a doubled ي/و may be written single or a single one doubled.
MEDIUM_WORD = 4
#: ...and this many before a vowel letter may be added between two consonants (خورجوس / خوروجوس):
#: adding one is rarer to spell a common word than dropping one, so it starts a letter earlier.
VOWEL_ADDED_WORD = 6

#: Common words one spelling step away from a name in the gazetteer (توقيف "arrest" from توقايف,
#: التي "which" from ألتاي, سمي from سيمي, شأن from شيان, خروج from خوروج, تكيف and توقف from
#: توكايف): found by comparing every name's variants with the commonest words of Arabic news.
#: The rules above already keep most of them out; a variant never matches one of these either.
#: An alias an editor wrote down still does (it is a deliberate choice).
STOP_WORDS = frozenset(
    normalize(w)
    for w in """
    توقيف توقف تكيف التي الذي سمي شأن خروج سيان أكتوبر
    """.split()
)


#: The ش-form of a word needs this many letters, more than one Chinese syllable, before تش may
#: stand for its ش: in one syllable the two are two sounds (شي Xi and تشي Qi, شيانغ Xiang and
#: تشيانغ Qiang), in a longer name a transliterator's slip (شينجيانغ, تشينجيانغ: one region).
SH_WORD = 6


def variant_pieces(core):
    """Regex pieces, one per letter or letter group, for a normalised alias and its variants."""
    words = core.split(" ")
    pieces = []
    for i, word in enumerate(words):
        if i:
            pieces.append(OPTIONAL_JOINER)
        pieces.extend(_word_pieces(word, alone=len(words) == 1))
    return pieces


def _word_pieces(word, alone):
    n = len(word)
    pieces, i = _start(word, alone)
    stop, end = n, []
    if not alone and n >= 3 and word.endswith(("ن", "نغ")):
        stop, end = word.rindex("ن"), ["ن", _G + "?"]  # the Chinese -n and -ng
    swap = n >= (MEDIUM_WORD if alone else 3)
    while i < stop:
        ch = word[i]
        inside = 0 < i < n - 1
        if inside and ch in VOWELS and n >= MEDIUM_WORD:
            run_end = i
            while run_end < min(n - 1, stop) and word[run_end] in VOWELS:
                run_end += 1
            pieces.extend(_vowel_run(word[i:run_end], long=n >= LONG_WORD))
            i = run_end
            continue
        nxt = word[i + 1] if i + 1 < stop else ""
        if swap and ch in _CLASS and nxt in _CLASS and _CLASS[ch] == _CLASS[nxt]:
            pieces.append(_CLASS[ch] + "{1,2}")  # غج, one sound, may be written with one letter
            i += 2
            continue
        pieces.append(_CLASS[ch] if swap and ch in _CLASS else re.escape(ch))
        if n >= VOWEL_ADDED_WORD and nxt and ch not in VOWELS and nxt not in VOWELS:
            pieces.append("[اوي]?")  # a vowel letter some outlets add between two consonants
        i += 1
    return pieces + end


def _start(word, alone):
    """Pieces for how a word may start (ش or تش; ه or خ in a name of several words), and how many letters they take."""
    if word.startswith("تش") and len(word) - 1 >= SH_WORD:
        return ["(?:تش|ش)"], 2
    if word.startswith("ش") and len(word) >= SH_WORD:
        return ["(?:تش|ش)"], 1
    if not alone and word[:1] in ("ه", "خ") and len(word) >= 2:
        return ["[هخ]"], 1
    return [], 0


def _vowel_run(run, long):
    """A run of vowel letters inside a word: each letter doubled or single; in a long word also
    dropped, or written as another vowel letter (one more or fewer is is_near()'s to allow)."""
    if long:
        return ["[اوي]{0,%d}" % (len(run) + 1)]
    pieces = []
    j = 0
    while j < len(run):
        letter = run[j]
        k = j
        while k < len(run) and run[k] == letter:
            k += 1
        pieces.extend(["ا"] * (k - j) if letter == "ا" else [letter + "{1,2}"])
        j = k
    return pieces


def variant_key(text):
    """The same key for every spelling that variant_pieces() accepts for one alias.

    Each word's start تش is folded into ش and خ into ه, its end نغ into ن; joiners go (joined or split),
    ج گ ك ڤ پ are folded into غ غ ق ف ب, a letter written twice counts once, and the vowel letters
    after the first letter go. Different names can share a key; the index then checks each.
    """
    text = "".join(_word_key(w) for w in _JOINERS.split(text.strip()))
    text = re.sub(r"(.)\1+", r"\1", text.translate(_FOLD))
    return text[:1] + re.sub("[اوي]", "", text[1:])


def _word_key(word):
    word = "ش" + word[2:] if word.startswith("تش") else "ه" + word[1:] if word.startswith("خ") else word
    return word[:-1] if word.endswith(("نغ", "نج")) else word


def is_near(variant, alias):
    """A variant stays close to the alias it spells: a vowel letter or two more or fewer, not a new word.

    The pattern alone lets every inner vowel of a long word go; "توقف" (stop) and "تكيف" (adapt)
    are توكايف with all of them gone. So a one-word variant keeps five letters or more, never has a
    vowel letter three times running, and adds or drops one vowel letter (two in a name of nine
    letters or more).
    """
    letters, alias_letters = _JOINERS.sub("", variant), _JOINERS.sub("", alias)
    if " " not in alias and len(letters) < 5 or _TRIPLE_VOWEL.search(letters):
        return False
    allowed = 2 if len(alias_letters) >= 9 else 1
    return abs(_vowel_count(letters[1:]) - _vowel_count(alias_letters[1:])) <= allowed


#: No outlet writes a vowel letter three times running (نزاربايييف is a typing slip, not a spelling).
_TRIPLE_VOWEL = re.compile(r"([اوي])\1\1")


def _vowel_count(text):
    return sum(text.count(v) for v in VOWELS)


def is_stop_word(text):
    """A common word (or words) that a name's variant could spell."""
    return _JOINERS.sub(" ", text).strip() in STOP_WORDS
