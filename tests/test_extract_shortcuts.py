"""The extractor's shortcuts find what the plain way finds (issue 9: cheaper extraction, the same output).

Each shortcut skips work that cannot change a result: a regex tried only where its match can begin, a branch
of alternatives factored by their first characters. These tests compare each with the plain way on the
seeds, the labelled corpus and texts written to hit the edge cases.
"""

import itertools
import re

import pytest

from tests.conftest import ROOT, SEEDS
from timeline.extract.arabic import (
    PREFIX,
    PREFIX_STRINGS,
    PREFIX_WITH_ARTICLE,
    PREFIX_WITH_ARTICLE_STRINGS,
    NormalizedText,
    _factored,
    _literal_head,
    _phrase_body,
    lexicon_keys,
    lexicon_regex,
    normalize_keyword,
)
from timeline.extract.decode import decode_article_bytes
from timeline.extract.knowledge import TopicLexicon
from timeline.extract.literals import matches_at
from timeline.extract.topics import _WORD, _starts_by_lexicon


def corpus_texts():
    paths = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    return [NormalizedText.of(decode_article_bytes(p.read_bytes(), p.name)).text for p in paths]


@pytest.mark.parametrize(("pattern", "strings"), [(PREFIX, PREFIX_STRINGS), (PREFIX_WITH_ARTICLE, PREFIX_WITH_ARTICLE_STRINGS)])
def test_the_prefix_strings_are_exactly_what_the_prefix_regex_matches(pattern, strings):
    letters = "وفبلكاي"
    every = {"".join(p) for n in range(7) for p in itertools.product(letters, repeat=n)}
    assert {s for s in every if re.fullmatch(pattern, s)} == set(strings)


def test_a_factored_alternation_matches_like_the_plain_one():
    phrases = ["تجاره حره", "تجار", "تجاره", "تعاون", "تعاون اقتصادي", "ت", "طاقه", "طاقه نظيفه", "اتفاقيه", "اتفاق"]
    bodies = [_literal_head(p) for p in phrases]
    assert [h + r for h, r in [(re.escape(h), r) for h, r in bodies]] == [_phrase_body(p) for p in phrases]
    for tail in (r"(?![\w])", r"\w*", ""):
        plain = re.compile(PREFIX + "(?:" + "|".join(_phrase_body(p) for p in phrases) + ")" + tail)
        factored = re.compile(PREFIX + "(?:" + _factored(bodies) + ")" + tail)
        text = "والتجاره الحره وتجارتها التعاون الاقتصادي للتعاون تي وطاقه نظيفه الطاقه والاتفاقيه الاتفاق ت"
        for start in range(len(text)):
            plain_match, factored_match = plain.match(text, start), factored.match(text, start)
            assert (plain_match and plain_match.span()) == (factored_match and factored_match.span())


@pytest.mark.parametrize("slug", ["diplomacy", "trade", "transport", "multilateral", "culture"])
def test_topic_regexes_are_tried_at_every_start_where_they_match(knowledge, slug):
    lexicon = next(t for t in knowledge.topics if t.slug == slug)
    for text in corpus_texts():
        starts = [w.start() for w in _WORD.finditer(text)]
        (candidates,) = _starts_by_lexicon(text, [lexicon])
        assert set(candidates) <= set(starts)
        assert [m.span() for m in matches_at(lexicon.regex, text, candidates)] == [
            m.span() for m in lexicon.regex.finditer(text)
        ]


def _plain_word_starts(text, keys):
    """What WordStartKeys.starts finds, the plain way: at every word start, each key's slice of the text."""
    found = [[] for _ in range(max((i for owners in keys.values() for i in owners), default=-1) + 1)]
    for start in (w.start() for w in re.finditer(r"(?<!\w)", text)):
        for key, owners in keys.items():
            if text.startswith(key, start):
                for i in owners:
                    if start not in found[i]:
                        found[i].append(start)
    return [sorted(offsets) for offsets in found]


def test_word_start_keys_are_where_a_word_begins_with_a_key():
    import random

    from timeline.extract.literals import WordStartKeys, is_word_char

    # \w of the regex engine is str.isalnum() or "_", for every character.
    assert all(bool(re.match(r"\w", chr(c))) == is_word_char(chr(c)) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    # Keys that overlap, nest, share ends, begin with non-word characters or digits, and one owned twice.
    keys = {"وال": [0], "والت": [1], "ال": [0, 2], "ت": [1], "ا": [2], "-ا": [0], "5G": [1], "لل": [3], "للت": [3]}
    finder = WordStartKeys(keys, 4)
    alphabet = ["و", "ا", "ل", "ت", "ن", "-", " ", "\n", "5", "G", "_", "،", "\u064b", "x", "é"]
    rng = random.Random(13)
    texts = ["والتعاون للتجارة -الات 5G _ال xال éال", ""] + corpus_texts()[:20]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(3000)]
    for text in texts:
        assert finder.starts(text) == _plain_word_starts(text, keys), text
    assert WordStartKeys({}, 2).starts("وال") == [[], []]
    with pytest.raises(ValueError):
        WordStartKeys({"": [0]}, 1)


def test_topic_starts_are_among_the_dictionary_look_ups_per_word(knowledge):
    """_starts_by_lexicon against the way it was done before the automaton: each word start's slices looked up."""
    import random

    lexicons = [lex for lex in knowledge.topics if lex.regex is not None]

    def plain(text):
        index = {}
        for i, lex in enumerate(lexicons):
            for key in lex.keys[0] if lex.keys is not None else ():
                index.setdefault(key, []).append(i)
        lengths = sorted({len(key) for key in index})
        found = [[] for _ in lexicons]
        other = [i for i, lex in enumerate(lexicons) if lex.keys is not None and lex.keys[1]]
        for start in [w.start() for w in _WORD.finditer(text)]:
            if other and not "\u0600" <= text[start] <= "\u06ff":
                for i in other:
                    found[i].append(start)
            for length in lengths:
                for i in index.get(text[start : start + length], ()):
                    if not found[i] or found[i][-1] != start:
                        found[i].append(start)
        for i, lex in enumerate(lexicons):
            if lex.keys is None:
                found[i] = [w.start() for w in _WORD.finditer(text)]
        return found

    words = ["والتجاره", "للطاقه", "السكك", "5G", "Belt", "تعاون", "و", "ال", "-", "،", " ", "\n", "x", "٣", "فال"]
    rng = random.Random(17)
    texts = corpus_texts() + ["".join(rng.choice(words) for _ in range(rng.randrange(20))) for _ in range(2000)]
    assert any(lex.keys is not None and lex.keys[1] for lex in lexicons)  # Latin phrases are among them
    for text in texts:
        # The whole first words: fewer starts than the four-character look-ups, and the same matches there.
        for lex, starts, looked_up in zip(lexicons, _starts_by_lexicon(text, lexicons), plain(text), strict=True):
            assert set(starts) <= set(looked_up)
            plain_matches = [m.span() for m in lex.regex.finditer(text)]
            assert [m.span() for m in matches_at(lex.regex, text, starts)] == plain_matches
            assert [m.span() for m in matches_at(lex.regex, text, looked_up)] == plain_matches


def test_lexicon_keys_cover_prefixes_articles_hamza_and_latin_phrases():
    lexicon = TopicLexicon("t", "", "", ("السكك الحديدية", "ألماتي", "تجار*", "5G", "قمح"))
    text = normalize_keyword("وبالسكك الحديدية، ألماتي، للتجارة، وقمح، و 5G شبكات، القمح")
    text = text.replace("\x00", "")
    (candidates,) = _starts_by_lexicon(text, [lexicon])
    assert [m.group() for m in matches_at(lexicon.regex, text, candidates)] == [
        m.group() for m in lexicon.regex.finditer(text)
    ]
    assert len(list(lexicon.regex.finditer(text))) == 6
    assert lexicon_keys([normalize_keyword("ال")]) is not None
    assert lexicon_regex([normalize_keyword("أل")]).match("ال")


def test_must_contain_reads_sequences_branches_and_repeats():
    from timeline.extract.literals import must_contain

    test = must_contain(re.compile(r"(?:ال)?رييس\s+(?:جمهوريه\s+)?(?:صين|بكين)x{2,}(?:y)?"))
    assert test("رييس صين xx")
    assert test("رييس بكينxx")
    assert not test("رييس صين ")  # the repeat needs an "x"
    assert not test("صين xx")  # no "رييس"
    assert not test("رييس xx")  # neither branch
    assert test("رييسصينxx")  # the check is for the strings, not their order: it may say yes, never a wrong no
    assert must_contain(re.compile("(?i)abc"))("ABC")  # case-insensitive: no literal is required
    assert must_contain(re.compile("a(?i:bc)"))("aBC")
    assert must_contain(re.compile(r"(a)?\1?b|c*"))("")  # a branch that can be empty requires nothing


def test_phrase_scans_find_what_the_whole_alternation_finds(knowledge):
    from timeline.extract.knowledge import PhraseScan

    texts = corpus_texts() + [""]
    for text in texts:
        found = {}  # one text's key offsets, shared by every series and anchor as DateFinder shares them
        for item in [*knowledge.series, *knowledge.anchors]:
            plain = [m.span() for m in item.regex.finditer(text)]
            assert [m.span() for m in item.scan.finditer(text)] == plain
            assert [m.span() for m in item.scan.finditer(text, found)] == plain
    # Patterns with groups keep the whole alternation (group numbers would shift), and an empty pattern matches.
    scan = PhraseScan([r"(ب)\1", "ا", "(?:ج)?"])
    assert [m.span() for m in scan.finditer("ببا")] == [m.span() for m in scan.regex.finditer("ببا")]
    scan = PhraseScan(["قمه\\s+شنغهاي", "منتدي"])
    assert [m.group() for m in scan.finditer("منتدي قمه شنغهاي منتدي")] == ["منتدي", "قمه شنغهاي", "منتدي"]
    assert scan.finditer("لا شيء") == []
    # A pattern whose matches may begin anywhere: the kept patterns are scanned for, as one alternation.
    scan = PhraseScan([r"\S+زيار", "قمه", "منتدي"])
    assert scan.all_keys is None and scan.tests is not None
    text = "الزيارة قمه منتدي وزيار قمه"
    assert [m.span() for m in scan.finditer(text)] == [m.span() for m in scan.regex.finditer(text)]
    assert [m.group() for m in scan.finditer("قمه منتدي")] == ["قمه", "منتدي"]
    assert [m.group() for m in scan.finditer("وزيار")] == ["وزيار"]


def test_start_keys_are_what_every_match_begins_with():
    from timeline.extract.literals import key_starts, matches_at, start_keys

    def keys(pattern):
        return start_keys(re.compile(pattern))

    assert keys(r"(?<!\w)(?:ال)?رييس[اه]\s+x") == {"الري", "رييس"}  # cut to four characters; a look-behind takes none
    assert keys(r"(?:س?ي(?:زور|صل)|زار)(?!\w)") == {"سيزو", "سيصل", "يزور", "يصل", "زار"}
    assert keys(r"شي\s*جين|هو+") == {"شي", "هو"}  # a repeat ends the key after its first time
    assert keys(r"(?:ab)?c") == {"abc", "c"}
    # A match that may begin with any character, or with nothing read yet: no keys, the whole text is scanned.
    for anywhere in (r"\S+زيار", r"(?i)abc", r"x*y|", r"[^ab]c", r"(?:ab)*c", r"(?:ab)?"):
        assert keys(anywhere) is None
    assert keys(r"a(?i:b)c|d") == {"a", "d"}  # the case-insensitive part ends the key before it
    # Too many keys to look for one by one: their shorter beginnings, still what every match begins with.
    from timeline.extract.literals import MAX_KEYS

    many = re.compile("(?:" + "|".join(f"{a}{b}{c}x" for a in "abcdefg" for b in "hijklmn" for c in "opqrstu") + ")")
    assert len(start_keys(many)) == 49 <= MAX_KEYS and all(len(key) == 2 for key in start_keys(many))
    text = "".join(f"{a}{b}{c}x " for a in "aeg" for b in "hkn" for c in "opu") + "ahv ahox"
    assert [m.span() for m in matches_at(many, text, key_starts(start_keys(many), text))] == [
        m.span() for m in many.finditer(text)
    ]
    # The matches tried at the keys' offsets are the scan's, overlapping keys and all.
    regex = re.compile(r"ابا|بات|(?<!\w)تا")
    text = "اباتا باتا تا ابابات"
    assert key_starts(start_keys(regex), text) == [i for i in range(len(text)) if text.startswith(("ابا", "بات", "تا"), i)]
    assert [m.span() for m in matches_at(regex, text, key_starts(start_keys(regex), text))] == [
        m.span() for m in regex.finditer(text)
    ]


def test_the_hash_source_read_off_the_normalized_text_is_normalize_without_spacing(knowledge):
    import random

    from timeline.extract.arabic import normalize
    from timeline.extract.clean import CleanText, clean_article, normalized_hash_source

    def plain(cleaned):  # what the hash was made of before: normalize() of the title and body
        return normalize(cleaned.title + "\n" + cleaned.body).replace(" ", "").replace("\n", "")

    paths = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    for path in paths:
        cleaned = clean_article(decode_article_bytes(path.read_bytes(), path.name), knowledge)
        assert normalized_hash_source(cleaned) == plain(cleaned)
    # Spaces of every kind at line starts and ends, tashkeel and tatweel between and beside them, folded letters.
    alphabet = ["ا", "أ", "ى", "ة", "٣", "a", "Z", " ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", "\u064b", "\u0640", "«", "\u200f"]
    rng = random.Random(9)
    for _ in range(3000):
        cleaned = CleanText()
        cleaned.title = "".join(rng.choice(alphabet) for _ in range(rng.randrange(6)))
        cleaned.paragraphs = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))]
        assert normalized_hash_source(cleaned) == plain(cleaned), (cleaned.title, cleaned.body)


def test_date_patterns_tried_at_their_keys_find_what_a_scan_finds(monkeypatch):
    from timeline.extract import dates
    from timeline.extract.literals import DIGIT, key_starts, matches_at, start_keys

    patterns = [dates._CROSS_MONTH, dates._FULL_DATE, dates._HIJRI_DATE, dates._ISO, dates._DMY, dates._MONTH_YEAR,
                dates._UNTIL_ORDINAL, dates._DAY_MONTH, dates._MONTH_CURRENT]
    assert all(start_keys(p) is not None for p in patterns)
    assert DIGIT in start_keys(dates._FULL_DATE) and "اول" in start_keys(dates._FULL_DATE)
    # Digits of every script (\d matches them all), dates that touch, and the first of a month in words.
    edge = ("من 30 اغسطس الي 3 سبتمبر 2025، اول يوليو 2017 و٣ يونيو ٢٠١٧ و३ مايو 2019 2022-06-08 08/06/2017 "
            "13 رمضان 1438 هـ 3 و4 يوليو 2024 في يونيو 2022 3 يوليو الي الخامس منه شهر مايو الحالي 12 13 يوليو")
    assert set(dates._date_keys().keys) == {k for p in patterns for k in start_keys(p)} - {DIGIT}
    for text in corpus_texts() + [edge, edge * 3, ""]:
        # The keys' places found by the patterns' own find loops, and all at once (dates._places).
        for found in ({}, dates._date_keys().found(text)):
            for pattern in patterns:
                plain = [m.span() for m in pattern.finditer(text)]
                assert [m.span() for m in matches_at(pattern, text, key_starts(start_keys(pattern), text, found))] == plain
    # And explicit_dates itself, long texts read at the keys' places against every text scanned whole.
    def every_date(texts):
        dates._explicit_dates.cache_clear()
        dates._dates_with_years.cache_clear()
        dates._places.cache_clear()
        return [(dates.explicit_dates(t), dates.explicit_dates(t, 2024)) for t in texts]

    texts = corpus_texts() + [edge * 3]
    keyed = every_date(texts)
    monkeypatch.setattr(dates, "KEYED_SCAN_CHARS", 10**9)
    assert every_date(texts) == keyed
    assert sum(len(a) + len(b) for a, b in keyed) > 150  # the texts do hold dates


def test_must_contain_tests_cheap_parts_first_with_the_same_answers(knowledge):
    from re import _parser

    from timeline.extract import dates
    from timeline.extract.literals import _cheap_first, _count, _holds, _sequence, must_contain

    regexes = [dates._CROSS_MONTH, dates._FULL_DATE, dates._HIJRI_DATE, dates._UNTIL_ORDINAL, dates._DAY_MONTH]
    regexes += [item.regex for item in [*knowledge.series, *knowledge.anchors]]
    texts = corpus_texts()
    texts += [line[:160] for text in texts for line in text.split("\n")]  # datelines' heads: most tests say no
    answers = 0
    for regex in regexes:
        tree = _sequence(_parser.parse(regex.pattern, regex.flags & ~re.UNICODE).data)
        test = must_contain(regex)
        for text in texts:
            assert test(text) == _holds(tree, text)
            answers += test(text)
    assert answers > 100  # both answers are given
    # The date patterns' tests look for a year's "19"/"20", "منه" or "1" before forty month names.
    for regex in regexes[:4]:
        parts = _cheap_first(_sequence(_parser.parse(regex.pattern).data))[1]
        assert _count(parts[0]) <= 2 and _count(parts[-1]) >= 30
    # Any one of forty month names will do: the shortest first ("اب", in most long texts: the answer at once),
    # "كانون الثاني" last.
    months = _cheap_first(_sequence(_parser.parse(dates._FULL_DATE.pattern).data))[1][-1]
    assert months[0] == "any" and months[1][0] == ("in", "اب")
    for regex in regexes:
        pending = [_cheap_first(_sequence(_parser.parse(regex.pattern, regex.flags & ~re.UNICODE).data))]
        while pending:
            kind, parts = pending.pop()
            if kind != "in":
                pending.extend(parts)
            if kind == "any":
                sizes = [len(part[1]) if part[0] == "in" else float("inf") for part in parts]
                assert sizes == sorted(sizes)


def test_folding_by_replace_is_translate_and_the_gaps_regex_is_the_plain_one():
    import random

    from timeline.extract import arabic

    keys = [chr(k) for k in arabic._FOLD_AND_SPACES] + ["\n", "ا", "x", "٫", "\u064b", "\u0640", "«", "\u200f", " "]
    rng = random.Random(3)
    texts = corpus_texts() + ["".join(rng.choice(keys) for _ in range(rng.randrange(400))) for _ in range(300)]
    for fold, table in ((arabic._fold, arabic._FOLD), (arabic._fold_and_spaces, arabic._FOLD_AND_SPACES)):
        assert fold.pairs  # the replace path is taken on long texts
        for text in texts:
            assert fold(text) == text.translate(table)
    # A table whose output is one of its inputs ("a" -> "b" -> "c") cannot be replaced character by character.
    assert arabic._Fold(str.maketrans("ab", "bc")).pairs is None
    assert arabic._Fold(str.maketrans("ab", "bc"))("ab" * 100) == "bc" * 100

    plain = re.compile(arabic._GAPS_PLAIN)
    gaps = ["ا", " ", " ", "\n", "\u064b", "\u0640", "«", "x", "\u200f"]
    texts += ["".join(rng.choice(gaps) for _ in range(rng.randrange(12))) for _ in range(20000)]
    for text in texts:
        folded = text.translate(arabic._FOLD_AND_SPACES)
        assert [m.span() for m in arabic._GAPS.finditer(folded)] == [m.span() for m in plain.finditer(folded)]


def test_looks_like_text_counts_control_characters_like_a_deleting_translate():
    import random

    from timeline.extract.clean import _CONTROL_CHARS, looks_like_text

    table = dict.fromkeys(map(ord, _CONTROL_CHARS))
    assert set(_CONTROL_CHARS) == {chr(c) for c in range(32)} - set("\n\r\t")
    rng = random.Random(5)
    for _ in range(500):
        sample = "".join(rng.choice(["ا", "a", "\n", "\t", "\x00", "\x1b", "\x0b", " "]) for _ in range(rng.randrange(1, 300)))
        assert sum(map(sample.count, _CONTROL_CHARS)) == len(sample) - len(sample.translate(table))
    assert looks_like_text("a" * 100 + "\x01") and not looks_like_text("a" * 99 + "\x01")


def test_whole_text_scans_at_keys_find_what_finditer_finds(knowledge):
    from timeline.extract import dates

    regexes = [dates._RELATIVE, dates._WEEKDAY_MENTION, dates._LAST_WEEK, dates._WEEKDAY_PAIR, dates._CONSECUTIVE]
    edge = "اليوم (الخميس) وغدا الجمعة، يومي الخميس والجمعة في الاسبوع الماضي امس واليوم ،الاثنين (السبت) بعد غد"
    total = 0
    for text in corpus_texts() + [edge]:
        finder = dates.DateFinder(text, knowledge)
        for regex in regexes:
            plain = [m.span() for m in regex.finditer(finder.text)]
            assert [m.span() for m in finder._whole_text(regex)] == plain
            total += len(plain)
    assert total > 50


def test_search_stems_in_one_substitution_are_the_stems_token_by_token():
    import random

    from timeline.extract.arabic import normalize
    from timeline.extract.search import _TOKEN, search_stems, stem

    def plain(text):
        return " ".join(stem(token) for token in _TOKEN.findall(normalize(text).lower()))

    paths = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    texts = [decode_article_bytes(p.read_bytes(), p.name) for p in paths]
    pieces = ["و", "ف", "ب", "ك", "ل", "ال", "لل", "بال", "كال", "وال", "فال", "صين", "ا", "Ab", "9", " ", "-", "\n", "x"]
    rng = random.Random(11)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(15))) for _ in range(5000)]
    for text in texts:
        assert search_stems(text) == plain(text)
    assert search_stems("والصين وبالسكك للأمن Tokayev الصين") == "صين سكك امن tokayev صين"


@pytest.fixture(scope="module")
def plain_gazetteer(knowledge):
    """The two regexes the gazetteer's names were found with before issue 9's cut, and their spans (the plain way):
    every alias after the prefixes, longest first, and the same over their spelling variants."""
    from timeline.extract import entities
    from timeline.extract.arabic import trie_pattern
    from timeline.extract.spelling import variant_pieces

    index = knowledge.entity_index

    def prefixed(trie):
        return re.compile(r"(?<![\w])" + PREFIX + r"(?=(?P<core>" + trie + r")(?![\w]))")

    exact = prefixed(trie_pattern(index.by_core))
    variants = prefixed(trie_pattern([c for owners in index.by_key.values() for c, _ in owners], variant_pieces))

    def spans(text):  # every core's joiners made single spaces before it is looked up
        candidates = []
        for match in exact.finditer(text):
            entity = index.by_core.get(entities._JOINERS.sub(" ", match.group("core")))
            if entity is not None:
                candidates.append((match.start("core"), match.end("core"), entity))
        for match in variants.finditer(text):
            core = entities._JOINERS.sub(" ", match.group("core"))
            if core not in index.by_core:
                entity = index.variant_entity(core)
                if entity is not None:
                    candidates.append((match.start("core"), match.end("core"), entity))
        return entities._longest_first(candidates)

    return spans


def test_gazetteer_spans_are_those_of_the_plain_regexes_across_joiners(knowledge, plain_gazetteer):
    from timeline.extract import entities

    index = knowledge.entity_index
    joined = "شي جين بينغ وشي-جين  بينغ ولشي\nجين/بينغ و شي جينبينغ نور سلطان نزارباييف ونور–سلطان نزاربايف Xi Jinping Xi  Jinping"
    texts = corpus_texts() + [joined, joined.replace(" ", "\n"), ""]
    assert any(joiner in joined[s:e] for s, e, _ in entities._gazetteer_spans(joined, index) for joiner in ("-", "\n", "  "))
    for text in texts:
        assert entities._gazetteer_spans(text, index) == plain_gazetteer(text)


def _spelt_otherwise(alias, rng):
    """An alias with a few of the changes spelling.py allows, and some it does not (to reach near misses)."""
    swaps = [("ج", "غ"), ("غ", "ج"), ("ك", "ق"), ("ق", "ك"), ("ي", "يي"), ("يي", "ي"), ("و", "وو"), ("وو", "و"),
             ("ا", ""), ("و", ""), ("ي", ""), ("ر", "را"), ("ن", "ني"), (" ", ""), (" ", "-"), ("ش", "تش"), ("تش", "ش"),
             ("ه", "خ"), ("ف", "ڤ"), ("ب", "پ"), ("ا", "و"), ("نغ", "ن"), ("ن ", "نغ "), ("ي", "ا"), ("ا", "اا")]
    for _ in range(rng.randrange(4)):
        old, new = rng.choice(swaps)
        at = alias.find(old, rng.randrange(len(alias) + 1))
        if at >= 0:
            alias = alias[:at] + new + alias[at + len(old) :]
    return alias


def test_gazetteer_spans_are_those_of_the_plain_regexes_on_names_and_their_spellings(knowledge, plain_gazetteer):
    """Texts made of aliases (Latin names too), their variants and near misses, after prefixes and among joiners,
    digits and common words: what ExactCores and VariantTrie find is what the two regexes found; also when the
    variant keys are shorter (more aliases share a key)."""
    import dataclasses
    import random

    from timeline.extract import entities

    index = knowledge.entity_index
    short_keys = type("ShortKeys", (entities.VariantTrie,), {"KEY_CHARS": 3})  # more aliases to each key's regex
    walked = dataclasses.replace(index, variants=short_keys([c for owners in index.by_key.values() for c, _ in owners]))
    aliases = sorted(index.by_core)
    variant_aliases = sorted(c for owners in index.by_key.values() for c, _ in owners)
    prefixes = ["", "", "", "و", "ب", "ل", "ال", "وال", "بال", "لل", "فل", "ك", "وب", "x", "٣"]
    joiners = [" ", " ", " ", "  ", "-", " - ", "\n", "/", "–", "", "،", ".", "_", "\u00a0"]
    words = ["في", "التي", "توقف", "الرئيس", "زيارة", "2024", "شي", "جين", "سلطان", "نور", "Xi", "و", "ال", "ا"]
    rng = random.Random(29)
    texts = []
    for _ in range(4000):
        parts = []
        for _ in range(rng.randrange(1, 7)):
            kind = rng.random()
            if kind < 0.3:
                word = rng.choice(aliases)
            elif kind < 0.7:
                word = _spelt_otherwise(rng.choice(variant_aliases), rng)
            else:
                word = rng.choice(words)
            if rng.random() < 0.2:
                word = word.replace(" ", rng.choice(joiners))
            parts.append(rng.choice(prefixes) + word)
        texts.append("".join(part + rng.choice(joiners) for part in parts))
    for text in texts + corpus_texts()[:40]:
        plain = plain_gazetteer(text)
        assert entities._gazetteer_spans(text, index) == plain, text
        assert entities._gazetteer_spans(text, walked) == plain, text
    assert sum(1 for text in texts if plain_gazetteer(text)) > 3000


def test_prefix_order_is_the_order_the_regex_tries_the_prefixes():
    """At a place, PREFIX followed by a look-ahead takes the first prefix in PREFIX_ORDER after which the look-ahead
    holds (what entities._prefixed_cores relies on)."""
    import random

    from timeline.extract.entities import PREFIX_ORDER

    assert sorted(PREFIX_ORDER) == sorted(PREFIX_STRINGS)
    rng = random.Random(31)
    for _ in range(3000):
        head = "".join(rng.choice("وفبلكا") for _ in range(rng.randrange(6)))
        ends = [i for i in range(len(head) + 1) if rng.random() < 0.5]
        text = head + "#"
        # A core "matches" where its end is marked: text[i:] for each allowed i, as literal alternatives.
        look = "|".join(re.escape(text[i:]) for i in ends) or "(?!)"
        match = re.match(PREFIX + "(?=(?:" + look + "))", text)
        chosen = next((p for p in PREFIX_ORDER if text.startswith(p) and len(p) in ends), None)
        assert (match and match.group()) == chosen, (head, ends)


def test_joined_text_is_the_joiner_substitution_with_the_offsets_back():
    import random

    from timeline.extract import entities

    assert {chr(c) for c in range(0x110000) if re.match(entities._JOINER, chr(c))} == {
        chr(c) for c in range(0x110000) if re.match(r"[\s\-–—/]", chr(c))
    }
    alphabet = ["ا", "ب", " ", "  ", "\n", "-", "–", "/", "\t", "\u3000", "x", "_", " \n "]
    rng = random.Random(37)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(20)))
        joined = entities._Joined(text)
        assert joined.text == entities._JOINERS.sub(" ", text)
        # Each character of the joined text that is no joiner is the one at its offset back in the text.
        for i, char in enumerate(joined.text):
            if char != " ":
                assert text[joined.original(i)] == char
                assert joined.original(i + 1) == joined.original(i) + 1
        assert joined.original(len(joined.text)) == len(text) or text[-1:] in "\n -–/\t\u3000"


def test_a_joined_normalized_text_is_the_whole_text_normalized():
    import random

    pieces = ["ا", "أ", "ى", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u064b", "\u0640", "«", "\u200f", "x", "٣", "\r"]
    rng = random.Random(23)
    pairs = [(a, b) for a in corpus_texts()[:6] for b in corpus_texts()[:6]]
    pairs += [
        tuple("".join(rng.choice(pieces) for _ in range(rng.randrange(10))) for _ in range(2)) for _ in range(20000)
    ]
    for first, second in pairs:
        whole, joined = NormalizedText.of(first + "\n" + second), NormalizedText.joined(first, second)
        assert (joined.original, joined.text, joined.index) == (whole.original, whole.text, whole.index), (first, second)
        assert joined.runs == whole.runs or [i for s, e in joined.runs for i in range(s, e)] == whole.index


def test_non_arabic_word_starts_written_set_first_are_the_look_behind_ones():
    import random

    from timeline.extract.topics import _NOT_ARABIC_WORD

    plain = re.compile(r"(?<![\w])(?=\w)[^\u0600-\u06ff]")
    pieces = ["ا", "a", "5", "_", " ", "\n", "é", "٣", "-", "ب", "\u064b", "Z", "中", "ж", "\u0600", "\u06ff"]
    rng = random.Random(29)
    texts = corpus_texts() + ["".join(rng.choice(pieces) for _ in range(rng.randrange(20))) for _ in range(20000)]
    for text in texts:
        assert [m.start() for m in _NOT_ARABIC_WORD.finditer(text)] == [m.start() for m in plain.finditer(text)], text


def test_upcoming_visits_read_off_the_normalized_text_are_those_of_normalize():
    import random

    from timeline.extract.arabic import normalize
    from timeline.extract.happenings import _UPCOMING_VISIT

    pieces = ["زيارة", "زيارت", "المقبلة", "القادمة", " ", "  ", "\t", "\n", "\u00a0", "\u064b", "\u0640", ".", "٫",
              "الرئيس", "شي", "x", "«", "\u200f", "\r", "\u2028", "المرتقبه" * 3]
    rng = random.Random(31)
    paths = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    texts = [decode_article_bytes(p.read_bytes(), p.name) for p in paths]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(30))) for _ in range(20000)]
    hits = 0
    for text in texts:
        plain = [m.group(0) for m in _UPCOMING_VISIT.finditer(normalize(text))]
        assert [m.group(0) for m in _UPCOMING_VISIT.finditer(NormalizedText.of(text).text)] == plain, text
        hits += len(plain)
    assert hits > 500


def test_language_told_by_two_scans_is_the_language_of_four():
    import random

    from timeline.extract import language

    def plain(text):  # every script counted before the Arabic share is looked at
        sample = text[: language.SAMPLE_CHARS]
        counts = {script: sum(len(run) for run in p.findall(sample)) for script, p in language._SCRIPTS.items()}
        letters = sum(counts.values())
        if not letters:
            return "und"
        if counts["arabic"] / letters >= language.ARABIC_SHARE:
            return "ar"
        script = max(counts, key=counts.get)
        if script in ("arabic", "han"):
            return "ar" if script == "arabic" else "zh"
        if script == "cyrillic":
            return "kk" if language._KAZAKH_LETTERS.search(sample) else "ru"
        words = [word.lower() for word in language._SCRIPTS["latin"].findall(sample)]
        scores = {code: sum(1 for word in words if word in vocabulary) for code, vocabulary in language._FUNCTION_WORDS.items()}
        best = max(scores, key=scores.get)
        return best if scores[best] >= max(1, len(words) // 50) else "und"

    pieces = ["ا", "ب", "a", "The", "the ", "and ", "中", "文", "ж", "ә", "é", "ﻻ", "ٱ", "5", " ", "\n", "ـ", "le ", "Ω"]
    rng = random.Random(37)
    paths = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    texts = [decode_article_bytes(p.read_bytes(), p.name) for p in paths]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(12))) for _ in range(20000)]
    seen = set()
    for text in texts:
        assert language.detect_language(text) == plain(text), text
        seen.add(plain(text))
    assert {"ar", "en", "zh", "ru", "kk", "und"} <= seen
    # The other scripts' class is their ranges joined, and no range of theirs holds an Arabic letter.
    assert not language._OTHER_LETTERS.search("".join(map(chr, range(0x0600, 0x0700))) + "\ufb50\ufdff\ufe70")


def test_titles_tried_at_their_word_start_keys_are_the_scan_of_the_title_regex():
    import random

    from timeline.extract import discovery
    from timeline.extract.literals import word_start_keys

    assert discovery._TITLE.pattern.startswith(r"(?<![\w])")  # every match begins a word: what WordStartKeys keeps
    keys = word_start_keys(discovery._TITLE)
    assert keys and all(len(key) <= 4 for key in keys) and "نايب" in keys and "والر" in keys
    words = [*discovery.PERSON_HEADS, *discovery.PLACE_HEADS, discovery.DEPUTY, "و", "ف", "ب", "ل", "ك", "ال", "لل",
             "الصيني", " ", "  ", "\n", "-", "x", "ا", "_"]
    rng = random.Random(41)
    texts = corpus_texts() + ["".join(rng.choice(words) for _ in range(rng.randrange(16))) for _ in range(20000)]
    found = 0
    for text in texts:
        plain = [m.span() for m in discovery._TITLE.finditer(text)]
        assert [m.span() for m in discovery._titles(text)] == plain, text
        found += len(plain)
    assert found > 3000
    # Keys of every length and no limit on their number, unlike start_keys; none where a match may begin anywhere.
    assert word_start_keys(re.compile(r"(?:ab|c)[de]x")) == {"abdx", "abex", "cdx", "cex"}
    assert word_start_keys(re.compile(r"\d+|ab")) is None and word_start_keys(re.compile(r"(?i)ab")) is None
    many = re.compile("(?:" + "|".join(f"{a}{b}{c}x" for a in "abcdefg" for b in "hijklmn" for c in "opqrstu") + ")")
    assert len(word_start_keys(many)) == 343


def test_navigation_lines_too_long_to_normalize_are_those_normalize_rules_out():
    import random

    from timeline.extract.arabic import normalize
    from timeline.extract.clean import _NAVIGATION, _is_navigation

    pieces = ["الرئيسية", "الرئيسيه", "tags:", "Tags", "related posts", "Discussion about this post", "اخر الاخبار",
              " ", "  ", "\t", "\u00a0", "\u064b", "\u0640", "«", "\u200f", "x", "ا", ":", "\u3000"]
    rng = random.Random(43)
    paths = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    lines = [line.strip() for p in paths for line in decode_article_bytes(p.read_bytes(), p.name).split("\n")]
    lines += ["".join(rng.choice(pieces) for _ in range(rng.randrange(8))).strip() for _ in range(30000)]
    lines += ["\u0640" * 200 + "الرئيسية" + "\u064b" * 50, "ا" * 26, "ا" * 27, " ".join("ا" * 27)]
    navigation = 0
    for line in lines:
        assert _is_navigation(line) == bool(_NAVIGATION.match(normalize(line))), line
        navigation += _is_navigation(line)
    assert navigation > 1000


def test_key_offsets_found_at_once_are_the_find_loops(knowledge):
    import random

    from timeline.extract.literals import DIGIT, KeyOffsets, key_starts

    keys = ["ون", "هو", "شي", "لي", "قمه", "قم", "مه", "ه", "a", "aa", "aaa", DIGIT]
    finder = KeyOffsets(keys)
    assert DIGIT not in finder.keys
    rng = random.Random(47)
    pieces = ["ون", "هو", "شي", "ق", "م", "ه", "a", " ", "\n", "5", "لي"]
    texts = corpus_texts()[:20] + ["".join(rng.choice(pieces) for _ in range(rng.randrange(25))) for _ in range(5000)] + [""]
    for text in texts:
        found = finder.found(text)
        for key in finder.keys:
            plain = {}
            key_starts([key], text, plain)
            assert list(found[key]) == plain[key], (key, text)
        # key_starts reads the memory as it would its own, DIGIT and keys not in it added.
        assert key_starts(keys, text, dict(found)) == key_starts(keys, text)
    assert KeyOffsets([]).found("abc") == {}
    # The calendar's keys: the series' and anchors' scans over a text with the memory found at once.
    all_keys = knowledge.scan_keys
    for text in corpus_texts():
        found = all_keys.found(text)
        for item in [*knowledge.series, *knowledge.anchors]:
            assert [m.span() for m in item.scan.finditer(text, found)] == [m.span() for m in item.regex.finditer(text)]


def test_marks_time_searches_only_windows_holding_the_required_words(knowledge):
    import random

    from timeline.extract import topics

    def plain(text, position):  # every window searched (the code before issue 9's cut)
        before = max(0, position - 80)
        if topics._SINCE.search(text, max(0, position - 40), position) or topics._SET_ASIDE.search(text, before, position):
            return True
        if topics._MEMBER_OF.search(text, max(0, position - topics.MEMBER_REACH), position):
            return True
        if topics._TRADE_WORD.match(text, position) and topics._ROUTE.search(text, max(0, position - 40), position):
            return True
        if topics._TRADED.match(text, position):
            return True
        if topics._GOODS.match(text, position) and topics._CARRIED.search(text, max(0, position - 40), position):
            return True
        # (the sentence-wide rules search no window: the same calls)
        if any(keyword.match(text, position) and applies(text, position) for keyword, applies in topics._SENTENCE_RULES):
            return True
        return bool(topics._AIRPORT.match(text, position) and topics._LANDED_AT.search(text, before, position))

    words = ["منذ", "بعيدا عن", "بمعزل عن", "بخلاف", "العضو في", "عضو ب", "منظمه", "شنغهاي", "التجاره", "الطاقه",
             "طرق", "صادرات", "النفط", "قطار", "البضايع", "مطار", "وصول", "،", ".", " ", "\n", "و", "x"]
    rng = random.Random(53)
    texts = corpus_texts() + [" ".join(rng.choice(words) for _ in range(rng.randrange(40))) for _ in range(3000)]
    marked = 0
    for text in texts:
        positions = range(len(text)) if len(text) < 400 else range(0, len(text), 7)
        for position in positions:
            assert topics._marks_time(text, position) == plain(text, position), (text, position)
            marked += plain(text, position)
    assert marked > 1000


def test_a_city_named_as_a_place_is_what_the_plain_regex_finds(knowledge):
    import random

    from timeline.extract.dates import _placed_regex, named_as_place

    names = sorted({name for e in knowledge.entities if e.kind == "place" for name in (e.name_ar, *e.aliases)})[:60]
    names += ["استانا", "بكين", "شيان", "ب", "x"]
    texts = corpus_texts()
    for text in texts:
        for name in names:
            assert named_as_place(text, name) == bool(_placed_regex(name).search(text)), name
    pieces = ["استانا", "بكين", "شيان", "ب", "و", "وب", "في", "الي", "من", "مدينه", "العاصمه", "x", "_", "3", " ", "  ",
              "\n", "\t", "\u00a0", "(", "-", "–", ":", ",", "،", "."]
    rng = random.Random(41)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        for name in ("استانا", "بكين", "شيان", "ب"):
            assert named_as_place(text, name) == bool(_placed_regex(name).search(text)), (text, name)


def test_gated_event_type_patterns_find_what_the_plain_ones_find(monkeypatch):
    """literals.Gated lets a search go when must_contain says the text cannot hold a match: the event-type
    patterns, gated and plain, on the corpus's sentences and on texts made of the patterns' own words."""
    import random

    from timeline.extract import event_types
    from timeline.extract.literals import Gated

    gated = {name: value for name, value in vars(event_types).items() if isinstance(value, Gated)}
    assert len(gated) > 20
    words = sorted({w for g in gated.values() for w in re.findall(r"[\u0621-\u064a]+", g.regex.pattern)})
    pieces = words + [" ", " ", "\n", "،", ".", "و", "ال", "x", "2024", "(", ")", "\u0640"]
    rng = random.Random(23)
    sentences = [s for text in corpus_texts() for s in re.split(r"(?<=[.!?؟])\s+|\n+", text) if s.strip()]
    made = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))) for _ in range(3000)]
    texts = sentences + made + [""]
    hits = 0
    for text in texts:
        cut = rng.randrange(len(text) + 1)
        for g in gated.values():
            plain = [m.span() for m in g.regex.finditer(text)]
            assert [m.span() for m in g.finditer(text)] == plain
            assert [m.span() for m in g.finditer(text, 0, cut)] == [m.span() for m in g.regex.finditer(text, 0, cut)]
            found = g.search(text, cut)
            expected = g.regex.search(text, cut)
            assert (found and found.span()) == (expected and expected.span())
            hits += bool(plain)
    assert hits > 1000  # the texts hold matches, not only texts let go

    # The classifier, gated and plain, on headline and lead pairs.
    pairs = [(rng.choice(sentences + made), rng.choice(sentences + made), rng.choice(made)) for _ in range(1500)]
    answers = [event_types.explain(*pair) for pair in pairs]
    for name, g in gated.items():
        monkeypatch.setattr(event_types, name, g.regex)
    assert [event_types.explain(*pair) for pair in pairs] == answers


def test_space_runs_and_sentence_breaks_are_what_the_plain_regexes_make():
    """arabic._SPACES and clean._BLANKS match only what their substitution changes, and event_types'
    _SENTENCE_BREAK begins with its first character: the same results as the plain forms kept beside them."""
    import random

    from timeline.extract import arabic, clean, event_types

    raw = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    raw += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "tests" / "corpus").glob("*.txt"))]
    chars = [" ", " ", "  ", "\t", "\n", "\n\n", "\u2009", "\u3000", "\x0b", "\r", ".", "!", "؟", "?", "ا", "x", "،"]
    rng = random.Random(29)
    texts = raw + corpus_texts() + ["".join(rng.choice(chars) for _ in range(rng.randrange(16))) for _ in range(20000)]
    pairs = [
        (arabic._SPACES, re.compile(arabic._SPACES_PLAIN)),
        (clean._BLANKS, re.compile(clean._BLANKS_PLAIN)),
    ]
    split_plain = re.compile(event_types._SENTENCE_BREAK_PLAIN)
    for text in texts:
        for fast, plain in pairs:
            assert fast.sub(" ", text) == plain.sub(" ", text)
        assert event_types._SENTENCE_BREAK.split(text) == split_plain.split(text)
        assert [m.span() for m in event_types._SENTENCE_BREAK.finditer(text)] == [
            m.span() for m in split_plain.finditer(text)
        ]


def test_strip_controls_lets_printable_texts_go_with_the_same_answers():
    import random

    from timeline.extract import arabic

    def plain(text):
        return arabic._CONTROL_DROPPED.sub("", arabic._CONTROL_SPACES.sub(" ", text)) if text else text

    taken = [chr(c) for c in range(0x3000) if arabic._CONTROL_SPACES.match(chr(c)) or arabic._CONTROL_DROPPED.match(chr(c))]
    assert taken and not any(c.isprintable() for c in taken)
    raw = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    raw += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "tests" / "corpus").glob("*.txt"))]
    pieces = taken + ["\n", "\t", "\r", " ", "\u00a0", "\u200f", "\ufeff", "ا", "x", "٣", "\u2028", "\u3000"]
    rng = random.Random(31)
    texts = raw + ["", None] + ["".join(rng.choice(pieces) for _ in range(rng.randrange(8))) for _ in range(20000)]
    for text in texts:
        assert arabic.strip_controls(text) == plain(text)


def test_gated_line_patterns_of_clean_find_what_the_plain_ones_find():
    """clean's caption, stamp and source patterns (literals.Gated) against the plain ones: match, search, sub and
    finditer on every raw line of the corpus and on lines made of the patterns' own words."""
    import random

    from timeline.extract import clean
    from timeline.extract.literals import Gated

    gated = [clean._CAPTION, clean._STAMP, clean._SOURCE]
    assert all(isinstance(g, Gated) for g in gated)
    words = sorted({w for g in gated for w in re.findall(r"[\u0621-\u064aA-Za-z]+", g.regex.pattern)})
    pieces = words + [" ", " ", "(", ")", ":", "：", ".", "2024-05-01", "٢٠٢٤/٥/١", " 10:30", "أ.ف.ب", "إ.ب.أ", "x"]
    raw = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    raw += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "tests" / "corpus").glob("*.txt"))]
    rng = random.Random(37)
    lines = [line.strip() for text in raw for line in text.split("\n")]
    lines += ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(5000)] + [""]
    hits = 0
    for line in lines:
        for g in gated:
            for method in ("match", "search"):
                found, expected = getattr(g, method)(line), getattr(g.regex, method)(line)
                assert (found and found.span()) == (expected and expected.span())
            assert [m.span() for m in g.finditer(line)] == [m.span() for m in g.regex.finditer(line)]
            assert g.sub("", line) == g.regex.sub("", line)
            hits += bool(g.regex.search(line))
    assert hits > 100  # lines that hold a match, not only lines let go


def test_texts_that_may_name_no_day_have_no_date_of_a_day(monkeypatch):
    """dates.may_name_a_day lets _dateline and clean's _date_line skip explicit_dates: where it says no, the
    dates found hold no day, with or without a default year; the two functions give the same answers plain."""
    import random

    from timeline.extract import clean, dates
    from timeline.extract.arabic import normalize

    def date_line(line):
        result = clean.CleanText()
        return clean._date_line(line, result), result.published_stamp, result.outlet_hints

    months = list(dates.MONTH_BY_NAME) + list(dates._HIJRI_MONTHS) + list(dates._ORDINAL_DAYS) + list(dates.WEEKDAYS)
    pieces = [normalize(m) for m in months] + ["اول", "الاول", "منه", "عام", "من", "حتي", "الي", "-", "/", "(", ")",
                                                "،", " ", " ", "\n", "x", "2024", "12", "٣", "١٤٤٥", "هـ", "ه", "شهر"]
    rng = random.Random(41)
    paragraphs = [p for text in corpus_texts() for p in text.split("\n") if p.strip()]
    made = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))) for _ in range(6000)]
    words = [piece for piece in pieces if not re.search(r"\d", piece)]  # "أول يونيو": a day with no digit
    made += [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 10))) for _ in range(6000)]
    made += ["اول يونيو", "بكين اول يونيو (شينخوا)", "بكين، اول يوليو - "]
    texts = [p[:160] for p in paragraphs] + made
    told = 0
    for text in texts:
        if not dates.may_name_a_day(text):
            told += 1
            for year in (None, 2024):
                assert not [d for d in dates.explicit_dates(text, year) if d.precision == "day"], text
    assert told > 1000 and told < len(texts)

    lines = paragraphs + made
    undigited = [line for line in made if not re.search(r"\d", line)]
    assert sum(any(d.precision == "day" for d in dates.explicit_dates(line, 2024)) for line in undigited) > 20
    gated = [(dates._dateline(p, 2024), dates._dateline(p), date_line(p)) for p in lines]
    monkeypatch.setattr(dates, "may_name_a_day", lambda text: True)
    assert gated == [(dates._dateline(p, 2024), dates._dateline(p), date_line(p)) for p in lines]


def test_gated_visit_and_role_patterns_give_the_same_visit_keys(monkeypatch):
    """happenings' role and visit patterns (literals.Gated) against plain regexes: the same matches, and the same
    visit keys and signatures, on the corpus and on texts made of roles, countries and visit words."""
    import random

    from timeline.extract import happenings

    pieces = ["الرييس", "للرييس", "رييس الوزراء", "وزير الخارجيه", "وزيرا الخارجيه", "وزير الشوون الخارجيه",
              "الصيني", "الصين", "كازاخستان", "توكاييف", "زياره", "بزياره", "يصل", "وصل", "زار", "يزور", "يقوم بها",
              "المقبله", "دوله", " ", " ", " ", "\n", ".", "،", "x", "مجلس الدوله", "قمه", "القمه", "توقيع", "وقعت",
              "محادثات", "بيان مشترك", "جوله خارجيه", "يلتقي", "نظيره"]
    rng = random.Random(43)
    texts = corpus_texts() + [" ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 16))) for _ in range(4000)]
    gated = [happenings._VISIT, *happenings._ROLE_AS_WORD.values(), *happenings._ROLE_IN_WINDOW.values()]
    gated += list(happenings._KIND_REGEXES.values())
    for text in texts:
        for g in gated:
            assert [m.span() for m in g.finditer(text)] == [m.span() for m in g.regex.finditer(text)]
            found, expected = g.search(text), g.regex.search(text)
            assert (found and found.span()) == (expected and expected.span())
    answers = [(happenings.visit_key(t), happenings.happening_signature(t[:300], t[300:600], t)) for t in texts]
    assert sum(1 for key, _ in answers if key) > 200 and sum(1 for _, s in answers if s["kinds"]) > 2000
    monkeypatch.setattr(happenings, "_VISIT", happenings._VISIT.regex)
    monkeypatch.setattr(happenings, "_ROLE_AS_WORD", {r: g.regex for r, g in happenings._ROLE_AS_WORD.items()})
    monkeypatch.setattr(happenings, "_ROLE_IN_WINDOW", {r: g.regex for r, g in happenings._ROLE_IN_WINDOW.items()})
    monkeypatch.setattr(happenings, "_KIND_REGEXES", {k: g.regex for k, g in happenings._KIND_REGEXES.items()})
    assert [(happenings.visit_key(t), happenings.happening_signature(t[:300], t[300:600], t)) for t in texts] == answers


def test_city_hits_scanned_at_their_keys_are_those_of_a_whole_scan(knowledge, monkeypatch):
    """DateFinder._city_hits tries each city's regex where its keys begin (literals.scan): the same matches as
    finditer over the whole text, and the same hits, for every host city of the calendar."""
    import random

    from timeline.extract import dates

    cities = sorted({(m.city_ar, m.city_en) for m in knowledge.meetings})
    names = sorted({name for city in cities for name in knowledge.city_spellings(*city)})
    assert len(names) > 10
    pieces = names + ["ب", "في ", "و", "منظمه ", "للتعاون", " ", " ", "\n", ".", "x", "ال", "نور سلطان نزارباييف"]
    rng = random.Random(47)
    texts = corpus_texts() + ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    hits = 0
    for text in texts:
        for name in names:
            if name in text:
                regex = dates._city_regex(name)
                plain = [m.span() for m in regex.finditer(text)]
                assert [m.span() for m in dates.scan(regex, text)] == plain
                hits += len(plain)
    assert hits > 500

    def city_hits():
        return [[dates.DateFinder(text, knowledge)._city_hits(*city) for city in cities] for text in texts[:400]]

    keyed = city_hits()
    monkeypatch.setattr(dates, "scan", lambda regex, text, found=None: list(regex.finditer(text)))
    assert city_hits() == keyed and any(any(found) for found in keyed)


def test_gated_month_range_finds_what_the_plain_one_finds():
    """dates._MONTH_RANGE (literals.Gated) against its plain regex on the corpus and texts of months and years."""
    import random

    from timeline.extract import dates

    pieces = list(dates.MONTH_BY_NAME) + ["من", "بين", "خلال", "الي", "حتي", "و", "-", "شهر", "عام", "2024", "1999",
                                           "20", " ", " ", " ", "\n", "x"]
    rng = random.Random(53)
    texts = corpus_texts() + [" ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(5000)]
    months = list(dates.MONTH_BY_NAME)
    for _ in range(3000):  # a range's parts in order, some left out
        parts = [rng.choice(["من", "بين", "x"]), rng.choice(months), rng.choice(["الي", "و", "-", "عام"]),
                 rng.choice(months), rng.choice(["2024", "عام 2019", "19", ""])]
        texts.append(" ".join(part for part in parts if rng.random() < 0.9))
    hits = 0
    for text in texts:
        plain = [m.span() for m in dates._MONTH_RANGE.regex.finditer(text)]
        assert [m.span() for m in dates._MONTH_RANGE.finditer(text)] == plain
        hits += len(plain)
    assert hits > 200


def test_must_contain_tests_many_strings_in_one_pass_with_the_answers_of_the_tree(knowledge):
    """An "any" node of many strings (month names, "ربيع" with "الاول") is tested with one automaton pass
    (literals.any_of), not one `in` scan each: the same answers as the tree's own `in` tests, on the corpus, its
    lines and texts made of the patterns' strings, cut and joined at random."""
    import random
    from re import _parser

    from timeline.extract import clean, dates, event_types, happenings
    from timeline.extract.literals import Gated, _holds, _sequence, any_of, must_contain

    regexes = [getattr(dates, name) for name in dir(dates) if isinstance(getattr(dates, name), re.Pattern)]
    gated = [v for module in (dates, clean, event_types, happenings) for v in vars(module).values() if isinstance(v, Gated)]
    gated += [g for module in (happenings,) for v in vars(module).values() if isinstance(v, dict)
              for g in v.values() if isinstance(g, Gated)]
    regexes += [g.regex for g in gated] + [item.regex for item in [*knowledge.series, *knowledge.anchors]]
    regexes += [t.regex for t in knowledge.topics if t.regex is not None]
    trees = []
    for regex in regexes:
        if regex.flags & re.IGNORECASE:
            continue  # must_contain does not read a case-blind pattern: always True
        try:
            tree = _sequence(_parser.parse(regex.pattern, regex.flags & ~re.UNICODE).data)
        except re.error:
            continue
        if tree[0] != "always":
            trees.append((regex, tree, must_contain(regex)))
    # The month names' tests are made of automata (at least one "any" node of many strings in most date patterns).
    assert sum(any(name.startswith("_any_of_") for name in test.__globals__) for _, _, test in trees) >= 8

    def strings(node):
        return [node[1]] if node[0] == "in" else [s for part in node[1] for s in strings(part)]

    rng = random.Random(43)
    texts = corpus_texts()
    texts += [line for text in texts for line in text.split("\n")][:3000]
    answers = [0, 0]
    for regex, tree, test in trees:
        pieces = strings(tree)
        pieces += [p[: len(p) // 2] for p in pieces] + [p[len(p) // 2 :] for p in pieces] + [" ", "x", "\n", "19", "1"]
        made = ["".join(rng.choice(pieces) for _ in range(rng.randrange(6))) for _ in range(300)]
        for text in texts + made + [""]:
            answer = test(text)
            assert answer == _holds(tree, text), (regex.pattern[:80], text[:80])
            answers[answer] += 1
    assert min(answers) > 1000  # both answers, many times

    one = any_of([("ab",), ("cd", "ef"), ("g",)])
    assert [one(t) for t in ("xaby", "cdef", "efcd", "cd", "ef e", "", "gg", "c d ef")] == [1, 1, 1, 0, 0, 0, 1, 0]
    with pytest.raises(ValueError):
        any_of([("",)])


def test_calendar_tests_reading_the_strings_found_at_once_answer_as_the_plain_tests(knowledge):
    """The series' and anchors' must_contain tests, reading the set of their strings that a text holds (found for
    all of them in one pass, Knowledge.scan_strings), answer as the tests scanning the text do; their scans then
    find what the whole alternation finds. On the corpus and on texts made of the tests' own strings."""
    import random

    from timeline.extract.literals import must_contain

    items = [*knowledge.series, *knowledge.anchors]
    shared = knowledge.scan_strings
    assert all(item.scan.strings <= shared.strings for item in items)
    assert sum(item.scan.possible_found is not None for item in items) >= 15
    pieces = sorted(shared.strings) + ["ش", "ال", "لل", " ", "\n", "و", "20", "C", "+", "5", "x"]
    pieces += [s[:2] for s in shared.strings] + [s[1:] for s in shared.strings]
    rng = random.Random(53)
    texts = corpus_texts() + ["".join(rng.choice(pieces) for _ in range(rng.randrange(40))) for _ in range(400)] + [""]
    answers = [0, 0]
    for text in texts:
        found = shared.found(text)
        assert found == {s for s in shared.strings if s in text}
        offsets = knowledge.scan_keys.found(text)
        for item in items:
            plain = must_contain(item.scan.regex)(text)
            if item.scan.possible_found is not None:
                assert item.scan.possible_found(text, found) == plain, (item.slug, text[:80])
            answers[plain] += 1
            expected = [m.span() for m in item.regex.finditer(text)]
            assert [m.span() for m in item.scan.finditer(text, dict(offsets), found)] == expected
    assert min(answers) > 300  # both answers, many times
