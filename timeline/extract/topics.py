"""Tag an article with topics from the editable lexicon, keeping the matched words as evidence.

A topic is what the article is about, not every word it passes: a keyword in the headline or
lead counts LEAD_WEIGHT times, one further down counts once, and a topic needs MIN_SCORE
(one mention up top, or two further down).
What the article reports (a visit, talks, a summit of a multilateral series) adds to the
topics that kind of happening belongs to.
"""

import bisect
import functools
import re
from dataclasses import dataclass

from .arabic import NormalizedText
from .literals import WordStartKeys, matches_at, must_contain, sentence_bounds

LEAD_WEIGHT = 2
#: A keyword with keywords of two other topics within this many characters is an item of a list
#: ("التعاون في التجارة والطاقة والنقل"), which names an area without saying anything about it.
LIST_REACH = 60
MIN_SCORE = 2
#: Happening kinds (see happenings.py) and the topic each one is evidence for.
KIND_TOPICS = {"visit": "diplomacy", "talks": "diplomacy", "statement": "diplomacy", "multilateral-meeting": "multilateral"}
#: Event types (event_types.py) that are diplomacy whatever words the report uses: a visit, talks, a call, a letter.
KIND_TOPICS.update(dict.fromkeys(("type:state_visit", "type:official_visit", "type:talks", "type:phone_call", "type:message"), "diplomacy"))


@dataclass
class TopicMatch:
    slug: str
    evidence: list
    hits: int

    def as_dict(self):
        return {"slug": self.slug, "evidence": self.evidence}


def find_topics(text, lexicons, lead_end=None, kinds=(), min_score=None):
    """Topics of `text`; characters before `lead_end` (headline and lead) weigh more."""
    norm = text if isinstance(text, NormalizedText) else NormalizedText.of(text)
    lead_end = len(norm.text) if lead_end is None else lead_end
    min_score = MIN_SCORE if min_score is None else min_score
    boosted = {KIND_TOPICS[k] for k in kinds if k in KIND_TOPICS}
    lexicons = [lex for lex in lexicons if lex.regex is not None]
    starts = _starts_by_lexicon(norm.text, lexicons)
    hits = {
        lex.slug: matches_at(lex.regex, norm.text, lex_starts) if lex.matches_at_word_starts else list(lex.regex.finditer(norm.text))
        for lex, lex_starts in zip(lexicons, starts, strict=True)
    }
    listed = _list_items(hits, norm.text)
    matches = []
    for slug, found in hits.items():
        score = sum(
            0 if (slug, hit.start()) in listed or _marks_time(norm.text, hit.start())
            else LEAD_WEIGHT if hit.start() < lead_end else 1
            for hit in found
        )
        if slug in boosted:
            score += min_score
        if score < min_score or (not found and slug not in boosted):
            continue
        evidence = []
        for hit in found:
            words = norm.span(*hit.span()).strip()
            if words not in evidence:
                evidence.append(words)
        matches.append(TopicMatch(slug, evidence[:12], len(found)))
    return matches


_WORD = re.compile(r"\w+")


def _starts_by_lexicon(text, lexicons):
    """For each lexicon, the word starts where its regex can match: those the text continues from with one of
    its keys (knowledge.TopicLexicon.word_keys: a prefix and a phrase's whole first word), and,
    when it has non-Arabic phrases, the words that do not begin with an Arabic character. Every start where the
    regex matches is among them, so literals.matches_at finds the same matches; one pass of an automaton over
    the text for all the lexicons' keys (literals.WordStartKeys) instead of a regex match per word and lexicon."""
    found = _key_finder(tuple(lexicons)).starts(text)
    everywhere = [i for i, lex in enumerate(lexicons) if lex.keys is None]
    other = [i for i, lex in enumerate(lexicons) if lex.keys is not None and lex.keys[1]]
    if everywhere:
        starts = [word.start() for word in _WORD.finditer(text)]
        for i in everywhere:
            found[i] = starts
    if other:
        not_arabic = [word.start() for word in _NOT_ARABIC_WORD.finditer(text)]
        for i in other:
            found[i] = sorted(set(found[i]).union(not_arabic))
    return found


#: Where a word begins with a character outside the Arabic block (a Latin phrase's, a digit's first letter): its
#: first character, a word character, with no word character before it. Written to begin with that character's
#: set, so that the engine skips in C to the next one (an Arabic text has few) instead of trying a look-behind
#: at every character: "(?<![\w])(?=\w)[^\u0600-\u06ff]" (a test compares the two).
_NOT_ARABIC_WORD = re.compile(r"[^\u0600-\u06ff\W](?<![\w].)", re.DOTALL)


@functools.lru_cache(maxsize=8)
def _key_finder(lexicons):
    """A literals.WordStartKeys over every lexicon's keys, for _starts_by_lexicon."""
    index = {}
    for i, lex in enumerate(lexicons):
        for key in lex.word_keys[0] if lex.word_keys is not None else ():
            index.setdefault(key, []).append(i)
    return WordStartKeys(index, len(lexicons))


#: "منذ بداية انتشار جائحة", "منذ الجائحة": a happening named as the point time is counted from, not a subject.
_SINCE = re.compile(r"(?<![\w])منذ(?:\s+\S+){0,3}\s*$")


# "بعيدا عن أنابيب النفط وقطارات الشحن، يتسع الحضور الصيني في التعليم": what the piece sets aside, to the comma.
_SET_ASIDE = re.compile(r"(?<![\w])(?:بعيدا\s+عن|بمعزل\s+عن|بخلاف)(?:\s+[^\s,،.؛:]+){0,8}\s*(?:و|ف)?$")
# "لدى وصولهما إلى مطار العاصمة", "استقبال رسمي في المطار": where a visitor landed, not air transport.
_LANDED_AT = re.compile(r"(?<![\w])(?:وصول\S*|وصل\S*|استقبال|استقبل\S*|ودع\S*|توديع\S*)(?:\s+\S+){0,3}\s+(?:الي|في|ب)?\s*$")
_AIRPORT = re.compile(r"(?:ال|لل|بال|و|ب|ل)?مطار(?![\w])")


# (Text is normalised: ة is ه, إ is ا, ى is ي.)
# "كازاخستان، العضو في منظمة شنغهاي للتعاون والاتحاد الاقتصادي الأوراسي والساعية إلى الانضمام إلى بريكس": the blocs a
# country belongs to, said to introduce it (what it seeks to join goes on the same clause).
_MEMBER_OF = re.compile(r"(?<![\w])(?:ال)?(?:عضو|عضوه)\s+(?:في|ب)\s+[^.؟!\n]*$")
MEMBER_REACH = 120


# "قطار البضائع", "لنقل بضائع", "المحمل بـ1300 طن من البضائع": goods carried are freight (transport), not trade.
_CARRIED = re.compile(r"(?<![\w])(?:\S*قطار\S*|\S*نقل|\S*شحن|\S*حمول\S*|\S*محمل\S*|طن)(?:\s+\S+){0,1}\s+(?:من\s+)?$")
# "طرق التجارة الصينية", "الطرق الجديدة المخصصة للتجارة": a route that trade takes is transport
# (not "على طريق تعزيز التجارة", the way towards more trade).
_ROUTE = re.compile(r"(?<![\w])(?<!علي )(?<!في )(?:ال)?(?:طرق|طريق|ممر|ممرات|مسار|مسارات)(?:\s+\S+){0,2}\s+$")
_TRADE_WORD = re.compile(r"(?:ال|لل|بال|و|ب|ل)?تجار")
# "صادرات الطاقة", "تصدير النفط", "واردات الغاز": the trade of a fuel is what the energy topic reports.
_TRADED = re.compile(r"(?:ال|لل|بال|و|ب|ل)?(?:صادرات|واردات|تصدير|استيراد)\s+(?:ال)?(?:طاقه|نفط|غاز|بترول|كهرباء|يورانيوم|فحم)(?![\w])")
_GOODS = re.compile(r"(?:ال|لل|بال|و|ب|ل)?(?:بضايع|سلع)(?![\w])")


def _searched(regex, text, start, end):
    """regex.search(text, start, end), searched only when text[start:end] holds the words each of its matches must
    (literals.must_contain: "منذ", "عضو", "بعيدا"...): a match lies within the window, so its words do. Most
    keywords have none of them before them, and a slice and an `in` test cost less than a search of the window."""
    test = _MUST_CONTAIN.get(regex)
    if test is None:
        test = _MUST_CONTAIN[regex] = must_contain(regex)
    return test(text[start:end]) and regex.search(text, start, end)


_MUST_CONTAIN = {}


def _marks_time(text, position):
    """Whether the keyword at `position` names no subject of the article: the point "since" counts from
    ("أول زيارة منذ تفشي جائحة كورونا"), what it sets aside ("بعيدا عن أنابيب النفط"), the blocs a country
    is introduced as a member of ("العضو في منظمة شنغهاي"), trade as the name of a route ("طرق التجارة")
    or of goods carried ("قطار البضائع"), the export of a fuel ("صادرات الطاقة", an energy subject), the
    airport a visitor landed at ("لدى وصولهما إلى مطار العاصمة"), an embassy advising its own citizens
    ("حثت السفارة المواطنين الصينيين على ارتداء الكمامات": consular advice, not diplomacy), or police holding back
    a protest ("فرقت الشرطة المحتجين": domestic order, not security, unless the sentence counts dead or wounded)."""
    before = max(0, position - 80)
    if _searched(_SINCE, text, max(0, position - 40), position) or _searched(_SET_ASIDE, text, before, position):
        return True
    if _searched(_MEMBER_OF, text, max(0, position - MEMBER_REACH), position):
        return True
    if _TRADE_WORD.match(text, position) and _ROUTE.search(text, max(0, position - 40), position):
        return True
    if _TRADED.match(text, position):
        return True
    if _GOODS.match(text, position) and _CARRIED.search(text, max(0, position - 40), position):
        return True
    if any(keyword.match(text, position) and applies(text, position) for keyword, applies in _SENTENCE_RULES):
        return True
    return bool(_AIRPORT.match(text, position) and _LANDED_AT.search(text, before, position))


#: A diplomatic mission or its head at a keyword's start: "السفارة", "القنصلية", "سفارتها", "للسفارة", "السفير".
_MISSION = re.compile(r"(?:ال|لل|بال|و|ب|ل|وال)?(?:سفار|سفير|قنصل)")
#: Its own nationals, whom a mission advises: "المواطنين", "مواطنيها", "رعاياها", "الجالية" (normalised text).
_CITIZENS = re.compile(r"(?<![\w])(?:ال|لل)?(?:مواطنين|مواطنيها|مواطنيه|رعايا|رعاياها|رعاياه|جاليه)(?![\w])")


def _addresses_citizens(text, position):
    """Whether the sentence around `position` speaks to a country's own nationals: an embassy warning its
    citizens of a disease, urging them to register or to leave is consular advice, not relations between states."""
    return bool(_CITIZENS.search(text, *sentence_bounds(text, position)))


#: Police and arrests at a keyword's start: "الشرطة", "اعتقلت", "احتجاز", "معتقلين" (normalised text).
_POLICING = re.compile(r"(?:ال|لل|بال|و|ب|ل|وال|ف)?(?:شرطه|شرطي|اعتقل|اعتقال|احتجز|احتجاز|محتجز|معتقل)")
#: A rally: "المحتجون", "احتجاجات", "متظاهرين", "التظاهر", "مظاهرة", "اعتصام", "مسيرة", "تجمع حاشد" (normalised
#: text), not a diplomatic protest ("مذكرة احتجاج": the singular is left out) nor the detained ("المحتجزين").
_PROTEST = re.compile(
    r"(?<![\w])(?:ال|و|وال|لل|ب|ف)?(?:محتج(?:ون|ين)|احتجاجات|(?:ي|ت)?تظاهر(?:ون|ين|وا)?|متظاهر(?:ون|ين)?|مظاهر(?:ه|ات)|"
    r"(?:ي|ت)?عتصم(?:ون|وا)?|اعتصام|معتصم(?:ون|ين)|مسير(?:ه|ات)|تجمع(?:ا)?\s+حاشد(?:ا)?)(?![\w])"
)
#: Dead or wounded: unrest, not a rally held back ("قتلى", "مقتل", "جرحى", "مصابين").
_CASUALTIES = re.compile(r"(?<![\w])(?:ال|و|وال)?(?:قتلي|قتيل|قتيلا|مقتل|جرحي|جريح|مصابين|اصابه)(?![\w])")


def _polices_protest(text, position):
    """Whether the sentence around `position` is police or arrests at a protest with no one killed or wounded:
    keeping order at a rally, however it is about relations with China, is domestic, not security cooperation,
    terrorism or unrest (docs/topics.md)."""
    start, end = sentence_bounds(text, position)
    return bool(_PROTEST.search(text, start, end)) and not _CASUALTIES.search(text, start, end)


#: Keywords that name no subject of the article when their sentence says so: (the keyword at a hit's start, the
#: sentence's test). An embassy advising its citizens; police at a rally.
_SENTENCE_RULES = ((_MISSION, _addresses_citizens), (_POLICING, _polices_protest))


def _list_items(hits, text, reach=LIST_REACH):
    """(topic, position) of hits that sit in an enumeration of areas: other topics' keywords all around."""
    positions = sorted((hit.start(), slug) for slug, found in hits.items() for hit in found)
    starts = [start for start, _ in positions]
    listed = set()
    for start, slug in positions:
        # Only the hits within reach are looked at (found by bisection): comparing every hit with
        # every other made 990 KB of topic words take 12 s.
        neighbours = set()
        for _, other in positions[bisect.bisect_left(starts, start - reach) : bisect.bisect_right(starts, start + reach)]:
            if other != slug:
                neighbours.add(other)
                if len(neighbours) >= 2:
                    listed.add((slug, start))
                    break
    return _list_continued(hits, text, listed)


#: Up to three words, no sentence end, between a list item and the next keyword: "التبادل الشعبي والثقافي،
#: وإنجاح عام السياحة" goes on the same list, though its own neighbours are of one topic only.
_LIST_GAP = re.compile(r"[^\S\n]*(?:[,،][^\S\n]*)?(?:[^\s.؟!:؛]+[^\S\n]+){0,3}")


def _list_continued(hits, text, listed, reach=LIST_REACH // 2):
    """`listed` plus the hits that continue a list: each one close after a listed hit, joined to it by a few words."""
    spans = sorted((hit.start(), hit.end(), slug) for slug, found in hits.items() for hit in found)
    listed = set(listed)
    previous_end = None
    for start, end, slug in spans:
        if (slug, start) not in listed and previous_end is not None and 0 <= start - previous_end <= reach:
            if _LIST_GAP.fullmatch(text, previous_end, start):
                listed.add((slug, start))
        if (slug, start) in listed:
            previous_end = end
    return listed
