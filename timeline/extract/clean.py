"""Turn a pasted or collected article into title, outlet, metadata and clean paragraphs."""

import re
from dataclasses import dataclass, field
from re import _parser

from .arabic import _DROPPED, NormalizedText, normalize
from .literals import Gated

# Lines that web pages leave behind: never part of an article.
_DEBRIS = re.compile(
    r"^(?:exit mobile version|skip to (?:main )?content|share this(?: article)?:?|share|print|tweet|"
    r"facebook|twitter|whatsapp|telegram|linkedin|email|copy link|read more|advertisement|"
    r"شارك(?:ها)?|مشاركة|طباعة|اطبع|انسخ الرابط|نسخ الرابط|إعلان|اعلان|تابعونا(?: على)?.*|"
    r"شارك هذا الخبر|شارك المقال|أرسل لصديق|حجم الخط|A\+?|A-|"
    r"(?:نستخدم|يستخدم هذا الموقع) (?:ملفات )?(?:تعريف الارتباط|الكوكيز|cookies).*|"
    r"we use cookies.*|accept(?: all)? cookies|أوافق|موافق)$",
    re.IGNORECASE,
)
# Asked of every line, the caption, stamp and source patterns are let go where the line lacks their words
# (literals.Gated: nine lines in ten).
_CAPTION = Gated(re.compile(
    r"^[^.()\n]{3,80}\((?:إ\.?ب\.?أ|أ\.?ف\.?ب|أ ف ب|رويترز|أ\.?ب|أسوشيتد برس|EPA|AFP|Reuters|AP|Getty(?: Images)?|غيتي)\)\s*$"
))
# Site navigation that pages leave above or below an article.
_NAVIGATION = re.compile(
    r"^(?:الصفحه الرييسيه|الرييسيه|الاخبار الاخيره|اخر الاخبار|اخبار ساخنه|اخبار بصور|ملفات خاصه|الاكثر قراءه|"
    r"مواضيع ذات صله|اخبار ذات صله|discussion about this post|related posts?|tags?:?|الوسوم:?|كلمات مفتاحيه:?)$",
    re.IGNORECASE,
)
# A newspaper's masthead credits ("رئيس مجلس الإدارة" / "هبة صادق", "رئيس التحرير: …") above the article:
# staff lines, not a headline. The name may follow on the next line.
_MASTHEAD = re.compile(
    r"^(?:رئيس مجلس الإدارة|رئيس مجلس الادارة|رئيس التحرير|نائب رئيس التحرير|مدير التحرير|رئيس التحرير التنفيذي|"
    r"المدير العام|مدير عام|رئيس حزب \S+)(?P<name>\s*[:：]\s*.{2,40})?$"
)
# "اقرأ أيضا" starts a block of links to other articles: drop it and the short lines under it.
_READ_ALSO = re.compile(r"^(?:اقرأ|إقرأ|اقرا) (?:أيضا|أيضاً|أيضًا|ايضا|المزيد)\s*[:：]?", re.IGNORECASE)

_STAMP = Gated(re.compile(
    r"(?:الوقت|التاريخ|تاريخ النشر|نشر في|نُشر في|نشر بتاريخ|آخر تحديث|تاريخ)\s*[:：]?\s*"
    r"(?P<stamp>[0-9٠-٩]{4}[-/][0-9٠-٩]{1,2}[-/][0-9٠-٩]{1,2}(?:[ T][0-9٠-٩]{1,2}:[0-9٠-٩]{2}(?::[0-9٠-٩]{2})?)?)"
))
_SOURCE = Gated(re.compile(r"المصدر\s*[:：]\s*(?P<source>[^\n]{2,60}?)\s*$"))
_EDITOR = re.compile(r"^(?:تحرير|المحرر|إعداد|اعداد|بقلم|كتب|كتبت)\s*[:：]\s*(?P<editor>.{2,80})$")
# "أستانا-الوحدة:", "أستانا - (الأناضول)": a place and an outlet, the article's dateline without a date.
_PLACE_OUTLET = re.compile(
    r"^(?P<place>[^\s:\-–—()]+(?: [^\s:\-–—()]+)?)\s*[-–—]\s*"
    r"(?:\((?P<paren>[^()]{2,40})\)\s*[-–—:：]?|(?P<outlet>[^:\-–—()]{2,40}?)\s*[:：])\s*$"
)
_WEEKDAY_WORDS = {"الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد", "يوم"}
# Words that stand where a dateline's outlet does ("بكين - الثلاثاء:") but say when, not who (normalised).
_WHEN_WORDS = _WEEKDAY_WORDS | {
    "اليوم", "امس", "اول", "غدا", "بعد", "غد", "صباح", "مساء", "ظهر", "ليل", "ليله", "الليله", "فجر", "امسيه",
    "الماضي", "الماضيه", "المقبل", "المقبله", "الجاري", "الحالي", "عام", "العام", "سنه", "شهر", "الشهر", "الاسبوع",
    "اسبوع", "عاجل", "الان", "منذ", "في", "من",
}


def could_name_outlet(name, knowledge=None):
    """False for a weekday, a month, a date or relative word, a number or a gazetteer place: never an outlet."""
    from .dates import _HIJRI_MONTHS, MONTH_BY_NAME, WEEKDAYS

    text = normalize(name).strip(" -–—:()،,.")
    places = knowledge.non_outlet_words if knowledge is not None else frozenset()
    if not text or text in MONTH_BY_NAME or text in _HIJRI_MONTHS or text in places:
        return False
    # "الأفق 24" and "كازاخستان اليوم" are sites; "5 يونيو", "2024", "الثلاثاء", "رمضان" and "بكين الجمعة" are not.
    dated = [w for w in text.split()
             if w in WEEKDAYS or w in MONTH_BY_NAME or w in _HIJRI_MONTHS or re.fullmatch(r"[\d/.\-]+", w)]
    words = [w for w in text.split() if w not in _WHEN_WORDS and w not in dated]
    return bool(words) and not (dated and " ".join(words) in places)


# "جفرا نيوز -", "هرمز نيوز : وكالات": a site name on a line of its own.
_OUTLET_LINE = re.compile(r"^(?P<outlet>[^\n:\-–—]{2,40}?)\s*(?:[-–—:：]\s*(?P<via>[^\n:\-–—]{0,30}?))?\s*$")


@dataclass
class CleanText:
    title: str = ""
    title_generated: bool = False
    paragraphs: list = field(default_factory=list)
    outlet_names: list = field(default_factory=list)  # candidate outlet names, strongest first
    outlet_hints: list = field(default_factory=list)  # names in a dateline: an outlet only if known
    # A dateline alone on its line above the lead ("أستانا-الوحدة:", "بكين - (شينخوا)"), taken out of the
    # paragraphs: the date finder reads it at the head of the lead, where a dateline usually stands.
    dateline: str = ""
    published_stamp: str = ""
    editor: str = ""
    removed: list = field(default_factory=list)

    @property
    def body(self):
        return "\n\n".join(self.paragraphs)

    @property
    def lead_index(self):
        """Which paragraph is the lead: the first that says something. A byline ("بقلم أندرو هايلي"), an
        editor's note in brackets ("(يضيف تعليقات … في الفقرات من 7 إلى 9)") or a few words of page debris
        are not; when no paragraph says more, the first is the lead."""
        for index, paragraph in enumerate(self.paragraphs):
            text = paragraph.strip()
            if len(text.split()) >= 6 and not (text[:1] in "([" and text[-1:] in ")]"):
                return index
        return 0

    @property
    def lead(self):
        return self.paragraphs[self.lead_index] if self.paragraphs else ""

    @property
    def through_lead(self):
        """The body from its start to the end of the lead paragraph."""
        return "\n\n".join(self.paragraphs[: self.lead_index + 1])


def _is_menu_word(line, kept):
    """Near the top, a line of one or two words with no Arabic letter is a menu item (English, Русский, TT…)."""
    near_top = len(kept) < 4 and not any(len(k.split()) > 25 for k in kept)
    return near_top and len(line.split()) <= 2 and not re.search("[\u0600-\u06ff]", line) and not re.search(r"\d", line)


def _is_headline(line):
    words = line.split()
    return 0 < len(words) <= 22 and len(line) <= 220 and not re.search(r"[^.]\.$", line)


def _looks_like_outlet_line(line, knowledge):
    """A short line that names the publishing site: a known outlet, or 'X نيوز -'."""
    match = _OUTLET_LINE.match(line)
    if not match or len(line.split()) > 6:
        return None
    name = match.group("outlet").strip()
    separator = line[len(match.group("outlet")) :].strip()
    if knowledge is not None and knowledge.find_outlet(name):
        return name
    # An unknown name counts only with the marks a site-name line carries.
    site_mark = re.search(r"(?:نيوز|news|نت|اليوم|بوست|تايمز|تي ?في|tv|الإخبارية|الاخباري|24)$", name, re.I)
    if separator and site_mark and could_name_outlet(name, knowledge):
        return name
    return None


#: The plain form of the blanks made one space: every run of spaces and tabs.
_BLANKS_PLAIN = r"[ \t]+"
# The same text after the substitution, matching only what changes (a run of two or more, or a tab) and written
# to begin with a blank so that the engine skips to the next one in C; a lone space was most of the matches and
# was replaced by itself (a test compares the two).
_BLANKS = re.compile(r"[ \t](?:[ \t]+|(?<=\t))")
#: Most characters a _NAVIGATION match can have.
_NAVIGATION_CHARS = _parser.parse(_NAVIGATION.pattern, _NAVIGATION.flags).getwidth()[1]
#: More characters than that which normalize() keeps (neither a space nor a dropped mark): it folds one character
#: into one, drops the marks and narrows spaces, so such a line stays longer than any _NAVIGATION match.
_TOO_LONG_FOR_NAVIGATION = re.compile(
    r"(?:[\s" + _DROPPED.pattern[1:-1] + r"]*[^\s" + _DROPPED.pattern[1:-1] + r"]){%d}" % (_NAVIGATION_CHARS + 1)
)


def _is_navigation(line):
    """_NAVIGATION.match(normalize(line)), without normalising a paragraph that is longer than every menu line."""
    return not _TOO_LONG_FOR_NAVIGATION.match(line) and bool(_NAVIGATION.match(normalize(line)))



def clean_article(raw, knowledge=None):
    """Split raw article text into title, metadata and paragraphs."""
    result = CleanText()
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\u00a0", " ")
    lines = [line.strip() for line in _BLANKS.sub(" ", text).split("\n")]  # a run of blanks never crosses a line

    kept = []
    seen = set()  # the kept lines again, for a lookup that does not grow with the article
    in_read_also = False
    credit_name = False  # the line after a bare masthead credit is the person's name
    for line in lines:
        if not line:
            in_read_also = False
            continue
        if len(kept) < 6 and _MASTHEAD.match(line):
            result.removed.append(line)
            credit_name = not _MASTHEAD.match(line).group("name")
            continue
        if credit_name:  # the name under a bare masthead credit, read only there (not on every line)
            name = re.sub(r"^(?:د|أ|م)\.\s*", "", line)
            if len(name.split()) <= 4 and not re.search(r"[.،,:؛]\s*\S", name.rstrip(".")):
                result.removed.append(line)
                credit_name = False
                continue
        credit_name = False
        if _READ_ALSO.match(line):
            result.removed.append(line)
            in_read_also = True
            continue
        if in_read_also and len(line.split()) <= 15:
            result.removed.append(line)
            continue
        in_read_also = False
        if _DEBRIS.match(line) or _is_navigation(line) or ">>" in line or _is_menu_word(line, kept):
            result.removed.append(line)
            continue
        if _CAPTION.match(line):  # "الرئيس الصيني شي جينبينغ (إ.ب.أ)": a photo and its credit
            result.removed.append(line)
            continue
        if line in seen:  # a repeated headline or photo caption
            result.removed.append(line)
            continue
        kept.append(line)
        seen.add(line)

    paragraphs = []
    headline_lines = []
    seen_body = False
    for position, line in enumerate(kept):
        stamp = _STAMP.search(line)
        source = _SOURCE.search(line)
        if stamp or (source and len(line) < 120):
            if stamp and not result.published_stamp:
                result.published_stamp = stamp.group("stamp")
            if source:
                result.outlet_names.insert(0, source.group("source").strip())
            rest = _SOURCE.sub("", _STAMP.sub("", line)).strip(" :-")
            if not rest:
                continue
            line = rest
        editor = _EDITOR.match(line)
        if editor and (position >= len(kept) - 2 or not seen_body) and len(line) < 100:
            result.editor = editor.group("editor").strip()
            continue
        place_outlet = _PLACE_OUTLET.match(line)
        if place_outlet and not seen_body:
            name = (place_outlet.group("outlet") or place_outlet.group("paren")).strip()
            # "بكين - الثلاثاء:" is a dateline with a weekday, not an outlet: the date finder reads the weekday too.
            if (knowledge is not None and knowledge.find_outlet(name)) or could_name_outlet(name, knowledge):
                result.outlet_names.insert(0, name)
            result.dateline = result.dateline or line
            continue
        if not seen_body and _date_line(line, result):
            continue
        if not seen_body and not paragraphs:
            outlet = _looks_like_outlet_line(line, knowledge)
            if outlet:
                result.outlet_names.insert(0, outlet)
                continue
        if not seen_body and _is_headline(line) and len(headline_lines) < 2:
            # A second headline line must follow closely and the first must not look finished.
            if not headline_lines or (_continues(headline_lines[-1]) and len(line.split()) <= 14):
                headline_lines.append(line)
                continue
        seen_body = True
        paragraphs.append(line)

    if len(headline_lines) == 2 and not paragraphs:
        paragraphs.append(headline_lines.pop())
    if headline_lines and not paragraphs and len(headline_lines) == 1:
        paragraphs = headline_lines[:]
        headline_lines = []
    result.paragraphs = paragraphs
    if headline_lines:
        result.title = fit_title(" ".join(headline_lines))
    elif paragraphs:
        result.title = fit_title(generated_title(paragraphs[0]))
        result.title_generated = True
    # The outlet named in a dateline, "(شينخوا)", comes after any site-name line.
    for paragraph in paragraphs[:2]:
        agency = re.search(r"^[^()\n]{0,80}?\(\(?([^()]{2,30})\)\)?", paragraph)
        if agency and re.search(r"\d", paragraph[: agency.start(1)]):
            result.outlet_names.append(agency.group(1).strip())
            break
    # "القاهرة - (رويترز) -", "واس -", "الرياض - واس": names in a dateline, trusted only when the outlet is known.
    for paragraph in paragraphs[:2]:
        head = paragraph[:90]
        result.outlet_hints += [m.group(1).strip() for m in re.finditer(r"\(\(?([^()]{2,30})\)\)?", head)]
        result.outlet_hints += [m.group(1).strip() for m in re.finditer(r"/([^/\d]{2,25})/", head)]
        segments = re.split(r"\s[-–—]+\s?|\s?[-–—]+\s|[:：]", head)
        result.outlet_hints += [seg.strip(" ،,()") for seg in segments[:3] if 0 < len(seg.split()) <= 4]
    return result


def _date_line(line, result):
    """A line that is only a date ('الثلاثاء 2 يوليو 2024'), maybe with place and outlet: publication metadata."""
    from .dates import explicit_dates, may_name_a_day

    normalized = normalize(line)
    if not may_name_a_day(normalized):
        return False
    dates = [d for d in explicit_dates(normalized) if d.precision == "day"]
    if not dates:
        return False
    first = dates[0]
    rest = (normalized[: first.span[0]] + " " + normalized[first.span[1] :]).replace("/", " ")
    rest = re.sub(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|حجم الخط|اطبع|طباعه|شارك", " ", rest)  # a time, page furniture
    words = [w for w in re.split(r"[\s\-–—|،,:().]+", rest) if w and w not in _WEEKDAY_WORDS]
    if len(words) > 3:
        return False
    if not result.published_stamp:
        result.published_stamp = normalized[first.span[0] : first.span[1]]
    if words:  # "الكويت - القبس / السبت 6 يوليو 2024": the outlet is among these words
        result.outlet_hints[:0] = [" ".join(words[i:]) for i in range(len(words))] + words
    return True


def _continues(line):
    """A headline line that announces more: '..', '…', ':' or no final mark at all."""
    return bool(re.search(r"(?:\.\.|…|:|،|-)\s*$", line)) or not re.search(r"[.!?؟»\"”]$", line)


_DATED_HEAD = re.compile(r"^[^\n]{0,40}?\b(?:19|20)\d\d\s*[/\-–—:]+\s*")
_DATELINE_HEAD = re.compile(r"^[^()\n]{0,60}?(?:\(\(?[^()]{2,30}\)?\)|/[^/]{2,20}/)\s*[-–—:]*\s*")


def generated_title(paragraph, max_words=14):
    """A title made from the first words of the lead, for articles that have none (dateline left out)."""
    head = _DATELINE_HEAD.match(paragraph) or _DATED_HEAD.match(paragraph)
    if head and re.search(r"\d|[-–—]", head.group(0)):
        paragraph = paragraph[head.end() :] or paragraph
    sentence = re.split(r"(?<=[.!?؟])\s", paragraph, maxsplit=1)[0].strip()
    clause = re.split(r"[،,]\s", sentence, maxsplit=1)[0]
    if 6 <= len(clause.split()) <= max_words:
        return clause
    words = sentence.split()
    if len(words) > max_words:
        return " ".join(words[:max_words]) + "…"
    return sentence.rstrip(".")


#: Mirrors the length of timeline.models.Article.title and Event.title.
TITLE_MAX_CHARS = 500


def fit_title(title, limit=TITLE_MAX_CHARS):
    """The title, or as many of its first words as fit in `limit` characters with "…" (a word longer
    than the limit is cut inside it: the title must still fit the column)."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut.rstrip(" ،,.:-–—") + "…"


def looks_like_text(raw):
    """False for text that is mostly control characters or has no letters: binary data read as text."""
    if not raw.strip():
        return False
    sample = raw[:20000]
    # One str.count per control character, each a scan in C (a deleting translate looks every character of an
    # Arabic text up in a table: ~0.2 ms for an article).
    control = sum(map(sample.count, _CONTROL_CHARS))
    return control / len(sample) < 0.01 and any(ch.isalpha() for ch in sample)


#: The control characters looks_like_text counts (all below 32 but tab and the line breaks).
_CONTROL_CHARS = tuple(chr(code) for code in range(32) if chr(code) not in "\n\r\t")


def normalized_hash_source(cleaned):
    """The text whose hash identifies an article: title and body, normalised, without spacing differences.

    normalize() and NormalizedText differ only in spacing (where a space is kept at a line's start or the text's
    ends), which is taken out here: the NormalizedText of the same title and body, made once for the dates and
    topics of the article (NormalizedText.joined remembers it), gives the same characters without a second pass."""
    return NormalizedText.joined(cleaned.title, cleaned.body).text.replace(" ", "").replace("\n", "")


_HTML_HINT = re.compile(r"<(?:p|div|br|span|h[1-6]|article|section|html|body|a|li|strong|em|script|style)\b[^>]*>", re.I)


def looks_like_html(text):
    return len(_HTML_HINT.findall(text[:50000])) >= 2


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "tr", "blockquote"}
_SKIPPED_TAGS = {"script", "style", "noscript", "nav", "footer", "form", "button", "iframe", "svg", "header", "aside"}


def html_to_text(markup):
    """Paragraph text from HTML: block elements become line breaks; scripts, styles and forms are dropped.

    lxml's parser (C, linear) rather than html.parser, which rescans to the end of the page at every
    unclosed "<" (100 KB of "<script <!--" took 9 s); the walk is iterative, so deep nesting is no risk.
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.LxmlError, ValueError):  # an empty document, or no element at all
        return ""
    parts, skip = [], 0
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = element.tag.lower() if isinstance(element.tag, str) else None  # None: a comment or instruction
        if event in ("comment", "pi"):
            parts.append("" if skip else element.tail or "")
            continue
        if event == "start":
            if tag in _SKIPPED_TAGS:
                skip += 1
            elif not skip and tag is not None:
                parts.append("\n\n" if tag in _BLOCK_TAGS else "")
                parts.append(element.text or "")
            continue
        if tag in _SKIPPED_TAGS:
            skip -= 1
        elif not skip and tag in _BLOCK_TAGS:
            parts.append("\n\n")
        if not skip and element is not root:
            parts.append(element.tail or "")
    text = "".join(parts)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()
