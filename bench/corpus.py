"""A synthetic but realistic corpus of China–Kazakhstan news, for the scale benchmark (bench/scale.py).

Articles are composed from a bank of Arabic sentences: the real sentences of the test corpus
(tests/corpus/) and news sentences written from templates whose slots take gazetteer names
(timeline/fixtures/reference/entities.json). Each sentence of the bank is analysed once with the
app's own extractors (entities with their offsets, topic keywords) and reduced once to its search
stems (timeline/extract/search.py), so an article of 2–5 KB is assembled, tagged and made
searchable by joining precomputed pieces: 100k events take minutes, not hours.

Distributions are those of real news: China and Kazakhstan on most events, a Zipf-like long tail of
people, places, organisations and outlets, 1–4 articles per event, dates 1992–2025 skewed to recent
years, precisions mostly day with some month and year (and a few undated events).
"""

import calendar
import datetime
import hashlib
import random
import re
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from timeline.extract.entities import find_entities
from timeline.extract.search import search_stems
from timeline.extract.topics import find_topics

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"

MONTHS_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
FIRST_YEAR, LAST_YEAR = 1992, 2025

# Sentences written from templates. Slots: {cn} a Chinese person, {kz} a Kazakh person, {p} anyone,
# {place} a place, {kzplace} a Kazakh place, {org} an organisation, {n} a number, {m} a month name, {y} a year.
TEMPLATES = {
    "diplomacy": [
        "أجرى {cn} مباحثات مع {kz} تناولت العلاقات الثنائية بين الصين وكازاخستان وسبل تعزيز الشراكة الاستراتيجية الشاملة.",
        "استقبل {kz} في {kzplace} السفير الصيني، وبحث الجانبان تبادل الزيارات رفيعة المستوى خلال العام المقبل.",
        "وقال {cn} إن الصين مستعدة للعمل مع كازاخستان من أجل تعميق الثقة السياسية المتبادلة ودعم المصالح الجوهرية للبلدين.",
        "وأكد المتحدث باسم وزارة الخارجية الصينية أن زيارة {kz} إلى بكين ستفتح صفحة جديدة في علاقات حسن الجوار.",
        "ووقع وزيرا خارجية البلدين بيانا مشتركا في ختام المحادثات التي جرت في {place} بحضور {p}.",
        "وأشاد {kz} بالدور الذي تؤديه الصين في المنطقة، مؤكدا تمسك كازاخستان بمبدأ الصين الواحدة.",
    ],
    "trade": [
        "وبلغ حجم التبادل التجاري بين الصين وكازاخستان {n} مليار دولار في عام {y}، بزيادة سنوية ملحوظة.",
        "ووقع الجانبان {n} اتفاقية للاستثمار والتعاون الاقتصادي بقيمة إجمالية تتجاوز مليارات الدولارات.",
        "وقال {p} إن الشركات الصينية ضخت استثمارات كبيرة في المناطق الصناعية في {kzplace} خلال الأشهر الماضية.",
        "وارتفعت صادرات كازاخستان من القمح واللحوم إلى السوق الصينية بنسبة {n} في المائة مقارنة بالعام السابق.",
        "وناقش منتدى الأعمال الصيني الكازاخي في {place} إقامة منطقة للتجارة الحرة على الحدود المشتركة.",
    ],
    "transport": [
        "وانطلق قطار شحن جديد من مدينة شيآن الصينية متجها إلى {kzplace} محملا بحاويات من السلع الإلكترونية.",
        "وأعلنت السلطات افتتاح معبر خورغوس الحدودي أمام حركة الشاحنات بعد أعمال توسعة استمرت {n} شهرا.",
        "ويعد ممر النقل الدولي العابر لبحر قزوين جزءا أساسيا من مبادرة الحزام والطريق التي طرحها {cn}.",
        "وقال {kz} إن ميناء أكتاو سيستقبل {n} ألف حاوية إضافية سنويا بفضل الاستثمارات الصينية في السكك الحديدية.",
        "وبدأت أعمال بناء خط سكة حديد ثان يربط بين الصين وكازاخستان عبر محطة ألاشانكو.",
    ],
    "energy": [
        "ونقل خط أنابيب النفط بين كازاخستان والصين أكثر من {n} مليون طن من النفط الخام منذ تشغيله.",
        "ووقعت مؤسسة البترول الوطنية الصينية اتفاقا مع شركة كازموناي غاز لتطوير حقل جديد قرب {kzplace}.",
        "وبحث {cn} و{kz} التعاون في مجال الطاقة المتجددة ومحطات الرياح والطاقة الشمسية.",
        "وأفادت وزارة الطاقة بأن إمدادات الغاز عبر خط أنابيب آسيا الوسطى والصين ارتفعت بنسبة {n} في المائة.",
    ],
    "security": [
        "واتفق البلدان على تعزيز التعاون في مكافحة الإرهاب والتطرف والانفصالية وتبادل المعلومات الأمنية.",
        "وأجرت القوات الصينية والكازاخية مناورات مشتركة لمكافحة الإرهاب في {place} بمشاركة {n} جندي.",
        "وقال {p} إن أمن الحدود المشتركة البالغ طولها نحو {n} كيلومتر يحظى بأولوية لدى الجانبين.",
        "وناقش وزيرا الدفاع في البلدين التعاون العسكري والتقني وتدريب الضباط في {place}.",
    ],
    "culture": [
        "وافتتح معهد كونفوشيوس الجديد في {kzplace} أبوابه أمام الطلاب الراغبين في تعلم اللغة الصينية.",
        "ويدرس أكثر من {n} طالب كازاخي في الجامعات الصينية بمنح دراسية تقدمها الحكومة الصينية.",
        "وأقيمت أيام الثقافة الصينية في {kzplace} بمشاركة فرق فنية ومعارض للخط والرسم.",
        "وأعلن الجانبان إطلاق برنامج للتبادل السياحي وإعفاء المواطنين من التأشيرة لمدة {n} يوما.",
    ],
    "multilateral": [
        "وشارك {cn} و{kz} في قمة {org} التي عقدت في {place} بحضور قادة الدول الأعضاء.",
        "وأكد البيان الختامي لاجتماع {org} أهمية التعاون الإقليمي في آسيا الوسطى.",
        "وتتولى كازاخستان الرئاسة الدورية لمنظمة شنغهاي للتعاون، وتستضيف اجتماع مجلس رؤساء الدول في {kzplace}.",
        "وناقش المشاركون في قمة الصين وآسيا الوسطى تنسيق المواقف في {org} والأمم المتحدة.",
    ],
    "health": [
        "وأرسلت الصين فريقا طبيا ومساعدات تضم {n} ألف جهاز اختبار وكمامات إلى كازاخستان.",
        "وبحث وزيرا الصحة في البلدين التعاون في مجال اللقاحات والطب التقليدي الصيني.",
        "وافتتح في {kzplace} مركز طبي مشترك يقدم العلاج لمرضى القلب بتمويل صيني.",
    ],
    "technology": [
        "ووقعت شركة هواوي اتفاقا مع الحكومة الكازاخية لتطوير شبكات الجيل الخامس في {kzplace}.",
        "وأطلق الجانبان مشروعا مشتركا للحوسبة السحابية ومراكز البيانات والتجارة الإلكترونية.",
        "وقال {p} إن التعاون في الذكاء الاصطناعي والأقمار الصناعية يفتح آفاقا جديدة أمام البلدين.",
    ],
    "agriculture": [
        "وتصدر كازاخستان إلى الصين سنويا نحو {n} ألف طن من القمح والشعير وبذور الكتان.",
        "وأقامت شركة صينية مجمعا لمعالجة اللحوم في {kzplace} بطاقة إنتاجية تبلغ {n} ألف طن.",
        "وبحث الجانبان التعاون في مجال الري وتقنيات الزراعة الحديثة وتقاسم مياه الأنهار العابرة للحدود.",
    ],
    "": [
        "وذكرت وكالة الأنباء أن الجانبين اتفقا على مواصلة الاتصالات خلال الفترة المقبلة.",
        "وأضاف {p} أن الجانبين سيواصلان العمل على تنفيذ ما تم الاتفاق عليه.",
        "ويأتي ذلك في إطار الاحتفال بمرور {n} عاما على إقامة العلاقات بين البلدين.",
        "وكانت {place} قد شهدت في {m} الماضي لقاءات مماثلة بين مسؤولين من البلدين.",
        "ولم يكشف المسؤولون عن تفاصيل إضافية بشأن الجدول الزمني للمشاريع.",
    ],
}

HEADLINES = [
    "{cn} يلتقي {kz} في {place}",
    "{kz} يبحث مع {cn} تعزيز التعاون بين كازاخستان والصين",
    "الصين وكازاخستان توقعان اتفاقيات جديدة في {place}",
    "{kz} يصل إلى بكين في زيارة دولة",
    "مباحثات صينية كازاخية حول {topic}",
    "{cn} يدعو إلى تعميق الشراكة مع كازاخستان",
    "افتتاح مشروع صيني كازاخي جديد في {kzplace}",
    "{org}: {p} يؤكد أهمية التعاون الإقليمي",
]
TOPIC_WORDS = {
    "diplomacy": "العلاقات الثنائية", "trade": "التجارة والاستثمار", "transport": "النقل والسكك الحديدية",
    "energy": "الطاقة والنفط والغاز", "security": "الأمن ومكافحة الإرهاب", "culture": "التبادل الثقافي",
    "multilateral": "التعاون متعدد الأطراف", "health": "الصحة واللقاحات", "technology": "التكنولوجيا",
    "agriculture": "الزراعة والقمح",
}
# How often each topic is an event's main topic (real news: diplomacy and trade first, a long tail).
TOPIC_WEIGHTS = {
    "diplomacy": 30, "trade": 20, "transport": 12, "energy": 11, "multilateral": 10, "security": 7,
    "culture": 4, "technology": 3, "health": 2, "agriculture": 1.5,
}


# Who news names most often comes first in its group (then the fixture's order): a Zipf-like head.
PROMINENT = [
    "xi-jinping", "kassym-jomart-tokayev", "wang-yi", "nursultan-nazarbayev", "li-keqiang", "li-qiang",
    "karim-massimov", "hu-jintao", "astana", "almaty", "beijing", "urumqi", "khorgos", "sco",
    "china-central-asia-summit", "united-nations", "eaeu",
]
# Sentences that name only these (or nobody) are most of an article; the rest bring the long tail.
COMMON = {"china", "kazakhstan"}


def zipf_weights(n, s=1.1):
    return [1 / (rank + 1) ** s for rank in range(n)]


class Picker:
    """Weighted random choice in O(log n)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def __call__(self, rng):
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass
class Sentence:
    text: str
    stems: str
    entities: list  # [(slug, [(start, end), …])] offsets in text
    topics: dict  # {slug: [evidence words]}
    template: str = ""


@dataclass
class GeneratedArticle:
    title: str
    body: str
    lead: str
    title_stems: str
    body_stems: str
    entities: dict  # {slug: [[start, end], …]} offsets in body
    topics: dict  # {slug: [evidence]}
    outlet: object  # the outlet's reference dict
    date_start: object = None
    date_end: object = None
    precision: str = ""
    method: str = ""
    evidence: str = ""
    confidence: float = 0.0
    published: object = None
    content_hash: str = ""
    words: list = field(default_factory=list)


def _real_sentences():
    """Sentences of the test corpus (UTF-8 files), without their date lines."""
    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            continue
        for piece in re.split(r"(?<=[.!؟])\s+|\n+", text):
            piece = piece.strip()
            if 40 <= len(piece) <= 400 and len(re.findall(r"[\u0621-\u064a]", piece)) > 0.6 * len(piece):
                out.append(piece)
    return sorted(set(out))


class Composer:
    """Builds articles and events from the sentence bank; deterministic for a given seed."""

    def __init__(self, knowledge, entities, outlets, seed=1, fills=40):
        """`fills`: sentences written from each template (fewer make a smaller bank, faster to analyse: tests)."""
        self.fills = fills
        self.rng = random.Random(seed)
        self.knowledge = knowledge
        by_kind = {}
        for e in entities:  # fixture order: the most prominent names come first in each group
            by_kind.setdefault((e["kind"], e.get("country")), []).append(e)
        people = [e for e in entities if e["kind"] == "person"]
        places = [e for e in entities if e["kind"] == "place" and not e.get("is_country")]

        def picker(rows):
            rows = sorted(rows, key=lambda r: PROMINENT.index(r["slug"]) if r["slug"] in PROMINENT else len(PROMINENT))
            return Picker([r["name_ar"] for r in rows], zipf_weights(len(rows)))

        self.slots = {
            "cn": picker(by_kind.get(("person", "china"), people)),
            "kz": picker(by_kind.get(("person", "kazakhstan"), people)),
            "p": picker(people),
            "place": picker(places),
            "kzplace": picker([e for e in places if e.get("country") == "kazakhstan"] or places),
            "org": picker([e for e in entities if e["kind"] == "organisation"]),
        }
        self.outlets = Picker(outlets, zipf_weights(len(outlets), 1.0))
        self.topic_pick = Picker(list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values()))
        years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        self.year_pick = Picker(years, [1.09 ** (y - FIRST_YEAR) for y in years])
        self._build_bank()

    # --- the bank ---------------------------------------------------------------------------

    def _fill(self, template, topic=""):
        rng = self.rng
        values = {name: pick(rng) for name, pick in self.slots.items()}
        values.update(n=str(rng.choice([2, 3, 5, 7, 10, 12, 15, 20, 25, 30, 45, 60, 100, 150, 300])),
                      m=rng.choice(MONTHS_AR), y=str(self.year_pick(rng)), topic=TOPIC_WORDS.get(topic, ""))
        return template.format(**values)

    def _analyse(self, text, template=None):
        entities = [(m.slug, [tuple(span) for span in m.mentions]) for m in find_entities(text, self.knowledge)]
        topics = {t.slug: list(t.evidence) for t in find_topics(text, self.knowledge.topics, min_score=1)}
        return Sentence(text, search_stems(text), entities, topics, template or text)

    def _build_bank(self):
        texts = {t: t for t in _real_sentences()}
        for topic, templates in TEMPLATES.items():
            for template in templates:
                for _ in range(self.fills if "{" in template else 1):
                    texts.setdefault(self._fill(template), template)
        self.bank = [self._analyse(t, template) for t, template in sorted(texts.items())]
        self.by_topic = {slug: ([], []) for slug in TOPIC_WEIGHTS}  # (light, heavy)
        self.neutral = ([], [])
        for s in self.bank:
            heavy = bool({slug for slug, _ in s.entities} - COMMON)
            for slug in s.topics:
                if slug in self.by_topic:
                    self.by_topic[slug][heavy].append(s)
            if not s.topics:
                self.neutral[heavy].append(s)
        self.headlines = [self._analyse(self._fill(h, topic)) for h in HEADLINES for topic in TOPIC_WEIGHTS for _ in range(6)]

    # --- events and articles --------------------------------------------------------------

    def event_topics(self):
        """1–3 distinct topics, the main one first."""
        rng = self.rng
        wanted = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
        topics = []
        while len(topics) < wanted:
            slug = self.topic_pick(rng)
            if slug not in topics:
                topics.append(slug)
        return topics

    def event_date(self):
        """(start, end, precision) or (None, None, '') for an undated event."""
        rng = self.rng
        r = rng.random()
        if r < 0.01:
            return None, None, ""
        year = self.year_pick(rng)
        if r < 0.06:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year"
        month = rng.randint(1, 12)
        last = calendar.monthrange(year, month)[1]
        if r < 0.18:
            return datetime.date(year, month, 1), datetime.date(year, month, last), "month"
        start = datetime.date(year, month, rng.randint(1, last))
        end = start + datetime.timedelta(days=rng.choice([0] * 8 + [1, 2]))
        return start, end, "day"

    def article(self, topics, date, serial):
        """One article about `topics`, dated `date` (start, end, precision)."""
        rng = self.rng
        start, end, precision = date
        headline = rng.choice(self.headlines)
        target = rng.randint(2000, 5000)
        pieces, size = [], 0
        if precision == "day":
            dateline = f"{rng.choice(['أستانا', 'بكين', 'ألماتي', 'أورومتشي'])} {start.day} {MONTHS_AR[start.month - 1]} {start.year} /"
            city = self._analyse_cached(dateline.split()[0])
            pieces.append(Sentence(dateline, search_stems(dateline), city.entities, {}))
            size += len(dateline) + 1
        pools = [self.by_topic[t] for t in topics]
        used = set()
        while size < target:
            r = rng.random()
            light_or_heavy = rng.random() < 0.3
            pool = (rng.choice(pools) if r < 0.6 else self.neutral)[light_or_heavy] or self.neutral[0]
            s = rng.choice(pool)
            for _ in range(4):  # not the same sentence (or template) twice in one article
                if s.template not in used:
                    break
                s = rng.choice(pool)
            used.add(s.template)
            pieces.append(s)
            size += len(s.text) + 1
        # paragraphs of 2–4 sentences
        body_parts, entities, found_topics = [], {}, {}
        offset, i = 0, 0
        while i < len(pieces):
            n = rng.randint(2, 4)
            for j, s in enumerate(pieces[i:i + n]):
                sep = "" if offset == 0 else ("\n" if j == 0 else " ")
                offset += len(sep)
                body_parts.append(sep + s.text)
                for slug, spans in s.entities:
                    entities.setdefault(slug, []).extend([start_ + offset, end_ + offset] for start_, end_ in spans)
                for slug, evidence in s.topics.items():
                    have = found_topics.setdefault(slug, [])
                    have.extend(e for e in evidence if e not in have)
                offset += len(s.text)
            i += n
        body = "".join(body_parts)
        # the article is about its event's topics (evidence from its sentences or its headline)
        topic_rows = {}
        for slug in topics:
            evidence = (found_topics.get(slug) or headline.topics.get(slug) or [TOPIC_WORDS[slug]])[:12]
            topic_rows[slug] = evidence
        for slug, spans in headline.entities:
            entities.setdefault(slug, [])
        body_stems = " ".join(s.stems for s in pieces if s.stems)
        content_hash = hashlib.sha256(f"{serial}\n{headline.text}\n{body}".encode()).hexdigest()
        words = sorted(set(headline.stems.split()))[:80]
        return GeneratedArticle(
            title=headline.text, body=body, lead=pieces[0].text if precision != "day" else pieces[1].text,
            title_stems=headline.stems, body_stems=body_stems, entities=entities, topics=topic_rows,
            outlet=self.outlets(rng), content_hash=content_hash, words=words,
        )

    _cache = None

    def _analyse_cached(self, text):
        if self._cache is None:
            self._cache = {}
        if text not in self._cache:
            self._cache[text] = self._analyse(text)
        return self._cache[text]
