"""Cleaning: titles, outlets, metadata lines and web debris."""

from timeline.extract import ExtractionError, extract_article
from timeline.extract.clean import clean_article

import pytest


def seed_text(name):
    from tests.conftest import SEEDS

    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_two_line_headline_stays_whole_and_debris_is_removed(knowledge):
    result = extract_article(seed_text("002"), knowledge)
    assert result.title.startswith("زيارة تاريخية للرئيس الصيني إلى كازاخستان")
    assert result.title.endswith("مباحثات استراتيجية وتوقيع اتفاقيات ومبادرات مشتركة")
    assert "Exit mobile version" not in result.body
    assert result.outlet.name_en == "Al-Wahda"
    assert not result.body.startswith("أستانا-الوحدة")


def test_leading_outlet_line_is_not_a_title(knowledge):
    result = extract_article(seed_text("004"), knowledge)
    assert "جفرا نيوز" not in result.title
    assert result.title_generated
    assert result.outlet.name_ar == "جفرا نيوز"


def test_site_line_naming_its_sources_gives_the_site_as_outlet(knowledge):
    result = extract_article(seed_text("003"), knowledge)
    assert result.outlet.name_en == "Hormuz News"
    assert result.title.startswith("بمشاركة 6 رؤساء")


def test_metadata_lines_become_fields_not_body(knowledge):
    result = extract_article(seed_text("001"), knowledge)
    assert "الوقت:" not in result.body and "المصدر:" not in result.body
    assert "تحرير:" not in result.body
    assert result.outlet.name_en == "Xinhua"


def test_unknown_site_name_line_still_becomes_the_outlet():
    cleaned = clean_article("الأفق نيوز -\nقال وزير الخارجية الصيني إن العلاقات مع كازاخستان قوية جدا وتتطور باستمرار في كل المجالات.")
    assert cleaned.outlet_names == ["الأفق نيوز"]
    assert cleaned.title_generated


def test_read_also_block_share_buttons_and_cookie_notice_are_dropped():
    raw = (
        "الصين وكازاخستان توقعان اتفاقية جديدة\n\n"
        "بكين 3 يوليو 2024 (كونا) -- وقعت الصين وكازاخستان اتفاقية للتعاون في مجال الطاقة.\n"
        "اقرأ أيضا:\nالصين تطلق قطارا جديدا\nكازاخستان ترفع صادراتها\n\n"
        "وأضاف الوزير أن الاتفاقية تشمل الطاقة المتجددة.\n"
        "شارك\nطباعة\nنستخدم ملفات تعريف الارتباط لتحسين تجربتك\n"
    )
    cleaned = clean_article(raw)
    assert "اقرأ أيضا" not in cleaned.body and "قطارا جديدا" not in cleaned.body
    assert "طباعة" not in cleaned.body and "تعريف الارتباط" not in cleaned.body
    assert "الطاقة المتجددة" in cleaned.body
    assert cleaned.title == "الصين وكازاخستان توقعان اتفاقية جديدة"


def test_html_is_reduced_to_paragraphs_and_scripts_are_dropped(knowledge):
    raw = ("<html><body><h1>الصين وكازاخستان تبحثان التعاون</h1><script>alert(1)</script>"
           "<p>بكين 3 يوليو 2024 (كونا) -- بحث وزيرا الخارجية التعاون.</p><p>وأضاف الوزير.</p></body></html>")
    result = extract_article(raw, knowledge)
    assert result.title == "الصين وكازاخستان تبحثان التعاون"
    assert "alert" not in result.body and "<p>" not in result.body
    assert result.date.start.isoformat() == "2024-07-03"


@pytest.mark.parametrize("raw", ["", "   \n\n ", "\x00\x01\x02\x03" * 50])
def test_empty_or_binary_text_is_refused(knowledge, raw):
    with pytest.raises(ExtractionError):
        extract_article(raw, knowledge)


def test_hash_ignores_spacing_and_spelling_variants(knowledge):
    a = extract_article("عنوان الخبر\n\nقال الرئيس إن التعاون مهم.", knowledge)
    b = extract_article("عنوان  الخبر\r\n\r\nقال الرئيس إنّ التعاون مهم.", knowledge)
    assert a.content_hash == b.content_hash


@pytest.mark.parametrize(
    "lead, outlet",
    [
        ("القاهرة - (رويترز) - قال وزير الخارجية الصيني إن بلاده ستعزز التعاون مع كازاخستان.", "Reuters"),
        ("واس - أكد وزير الخارجية أهمية العلاقات مع الصين وكازاخستان في مجالات عدة.", "Saudi Press Agency"),
        ("الرياض - واس: أكد وزير الخارجية أهمية العلاقات مع الصين وكازاخستان في مجالات عدة.", "Saudi Press Agency"),
        ("بكين، 3 يوليو (كونا) -- أكد وزير الخارجية الصيني أهمية العلاقات مع كازاخستان.", "Kuwait News Agency"),
        ("أستانا 8 يونيو 2017 (شينخوا) تعهدت الصين وكازاخستان بتعزيز التعاون.", "Xinhua"),
    ],
)
def test_outlets_in_the_datelines_of_other_agencies(knowledge, lead, outlet):
    result = extract_article("عنوان الخبر عن العلاقات\n\n" + lead + "\n\nوأضاف المسؤول.", knowledge)
    assert result.outlet is not None and result.outlet.name_en == outlet


def test_a_city_in_a_dateline_is_not_an_outlet(knowledge):
    result = extract_article("عنوان الخبر\n\nالقاهرة - قال وزير الخارجية إن العلاقات مع الصين قوية.\n\nوأضاف.", knowledge)
    assert result.outlet is None


def test_a_date_line_at_the_top_is_publication_metadata_not_title(knowledge):
    result = extract_article("الثلاثاء 2 يوليو 2024\nشي يصل أستانا في زيارة دولة\n\nوصل الرئيس الصيني إلى أستانا اليوم.", knowledge)
    assert result.title == "شي يصل أستانا في زيارة دولة"
    assert result.published.isoformat() == "2024-07-02"
    assert result.date.start.isoformat() == "2024-07-02"


def test_place_outlet_date_line_gives_outlet_and_publication(knowledge):
    result = extract_article("الكويت - القبس / السبت 6 يوليو 2024\nعنوان الخبر عن الصين\n\nقال الوزير إن التعاون مهم.", knowledge)
    assert result.published.isoformat() == "2024-07-06"
    assert result.title == "عنوان الخبر عن الصين"


def test_place_and_bracketed_agency_line_is_not_the_title(knowledge):
    result = extract_article("أستانا - (الأناضول)\nقال وزير الخارجية الكازاخستاني إن بلاده ستعزز التعاون مع الصين في مجالات عدة.", knowledge)
    assert result.outlet is not None and result.outlet.name_en.startswith("Anadolu")
    assert "الأناضول" not in result.title


def test_mena_slashes_name_the_outlet(knowledge):
    result = extract_article("عنوان\n\nالقاهرة في 5 سبتمبر /أ ش أ/ قال وزير الخارجية إن العلاقات مع الصين قوية.", knowledge)
    assert result.outlet is not None and "Middle East News Agency" in result.outlet.name_en


def test_generated_title_leaves_the_dateline_out(knowledge):
    result = extract_article("بكين، 3 يوليو (كونا) -- بحث الرئيس الصيني مع نظيره الكازاخستاني تعزيز التعاون بين البلدين في مجالات الطاقة والنقل.", knowledge)
    assert result.title_generated and result.title.startswith("بحث الرئيس الصيني")


def test_masthead_credits_above_the_article_are_not_its_headline(knowledge):
    raw = ("رئيس مجلس الإدارة\nهبة صادق\nرئيس التحرير\nأيمن عبد المجيد\n\nكازاخستان وطريق الحرير الجديد\n\n"
           "تشغل كازاخستان موقعا جغرافيا فريدا عند ملتقى طرق التجارة والنقل بين القارتين.")
    cleaned = clean_article(raw, knowledge)
    assert cleaned.title == "كازاخستان وطريق الحرير الجديد"
    assert "هبة صادق" in cleaned.removed and "هبة صادق" not in cleaned.body


@pytest.mark.parametrize("line, outlet", [("ألماتي-الوحدة:", "الوحدة"), ("ألماتي - (وكالات)", "وكالات"),
                                          ("ألماتي - الأربعاء:", None)])
def test_a_dateline_alone_on_its_line_is_kept_for_the_date_finder_not_the_title_or_body(knowledge, line, outlet):
    result = clean_article(f"محادثات صينية كازاخستانية\n{line}\nبحث الرئيسان تعزيز التعاون في الطاقة والنقل.", knowledge)
    assert result.dateline == line
    assert result.title == "محادثات صينية كازاخستانية"  # a weekday's dateline joined the headline before
    assert result.paragraphs == ["بحث الرئيسان تعزيز التعاون في الطاقة والنقل."]
    assert (result.outlet_names[:1] or [None])[0] == outlet
