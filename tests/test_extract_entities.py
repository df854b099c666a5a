"""Entities: spellings, prefixes, word boundaries, offsets and context."""

import pytest

from tests.conftest import json_of

from timeline.extract import extract_article
from timeline.extract.entities import find_entities
from timeline.extract.knowledge import Entity, Knowledge

GAZETTEER = Knowledge(entities=[
    Entity("kazakhstan-president-tokayev", "person", "Kassym-Jomart Tokayev", "قاسم جومارت توكاييف", ("توكاييف", "توقاييف", "توكايف")),
    Entity("nazarbayev", "person", "Nursultan Nazarbayev", "نور سلطان نزارباييف", ("نزارباييف", "نزاباييف", "نور سلطان نزاباييف")),
    Entity("xi", "person", "Xi Jinping", "شي جين بينغ", ("شي جين بينج", "الرئيس شي")),
    Entity("astana", "place", "Astana", "أستانا", ("آستانا", "نور سلطان", "نور-سلطان", "أكمولا")),
    Entity("aktobe", "place", "Aktobe", "أكتوبي", ("أقتوبي",)),
    Entity("sco", "organisation", "Shanghai Cooperation Organisation", "منظمة شنغهاي للتعاون", ("منظمة شانغهاي للتعاون",)),
    Entity("un", "organisation", "United Nations", "الأمم المتحدة", ()),
])


def names(text):
    return [e.name_en for e in find_entities(text, GAZETTEER)]


def test_spelling_variants_resolve_to_one_entity():
    assert names("التقى توكاييف ثم توقاييف ثم توكايف") == ["Kassym-Jomart Tokayev"]
    assert names("شي جين بينغ وشي جين بينج") == ["Xi Jinping"]


def test_attached_prefixes_match_and_word_boundaries_hold():
    assert names("وبأستانا ولأستانا والأمم المتحدة وللأمم المتحدة") == ["Astana", "United Nations"]
    assert names("الأستانات أستاناوي") == []  # not the word


def test_nur_sultan_is_the_person_before_a_surname_and_the_city_in_a_dateline():
    assert names("قال الرئيس نور سلطان نزارباييف إن") == ["Nursultan Nazarbayev"]
    assert names("نور سلطان 7 يونيو 2022 (شينخوا) قال") == ["Astana"]
    assert names("نور-سلطان") == ["Astana"]


def test_aktobe_is_not_october():
    assert names("في أكتوبر افتتحت قنصلية في أكتوبي") == ["Aktobe"]


def test_mentions_keep_offsets_into_the_original_text():
    text = "زار الرئيس شي جين بينغ مدينة آستانا، ثم عاد إلى أستانا."
    found = {e.name_en: e for e in find_entities(text, GAZETTEER)}
    spans = [text[a:b] for a, b in found["Astana"].mentions]
    assert spans == ["آستانا", "أستانا"]
    assert [text[a:b] for a, b in found["Xi Jinping"].mentions] == ["شي جين بينغ"]


def test_tashkeel_and_tatweel_do_not_hide_a_name():
    assert names("منظمةُ شـنغهاي للتعاون") == ["Shanghai Cooperation Organisation"]


def test_extract_json_lists_entities_with_mention_counts():
    result = extract_article("توكاييف يستقبل شي\n\nأستانا 3 يوليو 2024 (شينخوا) استقبل توكاييف الرئيس شي في أستانا.", GAZETTEER)
    entities = {e["name_en"]: e for e in (x.as_dict() for x in result.entities)}
    assert entities["Kassym-Jomart Tokayev"]["mentions"] == 2 and entities["Kassym-Jomart Tokayev"]["kind"] == "person"
    assert entities["Astana"]["mentions"] == 2


@pytest.mark.django_db
def test_events_carry_entities_and_filter_by_them(client):
    from timeline.ingest import ingest_text
    from timeline.models import Entity as EntityRow

    EntityRow.objects.get_or_create(slug="test-tokayev", defaults={
        "kind": "person", "name_en": "Test Tokayev", "name_ar": "توكاييفوف", "aliases": []})
    ingest_text("عنوان\n\nأستانا 3 يوليو 2024 (شينخوا) استقبل توكاييفوف الرئيس الصيني.")
    ingest_text("عنوان آخر\n\nبكين 9 مايو 2023 (شينخوا) أكد وزير الخارجية أهمية العلاقات.")
    data = json_of(client.get("/events.json?entity=test-tokayev"))
    assert data["count"] == 1 and "Test Tokayev" in data["events"][0]["entities"]
    html = client.get("/events/" + data["events"][0]["slug"] + "/").content.decode()
    assert "?entity=test-tokayev" in html
    assert "unknown" in " ".join(json_of(client.get("/events.json?entity=nobody"))["ignored"]) or \
        json_of(client.get("/events.json?entity=nobody"))["ignored"]


def test_regions_above_countries_are_found_but_counted_like_countries(knowledge):
    found = {e.name_en: e.is_country for e in find_entities("دول آسيا الوسطى المطلة على بحر قزوين وبحر آرال", knowledge)}
    assert found == {"Central Asia": True, "Caspian Sea": True, "Aral Sea": True}


def test_country_spellings_and_adjectives_resolve_to_one_entity(knowledge):
    found = {e.name_en: len(e.mentions) for e in find_entities("كازاخستان وقازاقستان والكازاخستاني والقازاقي", knowledge)}
    assert found == {"Kazakhstan": 4}


# --- spelling variants (timeline/extract/spelling.py) ----------------------------------------
# Each entity lists one spelling only: every other spelling below is found by the variant rules.
VARIANTS = Knowledge(entities=[
    Entity("tokayev", "person", "Kassym-Jomart Tokayev", "قاسم جومارت توكاييف", ("توكاييف",)),
    Entity("nazarbayev", "person", "Nursultan Nazarbayev", "نور سلطان نزارباييف", ("نزارباييف",)),
    Entity("bektenov", "person", "Oljas Bektenov", "أولجاس بكتينوف", ("بكتينوف",)),
    Entity("xi", "person", "Xi Jinping", "شي جين بينغ", ()),
    Entity("zhang-xiao", "person", "Zhang Xiao", "تشانغ شياو", ()),
    Entity("gurbanguly", "person", "Gurbanguly Berdimuhamedow", "غوربانغولي بردي محمدوف", ()),
    Entity("norov", "person", "Vladimir Norov", "فلاديمير نوروف", ()),
    Entity("khorgos", "place", "Khorgos", "خورغوس", ()),
    Entity("altay", "place", "Altay", "ألتاي", ()),
    Entity("semey", "place", "Semey", "سيمي", ()),
    Entity("ganiev", "person", "Elyor Ganiev", "إليور غانييف", ("غانييف",)),
    Entity("janiev", "person", "A. Janiev", "جانييف", ()),
    Entity("tleuberdi", "person", "Mukhtar Tleuberdi", "مختار تليوبيردي", ()),
    Entity("zhu-rongji", "person", "Zhu Rongji", "جو رونغجي", ()),
    Entity("zhang-hanhui", "person", "Zhang Hanhui", "تشانغ هان هوي", ()),
    Entity("jiang-zemin", "person", "Jiang Zemin", "جيانغ زيمين", ()),
    Entity("xinjiang", "place", "Xinjiang", "شينجيانغ", ()),
    Entity("sco", "organisation", "Shanghai Cooperation Organisation", "منظمة شنغهاي للتعاون", ()),
])


def variant_names(text):
    return [e.name_en for e in find_entities(text, VARIANTS)]


@pytest.mark.parametrize(
    "text,name",
    [
        ("وصل جوربانجولي بردي محمدوف إلى بكين", "Gurbanguly Berdimuhamedow"),  # Egyptian ج for غ
        ("عبر معبر خورجوس الحدودي", "Khorgos"),
        ("استقبل الرئيس شي جين بينج ضيفه", "Xi Jinping"),
        ("قال الرئيس توقاييف إن", "Kassym-Jomart Tokayev"),  # ق for ك
        ("وكاسم جومارت توكاييف", "Kassym-Jomart Tokayev"),  # ك for ق
        ("أكد توكايف", "Kassym-Jomart Tokayev"),  # a doubled ي written single
        ("في عهد نازارباييف", "Nursultan Nazarbayev"),  # a vowel added in a long name
        ("رئيس الوزراء بيكتينوف", "Oljas Bektenov"),
        ("رئيس الوزراء أولجاس بكتنوف", "Oljas Bektenov"),  # a vowel dropped
        ("ڤلاديمير نوروڤ", "Vladimir Norov"),  # the borrowed ڤ for ف
        ("گوربانگولي بردي محمدوف", "Gurbanguly Berdimuhamedow"),  # and گ for غ
        ("الرئيس شي جينبينغ", "Xi Jinping"),  # written joined
        ("الرئيس شيجين بينغ", "Xi Jinping"),
        ("ومنطقة بوابات خوروجوس", "Khorgos"),  # a vowel added in a name of six letters
        ("وزير الخارجية مختار تلاوبردي", "Mukhtar Tleuberdi"),  # in a long word, ا written for ي
        ("رئيس الوزراء الصيني جو رونغي", "Zhu Rongji"),  # غج, one sound, written once
        ("في إقليم تشينجيانغ", "Xinjiang"),  # تش for ش in a name longer than a syllable
        ("السفير تشانغ خان خوي", "Zhang Hanhui"),  # خ for the h of a Chinese name
        ("ونظيره الصيني جيان زيمينغ", "Jiang Zemin"),  # -n for -ng and -ng for -n
        ("الرئيس الصيني Xi Jinping", "Xi Jinping"),  # the English name left in Latin letters
        ("مع إقليم \"Xinjiang\"", "Xinjiang"),
    ],
)
def test_spellings_outlets_use_are_found(text, name):
    assert variant_names(text) == [name]


def test_variants_take_prefixes_and_keep_offsets_into_the_original():
    text = "وبتوقـاييف ولشي جينبينج وفي الخورجوس"
    found = {e.name_en: [text[a:b] for a, b in e.mentions] for e in find_entities(text, VARIANTS)}
    assert found == {"Kassym-Jomart Tokayev": ["توقـاييف"], "Xi Jinping": ["شي جينبينج"], "Khorgos": ["خورجوس"]}


def test_too_many_letters_is_not_a_spelling():
    assert variant_names("في عهد نزاربايييف") == []


def test_common_words_next_to_names_are_not_names():
    assert variant_names("أمرت النيابة بتوقيف المتهم بعد توقف الحافلة والتكيف مع الوضع") == []  # توقيف, توقف, تكيف
    assert variant_names("المدينة التي تقع قرب الحدود") == []  # التي is not ألتاي
    assert variant_names("كما سمي الشارع باسمه") == []  # سمي is not سيمي
    assert variant_names("السفير تشنغ شياو") == []  # a Chinese syllable keeps its vowel
    assert variant_names("منظمة شنجهاي للتعاون") == []  # organisations' names are Arabic words, not varied


def test_the_looser_rules_stay_inside_names():
    assert variant_names("قال تشي جين بينغ") == []  # one syllable: Qi is not Xi
    assert variant_names("السفير تشانغ تشياو") == []
    assert variant_names("عبر هورغوس") == []  # ه for خ only inside a name of several words
    assert variant_names("السفير تشانغ خان") == []  # the whole name or nothing
    assert variant_names("وزير الخارجية مختار تلاوووبردي") == []  # no vowel letter three times running
    assert variant_names("the Shanghai Cooperation Organisation and xi jinping") == []  # people's and places' names, as written


def test_a_variant_that_is_another_entitys_name_is_that_entity():
    assert variant_names("صرح جانييف") == ["A. Janiev"]  # not Ganiev with ج for غ
    assert variant_names("صرح غانيييف") == []
    assert variant_names("صرح إليور جانييف") == ["Elyor Ganiev"]  # the longer name wins


def test_a_stop_word_is_never_a_variant(monkeypatch):
    from timeline.extract import spelling

    assert variant_names("أكد توكايف") == ["Kassym-Jomart Tokayev"]
    monkeypatch.setattr(spelling, "STOP_WORDS", spelling.STOP_WORDS | {"توكايف"})
    assert variant_names("أكد توكايف") == []
    assert variant_names("أكد توكاييف") == ["Kassym-Jomart Tokayev"]  # the name as listed still counts


def test_a_gazetteer_of_organisations_only_still_matches():
    only_organisations = Knowledge(entities=[Entity("un", "organisation", "United Nations", "الأمم المتحدة", ())])
    assert [e.name_en for e in find_entities("ميثاق الأمم المتحدة", only_organisations)] == ["United Nations"]
