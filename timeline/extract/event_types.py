"""The event type of what an article reports (docs/event-types.md defines the codes).

Pure Python, like the rest of extract/. The type comes from the happening the headline and the
opening sentence report, read in this order:

1. each of the two is read on its own, headline first: an agreement taking effect, a call, a message,
   a project opened, a trip to a summit, a visit, a signing, a summit, a forum, talks, a statement;
   what a speaker is quoted as saying ("أكد أن …") is not what happened, the speaking is;
2. a visit that frames the reported talks or signing ("… خلال زيارة دولة يقوم بها …") makes it the visit;
3. with nothing found up top, the calendar meetings of the article's dates and its happening kinds
   (timeline.extract.happenings) decide; else `other`.

`classify()` gives the code; `explain()` the code with the words and rule it came from.
"""

import re
from collections import Counter
from dataclasses import dataclass

from .arabic import normalize
from .literals import Gated

#: code -> (English, Arabic); the order is the order of the admin's choices and of the docs.
EVENT_TYPES = {
    "state_visit": ("State visit", "زيارة دولة"),
    "official_visit": ("Official visit", "زيارة رسمية"),
    "summit": ("Summit", "قمة"),
    "talks": ("Talks", "محادثات"),
    "phone_call": ("Phone call", "اتصال هاتفي"),
    "message": ("Message or letter", "رسالة أو برقية"),
    "agreement_signed": ("Agreement signed", "توقيع اتفاقية"),
    "agreement_in_force": ("Agreement enters into force", "دخول اتفاقية حيز التنفيذ"),
    "forum": ("Forum or exhibition", "منتدى أو معرض"),
    "project_opened": ("Project launched or opened", "تدشين مشروع"),
    "statement": ("Statement or interview", "تصريح أو مقابلة"),
    "other": ("Other", "أخرى"),
}
OTHER = "other"

#: Calendar series (reference calendar slugs) and the type a meeting of theirs is, when nothing up top decides.
SERIES_TYPES = {
    "sco-summit": "summit",
    "sco-heads-of-government": "summit",
    "cc5-summit": "summit",
    "cica-summit": "summit",
    "shanghai-five-summit": "summit",
    "g20-summit": "summit",
    "brics-summit": "summit",
    "cc5-foreign-ministers": "talks",
    "cn-kz-cooperation-committee": "talks",
    "cn-kz-foreign-ministers-strategic-dialogue": "talks",
    "belt-and-road-forum": "forum",
    "expo-2017-astana": "forum",
    "kz-president-visit-china": "state_visit",
    "cn-president-visit-kazakhstan": "state_visit",
    "cn-premier-visit-kazakhstan": "official_visit",
    "kz-premier-visit-china": "official_visit",
}

_W = r"(?<![\u0621-\u064a])"  # no Arabic letter before: the start of a word (after its prefixes)
_E = r"(?![\u0621-\u064a])"  # no Arabic letter after
_P = r"(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)?"  # prefixes


def _rx(pattern):
    # Searched in every headline and opening sentence, most of them holding none of the pattern's words: the
    # search is let go when the text lacks what every match must contain (literals.Gated).
    return Gated(re.compile(pattern))


_IN_FORCE = _rx(
    r"حيز\s+(?:ال)?(?:تنفيذ|نفاذ)|"
    + _W + r"(?:اصبحت|اصبح|يصبح|تصبح|باتت|اضحت|ستصبح|سيصبح)\s+(?:\S+\s+){0,6}?نافذ(?:ه|ا|ين)?" + _E + "|"
    + _W + r"(?:بدء|بدا|يبدا|تبدا)\s+(?:ال)?سريان|سريان\s+(?:مفعول|اتفاقي)|"
    + _W + r"(?:دخول|دخلت|يدخل|تدخل)\s+(?:\S+\s+){0,6}?(?:ال)?(?:تنفيذ|نفاذ)"
)
_PHONE = _rx(
    _W + _P + r"(?:اتصال|اتصالا|مكالمه|محادثه|محادثات|مباحثات)\s+(?:ال)?هاتفي(?:ه|ا|ين)?" + _E + "|"
    + _W + r"هاتفيا" + _E + "|عبر\\s+(?:ال)?هاتف|عبر\\s+(?:تقنيه\\s+)?(?:ال)?فيديو|(?:اتصال|اتصالا|لقاء|قمه)\\s+(?:ال)?مريي"
)
_MESSAGE = _rx(
    _W + _P + r"برقي(?:ه|ات|تي)" + _E + "|"
    + _W + _P + r"رسال(?:ه|ت|تي|تين)\s+(?:\S+\s+){0,2}?(?:تهنيه|تعزيه|شكر|خطيه)|"
    + _W + r"(?:بعث|يبعث|وجه|يوجه|تبادل|يتبادل|تبادلا)\S*\s+(?:\S+\s+){0,6}?(?:ال)?(?:رساله|رسايل|رسالتي|تهاني|برقي)"
)
_PROJECT_VERB = (
    _W + r"(?:و|ف)?(?:دشن|يدشن|تدشن|دشنت|تدشين|لتدشين|افتتح|يفتتح|تفتتح|افتتحت|افتتاح|لافتتاح|بافتتاح|وضع\s+حجر\s+(?:ال)?اساس|"
    r"(?:بدء|بدا|بدات|تبدا|يبدا|انطلاق|انطلقت|اطلاق|اطلق|اطلقت|تشغيل|تسيير|دخول)\s+(?:(?:ال)?(?:اعمال|اشغال|عمليات)\s+)?"
    r"(?:ال)?(?:انشاء|بناء|تشييد|انجاز|تشغيل)?|(?:ال)?(?:اعمال|اشغال)\s+(?:ال)?(?:انشاء|بناء|تشييد))" + _E
)
_PROJECT_THING = (
    _P + r"(?:خط|خطوط|انبوب|انابيب|ميناء|مرفا|مصنع|مصفاه|محطه|سكه|سكك|جسر|مشروع|ممر|منفذ|مطار|مجمع|منطقه\s+حره|"
    r"قطار|طريق\s+سريع|الجزء|القسم|الشطر)" + _E
)
_PROJECT = _rx(_PROJECT_VERB + r"[^.\n]{0,70}?" + _W + _PROJECT_THING)
_SEASONAL = _rx(r"(?:ل|ب)?هذا\s+العام|خلال\s+عام\s+\d{4}|(?:ال)?عام\s+(?:ال)?جاري")
_GATHERING = _rx(_W + _P + r"(?:قمه|موتمر|اجتماع|منتدي|معرض|دوره)" + _E)

_SUMMIT = _rx(
    _W + _P + r"قم(?:ه|ت|تهم|تها|تين|م)" + _E + "|"
    + _W + _P + r"مجلس\s+روساء\s+(?:ال)?دول|"
    + _W + _P + r"(?:اجتماع|دوره)\s+(?:\S+\s+){0,3}?(?:ل|ل?مجلس\s+)?(?:روساء|قاده|زعماء)\s+(?:ال)?(?:دول|حكومات)|"
    + r"خماسي\s+شا?نغهاي|شا?نغهاي\s+(?:ال)?خماسي|"
    + _W + r"(?:قاده|زعماء|روساء)\s+(?:ال)?(?:دول\s+)?(?:منظمه|مجموعه)\s+"
)
_DECLARATION = _rx(_W + _P + r"(?:اعلان|بيان\S*\s+(?:ال)?ختامي)" + _E)
_JOINT_STATEMENT = _rx(_W + _P + r"بيان\S*\s+(?:ال)?مشترك")
_FORUM = _rx(
    _W + _P + r"(?:منتدي|معرض|اكسبو|مهرجان)" + _E + "|المعرض\\s+العالمي|" + _W + r"اكسبو"
)
_SIDELINE = _rx(_W + _P + r"(?:هامش|عشيه|قبيل|قبل\s+انطلاق|عقب\s+انتهاء)" + _E)

_VISIT_NOUN = _W + _P + r"زيار(?:ه|ت|ته|تها|تهما|تي|تين|اته)" + _E
_VISIT_VERB = _W + r"(?:و|ف)?(?:يزور|تزور|زار|زارت|سيزور|ستزور|لزياره|يتاهب\s+لزياره)" + _E
# Arriving, leaving, touring: a visit only when a person is the subject (a railway "يصل بين" two countries is not).
_TRAVEL_VERB = (
    _W + r"(?:و|ف)?(?:وصل|يصل|تصل|وصلت|سيصل|يحل|حل|حلت|حط|يحط|استهل|يستهل|مستهلا|يتوجه|توجه|سيتوجه|غادر|يغادر|"
    r"انطلق|ينطلق|بدا|يبدا)" + _E + r"(?!\s+(?:بين|عدد|حجم))|" + _W + r"رحال(?:ه|هم)" + _E + "|" + _W + _P + r"جول(?:ه|ته)" + _E
)
_VISIT = _rx(_VISIT_NOUN + "|" + _VISIT_VERB)
_TRAVEL = _rx(_TRAVEL_VERB)
# A visit as the frame of what is reported: "خلال زيارة …", "في إطار زيارته", "تزامنا مع الزيارة", "زيارة دولة".
_VISIT_FRAME = _rx(
    _W + r"(?:خلال|اثناء|في\s+اطار|في\s+ختام|ختام|تزامنا\s+مع|بمناسبه)\s+(?:ال)?زيار(?:ه|ته|تها)" + _E + "|"
    + _W + r"(?:ال)?زيار(?:ه|ات|تي)\s+(?:ال)?(?:دوله|رسميه|رسميتين|عمل|تاريخيه|وديه)" + _E
)
_MULTILATERAL = r"(?:مجلس|منظمه|روساء|قاده|زعماء|دول|الدول|مجموعه|القمه|قمه|موتمر|منتدي|معرض)"
# A trip whose purpose is a multilateral meeting: "… في الصين لحضور قمة شنغهاي", "للمشاركة في القمة".
_TO_ATTEND = _rx(
    _W + r"(?:لحضور|للمشاركه|ليشارك|سيشارك|سيحضر|لتمثيل)\s+(?:في\s+|ب)?(?:\S+\s+){0,3}?"
    + _P + r"(?:(?:قمه|موتمر|منتدي|معرض)" + _E + r"|(?:اجتماع|اجتماعات|اعمال)" + _E + r"(?:\s+\S+){0,4}?\s+" + _P + _MULTILATERAL + _E + ")"
)

_TALKS = _rx(
    _W + _P + r"(?:محادثات|مباحثات|مفاوضات|مشاورات|لقاء|لقايه|لقايهما|اجتماع|اجتماعه|اجتماعا)" + _E + "|"
    + _W + r"(?:و|ف)?(?:التقي|التقيا|يلتقي|تلتقي|سيلتقي|اجتمع|اجتمعا|يجتمع|استقبل|يستقبل|استقبلت|تستقبل|"
    r"بحث|بحثا|يبحث|يبحثان|تبحث|تبحثان|توافق|توافقت|توافقا|اتفق|اتفقت|اتفقا|يتفقان|"
    r"تعهد|تعهدا|يتعهدان|اكدا|يوكدان|حثا|ناقش|ناقشا|يناقشان)" + _E + "|"
    + _W + r"(?:و|ف)?(?:نظير(?:ه|ها|يه|هما))" + _E
)
_SIGNING = _rx(
    _W + r"(?:و|ف)?(?:وقع|وقعت|وقعا|وقعتا|وقعوا|يوقع|توقع|يوقعان|توقعان|يوقعون|سيوقعان|ستوقعان|سيوقع|ستوقع|"
    r"ابرم|ابرمت|يبرم|تبرم|تبرمان|ابرام|توقيع|بتوقيع|لتوقيع|التوقيع)" + _E + "|"
    + _W + _P + r"مذكر(?:ه|ات|تي)\s+تفاهم|"
    + _W + r"(?:كشف|كشفت|اعلن|اعلنت)\s+(?:\S+\s+){0,8}?عن\s+(?:ال)?(?:اتفاق|اتفاقيه|اتفاقات|اتفاقيات|صفقه|صفقات|عقد)" + _E
)
_AGREEMENT_NOUN = _rx(_W + _P + r"(?:اتفاق|اتفاقيه|اتفاقيات|اتفاقات|اتفاقا|معاهده|صفقه|صفقات|عقد|عقود|مذكره)" + _E)
# Words of a party, as the happening: a statement, remarks, an interview, a signed article, a protest note.
_STATEMENT_MEDIUM = _rx(
    _W + _P + r"(?:مقابله|حوار|حديث|مقال|مقاله|مقالا|تصريحات|تصريح|كلمه|خطاب|بيان)\s+"
    r"(?:صحفي|صحافي|مع|ل|موقع|نشر|نشرت|له|لها|اجرا|اجرته|خاص|امام|القاها|القاه|صادر)|"
    + _W + _P + r"مذكر(?:ه|ات)\s+احتجاج|" + _W + r"(?:استدع|استدعت|استدعي|استدعاء)\S*\s+(?:\S+\s+){0,3}?(?:ال)?سفير|"
    + _W + r"(?:تبدي|يبدي|ابدت|ابدي)\s+(?:\S+\s+)?استعداد|" + _W + r"(?:ال)?متحدث\S*\s+(?:ب)?اسم"
)
_SPEECH_VERB = _rx(
    r"^(?:\S+\s+){0,3}?(?:و|ف)?(?:اكد|اكدت|يوكد|توكد|قال|قالت|يقول|صرح|صرحت|يصرح|شدد|شددت|يشدد|دعا|دعت|يدعو|حث|حثت|"
    r"نوه|نوهت|اعتبر|اعتبرت|راي|رات|يري|تري|حذر|حذرت|يحذر|اعرب|اعربت|يعرب|عبر|عبرت|وصف|وصفت|تعهد|يتعهد|تتعهد|اشاد|اشادت|يشيد|"
    r"اعلن|اعلنت|يعلن|كشف|كشفت|يكشف|ذكر|ذكرت|افاد|افادت|اوضح|اوضحت|نقلت|نقل)" + _E
)
_ANNOUNCING = {"اعلن", "اعلنت", "يعلن", "كشف", "كشفت", "يكشف", "ذكر", "ذكرت", "افاد", "افادت", "نقلت", "نقل", "قالت", "قال"}
_OFFICIAL = _rx(
    _W + _P + r"(?:رييس|الرييس|وزير|وزاره|وزيره|الخارجيه|حكومه|سفاره|سفير|متحدث|مسوول|مسوولون|مسوولين|نايب|الكرملين|"
    r"البرلمان|الرياسه|رياسه|زعيم|الحزب|امين|سكرتير|قصر|بكين|استانا|استانه)" + _E
)
_PROTEST_OTHER = _rx(
    _W + r"(?:و|ف)?(?:يحتجون|احتج|احتجوا|يتظاهرون|تظاهر|محتجين|محتجون|متظاهرين|متظاهرون)" + _E + "|"
    + _W + _P + r"(?:احتجاج|احتجاجا|احتجاجات|مظاهره|مظاهرات)\s+(?:ضد|علي)"
)
_FIGURES = _rx(
    r"علي\s+اساس\s+سنوي|بالمايه|بالمئه|%|" + _W + r"(?:ارتفاع|انخفاض|تراجع|نمو|زياده)\s+(?:\S+\s+){0,2}?(?:عدد|حجم|قيمه)" + _E
)

# Who is visiting, by title (a name alone says nothing of rank): a head of state, or anyone below.
_HEAD_OF_STATE = _rx(
    _W + _P + r"رييس(?:ا|ان|ي)?" + _E + r"(?!\s+(?:ال)?(?:وزراء|الوزراء|مجلس|حكومه|الحكومه|اللجنه|لجنه|الحزب|حزب|البرلمان|النواب|الشركه|شركه|مجموعه|الوفد|وفد|الاداره|بلديه|مكتب))|"
    + _W + _P + r"(?:ملك|امير)" + _E
)
_OTHER_OFFICIAL = _rx(
    _W + _P + r"(?:رييس\s+(?:ال)?(?:وزراء|مجلس|حكومه|اللجنه|لجنه)|نايب|وزير|وزيره|وفد|وفدا|سكرتير|امين|مبعوث|"
    r"رييس\s+(?:ال)?(?:برلمان|نواب|مجلس|حزب|الحزب))" + _E
)
_QUOTED_CLAUSE = _rx(_W + r"(?:ب|ف)?(?:ان|انه|انها|انهم|انهما|ان\s+بلاده)" + _E)


@dataclass(frozen=True)
class EventTypeGuess:
    code: str
    rule: str  # which reading decided: headline, opening, framing visit, remarks in talks, calendar, kinds, default
    evidence: str = ""  # the words it rests on (normalised)

    @property
    def label_en(self):
        return EVENT_TYPES[self.code][0]

    @property
    def label_ar(self):
        return EVENT_TYPES[self.code][1]


def _people(text, start, end):
    """(position, code) of every person of rank between start and end: a head of state, or anyone below."""
    found = {}
    for pattern, code in ((_HEAD_OF_STATE, "state_visit"), (_OTHER_OFFICIAL, "official_visit")):
        for m in pattern.finditer(text, max(0, start), max(0, min(len(text), end))):
            if m.start() not in found or code == "official_visit":
                found[m.start()] = code
    return sorted(found.items())


def _visit_type(text, match):
    """Who visits: the person named just after the visit word ("زيارة يقوم بها رئيس مجلس الدولة"),
    else the sentence's subject (its first person); a head of state makes it a state visit."""
    after = _people(text, match.end(), match.end() + 45)
    if after:
        return after[0][1]
    before = _people(text, 0, match.start())
    if before:
        return before[0][1]
    rest = _people(text, match.end(), len(text))
    return rest[0][1] if rest else "state_visit"


_RELATIVE = re.compile(r"(?:الذي|التي|الذين)\s+(?:\S+\s+)?$")


def _visit(text):
    """The match of a visit the text reports, or None: a visit noun or verb, or travel by a person."""
    for m in _VISIT.finditer(text):
        if not _RELATIVE.search(text[max(0, m.start() - 30) : m.start()]):
            return m
    for m in _TRAVEL.finditer(text):
        if _people(text, m.start() - 60, m.end() + 60) and not _RELATIVE.search(text[max(0, m.start() - 30) : m.start()]):
            return m
    return None


def _segment_type(text, context=""):
    """(code, evidence) of what one headline or sentence reports, or (None, "").
    `context` (headline and opening together) only says whether a summit is the setting."""
    if not text:
        return None, ""
    for pattern, code in ((_IN_FORCE, "agreement_in_force"), (_PHONE, "phone_call"), (_MESSAGE, "message")):
        m = pattern.search(text)
        if m:
            return code, m.group(0)
    m = _PROJECT.search(text)
    if m and not _GATHERING.search(m.group(0)) and not _SEASONAL.search(text):
        return "project_opened", m.group(0)
    m = _PROTEST_OTHER.search(text)
    if m:
        return OTHER, m.group(0)
    speech = _SPEECH_VERB.search(text)
    if speech:
        verb = re.sub(r"^(?:و|ف)(?=\S{3})", "", speech.group(0).split()[-1])
        quoted = _QUOTED_CLAUSE.search(text, speech.end())
        before = text[: quoted.start()] if quoted else text
        after = text[quoted.end() :] if quoted else ""
        talks = _TALKS.search(before, speech.end()) or _TALKS.search(before[: speech.start()])
        if talks:  # remarks made in a meeting, or by both sides together
            return "talks", talks.group(0)
        if verb in _ANNOUNCING and after:  # "أعلنت الخارجية أن الرئيس سيستضيف قمة": the happening announced
            code, words = _happening(after, context)
            if code:
                return code, words
        figures = _FIGURES.search(text)
        if _OFFICIAL.search(before) and not figures:
            return "statement", speech.group(0)
        if not quoted:
            code, words = _happening(text, context)
            if code:
                return code, words
        return (OTHER, figures.group(0)) if figures else (None, "")
    m = _STATEMENT_MEDIUM.search(text)
    if m:
        return "statement", m.group(0)
    return _happening(text, context)


def _happening(text, context=""):
    context = context or text
    talks = _TALKS.search(text)
    attend = _TO_ATTEND.search(text)
    if attend and not (talks and talks.start() < attend.start()) and not _VISIT_FRAME.search(text, 0, attend.start()):
        return ("forum" if re.search(r"منتدي|معرض", attend.group(0)) else "summit"), attend.group(0)
    visit = _visit(text)
    if visit:
        return _visit_type(text, visit), visit.group(0)
    m = _SIGNING.search(text)
    if m:
        declaration, joint = _DECLARATION.search(text), _JOINT_STATEMENT.search(text)
        if declaration and not _AGREEMENT_NOUN.search(text):
            return ("summit" if _SUMMIT.search(context) else "talks"), declaration.group(0)
        if joint and not _AGREEMENT_NOUN.search(text):
            return "talks", joint.group(0)
        return "agreement_signed", m.group(0)
    m = _SUMMIT.search(text)
    if m:
        side = _SIDELINE.search(text)
        if talks and side and side.start() < m.start():
            return "talks", talks.group(0)
        return "summit", m.group(0)
    m = _FORUM.search(text)
    if m:
        if talks and talks.start() < m.start():
            return "talks", talks.group(0)
        return "forum", m.group(0)
    if talks:
        return "talks", talks.group(0)
    m = _AGREEMENT_NOUN.search(text)
    if m and re.search(_W + r"(?:و|ف)?(?:سي|ست|ي|ت)?(?:برم|وقع)", text):
        return "agreement_signed", m.group(0)
    return None, ""


#: The plain form of where _sentences splits: spaces after a full stop or a question mark, or line breaks.
_SENTENCE_BREAK_PLAIN = r"(?<=[.!?؟])\s+|\n+"
# The same matches written to begin with their first character, a space, so that the engine skips to the next one
# in C instead of looking back at every character: the spaces after a stop, or a run of line breaks, in the plain
# form's order (a test compares the two).
_SENTENCE_BREAK = re.compile(r"\s(?:(?<=[.!?؟]\s)\s*|(?<=\n)\n*)")


def _sentences(text, limit):
    parts = [p.strip() for p in _SENTENCE_BREAK.split(text) if p.strip()]
    return parts[:limit]


def _is_stub(sentence):
    """A line that reports nothing: an editor's note in brackets, a byline, a site or section line."""
    return bool(re.match(r"^\(.*\)$|^بقلم|^(?:\S+\s+){0,3}\S+$", sentence.strip()))


# "أستانا 8 يونيو 2017 (شينخوا)", "بكين - رويترز -", "(نور سلطان)": where and when, not what.
_DATELINE = re.compile(
    r"^\s*(?:\([^()\n]{2,30}\)\s*[-–—:]*\s*"
    r"|[^\s()]+(?:\s+[^\s()]+){0,2}?[,،]?\s+(?:\d{1,2}|[أا]ول)\s+\S+(?:\s*\([^()]{2,20}\))?[,،]?(?:\s+\d{4})?\s*"
    r"(?:\([^()]{2,30}\)|/[^/\n]{2,20}/|/)?\s*[-–—:]*\s*"
    r"|[^\s()]+\s*[-–—]\s*(?:[^\s()]+(?:\s+[^\s()]+){0,2}\s*[-–—:]\s*)?(?=\S))"
)


def _opening(lead, body):
    """The first sentence that reports something (the lead's, else the body's next one), without its dateline."""
    sentences = _sentences(lead[:3000], 3) + _sentences(body[:3000], 6)  # the top is enough, however long the text
    for sentence in sentences:
        if not _is_stub(sentence):
            return _DATELINE.sub("", sentence, count=1)[:600]
    return ""


def explain(title, lead="", body="", signature=None):
    """The type of what the article reports, with the rule and words it rests on (see the module doc)."""
    signature = signature or {}
    head = normalize(title or "")
    opening = normalize(_opening(lead or "", body or ""))
    context = head + "\n" + opening
    if head and opening.startswith(head.rstrip("…. ")[:40]):
        head_code, head_words = None, ""  # a title made from the lead: the opening is the same text
    else:
        head_code, head_words = _segment_type(head, context)
    open_code, open_words = _segment_type(opening, context)
    if open_code in ("state_visit", "official_visit") and head_code in (None, "talks", "agreement_signed", "statement"):
        frame = _VISIT_FRAME.search(opening)
        if head_code is None or frame:  # "… خلال زيارة يقوم بها …": the talks or signing belong to the visit
            return EventTypeGuess(open_code, "framing visit", frame.group(0) if frame else open_words)
    if head_code in ("state_visit", "official_visit") and open_code in ("state_visit", "official_visit"):
        return EventTypeGuess(open_code, "opening", open_words)  # the opening names the visitor more fully
    if head_code == "statement" and open_code == "talks":
        return EventTypeGuess("talks", "remarks in talks", open_words)
    if head_code == "talks" and open_code == "agreement_signed":
        return EventTypeGuess("agreement_signed", "signed in talks", open_words)
    if head_code:
        return EventTypeGuess(head_code, "headline", head_words)
    if open_code:
        return EventTypeGuess(open_code, "opening", open_words)
    for key in signature.get("meetings", ()):
        code = SERIES_TYPES.get(key.split(":")[0])
        if code:
            return EventTypeGuess(code, "calendar", key)
    if signature.get("visit") and not signature.get("preview"):
        role = signature["visit"].rsplit(":", 1)[-1]
        return EventTypeGuess("state_visit" if role == "president" else "official_visit", "kinds", signature["visit"])
    return EventTypeGuess(OTHER, "default")


def classify(title, lead="", body="", signature=None):
    """The event type code (a key of EVENT_TYPES) of what the article reports."""
    return explain(title, lead, body, signature).code


def event_type_of(article_types, primary=None):
    """An event's type from its articles' types: the most common one, the primary article's on a tie
    (and `other` only when no article says more)."""
    counts = Counter(code for code in article_types if code in EVENT_TYPES)
    if not counts:
        return OTHER
    informative = {code: n for code, n in counts.items() if code != OTHER} or dict(counts)
    top = max(informative.values())
    leaders = [code for code, n in informative.items() if n == top]
    if primary in leaders:
        return primary
    return next(code for code in article_types if code in leaders)
