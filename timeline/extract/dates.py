"""Find an article's event date, with its precision, method, evidence and confidence.

Methods are tried strongest first (DESIGN.md, "How a date is found"): a dateline
or explicit date, relative words anchored on a known date, the reference calendar,
anniversaries, the supplied publication date. Nothing else: a bare number is
never a date, and today's date is never used.
"""

import bisect
import calendar as _calendar
import dataclasses
import datetime
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from .arabic import NormalizedText, normalize
from .literals import Gated, KeyOffsets, is_word_char, must_contain, scan, sentence_bounds, start_keys

# --- vocabulary (all in normalised spelling) -------------------------------------------

_MONTH_NAMES = {
    1: ["يناير", "كانون الثاني", "جانفي"],
    2: ["فبراير", "شباط", "فيفري"],
    3: ["مارس", "اذار"],
    4: ["ابريل", "نيسان", "افريل"],
    5: ["مايو", "ايار", "ماي"],
    6: ["يونيو", "يونيه", "حزيران", "جوان"],
    7: ["يوليو", "يوليه", "تموز", "جويليه"],
    8: ["اغسطس", "اب", "اوت", "غشت"],
    9: ["سبتمبر", "ايلول", "شتنبر"],
    10: ["اكتوبر", "تشرين الاول"],
    11: ["نوفمبر", "تشرين الثاني", "نونبر"],
    12: ["ديسمبر", "كانون الاول", "دجنبر"],
}
# Names that are also ordinary words: accepted only with a day and a year around them.
_AMBIGUOUS_MONTHS = {"ماي", "اب"}
MONTH_BY_NAME = {normalize(name): number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH_ALT = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in MONTH_BY_NAME), key=len, reverse=True))
# "حزيران/يونيو", "حزيران (يونيو)", "يونيو"
_MONTH = rf"(?P<m1>{_MONTH_ALT})(?:\s*(?:/|\(|-)\s*(?P<m2>{_MONTH_ALT})\s*\)?)?(?![^\W\d])"

_HIJRI_MONTHS = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع الثاني": 4, "ربيع الاخر": 4, "جمادي الاولي": 5, "جمادي الاول": 5,
    "جمادي الاخره": 6, "جمادي الثانيه": 6, "جمادي الاخر": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعده": 11, "ذي القعده": 11, "ذو الحجه": 12, "ذي الحجه": 12,
}
_HIJRI_ALT = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+") for n in _HIJRI_MONTHS), key=len, reverse=True))
# "13 رمضان 1438 هـ" (the era mark, or a year in the Hijri range, tells it from a Gregorian date)
_HIJRI_DATE = re.compile(
    r"(?<![\d.,/])(?P<day>[0-3]?\d)\s*(?:من\s+)?(?:شهر\s+)?(?P<month>" + _HIJRI_ALT + r")\s*[,،]?\s*(?:عام|سنه)?\s*"
    r"(?P<year>1[34]\d\d)(?!\d)\s*(?P<era>هـ|ه(?![\w])|هجريه|للهجره|الهجريه)?"
)

PUBLICATION_LABEL = "تاريخ النشر"
WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_WEEKDAY = "|".join(WEEKDAYS)
ARABIC_MONTH_DISPLAY = [
    "",
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]

_DAY = r"(?<![\d.,/])(?P<d1>[0-3]?\d|(?<![\w])اول(?=\s))"
_FULL_DATE = re.compile(
    _DAY
    + r"(?:\s*(?:و|-|–|الي|حتي|و\s*حتي)\s*(?P<d2>[0-3]?\d))?\s*(?:من\s+)?(?:شهر\s+)?"
    + _MONTH
    + r"\s*[,،]?\s*(?:من\s+)?(?:عام|سنه|العام)?\s*(?P<year>(?:19|20)\d\d)(?!\d)"
)
# "من 30 أوت إلى 3 سبتمبر 2025": a range across two months
_CROSS_MONTH = re.compile(
    r"(?<![\d.,/])(?P<d1>[0-3]?\d)\s*(?:من\s+)?" + _MONTH.replace("m1", "a1").replace("m2", "a2")
    + r"\s*(?:الي|حتي|-|–)\s*(?P<d2>[0-3]?\d)\s*(?:من\s+)?" + _MONTH
    + r"\s*[,،]?\s*(?:من\s+)?(?:عام|سنه|العام)?\s*(?P<year>(?:19|20)\d\d)(?!\d)"
)
_MONTH_YEAR = re.compile(
    r"(?<![\d\w])(?:شهر\s+)?" + _MONTH + r"\s*[,،]?\s*(?:من\s+)?(?:عام|سنه|العام)?\s*(?P<year>(?:19|20)\d\d)(?!\d)"
)
_MONTH_CURRENT = re.compile(r"(?<![\d\w])(?:شهر\s+)?" + _MONTH + r"\s+(?:الحالي|الجاري)(?![\w])")
_ISO = re.compile(
    r"(?<![\d.])(?P<year>(?:19|20)\d\d)(?:[-/](?P<month>[01]?\d)[-/](?P<day>[0-3]?\d)(?![\d.])|"
    r"[:.](?P<month2>[01]\d)[:.](?P<day2>[0-3]\d)(?![\d]))"
)
_DMY = re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)[-/.](?P<month>[01]?\d)[-/.](?P<year>(?:19|20)\d\d)(?![\d])")
_DAY_MONTH = re.compile(
    _DAY
    + r"(?:\s*(?:و|-|–|الي|حتي)\s*(?P<d2>[0-3]?\d))?\s*(?:من\s+)?(?:شهر\s+)?"
    + _MONTH
    + r"(?!\s*[,،]?\s*(?:من\s+)?(?:عام|سنه|العام)?\s*\d)"
)

_RELATIVE = re.compile(
    r"(?<!حتي )(?<![\w])(?P<word>اول\s+امس|امس|اليوم|غدا|بعد\s+غد)(?:\s*\(?\s*(?P<weekday>" + _WEEKDAY + r")\s*\)?)?(?![\w])"
)
_RELATIVE_OFFSET = {"اليوم": 0, "امس": -1, "اول امس": -2, "غدا": 1, "بعد غد": 2}
# "اليوم الثلاثاء وغدا الأربعاء", "أمس واليوم", "اليوم (الخميس) وغدا": the happening spans two consecutive days.
_CONSECUTIVE = re.compile(
    r"(?<!حتي )(?<!منذ )(?<![\w])(?P<a>امس|اليوم)(?:\s*\(?\s*(?P<wa>" + _WEEKDAY + r")\s*\)?)?\s+و\s*"
    r"(?P<b>اليوم|غدا|الغد)(?:\s*\(?\s*(?P<wb>" + _WEEKDAY + r")(?![\w])\s*\)?)?(?![\w])"
)
_CONSECUTIVE_OFFSET = {"امس": -1, "اليوم": 0}
# "الأسبوع الماضي": the week before the anchor's. Arabic outlets start the week on Saturday, Sunday or Monday,
# so the claim is the union of the three readings (never a range that misses the day under another reading).
_WEEK_STARTS = (0, 6, 5)  # Monday, Sunday, Saturday
_LAST_WEEK = re.compile(r"(?<![\w])(?:خلال\s+|في\s+)?(?:الاسبوع|الاسبوع)\s+(?:الماضي|المنصرم|الفايت)(?![\w])")
# A weekday that names when something happened: "يوم الثلاثاء", "(الثلاثاء)", "مساء الاثنين".
_WEEKDAY_MENTION = re.compile(
    r"(?<!حتي )(?<!منذ )(?:(?:(?<![\w])(?:يوم|مساء|صباح|ليل|ظهر|فجر|اليوم|امس|غدا)\s*\(?\s*|\(\s*|[,،]\s*)"
    r"(?P<weekday>" + _WEEKDAY + r")|(?<![\w])(?P<bare>الاثنين|الثلاثاء|الاربعاء|الخميس|السبت))(?![\w])"
)
_ORDINAL_DAYS = {
    "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6, "السابع": 7, "الثامن": 8,
    "التاسع": 9, "العاشر": 10,
}
_UNTIL_ORDINAL = re.compile(
    r"(?<![\d.,/])(?P<d1>[0-3]?\d)\s*(?:من\s+)?" + _MONTH + r"\s*(?:الي|حتي)\s*(?P<ord>" + "|".join(_ORDINAL_DAYS)
    + r")\s+منه(?![\w])"
)
# "خلال عام 2025": the year an article reports on (a low-confidence claim; "بحلول عام" is a target, not this)
_DURING_YEAR = re.compile(r"(?<![\w])خلال\s+(?:عام|العام|سنه)\s+(?P<year>(?:19|20)\d\d)(?!\d)")
_WEEKDAY_PAIR = re.compile(r"(?<![\w])يومي\s+(?P<w1>" + _WEEKDAY + r")\s+و\s*(?P<w2>" + _WEEKDAY + r")(?![\w])")
# "من يوم الاثنين حتى اليوم (الأربعاء)": from a weekday until the dateline's day
_WEEKDAY_SPAN = re.compile(
    r"(?<![\w])من\s+(?:يوم\s+)?(?P<w1>" + _WEEKDAY + r")\s+و?(?:الي|حتي)\s+(?:اليوم|يوم)?\s*\(?\s*(?P<w2>" + _WEEKDAY + r")?"
)
# A clause about another happening: "حيث عقدت القمة أمس", "القمة التي عقدت الخميس", "على هامش …", "بعد أن".
# A relative word or weekday inside it dates that other happening, never the one the lead reports.
_OTHER_HAPPENING = re.compile(
    r"(?<![\w])(?:(?:حيث|الذي|التي|اللذين|اللتين|الذين|والتي|والذي)\s+(?:كان(?:ت)?\s+(?:قد\s+)?|قد\s+)?"
    r"(?:عقد|عقدت|انعقد|انعقدت|اختتم|اختتمت|افتتح|افتتحت|جري|جرت|اقيم|اقيمت|بدا|بدات|انطلق|انطلقت|استضاف|استضافت|"
    r"شهد|شهدت|وقع|وقعت|زار|زارت|التقي|التقت|تم|يعقد|تعقد|ستعقد|سيعقد)|علي\s+هامش|بعد\s+ان|بعدما|عقب|قبل\s+ان|قبيل)(?![\w])"
)
# A report of a happening says what happened in its headline or first sentence, with a verb of the
# happening itself; an analysis or a feature ("تحولت الحدود…", "رأى كاتب…", "يتسع الحضور…") does not.
# Only a report may take its date from the publication date (alone or through "اليوم", "أمس", a weekday):
# an analysis piece published on a day is not an event of that day.
_HAPPENING_VERBS = (
    "اكد اكدت اكدا قال قالت اعلن اعلنت صرح صرحت اعرب اعربت دعا دعت اوضح اوضحت كشف كشفت افاد افادت ذكر ذكرت "
    "التقي التقت التقيا استقبل استقبلت بحث بحثت بحثا ناقش ناقشت اجري اجرت اجريا عقد عقدت عقدا وقع وقعت وقعا "
    "وصل وصلت زار زارت غادر غادرت شارك شاركت ترأس تراس ترأست تراست حضر حضرت افتتح افتتحت دشن دشنت اطلق اطلقت "
    "انطلق انطلقت انطلقت اختتم اختتمت بدا بدات بدأ بدأت تلقي تلقت اتصل اجتمع اجتمعت اجتمعا بعث بعثت "
    "يلتقي تلتقي يستقبل تستقبل يبحث تبحث يبحثان يجري تجري يحل تحل حل حلت يعقد تعقد يوقع توقع يوقعان يصل تصل يزور تزور "
    "يشارك تشارك يتراس تتراس يفتتح تفتتح يدشن تدشن يطلق تطلق يعلن تعلن يوكد توكد يدعو تدعو يختتم تختتم "
    "اعتمد اعتمدت اعتمدوا اقر اقرت صادق صادقت وافق وافقت انضم انضمت اتفق اتفقت اتفقا تعهد تعهدت قرر قررت "
    "رحب رحبت اشاد اشادت حذر حذرت طالب طالبت نفي نفت ابدي ابدت ابلغ ابلغت نظم نظمت احتفل احتفلت استضاف استضافت "
    "سلم سلمت منح منحت اجتمع تسلم تسلمت قدم قدمت بدات انطلقت جرت جري اقامت اقام احتفت احتفي تحتفي يحتفي "
    "دخلت دخل يدخل تدخل تاهب يتاهب تتاهب استانف استانفت وقعتا وصلا ودع ودعت غادرا"
).split()
_HAPPENING_VERB = re.compile(
    r"(?<![\w])(?<!ما )(?:و|ف)?(?:" + "|".join(sorted(set(_HAPPENING_VERBS), key=len, reverse=True))
    + r")(?:ان|ون|وا)?(?![\w])"
)
# The weekday written right before a date: "يوم الخميس 8 يونيو", "الخميس الموافق 8 يونيو".
_ATTACHED_WEEKDAY = re.compile(r"(?<![\w])(?P<weekday>" + _WEEKDAY + r")\s*[,،]?\s*(?:الموافق\s*)?$")
# The happening a report of talks or a visit is about, named again in a relative clause ("اللقاء الذي جرى أمس").
_MEETING_NOUN = re.compile(r"(?:و|ف|ب|ل)?(?:ال)?(?:لقاء|اجتماع|محادثات|مباحثات|مقابله|زياره|اتصال|مكالمه)")
_MEETING_VERB = re.compile(
    r"(?<![\w])(?:و|ف)?(?:استقبل|استقبلت|التقي|التقت|التقيا|بحث|بحثت|بحثا|اجري|اجرت|اجريا|اجتمع|اجتمعت|زار|زارت|"
    r"وصل|وصلت|يلتقي|تلتقي|يستقبل|تستقبل|يبحث|تبحث|يزور|تزور|يصل|تصل|يجتمع|تجتمع)(?:ان|ون|وا)?(?![\w])"
)
# Where a clause starts: a sentence or list boundary. "و" alone does not start one ("أمس الخميس واليوم").
_CLAUSE_BOUNDARY = re.compile(r"[.،,؛;:!?؟()\n]|\s[-–—]\s")
_ORDINALS = {
    "الاول": 1,
    "الاولي": 1,
    "الثاني": 2,
    "الثانيه": 2,
    "الثالث": 3,
    "الثالثه": 3,
    "الرابع": 4,
    "الرابعه": 4,
    "الخامس": 5,
    "الخامسه": 5,
    "السادس": 6,
    "السادسه": 6,
    "السابع": 7,
    "السابعه": 7,
    "الثامن": 8,
    "الثامنه": 8,
    "التاسع": 9,
    "التاسعه": 9,
    "العاشر": 10,
    "العاشره": 10,
    "الحادي": 1,
    "الحاديه": 1,
}
_TENS = {"عشر": 10, "عشره": 10, "العشرين": 20, "الثلاثين": 30, "الاربعين": 40}
_ORDINAL_WORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_ORDINAL = re.compile(
    r"(?<![\w])(?:ال\s*(?P<digits>\d{1,2})(?![\d])|(?P<first>اول)(?=\s)|(?P<unit>"
    + _ORDINAL_WORD
    + r")(?:\s+(?:و?(?P<tens>عشر|عشره|العشرين|الثلاثين|الاربعين)))?(?![\w]))"
)
# An office's title right before a person's name (normalised: "الرئيس" is "الرييس"). A premier's or a
# speaker's title is read before a president's ("رئيس الوزراء" and "رئيس مجلس" begin with "رئيس").
_TITLES = (
    # China's premier is the head of the State Council ("رئيس مجلس الدولة الصيني", Xinhua's title), no parliament's.
    ("premier", re.compile(r"(?<![\w])(?:ال|و|ل)?رييس\s+(?:(?:ال)?(?:وزرا|حكوم)\S*|مجلس\s+(?:ال)?دوله)(?:\s+\S+){0,2}?\s*$")),
    ("speaker", re.compile(r"(?<![\w])(?:ال|و|ل)?رييس\s+(?:ال)?(?:مجلس(?!\s+(?:ال)?دوله(?![\w]))|برلمان)\S*(?:\s+\S+){0,3}?\s*$")),
    ("foreign-minister", re.compile(r"(?<![\w])(?:ال|و|ل)?وزير\s+(?:ال)?خارجي\S*(?:\s+\S+){0,2}?\s*$")),
    ("president", re.compile(r"(?<![\w])(?:ال|و|ل)?رييس(?:\s+(?!(?:ال)?(?:وزرا|حكوم|مجلس|برلمان|سابق)\S*)\S+){0,2}?\s*$")),
)
# A city inside a body's name: "منظمة شنغهاي", "مجموعة شنغهاي الخماسية", "شنغهاي للتعاون".
_IN_A_NAME = re.compile(r"(?:منظمه|مجموعه|خماسي|ميثاق|روح)\s*$")
_NAMES_AFTER = re.compile(r"\s*(?:للتعاون|الخماسيه|الخمس)(?![\w])")
# A title in construct after an aide's ("مستشار الرئيس", "نائب رئيس الوزراء", "المتحدث باسم الرئيس"): the name is the aide's.
_AIDE = re.compile(r"(?<![\w])(?:ال|و|ل)?(?:مستشار|مستشاره|نايب|نايبه|مساعد|مساعده|متحدث|المتحدث|سكرتير|مبعوث|ممثل|زوجه|عقيله|مدير\s+مكتب)"
                   r"(?:\s+باسم)?\s*$")
# "الرئيس السابق", "رئيس الوزراء الأسبق": a former office-holder dates nothing by his term.
_FORMER = re.compile(r"(?<![\w])(?:ال)?(?:سابق|اسبق|راحل)(?![\w])")
# An arrival and its weekday: "حط الرئيس الصيني هو جينتاو السبت", "وصل … اليوم (الأربعاء)", "بدأ … اليوم الخميس جولة".
_ARRIVAL = re.compile(
    r"(?<![\w])(?:و|ف)?(?:وصل|وصلت|يصل|تصل|حط|حطت|حل|حلت|بدا|بدات|يبدا|تبدا)(?![\w])(?:\s+[^\s.،,؛]+){0,5}?"
    r"\s+(?:يوم\s+|اليوم\s+|مساء\s+|صباح\s+)?\(?\s*(?P<weekday>" + _WEEKDAY + r")(?![\w])"
)
# A leader acting with his counterpart: "مع نظيره الكازاخستاني", "الرئيسان", "رئيسا البلدين", "رئيسا وزراء البلدين".
_COUNTERPART = re.compile(
    r"(?<![\w])(?:و|ب|ل)?(?:نظير(?:ه|ها)(?:\s+(?P<nationality>[^\s.،,؛:()]+))?|(?:ال)?رييسان|(?:ال)?زعيمان|"
    r"(?:رييسا|زعيما)\s+(?:(?:وزرا|حكومتي)\s+)?(?:ال)?(?:بلدين|دولتين))(?![\w])"
)
# Words of a leader acting from afar: a telephone call, a letter, a video link.
_REMOTE = re.compile(r"(?:اتصال|هاتف|مكالم|رساله|رسايل|برقي|تهني|فيديو|افتراضي|عن\s+بعد)")
# An office other than a head of state's or government's, named before the leader in his sentence.
_OTHER_OFFICE = re.compile(r"(?<![\w])(?:و|ل|ب)?(?:ال)?(?:وزير|وزيره|سفير|سفيره|نايب|مستشار|مبعوث|مساعد|ممثل|متحدث|مسوول)(?![\w])")
# A dateline that names a place: a line opening on up to three words, then "-", "(", ":", a comma or a date.
_DATELINE_PLACE = re.compile(r"[^\S\n]*(?P<place>[^\d\s(\-–—:،,/]+(?:[^\S\n]+[^\d\s(\-–—:،,/]+){0,2})[^\S\n]*(?=[(\-–—:،,/]|\d)")
# Words that make a meeting the occasion of what the article reports.
_OCCASION = re.compile(
    r"(?:لحضور|حضور|في اطار|على هامش|خلال|امام|المشاركه في|للمشاركه في|يشارك في|شارك في|بمناسبه|اعمال|انعقاد|"
    r"افتتاح|ضمن|عقب|قبيل|تستضيف|استضافه)(?![\w])|(?<![\w])في\s*\S{0,4}$"
)
# Tense around a meeting's name: held before (background), or coming (what a preview announces).
_PAST_BEFORE = re.compile(
    r"(?<![\w])(?:استضافت|استضاف|عقدت|انعقدت|الموقعه|الموقع|وقعت خلال|السابقه|سابقه|سبق|منذ)(?![\w])[^.\n]{0,30}$"
)
# Words that make a held meeting this report's own: held yesterday, this morning, last week.
_RECENT = re.compile(r"(?<![\w])(?:امس|اليوم|صباح اليوم|مساء اليوم|الاسبوع\s+(?:الماضي|المنصرم))(?![\w])")
_PAST_AFTER = re.compile(r"^\S*\s*(?:\S+\s+){0,4}?(?:السابقه|الماضيه|التي عقدت|التي استضافتها)(?![\w])")
_COMING_BEFORE = re.compile(
    r"(?<![\w])(?:ستستضيف|سيستضيف|تستعد|يستعد|التحضير|للتحضير|تحضيرا|ستعقد|سيعقد|ستنعقد|ستقام|ستنطلق|يستضيف)(?![\w])[^.\n]{0,30}$"
)
_FUTURE = re.compile(r"^\S*\s*(?:\S+\s+){0,3}(?:القادم|المقبل|القادمه|المقبله)(?![\w])")
# The eve of a meeting: "عشية انطلاق الدورة الثانية من قمة …", "عشية القمة", "ليلة افتتاح المنتدى" — the day
# before the meeting's session, right before its name.
_EVE_BEFORE = re.compile(
    r"(?<![\w])(?:عشيه|ليله)\s+(?:(?:انطلاق|افتتاح|انعقاد|بدء)\s+)?(?:(?:اعمال|فعاليات)\s+)?(?:[^\s.،,؛]+\s+){0,3}$"
)
# A meeting said to be tomorrow in a report of today: "قبل القمة غدا", "القمة التي تنطلق غدا".
_MEETING_TOMORROW = re.compile(
    r"(?<![\w])(?:ال)?(?:قمه|اجتماع|منتدي|مؤتمر|دوره)(?:\s+(?:التي\s+)?(?:تعقد|ستعقد|تنطلق|ستنطلق|تفتتح|ستفتتح|يعقد|سيعقد))?"
    r"\s+(?:يوم\s+)?غدا(?![\w])"
)
_YEAR_NEAR = re.compile(r"^[^.\n]{0,25}?(?:عام|سنه|لعام|لسنه)?\s*(?P<year>(?:19|20)\d\d)(?!\d)")
_YEARS_WORD = r"(?:عاما|عام|سنه|سنوات|اعوام|سنين|عامًا)"
_NUMBER_WORDS = {
    "العشرين": 20, "الثلاثين": 30, "الاربعين": 40, "الخمسين": 50, "عشرين": 20, "ثلاثين": 30, "اربعين": 40,
    "الثلاث": 3, "ثلاث": 3, "ثلاثه": 3, "الاربع": 4, "اربع": 4, "اربعه": 4, "الخمس": 5, "خمس": 5, "خمسه": 5,
    "الست": 6, "ست": 6, "سته": 6, "السبع": 7, "سبع": 7, "سبعه": 7, "الثماني": 8, "ثماني": 8, "ثمانيه": 8,
    "التسع": 9, "تسع": 9, "تسعه": 9, "العشر": 10, "عشر": 10, "عشره": 10, "العاشره": 10, "الخامسه والعشرين": 25,
}
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?![\w])"
# "... منذ إقامة العلاقات الدبلوماسية بينها قبل 31 عاما": the count comes after the anchor.
_ANNIVERSARY_AFTER = re.compile(r"^[^.\d]{0,40}?قبل\s*" + _NUMBER + r"\s*" + _YEARS_WORD)
_ANNIVERSARY_WORD = re.compile(r"(?:الذكري|ذكري)\s*(?:ال)?\s*" + _NUMBER + r"(?![\d])")
_ANNIVERSARY_BEFORE = [
    re.compile(r"(?:الذكري|بالذكري|للذكري|ذكري)\s*(?:ال)?\s*" + _NUMBER + r"\s*(?:ل|علي|من)?\s*\S{0,8}\s*$"),
    re.compile(r"(?:ال)?\s*" + _NUMBER + r"\s*" + _YEARS_WORD + r"[^.\d]{0,30}?منذ[^.\d]{0,80}$"),
    re.compile(r"(?:الاعوام|السنوات|الاعوام|السنين)\s*(?:ال)?\s*" + _NUMBER + r"[^.\d]{0,30}?منذ[^.\d]{0,80}$"),
    re.compile(r"قبل\s*" + _NUMBER + r"\s*" + _YEARS_WORD + r"[^.\d]{0,90}$"),
]

# The forms that name an anniversary as an occasion ("الذكرى الثلاثين لـ…"), not as years elapsed until now.
_OCCASION_FORMS = (_ANNIVERSARY_WORD, _ANNIVERSARY_BEFORE[0])

# "أقيمت في 3 يناير 1992", "منذ عام 2013": a date the text looks back to.
_HISTORIC_BEFORE = re.compile(
    r"(?<![\w])(?:منذ|اقيمت|تاسست|انشيت|اسست|بدات|تعود الي|يعود الي|سبق|سابقا|عندما|حين)(?![\w])[^.\n]{0,25}$"
)
# "من يناير إلى مايو 2024": a period (trade figures), not the day of an event. Its optional opening is tried at every
# character of the lead: a lead without two month names and a year is let go first (literals.Gated).
_MONTH_RANGE = Gated(re.compile(r"(?:من|بين|خلال)?\s*(?:شهر\s+)?" + _MONTH.replace("m1", "r1").replace("m2", "r2")
                          + r"\s*(?:الي|حتي|و|-|–)\s*(?:نهايه\s+)?(?:شهر\s+)?" + _MONTH + r"\s*(?:من\s+)?(?:عام\s+)?(?:19|20)\d\d"))

CONFIDENCE = {
    "dateline": 0.95,
    "explicit": 0.85,
    "relative": 0.75,
    "calendar": 0.85,
    "calendar_inferred": 0.7,
    "anniversary": 0.65,
    "publication": 0.55,
    "contradicted": 0.45,  # the text's own words disagree with the claim: below review, never shown as sure
}
# News reports what happened in the last days or weeks; a month-old date in the lead is a look back.
RETROSPECT_DAYS = 31
# A bilateral talk "on the sidelines" happens on arrival, on the eve or the day after: this many days around.
NEAR_MEETING_DAYS = 3


@dataclass
class DateClaim:
    start: datetime.date
    end: datetime.date
    precision: str
    method: str
    evidence: str
    confidence: float
    warnings: list = field(default_factory=list)

    def as_dict(self):
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision,
            "method": self.method,
            "evidence": self.evidence,
            "confidence": round(self.confidence, 2),
        }


@dataclass
class MeetingMention:
    meeting: object  # knowledge.Meeting
    series: object  # knowledge.MeetingSeries
    evidence: str
    exact: bool  # identified by ordinal or an explicit year
    span: tuple = (0, 0)  # where the meeting is named, in the finder's normalised text
    note: str = ""  # what else picked the meeting ("Almazbek Atambayev president 2011-12-01..2017-11-24")


def _month(match):
    m1 = MONTH_BY_NAME.get(re.sub(r"\s+", " ", match.group("m1")))
    m2 = match.group("m2")
    if m2 and MONTH_BY_NAME.get(re.sub(r"\s+", " ", m2)) != m1:
        return None  # "حزيران/يوليو": the two names disagree
    return m1


def _safe_date(year, month, day):
    if day == "اول":  # "أول يوليو": the first of the month
        day = 1
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def month_bounds(year, month):
    return datetime.date(year, month, 1), datetime.date(year, month, _calendar.monthrange(year, month)[1])


@dataclass
class _Found:
    start: datetime.date
    end: datetime.date
    precision: str
    span: tuple
    calendar: str = "gregorian"
    year_supplied: bool = False  # the text gave day and month; the year came from elsewhere
    conflict: str = ""


def hijri_to_gregorian(year, month, day):
    try:
        from hijridate import Hijri

        gregorian = Hijri(int(year), int(month), int(day)).to_gregorian()
        return datetime.date(gregorian.year, gregorian.month, gregorian.day)
    except (ImportError, OverflowError, ValueError):
        return None


def _scan(regex, text, found=None):
    """regex.finditer(text), or nothing when the text lacks what every match must contain (literals.must_contain:
    most date patterns need a "19" or "20", a month's name or "منه"; most texts asked about are a line or two).

    In a longer text the regex is tried only where a match can begin (literals.start_keys: a digit, "اول", a
    month's name), not at every character; `found` keeps those places for the other patterns asked about the
    same text."""
    test = _SCAN_TESTS.get(regex)
    if test is None:
        test = _SCAN_TESTS[regex] = must_contain(regex)
    if not test(text):
        return ()
    return regex.finditer(text) if len(text) < KEYED_SCAN_CHARS else scan(regex, text, found)


_SCAN_TESTS = {}
#: From this length on a text's date patterns are tried at their keys' places: below it a scan costs less than
#: finding the places (a dateline's 160 characters, a clause).
KEYED_SCAN_CHARS = 600


@functools.cache
def _date_keys():
    """literals.KeyOffsets over the start keys of every pattern explicit_dates scans for (read off them on first use:
    parsing the month alternations costs at import)."""
    return KeyOffsets(key for regex in _KEYED_PATTERNS for key in start_keys(regex) or ())


@functools.lru_cache(maxsize=4)
def _places(text):
    """literals.key_starts' memory of `text` for explicit_dates' patterns: their keys (34 month names' beginnings,
    "اول", "19", "20") found in one automaton pass, not a str.find loop per key and pattern; kept for the text's
    next call (its dates are asked for without and with a default year), which adds its digits' offsets."""
    return _date_keys().found(text) if len(text) >= KEYED_SCAN_CHARS else {}


def explicit_dates(text, default_year=None):
    """Every explicit date in normalised text: full dates, Hijri and numeric dates, then month-year.

    `default_year` completes a day and month written without a year ("3 يوليو").
    One extraction asks for the dates of the same text several times (the year, the lead, the candidates): the
    answer is kept for the last texts asked about, and each caller gets its own copies (callers change them).
    """
    return [dataclasses.replace(f) for f in _explicit_dates(text, default_year)]


@functools.lru_cache(maxsize=32)
def _explicit_dates(text, default_year):
    found, taken = _dates_with_years(text)
    found = list(found)
    if default_year:
        places = _places(text)
        taken = taken.copy()
        free = taken.free
        for match in _scan(_UNTIL_ORDINAL, text, places):
            month = _month(match)
            start = _safe_date(default_year, month, match.group("d1"))
            end = _safe_date(default_year, month, _ORDINAL_DAYS[match.group("ord")])
            if month and start and end and start < end and free(match.span()):
                found.append(_Found(start, end, "day", match.span(), year_supplied=True))
                taken.add(match.span())
        for match in _scan(_DAY_MONTH, text, places):
            month = _month(match)
            if month is None or not free(match.span()) or normalize(match.group("m1")) in _AMBIGUOUS_MONTHS:
                continue
            start = _safe_date(default_year, month, match.group("d1"))
            end = _safe_date(default_year, month, match.group("d2")) if match.groupdict().get("d2") else start
            if start and end:
                found.append(_Found(start, end, "day", match.span(), year_supplied=True))
                taken.add(match.span())
        for match in _scan(_MONTH_CURRENT, text, places):
            month = _month(match)
            if month is None or not free(match.span()):
                continue
            start, end = month_bounds(default_year, month)
            found.append(_Found(start, end, "month", match.span(), year_supplied=True))
            taken.add(match.span())
    found.sort(key=lambda f: f.span[0])
    return tuple(_paired(found, text))


@functools.lru_cache(maxsize=32)
def _dates_with_years(text):
    """(the dates explicit_dates finds whatever the default year, in the order found; the spans they take).
    Shared, never changed: _explicit_dates copies the spans before adding to them."""
    found = []
    taken = _Spans()
    free = taken.free
    places = _places(text)  # literals.key_starts' memory of this text: the patterns share their keys (a digit)

    for match in _scan(_CROSS_MONTH, text, places):
        first = MONTH_BY_NAME.get(re.sub(r"\s+", " ", match.group("a1")))
        start = _safe_date(match.group("year"), first, match.group("d1"))
        end = _safe_date(match.group("year"), _month(match), match.group("d2"))
        if start and end and start < end:
            found.append(_Found(start, end, "day", match.span()))
            taken.add(match.span())
    for match in _scan(_FULL_DATE, text, places):
        if not free(match.span()):
            continue
        month = _month(match)
        if month is None:
            continue
        start = _safe_date(match.group("year"), month, match.group("d1"))
        end = _safe_date(match.group("year"), month, match.group("d2")) if match.group("d2") else start
        if start and end and start <= end:
            found.append(_Found(start, end, "day", match.span()))
            taken.add(match.span())
    for match in _scan(_HIJRI_DATE, text, places):
        day = hijri_to_gregorian(match.group("year"), _HIJRI_MONTHS[re.sub(r"\s+", " ", match.group("month"))], match.group("day"))
        if day and free(match.span()):
            found.append(_Found(day, day, "day", match.span(), calendar="hijri"))
            taken.add(match.span())
    for pattern in (_ISO, _DMY):
        for match in _scan(pattern, text, places):
            groups = match.groupdict()
            day = _safe_date(groups["year"], groups["month"] or groups.get("month2"), groups["day"] or groups.get("day2"))
            if day and free(match.span()):
                found.append(_Found(day, day, "day", match.span()))
                taken.add(match.span())
    for match in _scan(_MONTH_YEAR, text, places):
        month = _month(match)
        if month is None or not free(match.span()) or normalize(match.group("m1")) in _AMBIGUOUS_MONTHS:
            continue
        start, end = month_bounds(int(match.group("year")), month)
        found.append(_Found(start, end, "month", match.span()))
        taken.add(match.span())
    return tuple(found), taken


#: What explicit_dates scans a text for (_places finds all their keys at once).
_KEYED_PATTERNS = (_CROSS_MONTH, _FULL_DATE, _HIJRI_DATE, _ISO, _DMY, _MONTH_YEAR, _UNTIL_ORDINAL, _DAY_MONTH, _MONTH_CURRENT)


class _Spans:
    """Disjoint spans of text already read as a date, kept sorted: checking one costs log n, not n
    (a scan over every earlier date made 10,000 dates take 25 s)."""

    def __init__(self):
        self.starts = []
        self.ends = []

    def free(self, span):
        # The last span starting before this one ends is the only one that can reach into it:
        # the spans are disjoint, so their ends grow with their starts.
        before = bisect.bisect_left(self.starts, span[1]) - 1
        return before < 0 or self.ends[before] <= span[0]

    def copy(self):
        spans = _Spans()
        spans.starts, spans.ends = list(self.starts), list(self.ends)
        return spans

    def add(self, span):
        at = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(at, span[0])
        self.ends.insert(at, span[1])


def _paired(found, text):
    """A Hijri date and the Gregorian one 'الموافق' it are one date: keep the Gregorian, check they agree."""
    result = []
    skip = set()
    for i, item in enumerate(found):
        if i in skip:
            continue
        partner = found[i + 1] if i + 1 < len(found) else None
        if partner and partner.span[0] - item.span[1] <= 25 and {item.calendar, partner.calendar} == {"hijri", "gregorian"}:
            between = text[item.span[1] : partner.span[0]]
            if re.search(r"الموافق|الموافقه|/|\(|،|,|-|\s", between or " "):
                gregorian, hijri = (item, partner) if item.calendar == "gregorian" else (partner, item)
                merged = _Found(gregorian.start, gregorian.end, gregorian.precision,
                                (min(item.span[0], partner.span[0]), max(item.span[1], partner.span[1])))
                if abs((gregorian.start - hijri.start).days) > 1:
                    merged.conflict = f"hijri {hijri.start.isoformat()} != gregorian {gregorian.start.isoformat()}"
                result.append(merged)
                skip.add(i + 1)
                continue
        result.append(item)
    return result


_DIGIT = re.compile(r"\d")


def _city_regex(name):
    """A city's name as a word, maybe after ب, في or و: its matches in the text are _city_hits' candidates."""
    return re.compile(r"(?<![\w])(?:ب|في|و)?(" + re.escape(name) + r")(?![\w])")


def may_name_a_day(text):
    """False when explicit_dates(text, any default year) surely finds no date of a day: every pattern that reads one
    takes a digit (the day's, the year's) but _DAY's "اول" ("أول يونيو"), so a text with neither has none. Most
    paragraphs' heads and most lines asked about have none (a test compares the answers)."""
    return "اول" in text or _DIGIT.search(text) is not None


def _dateline(paragraph, default_year=None):
    """A date at the head of a paragraph: 'أستانا 8 يونيو 2017 (شينخوا)', 'بكين، 3 يوليو (كونا) --'."""
    head = paragraph[:160]
    if not may_name_a_day(head):
        return None
    for found in explicit_dates(head, default_year):
        before = head[: found.span[0]]
        after = head[found.span[1] :]
        if found.precision == "day" and len(before.split()) <= 4 and not re.search(r"\d", before):
            if re.match(r"\s*(?:\(|-|–|—|/|:|\|)", after) or not before.strip():
                return found
    return None


#: The words after which a city is named as a place (then spaces): named_as_place.
_PLACE_WORDS = ("في", "الي", "من", "مدينه", "العاصمه")
#: What follows a city opening a line as a dateline (after spaces).
_DATELINE_MARKS = frozenset("(-–—:،,")


def _placed_regex(name):
    """The plain way of named_as_place, a search of the whole text (tests compare the two)."""
    n = re.escape(name)
    return re.compile(
        rf"(?:(?<![\w])(?:في|الي|من|مدينه|العاصمه)\s+|(?<![\w])و?ب){n}(?![\w])|^[^\S\n]*(?:و?ب)?{n}[^\S\n]*[(\-–—:،,]",
        re.MULTILINE,
    )


def named_as_place(text, name):
    """Whether `name` is written in `text` as a place: after "في", "الي", "من", "مدينه" or "العاصمه" and spaces, or
    after the prefix ب (or وب), each a word's start, with no letter after it; or opening a line (after spaces, ب or
    وب) and followed by spaces and "(", a dash, ":" or a comma. What _placed_regex(name).search(text) says, read at
    each place the name is written: the regex, with no literal to begin with, was tried at every character of the
    text (~0.3 ms a city, issue 9)."""
    if not name or name[0].isspace():
        return bool(_placed_regex(name).search(text))
    size, length = len(name), len(text)
    at = text.find(name)
    while at >= 0:
        end = at + size
        if (end == length or not is_word_char(text[end])) and _after_place_word(text, at):
            return True
        if _opens_dateline(text, at, end, length):
            return True
        at = text.find(name, at + 1)
    return False


def _word_starts_at(text, at):
    return at == 0 or not is_word_char(text[at - 1])


def _after_place_word(text, at):
    if at and text[at - 1] == "ب":
        if _word_starts_at(text, at - 1) or (at > 1 and text[at - 2] == "و" and _word_starts_at(text, at - 2)):
            return True
    spaces = at
    while spaces and text[spaces - 1].isspace():  # what \s matches
        spaces -= 1
    if spaces == at:
        return False
    return any(
        spaces >= len(word) and text.startswith(word, spaces - len(word)) and _word_starts_at(text, spaces - len(word))
        for word in _PLACE_WORDS
    )


def _opens_dateline(text, at, end, length):
    after = end
    while after < length and text[after] != "\n" and text[after].isspace():
        after += 1
    if after == length or text[after] not in _DATELINE_MARKS:
        return False
    for prefix in ("وب", "ب", ""):
        start = at - len(prefix)
        if start < 0 or text[start:at] != prefix:
            continue
        while start and text[start - 1] != "\n" and text[start - 1].isspace():
            start -= 1
        if start == 0 or text[start - 1] == "\n":
            return True
    return False


class DateFinder:
    def __init__(self, text, knowledge, published=None, title="", published_source="", published_month=None,
                 dateline=""):
        # A dateline the cleaner found alone on its line ("أستانا-الوحدة:") is read where it most often stands, at
        # the head of the lead: where the reporter was and what its weekday says count as they would there.
        if dateline:
            text = f"{dateline} {text}"
        # The headline is read too ("القمة الثانية تنطلق في أستانا"), but a dateline is only sought in the body.
        self.norm = NormalizedText.joined(title, text) if title else NormalizedText.of(text)  # of(f"{title}\n{text}")
        self.text = self.norm.text
        title_end = len(NormalizedText.of(title).text) + 1 if title else 0
        self.title_end = title_end
        self.paragraphs = self._paragraph_spans()
        self.body_paragraphs = [p for p in self.paragraphs if p[0] >= title_end] or self.paragraphs
        self.knowledge = knowledge
        self.published = published
        # Where the publication date came from ("from the address /2022/9/14/"): said wherever it is used.
        self.published_source = published_source
        # (year, month, address segment) when only the month of publication is known ("/2009/12/512726.htm").
        self.published_month = published_month
        self.warnings = []
        # A stable code for each warning, in the same order (review reasons: WARNING_CODES)
        self.warning_codes = []

    def _warn(self, code, text):
        self.warnings.append(text)
        self.warning_codes.append(code)

    def _lead_end(self, paragraphs=1):
        """Where the title and the first `paragraphs` body paragraphs end."""
        # A line of a few words ("إضغط هنا للإشتراك", "أستانا-سانا") is no paragraph of the lead.
        chosen = self._lead_paragraphs[:paragraphs] or self.body_paragraphs[:paragraphs]
        return chosen[-1][1] if chosen else len(self.text)

    @cached_property
    def _lead_paragraphs(self):
        """The first two body paragraphs of four words or more (read lazily: a text may have 100,000 lines).
        A paragraph wholly in brackets is an editor's note ("(يضيف تعليقات … في الفقرات من 7 إلى 9)"), not the lead."""
        found = []
        for start, end in self.body_paragraphs:
            paragraph = self.text[start:end].strip()
            if paragraph[:1] in "([" and paragraph[-1:] in ")]" and not re.search(r"[)\]]", paragraph[1:-1]):
                continue
            if len(paragraph.split(maxsplit=4)) >= 4:
                found.append((start, end))
                if len(found) == 2:
                    break
        return found

    def _paragraph_spans(self):
        spans = []
        start = 0
        for part in self.text.split("\n"):
            if part.strip():
                spans.append((start, start + len(part)))
            start += len(part) + 1
        return spans

    def quote(self, span):
        return self.norm.span(*span).strip()

    @cached_property
    def reports_a_happening(self):
        """The headline or the lead's first sentence says what happened (see _HAPPENING_VERBS)."""
        # A report opens on its verb ("استقبل الرئيس…", "أستانا 8 يونيو (شينخوا) وقع…", "الرئيس الصيني يصل…");
        # an analysis may use one twenty words in ("تشغل كازاخستان موقعا … وقد أفادت").
        opening = " ".join(self._first_sentence.split()[:10])
        if _HAPPENING_VERB.search(self.text[: self.title_end]):
            return True
        verb = _HAPPENING_VERB.search(opening)
        return bool(verb) and not self._opens_on_a_look_back(verb.end())

    def _opens_on_a_look_back(self, verb_end):
        """Whether the lead's first verb is dated, in its own clause, a month or more before publication:
        "زار الرئيس … في سبتمبر عام 2013 …" opening a December feature recalls a happening; it reports none."""
        sentence = self._first_sentence
        clause = re.split(r"[.،,؛;:!?؟()\n]|(?<![\w])(?:ان|انه|انها)(?![\w])", sentence[verb_end:], maxsplit=1)[0]
        if _RELATIVE.search(clause) or _WEEKDAY_MENTION.search(clause):
            return False  # "زار أمس …": the happening is now
        return any(self._looks_back(found) for found in explicit_dates(clause))

    @cached_property
    def _first_sentence(self):
        """The first sentence of the lead: its first paragraph of some length (not a "أستانا-سانا" line)."""
        first = next((p for p in self.body_paragraphs if len(self.text[p[0] : p[1]].split()) >= 6), (0, 0))
        return re.split(r"[.!?؟]\s", self.text[first[0] : first[1]], maxsplit=1)[0]

    def _looks_back(self, found):
        """A month, or a day whose year came from elsewhere, ending a month or more before publication:
        a feature looking back ("زار الرئيس في سبتمبر عام 2013…" in a December piece), not its own happening."""
        weak = found.precision != "day" or found.year_supplied
        return bool(weak and self.published and found.end < self.published - datetime.timedelta(days=RETROSPECT_DAYS))

    def _in_an_analysis(self, found):
        """A day and month whose year is borrowed, in a piece that reports no happening: not its event."""
        return found.year_supplied and not self.reports_a_happening

    def about_other_happening(self, position, floor=0):
        """True when the word at `position` sits in a clause about another happening ("حيث عقدت القمة أمس")."""
        window = self.text[max(floor, position - 120) : position]
        boundaries = list(_CLAUSE_BOUNDARY.finditer(window))
        clause = window[boundaries[-1].end() :] if boundaries else window
        marker = _OTHER_HAPPENING.search(clause)
        if not marker:
            return False
        # "اللقاء الذي جرى أمس" in a report of that meeting: the clause describes the reported happening itself.
        antecedent = re.search(r"(\S+)\s+$", clause[: marker.start()])
        return not (antecedent and _MEETING_NOUN.fullmatch(antecedent.group(1)) and self.reports_a_meeting)

    @cached_property
    def reports_a_meeting(self):
        """The headline or the lead's first sentence reports talks, a reception or a visit."""
        return bool(_MEETING_VERB.search(self.text[: self.title_end]) or _MEETING_VERB.search(self._first_sentence))

    def own_words(self, matches, offset=0):
        """The matches (of a pattern run over text[offset:]) that date the reported happening itself."""
        return [m for m in matches if not self.about_other_happening(offset + m.start(), offset)]

    # --- method 1: dateline or explicit date --------------------------------------------
    @cached_property
    def default_year(self):
        """The year for a day and month written without one: from a full date in the text, else publication."""
        full = [f for f in explicit_dates(self.text) if f.precision == "day" and f.start not in self._anchor_dates()]
        if full:
            return full[0].start.year
        if self.published:
            return self.published.year
        exact = [m for m in self.meeting_mentions() if m.exact]
        if exact:
            return exact[0].meeting.start.year
        anniversary = self.from_anniversaries(record=False)
        return anniversary.start.year if anniversary else None

    def _anchor_dates(self):
        return {a.date for a in self.knowledge.anchors}

    def _complete_year(self, found):
        """A day-month completed with the publication year must not lie after publication: then it is last year's."""
        if found.year_supplied and self.published and found.start > self.published + datetime.timedelta(days=7):
            try:
                found.start = found.start.replace(year=found.start.year - 1)
                found.end = found.end.replace(year=found.end.year - 1)
            except ValueError:  # 29 February
                return None
        return found

    def dateline(self):
        default_year = self.default_year
        datelines = []
        for start, end in self.body_paragraphs:
            found = _dateline(self.text[start:end], default_year)
            if found:
                # Quote the whole dateline: place, date and the agency in brackets when there is one.
                agency = re.match(r"\s*\(\(?[^()\n]{1,30}\)?\)", self.text[start + found.span[1] : end])
                datelines.append((found, (start, start + found.span[1] + (agency.end() if agency else 0))))
        if not datelines or datelines[0][1][0] > self._lead_end(2):
            return None
        found, span = datelines[0]
        for other, other_span in datelines[1:]:
            if (other.start, other.end) != (found.start, found.end):
                self._warn("two_datelines", f"سطرا تاريخ مختلفان: «{self.quote(span)}» و«{self.quote(other_span)}»")
        found = self._complete_year(found)
        return (found, span) if found else None

    def explicit_in_lead(self):
        """The first explicit date of the lead that is about now: not a founding date, a past era or a period."""
        lead = self.text[: self._lead_end(2)]
        anchors = {a.date for a in self.knowledge.anchors}
        periods = [m.span() for m in _MONTH_RANGE.finditer(lead)]
        for found in explicit_dates(lead, self.default_year):
            before = lead[max(0, found.span[0] - 40) : found.span[0]]
            if found.start in anchors or _HISTORIC_BEFORE.search(before):
                continue
            if any(a <= found.span[0] < b for a, b in periods):
                continue
            found = self._complete_year(found)
            if found:
                return found, found.span
        return None

    # --- method 2: relative words --------------------------------------------------------
    def relative_words(self):
        return list(self._whole_text(_RELATIVE))

    def _whole_text(self, regex):
        """regex.finditer(self.text) as a list, scanned once per extraction (literals.scan: at its keys' places)."""
        found = self._whole_text_matches.get(regex)
        if found is None:
            found = self._whole_text_matches[regex] = scan(regex, self.text, self._key_offsets)
        return found

    @cached_property
    def _whole_text_matches(self):
        return {}

    def check_relative_against(self, day, words):
        """Lower confidence when 'اليوم (الخميس)' or 'أمس الأربعاء' contradicts the found date."""
        problems = []
        for match in words:
            weekday = match.group("weekday")
            if not weekday:
                continue
            offset = _RELATIVE_OFFSET[re.sub(r"\s+", " ", match.group("word"))]
            if (day + datetime.timedelta(days=offset)).weekday() != WEEKDAYS[weekday]:
                problems.append(f"«{self.quote(match.span())}» لا يوافق {day.isoformat()}")
        return problems

    def check_attached_weekday(self, found, span):
        """'الأربعاء 8 يونيو 2017' when 8 June 2017 was a Thursday: the date and its own weekday disagree."""
        before = _ATTACHED_WEEKDAY.search(self.text[max(0, span[0] - 25) : span[0]])
        if before and found.start == found.end and found.start.weekday() != WEEKDAYS[before.group("weekday")]:
            return [f"«{before.group('weekday')}» لا يوافق {found.start.isoformat()}"]
        return []

    def anchor_words(self, anchor, anchor_label):
        """'تاريخ النشر 2022-09-14 from the address /2022/9/14/': an anchor date and, for the publication date, its source."""
        words = f"{anchor_label} {anchor.isoformat()}"
        if anchor == self.published and anchor_label == PUBLICATION_LABEL and self.published_source:
            words += f" {self.published_source}"
        return words

    def relative_to(self, anchor, anchor_label):
        """'أمس', 'اليوم (الخميس)', 'الأسبوع الماضي' or 'يوم الثلاثاء' counted from the anchor date.

        The words must date the happening the headline and lead report: the first such word of the lead
        (headline and two paragraphs) decides, and words in a clause about another happening are passed over.
        """
        lead_end = self._lead_end(2)
        anchor_words = self.anchor_words(anchor, anchor_label)
        words = sorted(
            [("relative", m) for m in self.own_words(self.relative_words())]
            + [("last-week", m) for m in self._whole_text(_LAST_WEEK)]
            + [("weekday", m) for m in self.own_words(self._whole_text(_WEEKDAY_MENTION))],
            key=lambda pair: pair[1].start(),
        )
        for kind, match in words:
            if match.start() > lead_end:
                break
            evidence = f"«{self.quote(match.span())}» + {anchor_words}"
            if kind == "relative":
                if match.group("word") == "اليوم" and not match.group("weekday") and not self.reports_a_happening:
                    continue  # "الصين اليوم": nowadays, in an analysis that reports no happening
                day = anchor + datetime.timedelta(days=_RELATIVE_OFFSET[re.sub(r"\s+", " ", match.group("word"))])
                weekday = match.group("weekday")
                if not weekday or day.weekday() == WEEKDAYS[weekday]:
                    return DateClaim(day, day, "day", "relative", evidence, CONFIDENCE["relative"])
            elif kind == "last-week":
                starts = [anchor - datetime.timedelta(days=(anchor.weekday() - first) % 7) for first in _WEEK_STARTS]
                start, end = min(starts) - datetime.timedelta(days=7), max(starts) - datetime.timedelta(days=1)
                return self._meeting_in(start, end, evidence) or DateClaim(
                    start, end, "day", "relative", evidence, CONFIDENCE["relative"] - 0.15)
            else:
                # A bare weekday in a news report is the most recent one on or before the anchor.
                day = anchor - datetime.timedelta(days=(anchor.weekday() - WEEKDAYS[_weekday(match)]) % 7)
                return DateClaim(day, day, "day", "relative", evidence, CONFIDENCE["relative"] - 0.1)
        return None

    def within_published_month(self):
        """A report published in a known month ("/2009/12/" in its address) whose lead says "اليوم (الأحد)":
        its happening lies in that month. Claimed to the month, below review, and only when every day the
        lead's word can name falls inside the month ("أمس" on the 1st, or a weekday counted back from the
        first days, could be the month before: then nothing is claimed)."""
        year, month, segment = self.published_month
        first, last = month_bounds(year, month)
        lead_end = self._lead_end(2)
        cues = sorted(
            [m for m in self.own_words(self.relative_words()) if m.start() <= lead_end]
            + [m for m in self.own_words(self._whole_text(_WEEKDAY_MENTION)) if m.start() <= lead_end],
            key=lambda m: m.start(),
        )
        if cues and "word" in cues[0].re.groupindex and cues[0].group("word"):
            cue = cues[0]
            offset = _RELATIVE_OFFSET[re.sub(r"\s+", " ", cue.group("word"))]
            if cue.group("word") == "اليوم" and not cue.group("weekday") and not self.reports_a_happening:
                return None
            weekday = cue.group("weekday")
            earliest = first + datetime.timedelta(days=offset)
            if weekday:  # the first publication day whose offset day has that weekday
                while (earliest.weekday() != WEEKDAYS[weekday]):
                    earliest += datetime.timedelta(days=1)
        elif cues:
            cue = cues[0]
            earliest = first - datetime.timedelta(days=(first.weekday() - WEEKDAYS[_weekday(cue)]) % 7)
        else:
            return None  # no word of the lead ties the happening to the day it was published
        if earliest < first or offset_after(cue) > 0:
            return None
        words = f"«{self.quote(cue.span())}» + {PUBLICATION_LABEL} {year}-{month:02d} from the address {segment}"
        return DateClaim(first, last, "month", "publication", words, CONFIDENCE["publication"] - 0.05)

    def weekday_confirms(self, day):
        """Whether the lead's weekday words fit `day` as the publication date, and there is at least one.

        'أمس الثلاثاء' needs a Wednesday, 'اليوم (الخميس)' a Thursday; a weekday named alone in a report is
        the publication day or the day before it.
        """
        lead_end = self._lead_end(2)
        cues = 0
        for match in self.own_words(self.relative_words()):
            if match.start() <= lead_end and match.group("weekday"):
                cues += 1
                offset = _RELATIVE_OFFSET[re.sub(r"\s+", " ", match.group("word"))]
                if (day + datetime.timedelta(days=offset)).weekday() != WEEKDAYS[match.group("weekday")]:
                    return False
        for match in self.own_words(self._whole_text(_WEEKDAY_MENTION)):
            if match.start() <= lead_end:
                cues += 1
                if (day.weekday() - WEEKDAYS[_weekday(match)]) % 7 > 1:
                    return False
        return cues > 0

    def _meeting_in(self, start, end, evidence):
        """The one meeting the article names as its occasion that lies within start..end, as a claim; else None."""
        inside = [m for m in self.meeting_mentions(start.year) if start <= m.meeting.start and m.meeting.end <= end]
        if len({m.meeting for m in inside}) != 1:
            return None
        meeting = inside[0].meeting
        return DateClaim(meeting.start, meeting.end, "day", "calendar", f"«{inside[0].evidence}» ({_where(inside[0])}) + {evidence}",
                         CONFIDENCE["calendar_inferred"])

    def relative_in_lead(self, day, dateline_span):
        """'أمس' or 'يوم الثلاثاء' in the dateline's paragraph moves the event off the dateline's day."""
        index = next((i for i, (start, end) in enumerate(self.paragraphs) if start <= dateline_span[0] < end), None)
        lead_end = self.paragraphs[min(index + 1, len(self.paragraphs) - 1)][1] if index is not None else len(self.text)
        offset = dateline_span[1]
        lead = self.text[offset:lead_end]
        weekday_span = next(iter(self.own_words(_WEEKDAY_SPAN.finditer(lead), offset)), None)
        if weekday_span:
            start = day - datetime.timedelta(days=(day.weekday() - WEEKDAYS[weekday_span.group("w1")]) % 7)
            end_weekday = weekday_span.group("w2")
            if start < day and (not end_weekday or WEEKDAYS[end_weekday] == day.weekday()):
                words = self.quote((dateline_span[1] + weekday_span.start(), dateline_span[1] + weekday_span.end()))
                return DateClaim(start, day, "day", "relative", f"«{self.quote(dateline_span)}» + «{words}»",
                                 CONFIDENCE["dateline"] - 0.1)
        # Words in a clause about another happening ("حيث عقدت القمة أمس") leave the dateline's day alone.
        relative = next(iter(self.own_words(_RELATIVE.finditer(lead), offset)), None)
        weekday = next(iter(self.own_words(_WEEKDAY_MENTION.finditer(lead), offset)), None)
        first = min((m for m in (relative, weekday) if m), key=lambda m: m.start(), default=None)
        if first is None:
            return None
        if first is relative:
            target = day + datetime.timedelta(days=_RELATIVE_OFFSET[re.sub(r"\s+", " ", first.group("word"))])
            if first.group("weekday") and target.weekday() != WEEKDAYS[_weekday(first)]:
                return None  # a contradiction: reported by check_relative_against
        else:
            target = day - datetime.timedelta(days=(day.weekday() - WEEKDAYS[_weekday(first)]) % 7)
        if target == day:
            return None
        words = self.quote((dateline_span[1] + first.start(), dateline_span[1] + first.end()))
        evidence = f"«{self.quote(dateline_span)}» + «{words}»"
        return DateClaim(target, target, "day", "relative", evidence, CONFIDENCE["dateline"] - 0.1)

    # --- method 3: reference calendar ----------------------------------------------------
    def meeting_mentions(self, context_year=None):
        """Meetings of the reference calendar that the article reports as its occasion."""
        mentions = []
        lead_end = self._lead_end(1)
        for series in self.knowledge.series:
            meetings = self.knowledge.meetings_of(series.slug)
            matches = self._series_matches[series.slug]
            name_spans = [m.span() for m in matches]
            hosted, contradicted, in_office, arrival, arrived = None, {}, "", None, ""
            for match in matches:
                before = self.text[max(0, match.start() - 40) : match.start()]
                after = self.text[match.end() : match.end() + 40]
                if (_PAST_BEFORE.search(before) or _PAST_AFTER.match(after)) and not self._held_just_now(match):
                    continue  # a meeting held before: background, not the occasion of this report
                in_lead = match.start() < lead_end
                coming = _FUTURE.match(after) or _COMING_BEFORE.search(before)
                if coming and not in_lead:
                    continue  # a later meeting mentioned in passing
                if not (_OCCASION.search(before) or in_lead):
                    continue
                ordinal, ordinal_span = self._ordinal_near(match)
                year_match = _YEAR_NEAR.match(after)
                meeting, exact = None, False
                if ordinal:
                    meeting = next((m for m in meetings if m.ordinal == ordinal), None)
                    exact = meeting is not None
                    if meeting is not None and meeting not in contradicted:
                        contradicted[meeting] = self._host_contradicts(meeting, meetings, name_spans)
                    if meeting is not None and contradicted[meeting]:
                        # "القمة العاشرة" held "في آستانة" while the tenth was in Tashkent: outlets count
                        # differently; the ordinal is not evidence enough.
                        self._warn("meeting_mismatch", f"«{self.quote(ordinal_span)}» ≠ {meeting.city_en} {meeting.start.year}")
                        meeting, exact = None, False
                if meeting is None and year_match:
                    same_year = [m for m in meetings if m.start.year == int(year_match.group("year"))]
                    if len(same_year) == 1:
                        meeting, exact = same_year[0], True
                if meeting is None and _hosts_rotate(meetings):
                    # "قمة الصين وآسيا الوسطى في مدينة شيآن": a host city that held only one meeting of the series.
                    if hosted is None:  # the same for every mention of the series: read once
                        # "في شيان", a dateline "شيان (رويترز) –" or the city in the sentence naming the meeting
                        # say where it was held; "بكين ترغب …" elsewhere is the government, not a host.
                        hosted = [m for m in meetings if self._mentions_city(m, outside=name_spans)
                                  and (self._placed_in(m) or self._city_beside(m, name_spans))]
                        placed = [m for m in hosted if self._placed_in(m)]
                        hosted = placed if len(hosted) > 1 and len(placed) == 1 else hosted
                        if len(hosted) > 1 and not context_year:
                            # "الرئيس القيرغيزي أتامباييف" opening the Bishkek summit: only a meeting held
                            # while he was president (2013, not 2007 or 2019). A year found elsewhere (an
                            # anniversary, the publication) keeps its own, more cautious reading below: the
                            # report may be about a visit around the meeting, so it is dated to the month.
                            hosted = [m for m in hosted if self._in_office_at(m.start)]
                            in_office = self._office_note(hosted[0].start) if len(hosted) == 1 else ""
                    if len(hosted) == 1:
                        meeting, exact = hosted[0], True
                if meeting is None and not context_year and not _hosts_rotate(meetings):
                    # A visit named with no year ("الرئيس الصيني هو جينتاو يصل إلى كازاخستان"), arriving on a
                    # weekday the lead gives: the one visit of the series that began on that weekday while the
                    # office-holders the text names by title held their offices.
                    if arrival is None:
                        arrival = self._arrival_weekday()
                    if arrival and self.titled_office_holders:
                        fitting = [m for m in meetings if m.start.weekday() == arrival[0] and self._in_office_at(m.start)]
                        if len(fitting) == 1:
                            meeting, exact = fitting[0], True
                            arrived = f"arrival «{self.quote(arrival[1])}» = its first day; {self._office_note(meeting.start)}"
                if meeting is None and context_year:
                    same_year = [m for m in meetings if m.start.year == context_year]
                    if len(same_year) == 1:
                        meeting = same_year[0]
                if meeting is None:
                    continue
                start, end = match.span()
                if ordinal_span:  # quote the ordinal with the name: "قمة الصين-آسيا الوسطى الثانية"
                    start, end = min(start, ordinal_span[0]), max(end, ordinal_span[1])
                note = in_office if hosted and meeting is hosted[0] else arrived if arrived else ""
                mentions.append(MeetingMention(meeting, series, self.quote((start, end)), exact, (start, end), note))
        if not any(m.exact for m in mentions):
            # No meeting named as the occasion: a visit may still be told by where and who (_dateline_visit).
            mentions += self._dateline_visit(context_year)
        return mentions

    @cached_property
    def dateline_place(self):
        """(place entity, span) when the report opens on a dateline naming a gazetteer place that lies in a country
        ("الماآتا - أ ف ب -", "بكين، 3 يوليو (كونا) --", "أستانا-سانا"): where the reporter was; else None."""
        lead = self._lead_paragraphs[:1] or self.body_paragraphs[:1]
        if not lead:
            return None
        for start, end in self.body_paragraphs:
            if start > lead[0][0]:
                break
            head = _DATELINE_PLACE.match(self.text, start, end)
            if head:
                # The whole head is the place ("نور سلطان نزارباييف، …" opens on a person, not on Nur-Sultan).
                place = self.knowledge.place_by_name.get(" ".join(head.group("place").split()))
                return (place, head.span("place")) if place else None
        return None

    def _dateline_visit(self, context_year=None):
        """[MeetingMention] of the one visit a report names by where and who, not by a visit word (issue 7).

        The dateline places the report in a city of country X; the lead names, with his title, the president (or
        premier) of another country Y acting with his counterpart ("مع نظيره الكازاخستاني", "الرئيسان", "رئيسا
        البلدين"): the report is of the series "Y's president (premier) visits X". The lead's one weekday must fall
        on a day of exactly one of its meetings while every office-holder the text titles held his office (any day of
        the visit, not only its first as for an arrival), and no summit of the calendar in the dateline's city may fit
        that weekday as well (the Shanghai Five in Almaty on Friday 3 July 1998, the day before Jiang Zemin's visit):
        then that meeting, with what was inferred in its note; else nothing."""
        key = ("dateline-visit", context_year)
        if key in self._inferred_cache:
            return self._inferred_cache[key]
        self._inferred_cache[key] = found = []
        place = self.dateline_place
        if place is None:
            return found
        place, place_span = place
        host = place.country
        lead_end = self._lead_end(1)
        cues = list(_COUNTERPART.finditer(self.text, 0, lead_end))
        if not cues or not self.titled_office_holders:  # (the cheap test first: titles are sought in the whole text)
            return found
        visitors = []  # (entity, role, span, cue) of the leaders the lead has acting with their counterpart
        for cue in cues:
            if self.about_other_happening(cue.start()) or _REMOTE.search(self._sentence_of(cue.start())):
                continue  # "اتصالا هاتفيا مع نظيره": a leader at home on the telephone is on no visit
            nationality = cue.group("nationality")
            if nationality:
                named = self.knowledge.country_by_adjective.get(nationality[2:] if nationality.startswith("ال") else nationality)
                if named and named != host:
                    continue  # "نظيره الصيني" in Almaty: the counterpart is no host there
            for entity, role, span in self._titled_mentions:
                if span[0] >= lead_end or role not in ("president", "premier") or not entity.country or entity.country == host:
                    continue
                if self._acts_with(span, cue, role):
                    visitors.append((entity, role, span, cue))
        if not visitors:
            return found
        weekdays = {weekday: span for weekday, span in self.weekday_mentions()
                    if span[0] <= lead_end and not self.about_other_happening(span[0])}
        if len(weekdays) != 1:
            return found  # no weekday, or two ("وصل الجمعة … والتقى السبت"): which day is the happening's?
        (weekday, weekday_span), = weekdays.items()

        def days_of(meeting):
            if context_year and context_year not in (meeting.start.year, meeting.end.year):
                return []
            days = (meeting.start + datetime.timedelta(days=i) for i in range((meeting.end - meeting.start).days + 1))
            return [day for day in days if day.weekday() == weekday and self._in_office_at(day)]

        candidates, rivals = [], []
        wanted = {(entity.country, role, host) for entity, role, _, _ in visitors}
        for series in self.knowledge.series:
            # Only the visitors' series, and summits (in the dateline's city, on such a day: the visitor may be there
            # for one), are read meeting by meeting.
            fits = visit_direction(series) in wanted
            if not (fits or series.multilateral):
                continue
            for meeting in self.knowledge.meetings_of(series.slug):
                if not fits and not self._in_city(meeting, place):
                    continue
                days = days_of(meeting)
                if days:
                    (candidates if fits else rivals).append((series, meeting, days[0]))
        if len(candidates) != 1 or rivals:
            return found
        series, meeting, day = candidates[0]
        visitor, role, visitor_span, cue = next(v for v in visitors if visit_direction(series)[:2] == (v[0].country, v[1]))
        note = (f"inferred: dateline «{self.quote(place_span)}» ({place.name_en}, {host}); {visitor.country}'s {role} "
                f"«{self.quote(visitor_span)}» with «{self.quote(cue.span())}»; «{self.quote(weekday_span)}» = "
                f"{day.isoformat()}, a day of this visit and of no other; {self._office_note(day)}")
        found.append(MeetingMention(meeting, series, self.quote(visitor_span), True, visitor_span, note))
        return found

    def _sentence_of(self, position):
        """The sentence around `position` (literals.sentence_bounds)."""
        return self.text[slice(*sentence_bounds(self.text, position))]

    def _acts_with(self, span, cue, role):
        """Whether the titled leader at `span` is the one acting with the counterpart `cue` names: "نظيره" after
        him in his sentence, with no other office named before him there or between them ("نقل وزير الخارجية
        رسالة من الرئيس … إلى نظيره" is the minister's act); "الرئيسان" or "رئيسا البلدين" with a president named
        in the lead, "رئيسا وزراء البلدين" with a premier."""
        if cue.group(0).lstrip("وبل").startswith("نظير"):
            if span[1] > cue.start() or not self._same_sentence(span, cue.span()):
                return False
            sentence_start = sentence_bounds(self.text, span[0])[0]
            return not (_OTHER_OFFICE.search(self.text, sentence_start, span[0])
                        or _OTHER_OFFICE.search(self.text, span[1], cue.start()))
        if "زعيم" in cue.group(0):
            return True
        return role == ("premier" if re.search(r"وزرا|حكومتي", cue.group(0)) else "president")

    def _in_city(self, meeting, place):
        """Whether the meeting was held in the gazetteer place (under any of its names: Nur-Sultan is Astana)."""
        return meeting.city_en == place.name_en or self.knowledge.place_by_name.get(normalize(meeting.city_ar)) is place

    @cached_property
    def _inferred_cache(self):
        return {}

    @cached_property
    def _series_matches(self):
        """{series slug: where the text names it}, read once: meeting_mentions is asked for several years."""
        return {series.slug: series.scan.finditer(self.text, self._key_offsets, self._scan_strings)
                for series in self.knowledge.series}

    @cached_property
    def _scan_strings(self):
        """The strings of the series' and anchors' tests that the text holds, found in one pass (Knowledge.scan_strings)."""
        return self.knowledge.scan_strings.found(self.text)

    @cached_property
    def _key_offsets(self):
        """literals.key_starts' memory of where the text holds each series' and anchor's keys (they share many),
        all found in one pass (Knowledge.scan_keys); other keys are added as they are asked for."""
        return self.knowledge.scan_keys.found(self.text)

    @cached_property
    def titled_office_holders(self):
        """[(entity, role)] for every gazetteer person the text names after the title of an office
        ("الرئيس القيرغيزي ألماز بيك أتامباييف", "رئيس الوزراء الصيني لي كه تشيانغ")."""
        return [(entity, role) for entity, role, _span in self._titled_mentions]

    @cached_property
    def _titled_mentions(self):
        """[(entity, role, (start, end))]: titled_office_holders with where the text names each (title and name)."""
        from .entities import gazetteer_spans

        found = []
        for start, _end, entity in gazetteer_spans(self.norm, self.knowledge):
            if entity.kind != "person" or not entity.terms:
                continue
            # The title before the name, or inside the alias that matched ("الرئيس الصيني شي").
            before = self.text[max(0, start - 40) : start]
            named = self.text[start:_end]
            title_in_name = re.match(r"(?:ال)?رييس\s+(?:ال)?\S+\s+", named)
            if title_in_name:
                before += title_in_name.group(0)
            if _FORMER.search(before[-25:]) or _FORMER.match(self.text, _end + 1):
                continue
            for role, pattern in _TITLES:
                title = pattern.search(before)
                if title and _AIDE.search(before, 0, title.start()):
                    break  # "مستشار الرئيس الروسي ديمتري …": the aide, not the president
                if title:
                    if any(term[0] == role for term in entity.terms):
                        title_start = max(0, start - 40) + title.start() if title.start() < min(40, start) else start
                        found.append((entity, role, (title_start, _end)))
                    break
        return found

    def _in_office_at(self, day):
        """Whether every person the text names with an office title held that office on `day`."""
        return all(
            any(role == held and start <= day and (end is None or day <= end) for held, start, end in entity.terms)
            for entity, role in self.titled_office_holders
        )

    def _arrival_weekday(self):
        """(weekday, span) when the headline or the lead's first paragraph says on which weekday the
        visitor arrived ("حط الرئيس … السبت في كازاخستان", "بدأ … اليوم الخميس جولة"), else False."""
        lead_end = self._lead_end(1)
        for match in _ARRIVAL.finditer(self.text, 0, lead_end):
            if not self.about_other_happening(match.start()):
                return WEEKDAYS[match.group("weekday")], match.span("weekday")
        return False

    def _office_note(self, day):
        """'Almazbek Atambayev president 2011-12-01..2017-11-24': the offices that placed a meeting on `day`."""
        notes = []
        for entity, role in self.titled_office_holders:
            for held, start, end in entity.terms:
                if held == role and start <= day and (end is None or day <= end):
                    notes.append(f"{entity.name_en} {role} {start.isoformat()}..{end.isoformat() if end else ''}")
                    break
        return "; ".join(dict.fromkeys(notes))

    def _held_just_now(self, match):
        """'القمة التي عقدت … أمس الأربعاء': held, but yesterday or today — the happening being reported."""
        start = max(self.text.rfind(".", 0, match.start()), self.text.rfind("\n", 0, match.start()), match.start() - 80)
        stop = min((i for i in (self.text.find(".", match.end()), self.text.find("\n", match.end())) if i >= 0),
                   default=len(self.text))
        return bool(_RECENT.search(self.text, start + 1, min(stop, match.end() + 100)))

    def _host_contradicts(self, meeting, meetings, name_spans):
        """Whether a sentence naming the series names another of its host cities and not this meeting's."""
        if self._mentions_city(meeting, outside=name_spans):
            return False
        starts = [start for start, _ in name_spans]
        for other in meetings:
            if other.city_ar == meeting.city_ar:
                continue
            for hit in self._city_hits(other.city_ar, other.city_en):
                j = bisect.bisect_right(starts, hit)
                if j and hit < name_spans[j - 1][1]:
                    continue  # inside the series' own name
                # the nearest mention before and after the city: is either in its sentence?
                near = [name_spans[k] for k in (j - 1, j) if 0 <= k < len(name_spans)]
                if self._in_a_sentence_with(hit, near):
                    return True
        return False

    def _ordinal_near(self, match):
        """(number, span) of an ordinal inside, right after, or just before a meeting's name; (None, None)."""
        inside = _ORDINAL.search(self.text, match.start(), match.end())
        gap = re.match(r"\s*(?:للتعاون\s*)?", self.text[match.end() :])
        after = _ORDINAL.match(self.text, match.end() + gap.end())
        before = None
        for candidate in _ORDINAL.finditer(self.text, max(0, match.start() - 20), match.start()):
            before = candidate
        for candidate in (inside, after, before):
            value = _ordinal_value(candidate) if candidate else None
            if value:
                return value, candidate.span()
        return None, None

    def _own_days(self, meeting):
        """Days the lead gives for the meeting without a year ("يومي 14 و15 يونيو"), if they fit its dates."""
        lead = self.text[: self._lead_end(1)]
        for match in _DAY_MONTH.finditer(lead):
            month = _month(match)
            if month != meeting.start.month:
                continue
            start = _safe_date(meeting.start.year, month, match.group("d1"))
            end = _safe_date(meeting.start.year, month, match.group("d2")) if match.group("d2") else start
            if start and end and abs((start - meeting.start).days) <= 2 and abs((end - meeting.end).days) <= 2:
                return start, end, match.span()
        return None

    def _eve_of(self, meeting, spans):
        """(day, span) when the text reports the eve of the meeting: "عشية … <meeting>", or, in the lead, the
        meeting "غدا" — the day before the meeting's session (the calendar's session day, else its first day)."""
        eve = meeting.main_day - datetime.timedelta(days=1)
        for start, _ in spans:
            match = _EVE_BEFORE.search(self.text, max(0, start - 60), start)
            if match:
                return eve, (match.start(), start)
        lead_end = self._lead_end(2)
        for match in _MEETING_TOMORROW.finditer(self.text, 0, lead_end):
            if not self.about_other_happening(match.start()):
                return eve, match.span()
        return None

    def _mentions_city(self, meeting, outside=()):
        """Whether the text names the meeting's host city, in its own spelling or a gazetteer variant of it.

        A city inside a meeting's name ("قمة منظمة شنغهاي", "مجموعة شنغهاي الخماسية") says nothing of
        where that meeting was held, so the words in the `outside` spans (every mention of the name) are not read.
        """
        hits = self._city_hits(meeting.city_ar, meeting.city_en)
        # `outside` is in text order: one bisect per hit finds the name span that could hold it.
        starts = [start for start, _ in outside]
        for hit in hits:
            i = bisect.bisect_right(starts, hit) - 1
            if i < 0 or hit >= outside[i][1]:
                return True
        return False

    def _placed_in(self, meeting):
        """Whether the text names the meeting's host city as a place: after "في", "إلى", "من", "مدينة",
        "العاصمة" or the prefix ب, or opening a line as a dateline ("شيان (رويترز) –"). A capital also stands
        for its government ("بكين ترغب في …", "أكدت أستانا"), which says nothing of where a meeting was held.
        Read once per city (a meeting may be asked about twice)."""
        city = (meeting.city_ar, meeting.city_en)
        placed = self._placed_cache.get(city)
        if placed is None:
            spellings = self.knowledge.city_spellings(*city)
            placed = self._placed_cache[city] = any(named_as_place(self.text, name) for name in spellings)
        return placed

    @cached_property
    def _placed_cache(self):
        return {}

    def _city_beside(self, meeting, name_spans):
        """Whether the host city is named in a sentence that names the meeting ("تستضيف أستانا قمة …")."""
        hits = self._city_hits(meeting.city_ar, meeting.city_en)
        return any(self._in_a_sentence_with(hit, name_spans) for hit in hits)

    def _in_a_sentence_with(self, position, spans):
        """Whether the text at `position` is in the sentence of one of `spans` (before or after it)."""
        point = (position, position)
        return any(self._same_sentence(span, point) or self._same_sentence(point, span) for span in spans)

    @cached_property
    def _city_hits_cache(self):
        return {}

    def _city_hits(self, city_ar, city_en):
        """Sorted offsets where the city is named (read once per city: every mention of every series asks)."""
        key = (city_ar, city_en)
        if key not in self._city_hits_cache:
            hits = []
            for name in self.knowledge.city_spellings(city_ar, city_en):
                if name not in self.text:
                    continue  # every match holds the name: no scan needed (most cities are not in a given text)
                # "نور سلطان نزارباييف" is a person, not the city of Nur-Sultan.
                persons = self.knowledge.persons_named_after(name)
                # Tried only where the name or a prefixed name begins (literals.scan), not at every character.
                for found in scan(_city_regex(name), self.text, self._key_offsets):
                    if any(self.text.startswith(person, found.start(1)) for person in persons):
                        continue
                    if _IN_A_NAME.search(self.text, max(0, found.start() - 12), found.start()) or \
                            _NAMES_AFTER.match(self.text, found.end()):
                        continue  # "منظمة شانغهاي للتعاون": the organisation's name, not where anything was held
                    hits.append(found.start())
            self._city_hits_cache[key] = sorted(hits)
        return self._city_hits_cache[key]

    def weekday_mentions(self):
        mentions = [(WEEKDAYS[_weekday(m)], m.span()) for m in self._whole_text(_WEEKDAY_MENTION)]
        for pair in self._whole_text(_WEEKDAY_PAIR):  # "يومي الخميس والجمعة" names two days
            mentions += [(WEEKDAYS[pair.group("w1")], pair.span()), (WEEKDAYS[pair.group("w2")], pair.span())]
        return mentions

    def _same_sentence(self, first, second):
        """Whether two spans are in one sentence (no full stop or line break between them)."""
        start, end = min(first[1], second[0]), max(first[1], second[0])
        return not re.search(r"[.\n!?؟]", self.text[start:end])

    def _weekday_near(self, meeting, weekday, span, meeting_evidence, reach=NEAR_MEETING_DAYS):
        """The day the lead's weekday names within `reach` days of the meeting: the nearest, before it on a tie."""
        candidates = [
            (distance, after, day)
            for distance in range(1, reach + 1)
            for after, day in ((False, meeting.start - datetime.timedelta(days=distance)),
                               (True, meeting.end + datetime.timedelta(days=distance)))
            if day.weekday() == weekday
        ]
        if not candidates:
            return None
        distance, after, day = min(candidates)
        side = "after the meeting ended" if after else "before the meeting opened"
        return DateClaim(day, day, "day", "calendar",
                         f"{meeting_evidence} + «{self.quote(span)}»: {distance} day(s) {side}",
                         CONFIDENCE["calendar"] - 0.15)

    def from_calendar(self, context_year=None, context_label=""):
        claim = self._from_calendar(context_year, context_label)
        if claim and self._inferred_meeting:
            # The meeting was picked by office terms or an arrival weekday, not named outright: never shown as sure.
            claim.confidence = min(claim.confidence, CONFIDENCE["calendar_inferred"])
        return claim

    def _from_calendar(self, context_year=None, context_label=""):
        self._inferred_meeting = False
        mentions = self.meeting_mentions(context_year)
        if self.published:
            # A meeting that ended a month or more before publication is a look back ("حدد خلال زيارة … في
            # عام 2013" in a 2017 report), never what the report is about.
            stale = self.published - datetime.timedelta(days=RETROSPECT_DAYS)
            mentions = [m for m in mentions if m.meeting.end >= stale]
        if not mentions:
            return None
        # An identified meeting first; among those, the one the headline and lead name.
        lead_end = self._lead_end(1)
        mentions.sort(key=lambda mention: (not mention.exact, mention.span[0] > lead_end))
        mention = mentions[0]
        meeting = mention.meeting
        where = _where(mention)
        self._inferred_meeting = bool(mention.note)
        if mention.exact:
            # The lead's weekdays, and one said of the meeting in the sentence that names it ("عقدت … أمس الأربعاء").
            spans = [m.span for m in mentions if m.meeting == meeting]
            # (A clause about the meeting, "القمة التي عقدت أمس الأربعاء", is about this happening, not another.)
            # The lead's own weekday speaks first: "وصل الأربعاء … ويشارك في القمة يومي الخميس والجمعة" is Wednesday.
            weekdays = [(weekday, span) for weekday, span in self.weekday_mentions()
                        if span[0] <= self._lead_end(1) and not self.about_other_happening(span[0])]
            weekdays = weekdays or [(weekday, span) for weekday, span in self.weekday_mentions()
                                    if any(self._same_sentence(named, span) for named in spans)]
            eve = self._eve_of(meeting, spans)
            # (a weekday of the lead that names another day wins: the eve is then not what is reported)
            if eve and (not weekdays or any(weekday == eve[0].weekday() for weekday, _ in weekdays)):
                day, span = eve
                return DateClaim(
                    day, day, "day", "calendar",
                    f"«{mention.evidence}» ({where}) + «{self.quote(span)}»: the day before its session "
                    f"{meeting.main_day.isoformat()}",
                    CONFIDENCE["calendar"] - 0.1,
                )
            if self.published and meeting.start <= self.published <= meeting.end and not weekdays:
                # published while the meeting was on: the report is about that day of it
                return DateClaim(self.published, self.published, "day", "calendar",
                                 f"«{mention.evidence}» ({where}) + publication date {self.published.isoformat()}",
                                 CONFIDENCE["calendar"] - 0.05)
            own = self._own_days(meeting)
            if own:
                start, end, span = own
                return DateClaim(start, end, "day", "calendar", f"«{mention.evidence}» + «{self.quote(span)}» ({where})",
                                 CONFIDENCE["calendar"])
            # A weekday further down is about something else ("غدا الجمعة" for another summit): the lead's only.
            days = [meeting.start + datetime.timedelta(days=i) for i in range((meeting.end - meeting.start).days + 1)]
            picked = {}
            for weekday, span in weekdays:
                for day in days:
                    if day.weekday() == weekday:
                        picked.setdefault(day, span)
            if len(picked) == 1:  # "يومي الخميس والجمعة" names the whole meeting: no narrowing
                (day, span), = picked.items()
                return DateClaim(
                    day, day, "day", "calendar", f"«{mention.evidence}» + «{self.quote(span)}» ({where})",
                    CONFIDENCE["calendar"] + 0.05,
                )
            outside = {weekday for weekday, _ in weekdays} - {day.weekday() for day in days}
            if weekdays and not picked:
                # The lead's weekday is not a day of the meeting: a talk on arrival, on the eve, the day after.
                if len(outside) == 1:
                    weekday, span = weekdays[0]
                    near = self._weekday_near(meeting, weekday, span, f"«{mention.evidence}» ({where})")
                    if near:
                        self._beside_meeting = (near, meeting)  # a day outside the meeting, from a weekday
                        return near
                self._warn("weekday_contradiction", f"«{self.quote(weekdays[0][1])}» لا يوافق أيام «{mention.evidence}» ({where})")
                return DateClaim(meeting.start, meeting.end, "day", "calendar", f"«{mention.evidence}» ({where})",
                                 CONFIDENCE["contradicted"], self.warnings)
            return DateClaim(
                meeting.start, meeting.end, "day", "calendar", f"«{mention.evidence}» ({where})", CONFIDENCE["calendar"]
            )
        # The meeting is known only through a year found elsewhere: trust it to the month.
        start, end = month_bounds(meeting.start.year, meeting.start.month)
        if meeting.end.month != meeting.start.month:
            end = month_bounds(meeting.end.year, meeting.end.month)[1]
        evidence = f"«{mention.evidence}» ({where})" + (f" · {context_label}" if context_label else "")
        return DateClaim(start, end, "month", "calendar", evidence, CONFIDENCE["calendar_inferred"])

    # --- method 4: anniversaries ---------------------------------------------------------
    @cached_property
    def anniversaries(self):
        """[(year, evidence, anchor)] for every 'N years since <anchor>' in the text."""
        results = []
        for anchor in self.knowledge.anchors:
            for match in anchor.scan.finditer(self.text, self._key_offsets, self._scan_strings):
                sentence_start = max(self.text.rfind(".", 0, match.start()), self.text.rfind("\n", 0, match.start()))
                window_start = max(sentence_start + 1, match.start() - 140)
                found, span = self._count_of_years(window_start, match)
                if found and found.re in _OCCASION_FORMS and not self.reports_a_happening:
                    # "وتزامنت القمة مع الذكرى الثلاثين": an anniversary named as an occasion dates the happening
                    # that marked it. A piece that reports no happening (an analysis, a press review) is not
                    # that happening; only an elapsed count ("على مدى الأعوام الـ32 الماضية منذ…") measures
                    # from the time the piece itself was written.
                    continue
                if found:
                    n = found.group("n")
                    years = int(n) if n.isdigit() else _NUMBER_WORDS[n]
                    if 0 < years < 100:
                        results.append((anchor.date.year + years, self.quote(span), anchor))
        return results

    def _count_of_years(self, window_start, match):
        """The 'N years' that goes with an anchor's mention, and the span to quote; (None, None)."""
        window = self.text[window_start : match.start()]
        for pattern in _ANNIVERSARY_BEFORE:
            found = pattern.search(window)
            if found:
                return found, (window_start + found.start(), match.end())
        # "الذكرى الـ30 لإقامة العلاقات": the anchor's own match may begin at "ذكرى".
        found = _ANNIVERSARY_WORD.search(self.text[window_start : match.end()])
        if found:
            return found, (window_start + found.start(), match.end())
        # "... منذ إقامة العلاقات الدبلوماسية قبل 31 عاما": the count after the anchor.
        found = _ANNIVERSARY_AFTER.match(self.text[match.end() : match.end() + 80])
        if found:
            return found, (match.start(), match.end() + found.end())
        return None, None

    def from_anniversaries(self, record=True):
        found = self.anniversaries
        if not found:
            return None
        years = [year for year, _, _ in found]
        best = max(set(years), key=years.count)
        agreeing = [f for f in found if f[0] == best]
        confidence = CONFIDENCE["anniversary"] + (0.1 if len(agreeing) > 1 else 0)
        if len(set(years)) > 1 and record:
            confidence -= 0.2
            self._warn("conflicting_anniversaries", "ذكريات سنوية متعارضة: " + ", ".join(str(y) for y in sorted(set(years))))
        evidence = " · ".join(f"«{quote}» ({anchor.name_en} {anchor.date.isoformat()} → {year})" for year, quote, anchor in agreeing)
        return DateClaim(
            datetime.date(best, 1, 1), datetime.date(best, 12, 31), "year", "anniversary", evidence, confidence
        )

    # --- two consecutive days named by the text ---------------------------------------------
    def stated_consecutive_days(self, claim):
        """The claim widened to the two days the lead gives its own happening ("تستقبل كازاخستان اليوم
        الثلاثاء وغدا الأربعاء", "أمس واليوم"), or the claim unchanged.

        "اليوم" is the dateline's day or the publication date when the article has one; otherwise the only
        day whose pair overlaps the claim and fits the weekday names. The text's own words for its happening
        win over a calendar meeting's narrower day list when they overlap it. Weekdays that contradict the
        anchor, a pair in a clause about another happening, or an ambiguous "today" leave the claim alone.
        """
        if claim is None or claim.precision != "day" or claim.warnings:
            return claim
        if claim.confidence <= CONFIDENCE["contradicted"]:
            return claim
        # A claim moved off a meeting by a weekday ("اليوم الثلاثاء" before a Wednesday summit): the pair is
        # weighed against the meeting's own days, and must overlap them.
        near, meeting = self._beside_meeting
        low, high = (meeting.start, meeting.end) if claim is near else (claim.start, claim.end)
        lead_end = self._lead_end(2)
        pairs = [m for m in self.own_words(self._whole_text(_CONSECUTIVE)) if m.start() <= lead_end]
        if len(pairs) != 1:
            return claim  # none, or two pairs that may name different days: no guess
        pair = pairs[0]
        if not (self.reports_a_happening or pair.group("wa") or pair.group("wb")):
            return claim  # "الصين اليوم وغدا" in an analysis: now and later, not two days
        first_offset = _CONSECUTIVE_OFFSET[pair.group("a")]
        if pair.group("b") != ("اليوم" if first_offset == -1 else "غدا") and not (
                first_offset == 0 and pair.group("b") == "الغد"):
            return claim  # "اليوم واليوم", "أمس وغدا": not two consecutive days
        weekdays = [(0, pair.group("wa")), (1, pair.group("wb"))]
        anchor = self._today
        if anchor is not None:
            candidates = [anchor]
        else:
            candidates = [low + datetime.timedelta(days=i) for i in range(-2, (high - low).days + 3)]
        fitting = []
        for today in candidates:
            first = today + datetime.timedelta(days=first_offset)
            second = first + datetime.timedelta(days=1)
            if first > high or second < low:
                continue  # the two days miss the claim: not the same happening
            if any(name and (first + datetime.timedelta(days=i)).weekday() != WEEKDAYS[name] for i, name in weekdays):
                continue  # the weekday names contradict this "today"
            fitting.append((first, second))
        if len(fitting) != 1:
            return claim
        first, second = fitting[0]
        if (first, second) == (claim.start, claim.end):
            return claim
        today = f" (today = {self._today.isoformat()})" if anchor is not None else ""
        evidence = f"{claim.evidence} + «{self.quote(pair.span())}»{today}: {first.isoformat()}..{second.isoformat()}"
        return DateClaim(first, second, "day", claim.method, evidence, claim.confidence, claim.warnings)

    # --- the decision ----------------------------------------------------------------------
    def find(self):
        self._today = self.published  # what "اليوم" counts from: the dateline's day replaces it when there is one
        self._beside_meeting = (None, None)
        return self.stated_consecutive_days(self._find())

    def _find(self):
        relative_words = self.relative_words()
        for locate, method in ((self.dateline, "dateline"), (self.explicit_in_lead, "explicit")):
            located = locate()
            if located and method == "explicit" and (self._looks_back(located[0]) or self._in_an_analysis(located[0])):
                located = None
            if located:
                found, span = located
                confidence = CONFIDENCE[method] - (0.1 if found.year_supplied else 0)
                if found.conflict:
                    confidence = min(confidence, 0.5)
                    self._warn("hijri_mismatch", f"التاريخان الهجري والميلادي لا يتفقان: {found.conflict}")
                problems = []
                if found.precision == "day":
                    problems = self.check_relative_against(found.start, relative_words)
                    problems += self.check_attached_weekday(found, span if method == "dateline" else found.span)
                if problems:
                    confidence = 0.45
                    for problem in problems:
                        self._warn("weekday_contradiction", problem)
                if self.published and found.start > self.published:
                    confidence = min(confidence, 0.5)
                    self._warn(
                        "stamp_before_event", f"تاريخ النشر {self.published.isoformat()} يسبق تاريخ الحدث {found.start.isoformat()}"
                    )
                if method == "dateline" and found.start == found.end:
                    self._today = found.start
                    shifted = self.relative_in_lead(found.start, span)
                    if shifted:
                        shifted.confidence = min(shifted.confidence, confidence)
                        shifted.warnings = self.warnings
                        return shifted
                evidence = f"«{self.quote(span)}»"
                if found.year_supplied:
                    evidence += f" (year {found.start.year} from the rest of the text or the publication date)"
                if self.warnings:
                    confidence = min(confidence, 0.55)
                return DateClaim(found.start, found.end, found.precision, method, evidence, confidence, self.warnings)
        during = _DURING_YEAR.search(self.text[: self._lead_end(2)])
        if self.published:
            claim = self.relative_to(self.published, PUBLICATION_LABEL)
            if claim:
                claim.warnings = self.warnings
                return claim
        anniversary = self.from_anniversaries()
        context_year = anniversary.start.year if anniversary else (self.published.year if self.published else None)
        # The year that picks the meeting is explained by the anniversary's own evidence, or the publication date.
        context_label = anniversary.evidence if anniversary else (f"publication year {self.published.year}" if self.published else "")
        claim = self.from_calendar(context_year, context_label)
        if claim and anniversary and claim.precision == "month":
            claim.confidence += 0.05
        if claim is None and anniversary is None and during:
            year = int(during.group("year"))
            claim = DateClaim(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year", "explicit",
                              f"«{self.quote(during.span())}»", CONFIDENCE["publication"])
        claim = claim or anniversary
        if claim:
            claim.warnings = self.warnings
            return claim
        if self.published_month and self.reports_a_happening:
            claim = self.within_published_month()
            if claim:
                claim.warnings = self.warnings
                return claim
        if self.published and self.reports_a_happening:
            return DateClaim(
                self.published,
                self.published,
                "day",
                "publication",
                self.anchor_words(self.published, PUBLICATION_LABEL),
                CONFIDENCE["publication"],
                self.warnings,
            )
        return None


def offset_after(match):
    """Days after publication a relative word points to ("غدا": 1), 0 for the others."""
    word = match.groupdict().get("word")
    return max(0, _RELATIVE_OFFSET[re.sub(r"\s+", " ", word)]) if word else 0


def _hosts_rotate(meetings):
    """Whether the series moves from host to host, so that a city can tell its meetings apart.

    Visits go to the same capital again and again (and no list of them is ever complete), so a city
    names none of them; a summit that rotates among members is told apart by its host.
    """
    if len(meetings) < 2:
        return False
    busiest = max(Counter(m.city_en for m in meetings).values())
    return busiest * 3 <= len(meetings)


def visit_direction(series):
    """(visitor's country, role, host country) of a visit series, countries as the gazetteer writes them
    (("china", "president", "kazakhstan") for China's president visiting Kazakhstan); None for others. Read from the
    series' own fields, not its names: an editor may reword those."""
    direction = (series.visitor_country, series.visitor_office, series.host_country)
    return None if series.multilateral or not all(direction) else direction


def _where(mention):
    """'SCO Heads of State Council, Astana, 2024-07-03..2024-07-04': the meeting, for evidence strings."""
    meeting = mention.meeting
    where = f"{mention.series.name_en}, {meeting.city_en}, {meeting.start.isoformat()}..{meeting.end.isoformat()}"
    return f"{where}; {mention.note}" if mention.note else where


def _weekday(match):
    return match.group("weekday") or match.group("bare")


def _ordinal_value(match):
    if match.group("digits"):
        return int(match.group("digits"))
    if match.group("first"):
        return 1
    unit = _ORDINALS[match.group("unit")]
    tens = match.group("tens")
    if tens:
        return unit + _TENS[tens]
    if match.group("unit") in ("الحادي", "الحاديه"):
        return None  # "الحادي" alone is not an ordinal
    return unit


def find_event_date(text, knowledge, published=None):
    """The article's event date as a DateClaim, or None when the text gives no evidence."""
    return DateFinder(text, knowledge, published).find()


def parse_stamp(stamp):
    """A publication stamp such as '2022-06-08 09:37:57' as a date, or None."""
    found = explicit_dates(normalize(stamp))
    return found[0].start if found and found[0].precision == "day" else None
