"""Checks on the reference data in timeline/fixtures/reference/ (no database needed).

The calendar, the topic lexicons and the outlet list are plain JSON that editors may
extend; these tests keep them loadable, consistent and matching the Arabic the
extractor sees (text passed through `normalize()`).
"""

import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from timeline.extract.arabic import normalize, normalize_pattern, word_pattern

REFERENCE = Path(__file__).resolve().parent.parent / "timeline" / "fixtures" / "reference"

TOPIC_SLUGS = [
    "diplomacy",
    "security",
    "trade",
    "transport",
    "energy",
    "culture",
    "multilateral",
    "health",
    "technology",
    "agriculture",
]


def load(name):
    with open(REFERENCE / name, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def calendar():
    return load("calendar.json")


@pytest.fixture(scope="module")
def topics():
    return load("topics.json")


@pytest.fixture(scope="module")
def outlets():
    return load("outlets.json")


def compiled(patterns):
    return re.compile("|".join(f"(?:{normalize_pattern(p)})" for p in patterns))


def series_regex(calendar, slug):
    (series,) = [s for s in calendar["series"] if s["slug"] == slug]
    return compiled(series["patterns"])


def anchor_regex(calendar, slug):
    (anchor,) = [a for a in calendar["anchors"] if a["slug"] == slug]
    return compiled(anchor["patterns"])


def iso(value):
    return datetime.date.fromisoformat(value)


# --- calendar: structure and dates -------------------------------------------------


def test_calendar_has_the_three_sections(calendar):
    assert set(calendar) == {"series", "meetings", "anchors"}
    assert calendar["series"] and calendar["meetings"] and calendar["anchors"]


def test_series_slugs_unique_and_required(calendar):
    slugs = [s["slug"] for s in calendar["series"]]
    assert len(slugs) == len(set(slugs))
    assert {"sco-summit", "cc5-summit", "cc5-foreign-ministers", "cica-summit"} <= set(slugs)
    for s in calendar["series"]:
        assert s["name_ar"] and s["name_en"] and s["patterns"]


# An exhibition or a games lasts weeks; a meeting or a visit lasts days.
LONG_SERIES = {"expo-2017-astana", "beijing-winter-olympics"}


def test_meeting_dates_valid_and_ordered(calendar):
    for m in calendar["meetings"]:
        start, end = iso(m["start"]), iso(m["end"])
        assert start <= end, m
        assert (end - start).days <= (100 if m["series"] in LONG_SERIES else 7), m
        assert datetime.date(1990, 1, 1) <= start <= datetime.date(2030, 12, 31), m
        assert m["city_ar"] and m["city_en"], m
        assert m["ordinal"] is None or (isinstance(m["ordinal"], int) and m["ordinal"] > 0), m
        if m.get("session_day"):  # the leaders' session falls within the meeting's days
            assert start <= iso(m["session_day"]) <= end, m


def test_every_meeting_series_exists(calendar):
    slugs = {s["slug"] for s in calendar["series"]}
    for m in calendar["meetings"]:
        assert m["series"] in slugs, m


def test_meetings_unique_per_series_start_and_ordinal(calendar):
    starts = Counter((m["series"], m["start"]) for m in calendar["meetings"])
    assert max(starts.values()) == 1
    ordinals = Counter((m["series"], m["ordinal"]) for m in calendar["meetings"] if m["ordinal"] is not None)
    assert max(ordinals.values()) == 1


def test_ordinals_increase_with_dates(calendar):
    by_series = {}
    for m in calendar["meetings"]:
        if m["ordinal"] is not None:
            by_series.setdefault(m["series"], []).append((iso(m["start"]), m["ordinal"]))
    for series, items in by_series.items():
        ordinals = [o for _, o in sorted(items)]
        assert ordinals == sorted(ordinals), series


def test_every_sco_summit_year_once(calendar):
    sco = [m for m in calendar["meetings"] if m["series"] == "sco-summit"]
    years = Counter(iso(m["start"]).year for m in sco)
    for year in range(2001, 2026):
        assert years[year] == 1, year
    # Numbered consecutively: the n-th council meeting is in year 2000 + n.
    for m in sco:
        assert m["ordinal"] == iso(m["start"]).year - 2000, m


def test_known_sco_summits(calendar):
    sco = {iso(m["start"]).year: m for m in calendar["meetings"] if m["series"] == "sco-summit"}
    assert sco[2001]["ordinal"] == 1
    assert sco[2001]["city_en"] == "Shanghai"
    assert sco[2017]["ordinal"] == 17
    assert sco[2017]["city_en"] == "Astana"
    assert (sco[2017]["start"], sco[2017]["end"]) == ("2017-06-08", "2017-06-09")
    assert sco[2024]["city_en"] == "Astana"
    assert sco[2024]["start"] == "2024-07-03"
    assert sco[2024]["end"] == "2024-07-04"
    assert sco[2025]["city_en"] == "Tianjin"
    assert (sco[2025]["start"], sco[2025]["end"]) == ("2025-08-31", "2025-09-01")


def test_china_central_asia_summits(calendar):
    cc5 = {m["ordinal"]: m for m in calendar["meetings"] if m["series"] == "cc5-summit"}
    assert (cc5[1]["start"], cc5[1]["end"], cc5[1]["city_en"]) == ("2023-05-18", "2023-05-19", "Xi'an")
    assert (cc5[2]["start"], cc5[2]["end"], cc5[2]["city_en"]) == ("2025-06-16", "2025-06-17", "Astana")


def test_anchor_dates(calendar):
    anchors = {a["slug"]: a for a in calendar["anchors"]}
    assert len(anchors) == len(calendar["anchors"])
    for a in anchors.values():
        iso(a["date"])
        assert a["name_ar"] and a["name_en"] and a["patterns"]
    assert anchors["diplomatic-relations"]["date"] == "1992-01-03"
    assert anchors["belt-and-road-proposal"]["date"] == "2013-09-07"
    assert anchors["sco-founding"]["date"] == "2001-06-15"


# --- calendar: patterns -------------------------------------------------------------


def all_patterns(calendar):
    for group in ("series", "anchors"):
        for item in calendar[group]:
            for pattern in item["patterns"]:
                yield item["slug"], pattern


def test_every_pattern_compiles_after_normalize(calendar):
    for slug, pattern in all_patterns(calendar):
        try:
            re.compile(normalize_pattern(pattern))
        except re.error as exc:  # pragma: no cover - message only
            pytest.fail(f"{slug}: {pattern!r} does not compile: {exc}")


@pytest.mark.parametrize(
    "text",
    [
        "قمّة منظمة شنغهاي",
        "الاجتماع ال17 لرؤساء دول منظمة شانغهاي للتعاون",
        "قمة أستانا لمنظمة شنغهاي للتعاون",
        "قمة منظمة شانغهاي للتعاون",
        "اجتماع مجلس رؤساء الدول الأعضاء في منظمة شنغهاي للتعاون",
    ],
)
def test_sco_summit_patterns_match(calendar, text):
    assert series_regex(calendar, "sco-summit").search(normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "في إطار منظمة شانغهاي للتعاون",
        "باعتبارهما عضوين مؤسسين لمنظمة شانغهاي للتعاون",
        "اجتماع مجلس رؤساء حكومات الدول الأعضاء في منظمة شنغهاي للتعاون",
        "اجتماع وزراء خارجية منظمة شنغهاي للتعاون",
    ],
)
def test_sco_summit_patterns_do_not_match_bare_organisation(calendar, text):
    assert not series_regex(calendar, "sco-summit").search(normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "قمة الصين-آسيا الوسطى الثانية",
        "قمة الصين وآسيا الوسطى",
        "القمة الأولى بين الصين ودول آسيا الوسطى الخمس",
    ],
)
def test_cc5_summit_patterns_match(calendar, text):
    assert series_regex(calendar, "cc5-summit").search(normalize(text))


def test_cc5_summit_patterns_skip_plain_cooperation(calendar):
    assert not series_regex(calendar, "cc5-summit").search(normalize("التعاون بين الصين وآسيا الوسطى"))


def test_cc5_foreign_ministers_pattern(calendar):
    regex = series_regex(calendar, "cc5-foreign-ministers")
    assert regex.search(normalize("اجتماع وزراء خارجية الصين ودول آسيا الوسطى"))
    assert not regex.search(normalize("قمة الصين-آسيا الوسطى الثانية"))


def test_cica_summit_pattern(calendar):
    regex = series_regex(calendar, "cica-summit")
    assert regex.search(normalize("القمة السادسة لمؤتمر التفاعل وإجراءات بناء الثقة في آسيا"))
    assert not series_regex(calendar, "sco-summit").search(
        normalize("قمة شنغهاي لمؤتمر التفاعل وإجراءات بناء الثقة في آسيا")
    )


def test_diplomatic_relations_anchor_matches(calendar):
    regex = anchor_regex(calendar, "diplomatic-relations")
    assert regex.search(normalize("منذ إقامة العلاقات الدبلوماسية"))


@pytest.mark.parametrize(
    "text",
    ["بالذكرى الـ30 لإقامة العلاقات الدبلوماسية", "الذكرى الـ30 للعلاقات الدبلوماسية بين البلدين"],
)
def test_anchor_match_leaves_the_number_before_it(calendar, text):
    """The code reads 'N years' in the words before the match, so a pattern must not swallow them."""
    match = anchor_regex(calendar, "diplomatic-relations").search(normalize(text))
    assert match and "30" not in match.group(0) and "30" in normalize(text)[: match.start()]


def test_belt_and_road_anchor_matches(calendar):
    regex = anchor_regex(calendar, "belt-and-road-proposal")
    assert regex.search(normalize("الحزام الاقتصادي لطريق الحرير"))
    assert regex.search(normalize("مبادرة الحزام والطريق"))


def test_partnership_anchors_do_not_overlap(calendar):
    plain = anchor_regex(calendar, "comprehensive-strategic-partnership")
    permanent = anchor_regex(calendar, "permanent-comprehensive-strategic-partnership")
    text = normalize("منذ إقامة الشراكة الاستراتيجية الشاملة الدائمة")
    assert permanent.search(text) and not plain.search(text)


# --- topics -------------------------------------------------------------------------


def test_topic_slugs_in_order(topics):
    assert [t["slug"] for t in topics] == TOPIC_SLUGS
    for t in topics:
        assert t["name_ar"] and t["name_en"]


def test_topic_keywords_enough_and_unique(topics):
    for t in topics:
        keywords = t["keywords"]
        assert len(keywords) >= 20, t["slug"]
        normalized = [normalize(k) for k in keywords]
        duplicates = [k for k, n in Counter(normalized).items() if n > 1]
        assert not duplicates, (t["slug"], duplicates)
        for k in keywords:
            assert k.strip() == k and k.rstrip("*"), (t["slug"], k)
            assert "*" not in k.rstrip("*"), (t["slug"], k)


def test_topic_keywords_compile(topics):
    for t in topics:
        regex = re.compile("|".join(word_pattern(normalize(k)) for k in t["keywords"]))
        assert regex.pattern


def topic_regex(topics, slug):
    (topic,) = [t for t in topics if t["slug"] == slug]
    return re.compile("|".join(word_pattern(normalize(k)) for k in topic["keywords"]))


@pytest.mark.parametrize(
    "slug, text",
    [
        ("security", "مكافحة قوى الشر الثلاث وهي الإرهاب والتطرف والانفصالية"),
        ("transport", "قطارات الشحن عبر السكك الحديدية"),
        ("trade", "حجم التبادل التجاري بين البلدين"),
        ("energy", "خط أنابيب الغاز الطبيعي"),
        ("health", "التعاون في مكافحة جائحة كوفيد-19"),
        ("technology", "الذكاء الاصطناعي والاقتصاد الرقمي"),
        ("agriculture", "صادرات القمح والمنتجات الزراعية"),
        ("culture", "افتتاح معهد كونفوشيوس في الجامعة"),
        ("multilateral", "في إطار منظمة شانغهاي للتعاون"),
        ("diplomacy", "زيارة دولة ومحادثات مع نظيره"),
    ],
)
def test_topic_examples(topics, slug, text):
    assert topic_regex(topics, slug).search(normalize(text))


@pytest.mark.parametrize(
    "slug, text",
    [
        ("trade", "مرت العلاقات بثلاثين عاما من التجارب"),
        ("health", "الغاز الطبيعي"),
        ("health", "نقلت صحيفة محلية"),
        ("culture", "وصل إلى الرياض"),
        ("transport", "معربا عن أمله"),
    ],
)
def test_topic_near_misses(topics, slug, text):
    assert not topic_regex(topics, slug).search(normalize(text))


# --- outlets ------------------------------------------------------------------------


def test_outlets(outlets):
    assert len(outlets) >= 40
    slugs = [o["slug"] for o in outlets]
    assert len(slugs) == len(set(slugs))
    for o in outlets:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", o["slug"]), o["slug"]
        assert o["name_ar"] and o["name_en"]
        assert isinstance(o["aliases"], list)
        assert o["website"] == "" or o["website"].startswith("https://"), o
    assert {"xinhua", "alwahda", "hormuz-news", "jfra-news", "reuters", "kazinform"} <= set(slugs)


def test_outlet_names_do_not_collide(outlets):
    owner = {}
    for o in outlets:
        for name in {o["name_ar"], o["name_en"], *o["aliases"]}:
            key = normalize(name)
            assert owner.setdefault(key, o["slug"]) == o["slug"], (name, owner[key], o["slug"])


@pytest.mark.django_db
def test_the_database_knowledge_carries_the_office_terms_the_date_finder_reads(knowledge):
    """An editor's roles in the admin reach the extractor as dated terms, as the fixtures' do."""
    import datetime

    from timeline.models import Entity
    from timeline.reference import current_knowledge

    xi = Entity.objects.get(slug="xi-jinping")
    xi.roles = [*xi.roles, {"role": "ambassador", "from": "not a date"}]  # a bad row is skipped, not a 500
    xi.save()
    terms = {e.slug: e.terms for e in current_knowledge().entities}
    assert ("president", datetime.date(2013, 3, 14), None) in terms["xi-jinping"]
    assert terms["hu-jintao"] == {e.slug: e.terms for e in knowledge.entities}["hu-jintao"]
