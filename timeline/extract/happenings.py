"""What an article reports, reduced to keys the event matcher compares.

Two reports of the same happening rarely share a title, but they share its
shape: a visit by the same leader, the same meeting of the calendar, talks
between the same ministers. These keys are that shape.
"""

import re

from .arabic import NormalizedText, normalize
from .dates import MONTH_BY_NAME, WEEKDAYS
from .literals import Gated

_COUNTRY_WORDS = {
    "china": r"الصين(?:ي|يه)?|شي جين بين[غج]|الرييس شي|لي تشيانغ|وانغ يي|تشين قانغ",
    "kazakhstan": r"(?:ال)?(?:كازاخ|قازاق)(?:ستان)?(?:ي|يه)?|توكاييف|توقاييف|نزارباييف|نزاباييف|تليوبيردي",
    "uzbekistan": r"(?:ال)?اوزبك(?:ستان)?(?:ي|يه)?|ميرضيايف|ميرزيوييف",
    "kyrgyzstan": r"(?:ال)?(?:قرغيز|قيرغيز)(?:ستان)?(?:ي|يه)?|جاباروف",
    "tajikistan": r"(?:ال)?طاجيك(?:ستان)?(?:ي|يه)?|رحمان",
    "turkmenistan": r"(?:ال)?تركمان(?:ستان)?(?:ي|يه)?|بردي محمدوف|محمدوف",
}
_ROLE = {
    "president": r"(?:ال)?رييس(?!\s+(?:الوزراء|وزراء|مجلس|الحكومه))",
    "premier": r"(?:ال)?رييس\s+(?:الوزراء|وزراء|مجلس الدوله|الحكومه)",
    "foreign-minister": r"(?:ال)?وزير\s+(?:ال)?خارجيه|(?:ال)?وزير الشوون الخارجيه|وزيرا الخارجيه",
}
# A head that names no president or minister, or no visit, is let go without a scan (literals.Gated).
_ROLE_AS_WORD = {role: Gated(re.compile(r"(?<![\w])(?:لل|ل)?(?:" + pattern + ")")) for role, pattern in _ROLE.items()}
_ROLE_IN_WINDOW = {
    role: Gated(re.compile(r"^(?:\s*\S+){0,4}?\s*(?:ب?ها\s+)?(?:لل|ل)?(?:" + pattern + ")")) for role, pattern in _ROLE.items()
}
_VISIT = Gated(re.compile(r"(?<![\w])(?:ل|و|ب)?(?:ال)?زيار[هت]\S*"))
_KINDS = {
    # A leader's tour abroad is a string of visits: "جولة خارجية", "جولة في آسيا الوسطى تقوده إلى قازاقستان".
    "visit": r"زيار[هت]|(?:وصل|يصل|وصلت|تصل)\s+(?:ال)?(?:رييس|وزير)"
             r"|جول[هت]\s+(?:خارجي|اسيوي|اقليمي|اوروبي|افريقي)\S*|جول[هت][^.\n]{0,40}?(?:تقوده|تقودها|تشمل)(?![\w])",
    "summit": r"(?:ال|لل)?قمه",
    "talks": r"محادثات|مباحثات|يجريان|اجتماع|لقاء|يلتقي|التقي|نظيره|نظيرها|نظيريه",
    "signing": r"توقيع|وقع\S*|معاهده|اتفاقي\S*",
    "statement": r"بيان مشترك|البيان المشترك",
}

# Compiled once, and let go where the head lacks their words ("قمه", "توقيع"...): literals.Gated.
_KIND_REGEXES = {kind: Gated(re.compile(pattern)) for kind, pattern in _KINDS.items()}

_ARRIVAL = re.compile(r"^[^.\n]{0,80}?(?:زيار[هت]|يزور|زار|وصل|يصل|تصل|وصلت)(?![\w])")


def visit_key(text):
    """'visit:<country>:<role>' for 'زيارة (دولة) للرئيس الصيني …' or 'وصل الرئيس الصيني … في زيارة', else None."""
    for role, role_regex in _ROLE_AS_WORD.items():
        for role_match in role_regex.finditer(text):
            after = text[role_match.end() : role_match.end() + 30]
            before = text[max(0, role_match.start() - 25) : role_match.start()]
            # the role is the subject of an arrival or a visit: "وصل الرئيس الصيني …", "الرئيس الصيني يصل …"
            if not (_ARRIVAL.match(text[role_match.end() :]) or re.search(r"(?:وصل|يصل|يزور|زار)\s*$", before)):
                continue
            for country, country_pattern in _COUNTRY_WORDS.items():
                if re.match(r"\s*(?:" + country_pattern + ")", after):
                    return f"visit:{country}:{role}"
    return _visit_noun_key(text)


def _visit_noun_key(text):
    for match in _VISIT.finditer(text):
        window = text[match.end() : match.end() + 60]
        for role, role_regex in _ROLE_IN_WINDOW.items():
            role_match = role_regex.search(window)
            if not role_match:
                continue
            after = window[role_match.end() : role_match.end() + 30]
            for country, country_pattern in _COUNTRY_WORDS.items():
                if re.match(r"\s*(?:" + country_pattern + ")", after):
                    return f"visit:{country}:{role}"
    return None


_UPCOMING_VISIT = re.compile(r"زيار[هت][^.\n]{0,60}?(?:المقبله|القادمه|المرتقبه)(?![\w])")


def happening_signature(title, lead, body="", meeting_keys=(), ignore_words=frozenset()):
    """The keys of what the article reports: its kinds, a visit key and calendar meetings."""
    head = normalize(title + "\n" + lead)
    kinds = sorted(kind for kind, regex in _KIND_REGEXES.items() if regex.search(head))
    signature = {"kinds": kinds, "meetings": sorted(set(meeting_keys))}
    visit = visit_key(head)
    if not visit:
        # A preview names the visit it announces anywhere in the text: "زيارة الرئيس شي المقبلة". Its match lies
        # within a line, and the body's NormalizedText (made for the names and dates already) holds the characters
        # normalize() keeps, spaced the same but where a line begins or the text ends: the same matches, without
        # a second pass over the body (a test compares them).
        for match in _UPCOMING_VISIT.finditer(NormalizedText.of(body).text):
            visit = visit_key(match.group(0))
            if visit:
                signature["preview"] = True
                break
    if visit:
        signature["visit"] = visit
    signature["words"] = sorted(content_words(head) - ignore_words)[:80]
    return signature


_STOP = set(
    normalize(w)
    for w in (
        "في من إلى على عن مع أن إن كان كانت التي الذي الذين هذا هذه ذلك تلك بين خلال حول قال قالت وقال وقالت "
        "أيضا كما وذلك حيث بعد قبل عند منذ حتى ما لا لم لن قد هو هي هم بها به لها له عليها اليوم أمس"
    ).split()
)


_CALENDAR_WORDS = {w for name in (*MONTH_BY_NAME, *WEEKDAYS) for w in name.split()}


_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3,}")
_LEADING_ARTICLE = re.compile(r"^(?:وال|بال|فال|لل|ال|و)")


def content_words(text):
    """Distinctive words: no stop words, no month or weekday names (they say when, not what)."""
    calendar_words = _CALENDAR_WORDS
    words = set()
    for word in _ARABIC_WORD.findall(normalize(text)):
        if word in calendar_words:
            continue
        word = _LEADING_ARTICLE.sub("", word)
        if len(word) >= 3 and word not in _STOP and word not in calendar_words:
            words.add(word)
    return words
