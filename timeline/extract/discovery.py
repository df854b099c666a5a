"""Names the gazetteer does not know yet, found after a title and proposed as new entities.

"وزير الخارجية القرغيزي جينبيك كولوباييف" names a person whoever he is: the title says what kind
of entity follows, an adjective after the title says whose (قرغيزي → Kyrgyzstan), and the name is
the run of words that comes next. A title's complement ("الخارجية", "مجلس الشيوخ", "وزارة الخارجية
الصينية", "لدى كازاخستان") is read past; the name stops at punctuation, a digit, a verb or function
word, or a word with the article (an adjective after the name). A name the gazetteer already knows,
in any spelling its matcher or its spelling-folded keys accept, is not proposed.
"""

import functools
import re
from dataclasses import dataclass, field

from .arabic import PREFIX, NormalizedText, normalize
from .entities import gazetteer_spans
from .literals import WordStartKeys, matches_at, word_start_keys


def _words(text):
    return frozenset(normalize(text).split())


# Title heads without the article (an attached و/ب/ل/ال is allowed). A head with the article
# (الرئيس) may stand alone; without it (رئيس، وزير) it needs a complement, or "رئيس شركة" would
# propose "شركة".
PERSON_HEADS = tuple(
    normalize(h)
    for h in (
        "رئيس", "وزير", "سفير", "سفيرة", "متحدث باسم", "متحدثة باسم", "متحدث الرسمي باسم",
        "متحدثة الرسمية باسم", "أمين العام", "أمينة العامة", "حاكم", "محافظ", "عمدة",
    )
)
PLACE_HEADS = tuple(normalize(h) for h in ("مدينة", "ميناء", "معبر", "منطقة", "مقاطعة", "إقليم", "محافظة"))
#: "نائب رئيس الوزراء", "نائب الرئيس الصيني": a deputy's title names a person like the title itself.
DEPUTY = normalize("نائب")
_NEEDS_COMPLEMENT = {normalize(h) for h in ("رئيس", "وزير", "سفير", "سفيرة", "حاكم", "محافظ", "عمدة")}
_HEAD_WORDS = frozenset(h.split()[0] for h in PERSON_HEADS + PLACE_HEADS) | {DEPUTY}

# Nouns in construct state inside a title's complement: "رئيس مجلس الشيوخ", "المتحدث باسم وزارة
# الخارجية", "رئيس وزراء كازاخستان", "الأمين العام لمنظمة …".
CONSTRUCT_NOUNS = _words(
    "مجلس وزارة وزراء حكومة خارجية دولة جمهورية لجنة منظمة مكتب رئاسة بلدية ديوان هيئة إدارة برلمان "
    "شؤون دفاع تجارة اقتصاد طاقة زراعة نقل مالية داخلية عدل ثقافة تعليم صحة حزب"
)

# Words that end a name: verbs and function words a report puts after one.
STOP_WORDS = _words(
    """
    قال قالت يقول تقول أكد أكدت أعلن أعلنت أشار أشارت أوضح أوضحت صرح صرحت ذكر ذكرت أضاف أضافت
    زار زارت سيزور ستزور التقى التقت سيلتقي ستلتقي استقبل استقبلت بحث بحثت وصل وصلت غادر غادرت شارك
    شاركت سيشارك ستشارك دعا دعت ترأس ترأست وقع وقعت سيوقع أجرى أجرت هنأ هنأت أعرب أعربت عقد عقدت
    سيعقد ستعقد افتتح افتتحت تلقى تلقت بعث بعثت أبلغ أبلغت ناقش ناقشت اعتبر اعتبرت رأى رأت شدد شددت
    لفت لفتت نوه نوهت عبر عبرت تحدث تحدثت كتب كتبت قام قامت بدأ بدأت جدد جددت حث حثت طالب طالبت رحب
    رحبت ثمن ثمنت أشاد أشادت تابع تابعت اختتم اختتمت حضر حضرت ألقى ألقت أدلى أدلت أجاب أجابت أبدى
    أبدت أفاد أفادت نفى نفت كشف كشفت وجه وجهت أرسل أرسلت تسلم تسلمت توجه توجهت عاد عادت أنهى أنهت
    أصدر أصدرت اقترح اقترحت ستمنح سيمنح
    كان كانت سيكون ستكون ليس ليست أصبح أصبحت
    أن إن أنه إنه أنها إنها الذي التي الذين اللذان اللتان
    في خلال إلى من عن مع لدى بعد قبل عند حول منذ بين ضد عبر نحو دون حتى خلف
    و أو أم ثم ف بل لكن كما حيث إذ إذا لو لا لم لن ما هل قد لقد سوف
    هو هي هم هما هذا هذه ذلك تلك هنا هناك
    أمس اليوم غدا يوم الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت
    أيضا فقط كذلك نفسه نفسها بدوره بدورها شخصيا حينها آنذاك نظيره نظيرها نظراؤه نظراءه
    """
)
# Stop words that normalise to a name ("على" → "علي", "أمام" → "إمام", "بأن" → "بان"): stops only as written.
_WRITTEN_STOP_WORDS = frozenset(("على", "أمام", "بأن", "لأن"))

# Words that follow a title yet name nobody: "رئيس وزراء جديد", "معبر حدودي", "مدينة صناعية",
# "منطقة وسط آسيا". A name never starts with one, and one after a name ends it.
GENERIC_WORDS = _words(
    """
    جديد جديدة جديدا مقبل مقبلة سابق سابقة حالي حالية أسبق منتخب منتخبة مؤقت بالوكالة بالإنابة
    أول أولى ثان ثاني ثانية آخر أخرى أخير أخيرة عام عامة دائم دائمة تنفيذي تنفيذية فخري
    حدودي حدودية بري برية بحري بحرية جاف جافة رئيسي رئيسية كبير كبيرة كبرى صغير صغيرة مهم مهمة
    صناعي صناعية اقتصادي اقتصادية حر حرة خاص خاصة تجاري تجارية لوجستي لوجستية ذاتية ذات
    واحد واحدة عديد عديدة عدة كل بعض جميع مختلف مختلفة بلاده بلادها دول دولة بلدان
    شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي شمالية جنوبية شرقية غربية
    زيارة كلمة خطاب بيان رسالة برقية حفل اجتماع لقاء محادثات قمة مؤتمر وفد وفدا طالما
    """
)
# A name may hold an article-bearing word only in these Arabic compounds: "عبد الله", "نور الدين".
_NAME_ARTICLE_AFTER = _words("عبد أبو أبي بن")
_NAME_ARTICLE_WORDS = _words("الدين")

_NEXT_WORD = re.compile(r" *([\u0621-\u064a]+)")
_TANWEEN = re.compile("[\u064b-\u064d]")  # a name is never declined: "مسجدًا" is a noun
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_TITLE = re.compile(
    r"(?<![\w])(?P<deputy>(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)?" + DEPUTY + r" )?"
    + r"(?P<prefix>" + PREFIX + r")"
    + r"(?P<head>" + "|".join(sorted(map(re.escape, PERSON_HEADS + PLACE_HEADS), key=len, reverse=True)) + r")"
    + r"(?![\w])"
)


def _titles(text):
    """list(_TITLE.finditer(text)): the regex tried only where a word begins with what its matches begin with
    (every match begins a word: its look-behind), found in one pass (literals.WordStartKeys) instead of the
    engine trying the title's prefixes and heads at every word."""
    starts = _title_starts()
    return list(_TITLE.finditer(text)) if starts is None else matches_at(_TITLE, text, starts.starts(text)[0])


@functools.cache
def _title_starts():
    keys = word_start_keys(_TITLE)
    return WordStartKeys(dict.fromkeys(keys, (0,)), 1) if keys else None


# "رجب طيب أردوغان", "بيرديبيك ساباربيكوف"; place names are shorter ("سان بطرسبرج", "جلال أباد").
_MAX_NAME_WORDS = {"person": 4, "place": 3}
_MAX_COMPLEMENT = 6


@dataclass
class Proposal:
    name_ar: str
    key: str
    kind: str  # person | place
    country: str
    evidence: str  # the title words, as written
    mentions: list = field(default_factory=list)  # [(start, end)] of the name in the text searched

    def as_dict(self):
        return {
            "name_ar": self.name_ar,
            "key": self.key,
            "kind": self.kind,
            "country": self.country or None,
            "evidence": self.evidence,
            "mentions": len(self.mentions),
        }


def name_key(name):
    """One key for the ways outlets spell a name: the article, Egyptian ج for غ, vowel letters, doubling.

    "وانغ يي" and "وانج يي", "توكاييف" and "توكايف", "تلاوبيردي" and "تلاوبردي" share a key.
    """
    words = []
    for word in normalize(name).split():
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        word = word.replace("غ", "ج")
        word = word[:1] + re.sub("[اوي]", "", word[1:])
        words.append(re.sub(r"(.)\1+", r"\1", word))
    return " ".join(words)


def _bare(word):
    """The word without an attached و/ف, ب/ل/ك and article, as a word list holds it."""
    match = re.match(PREFIX, word)
    rest = word[match.end() :]
    return rest if len(rest) >= 2 else word


def _has_article(word):
    return bool(re.match(r"(?:و|ف)?(?:ب|ك)?(?:ال|لل)\w\w", word))


def _in(word, words):
    return word in words or _bare(word) in words


def _is_stop(word):
    """A stop word, alone or after a conjunction or preposition ("وقال", "فإن", "لنظيره").

    A preposition counts only before three letters or more: "بان" (Ban Ki-moon) is not "ب" + "أن".
    """
    rest = word[re.match(r"(?:و|ف)?(?:ب|ل|ك)?", word).end() :]
    return word in STOP_WORDS or (word[:1] in ("و", "ف") and word[1:] in STOP_WORDS) or (
        len(rest) >= 3 and rest in STOP_WORDS
    )


def _is_title_word(word):
    return _in(word, _HEAD_WORDS)


def _is_conjunction(word, written):
    """و attached to the next word ("وباكيتجان", "وأرفع"), not the و that begins "وانغ" or "وين"."""
    return len(word) > 3 and word[0] == "و" and (word[1] not in "اوين" or written[1:2] in ("أ", "إ", "آ"))


def _has_pronoun_suffix(word):
    """"يقطنها", "أغلبهم": a word carrying a pronoun belongs to a clause, not to a name."""
    return len(word) >= 5 and word.endswith(("ها", "هم", "هما", "كم"))


def _looks_like_verb(word):
    """An imperfect verb or a verbal noun ("يتوجه", "يصل", "تستضيف", "تطوير"), not a name's word.

    Names that start with ي or ت carry a long vowel next ("يانغ", "يوان", "تيان", "توكاييف") or
    are Chinese تش- names ("تشانغ").
    """
    return len(word) >= 3 and word[0] in "يت" and word[1] not in "اوي" and not word.startswith("تش")


class _Text:
    """The normalised text, its words and the gazetteer names found in it."""

    def __init__(self, norm, knowledge):
        self.norm = norm
        self.text = norm.text
        self.known = {}  # start → (end, entity)
        self.covered = bytearray(len(self.text))
        for start, end, entity in gazetteer_spans(norm, knowledge):
            self.known[start] = (end, entity)
            self.covered[start:end] = b"\x01" * (end - start)

    def next_word(self, pos):
        """(start, end, word) of the word right after pos when only spaces lie between, else None."""
        match = _NEXT_WORD.match(self.text, pos)
        if not match or (match.end() < len(self.text) and self.text[match.end()].isalnum()):
            return None
        return match.start(1), match.end(1), match.group(1)

    def known_at(self, start):
        """(end, entity) when a gazetteer name begins at the word starting here (after its prefix)."""
        for offset in range(4):
            hit = self.known.get(start + offset)
            if hit and re.fullmatch(PREFIX, self.text[start : start + offset]):
                return hit
        return None

    def written(self, start, end):
        """The word as the outlet wrote it, hamzas kept, without tashkeel: "ألمات" has no article."""
        return _TASHKEEL.sub("", self.norm.span(start, end))


def _read_complement(text, pos):
    """Read past a title's complement: (position after it, country, words read), or None for a known person."""
    country = ""
    read = 0
    place_name_next = False
    while read < _MAX_COMPLEMENT:
        nxt = text.next_word(pos)
        if nxt is None:
            break
        start, end, word = nxt
        known = text.known_at(start)
        if known:
            known_end, entity = known
            if entity.kind == "person":
                return None
            if entity.is_country and not country:
                country = entity.country
            pos, read, place_name_next = known_end, read + 1, False
            continue
        if place_name_next:
            # "حاكم مقاطعة جامبيل": the region's own name, one word.
            pos, read, place_name_next = end, read + 1, False
            continue
        if word in (normalize("لدى"), "في"):
            # "السفير الصيني لدى كازاخستان", "سفير كازاخستان في بكين": where the post is, not whose;
            # the name comes right after. After في only a known place will do ("الرئيس في خطاب ألقاه").
            place = text.next_word(end)
            known = text.known_at(place[0]) if place else None
            if known and known[1].kind == "place":
                return known[0], country, read + 2
            if word != "في" and place and not _is_stop(place[2]):
                return place[1], country, read + 2
            break
        if _has_article(text.written(start, end)) and not _is_stop(word) and not _is_title_word(word):
            pos, read = end, read + 1  # "الخارجية", "الصيني", "الشيوخ"
            continue
        if _in(word, CONSTRUCT_NOUNS):
            pos, read = end, read + 1
            continue
        if word in PLACE_HEADS:
            pos, read, place_name_next = end, read + 1, True
            continue
        break
    return pos, country, read


def _read_name(text, pos, kind, limit=None):
    """(start, end, [words]) of the name that begins at pos (and ends by `limit`), or None."""
    found = []
    start = end = None
    while True:
        nxt = text.next_word(pos)
        if nxt is None or (limit is not None and nxt[1] > limit):
            break
        w_start, w_end, word = nxt
        written = text.written(w_start, w_end)  # hamzas kept: "ألاشانكو" has no article, "على" is not "علي"
        if text.known_at(w_start) or _is_stop(word) or _is_title_word(word) or _is_conjunction(word, written):
            break
        if _bare(written) in _WRITTEN_STOP_WORDS or written in _WRITTEN_STOP_WORDS:
            break
        if _has_pronoun_suffix(word):
            return None
        if _in(word, GENERIC_WORDS) or _TANWEEN.search(text.norm.span(w_start, w_end)):
            break
        if _has_article(written) and not (found and found[-1] in _NAME_ARTICLE_AFTER) and word not in _NAME_ARTICLE_WORDS:
            break
        if _looks_like_verb(word):
            break
        start = w_start if start is None else start
        found.append(word)
        end = pos = w_end
        if len(found) > _MAX_NAME_WORDS[kind]:
            return None  # a clause the stop words did not catch, not a name
    return (start, end, found) if found else None


def _country_after(text, pos):
    """The country of an adjective right after a name: "ميناء ليانيونغانغ الصيني"."""
    nxt = text.next_word(pos)
    known = text.known_at(nxt[0]) if nxt else None
    return known[1].country if known and known[1].is_country else ""


def _is_known(key, knowledge):
    """A gazetteer name in another spelling, or one word of a known person's name ("مختار" for Tileuberdi)."""
    return key in knowledge.entity_keys or (" " not in key and key in knowledge.person_name_word_keys)


def _title_start(match):
    """Where the title's words begin, without a conjunction attached to them ("ووزير" → "وزير")."""
    start = match.start("deputy") if match.group("deputy") else match.start("prefix")
    first = match.group("deputy") or match.group("prefix")
    return start + 1 if first[:1] in ("و", "ف") else start


def find_proposals(text, knowledge):
    """Names after a title that no gazetteer entity matches, in the order they first appear."""
    norm = text if isinstance(text, NormalizedText) else NormalizedText.of(text)
    text = _Text(norm, knowledge)
    found = {}
    complements = []  # spans of person titles read: the place inside "حاكم مقاطعة جامبيل" ends there
    for match in _titles(norm.text):
        if text.covered[match.start("head")]:
            continue  # the title is part of a known name ("الرئيس الصيني شي")
        head = match.group("head")
        with_article = match.group("prefix").endswith(("ال", "لل"))
        if head in PLACE_HEADS:
            if match.group("deputy") or with_article:
                continue  # "المدينة", "الميناء الجاف": a noun, not a place's title
            kind, pos, country = "place", match.end(), ""
            limit = next((end for start, end in complements if start < match.start() < end), None)
        else:
            read = _read_complement(text, match.end())
            if read is None:
                continue  # a known person follows
            pos, country, complement_words = read
            complements.append((match.start(), pos))
            if head in _NEEDS_COMPLEMENT and not with_article and not complement_words:
                continue
            kind, limit = "person", None
        name = _read_name(text, pos, kind, limit)
        if name is None:
            continue
        start, end, name_words = name
        key = name_key(" ".join(name_words))
        if len(key.replace(" ", "")) < 2 or _is_known(key, knowledge):
            continue
        country = country or _country_after(text, end)
        proposal = found.get(key)
        if proposal is None:
            proposal = found[key] = Proposal(
                name_ar=norm.span(start, end),
                key=key,
                kind=kind,
                country=country,
                evidence=norm.span(_title_start(match), pos).strip(" ،,"),
            )
        proposal.country = proposal.country or country
        proposal.mentions.append(norm.original_offsets(start, end))
    return list(found.values())


def find_article_proposals(title, body, knowledge):
    """Proposals of an article: offsets are in the body; a name seen only in the title has none."""
    found = {p.key: p for p in find_proposals(body, knowledge)}
    for proposal in find_proposals(title, knowledge):
        if proposal.key not in found:
            proposal.mentions = []
            found[proposal.key] = proposal
    return list(found.values())
