"""Dates: the methods of DESIGN.md, on the seeds and on variations the seeds do not contain."""

import datetime

import pytest

from timeline.extract import extract_article
from timeline.extract.dates import DateFinder, explicit_dates, find_event_date
from timeline.extract.arabic import normalize

D = datetime.date


def date_of(text, knowledge, published=None):
    return find_event_date(text, knowledge, published)


def seed_text(name):
    from tests.conftest import SEEDS

    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


# --- the seeds, as behaviour ---------------------------------------------------------------


def test_dateline_with_xinhua_agency_gives_the_day(knowledge):
    result = extract_article(seed_text("000"), knowledge)
    assert (result.date.start, result.date.end, result.date.precision, result.date.method) == (
        D(2017, 6, 8), D(2017, 6, 8), "day", "dateline")
    assert "8 يونيو 2017" in result.date.evidence
    assert result.outlet.name_en == "Xinhua"


def test_nur_sultan_dateline_is_a_city_and_the_stamp_is_the_publication_date(knowledge):
    result = extract_article(seed_text("001"), knowledge)
    assert (result.date.start, result.date.precision, result.date.method) == (D(2022, 6, 7), "day", "dateline")
    assert result.published == D(2022, 6, 8)
    assert result.editor == "تشن لو يي"


def test_state_visit_without_explicit_date_is_dated_to_the_month_by_calendar_and_anniversary(knowledge):
    result = extract_article(seed_text("002"), knowledge)
    assert (result.date.start, result.date.end, result.date.precision, result.date.method) == (
        D(2024, 7, 1), D(2024, 7, 31), "month", "calendar")
    assert "شنغهاي" in result.date.evidence and "32" in result.date.evidence


def test_second_china_central_asia_summit_and_tuesday_give_the_day(knowledge):
    result = extract_article(seed_text("003"), knowledge)
    assert (result.date.start, result.date.end, result.date.precision, result.date.method) == (
        D(2025, 6, 17), D(2025, 6, 17), "day", "calendar")
    assert "الثلاثاء" in result.date.evidence


def test_preview_interview_is_dated_to_the_year_by_the_anniversary(knowledge):
    result = extract_article(seed_text("004"), knowledge)
    assert (result.date.start, result.date.end, result.date.precision, result.date.method) == (
        D(2024, 1, 1), D(2024, 12, 31), "year", "anniversary")


# --- explicit dates in every common form ----------------------------------------------------


@pytest.mark.parametrize(
    "dateline, expected",
    [
        ("بكين 7 حزيران/يونيو 2022 (شينخوا) التقى", D(2022, 6, 7)),
        ("دمشق، 16 تموز (يوليو) 2024 (سانا) - بحث", D(2024, 7, 16)),
        ("الجزائر 17 جوان 2025 (واج) - استقبل", D(2025, 6, 17)),
        ("أستانا ٨ يونيو ٢٠١٧ (شينخوا) أعلن", D(2017, 6, 8)),
        ("طهران ۳ ژوئیه", None),  # Persian month names are not Arabic ones: no date
        ("القاهرة في 3 أيلول 2013 - (رويترز) - قال", D(2013, 9, 3)),
        ("الرياض 2023/5/18 (واس) - أكد", D(2023, 5, 18)),
        ("الكويت 18-5-2023 (كونا) -- أكد", D(2023, 5, 18)),
    ],
)
def test_datelines_of_other_outlets_and_month_families(knowledge, dateline, expected):
    text = f"{dateline} المسؤولون أهمية العلاقات بين الصين وكازاخستان وتعزيز التعاون.\n\nوأضاف البيان أن الجانبين اتفقا."
    claim = date_of(text, knowledge)
    if expected is None:
        assert claim is None
    else:
        assert (claim.start, claim.precision) == (expected, "day")
        assert claim.method in ("dateline", "explicit")


def test_day_range_in_the_lead_is_kept_as_a_range(knowledge):
    text = "عقدت القمة في أستانا يومي 16 و17 يونيو 2025 بمشاركة قادة الدول الست.\n\nوقال مسؤولون."
    claim = date_of(text, knowledge)
    assert (claim.start, claim.end, claim.precision) == (D(2025, 6, 16), D(2025, 6, 17), "day")


def test_disagreeing_month_pair_is_not_a_date():
    assert explicit_dates(normalize("في 7 حزيران/يوليو 2022")) == []


@pytest.mark.parametrize("text", [
    "وقعت الشركات أكثر من 40 اتفاقية بقيمة 3.7 مليار دولار وازداد الشحن بنسبة 22% لتصل إلى 28 مليون طن.",
    "بلغت قيمة المشاريع 14.5 مليار دولار، والتبادل 6.3 مليار دولار في الربع الأول.",
    "يهدف البلدان إلى مضاعفة التجارة بحلول عام 2030 وإنشاء 45 مشروعا مشتركا.",
])
def test_bare_numbers_and_target_years_are_never_dates(knowledge, text):
    assert date_of(text, knowledge) is None


def test_article_without_any_date_cue_is_undated_not_today(knowledge):
    result = extract_article("التعاون بين الصين وكازاخستان\n\nأكد الجانبان أهمية تعزيز التعاون في مجالات عديدة.", knowledge)
    assert result.date is None
    assert result.needs_review


# --- relative words -----------------------------------------------------------------------


def test_yesterday_is_anchored_on_the_supplied_publication_date(knowledge):
    text = "وقع البلدان أمس اتفاقية للتعاون في مجال النقل بالسكك الحديدية.\n\nوقال الوزير إن الاتفاقية مهمة."
    claim = date_of(text, knowledge, published=D(2023, 3, 15))
    assert (claim.start, claim.method, claim.precision) == (D(2023, 3, 14), "relative", "day")
    assert "أمس" in claim.evidence


def test_weekday_that_contradicts_the_dateline_lowers_confidence(knowledge):
    # 8 June 2017 was a Thursday, not a Monday.
    text = "أستانا 8 يونيو 2017 (شينخوا) أعلن الجانبان اليوم (الاثنين) عن بيان مشترك.\n\nوأضاف البيان."
    result = extract_article(text, knowledge)
    assert result.date.start == D(2017, 6, 8)
    assert result.date.confidence < 0.6
    assert result.needs_review


def test_publication_stamp_before_the_event_is_flagged(knowledge):
    text = "أستانا 8 يونيو 2017 (شينخوا) أعلن الجانبان عن بيان مشترك.\n\nوأضاف البيان."
    result = extract_article(text, knowledge, published=D(2017, 6, 1))
    assert result.needs_review


# --- reference calendar and anniversaries ---------------------------------------------------


def test_first_china_central_asia_summit_resolves_to_xian_2023(knowledge):
    text = ("انطلقت أعمال قمة الصين وآسيا الوسطى الأولى بحضور قادة الدول الست.\n\n"
            "وأكد الرئيس الصيني أهمية التعاون.")
    claim = date_of(text, knowledge)
    assert (claim.start, claim.end, claim.method, claim.precision) == (D(2023, 5, 18), D(2023, 5, 19), "calendar", "day")
    assert "Xi'an" in claim.evidence or "شي" in claim.evidence


def test_sco_summit_with_explicit_year_resolves_through_the_calendar(knowledge):
    text = "شارك الرئيس الكازاخستاني في قمة منظمة شنغهاي للتعاون لعام 2022 في سمرقند.\n\nوبحث القادة الأمن الإقليمي."
    claim = date_of(text, knowledge)
    assert claim.method == "calendar"
    assert claim.start.year == 2022 and claim.start.month == 9


def test_anniversary_is_the_only_cue(knowledge):
    text = ("احتفلت سفارة كازاخستان في بكين بالذكرى الـ30 لإقامة العلاقات الدبلوماسية بين البلدين.\n\n"
            "وحضر الحفل عدد من الدبلوماسيين.")
    claim = date_of(text, knowledge)
    assert (claim.start, claim.end, claim.precision, claim.method) == (D(2022, 1, 1), D(2022, 12, 31), "year", "anniversary")


def test_a_coming_meeting_mentioned_in_passing_is_not_the_articles_date(knowledge):
    text = ("أكد وزيرا الخارجية أهمية التنسيق بين البلدين في مختلف المجالات.\n\n"
            "وبحث الجانبان التحضيرات لقمة الصين وآسيا الوسطى الثانية المقبلة.")
    claim = date_of(text, knowledge)
    assert claim is None or claim.method != "calendar"


def test_a_preview_is_dated_by_the_meeting_it_announces(knowledge):
    text = "ستقام قمة الصين وآسيا الوسطى الثانية في أستانا بمشاركة قادة الدول الست.\n\nوقال مسؤولون إن التحضيرات اكتملت."
    claim = date_of(text, knowledge)
    assert (claim.start, claim.end, claim.method) == (D(2025, 6, 16), D(2025, 6, 17), "calendar")


def test_publication_date_is_the_last_resort(knowledge):
    text = "أكد الجانبان أهمية التعاون بين الصين وكازاخستان في مجالات الطاقة والنقل.\n\nوقال المسؤولون."
    claim = date_of(text, knowledge, published=D(2021, 11, 2))
    assert (claim.start, claim.method) == (D(2021, 11, 2), "publication")
    assert claim.confidence < 0.6


# --- issue 3: every common form ------------------------------------------------------------


def test_hijri_date_is_converted(knowledge):
    claim = date_of("مكة المكرمة 13 رمضان 1438 هـ (واس) - استقبل ولي العهد وزير خارجية كازاخستان.\n\nوبحث الجانبان.", knowledge)
    assert (claim.start, claim.precision) == (D(2017, 6, 8), "day")


def test_hijri_and_gregorian_pair_agree_or_are_flagged(knowledge):
    agree = extract_article("الرياض الخميس 13 رمضان 1438 هـ الموافق 8 يونيو 2017 (واس) - بحث الجانبان التعاون.\n\nوأضاف.", knowledge)
    assert agree.date.start == D(2017, 6, 8) and not agree.needs_review
    clash = extract_article("الرياض الخميس 20 رمضان 1438 هـ الموافق 8 يونيو 2017 (واس) - بحث الجانبان التعاون.\n\nوأضاف.", knowledge)
    assert clash.date.start == D(2017, 6, 8) and clash.needs_review


def test_range_written_with_ila(knowledge):
    claim = date_of("تعقد القمة في أستانا من 16 إلى 17 يونيو 2025 بمشاركة القادة.\n\nوقال مسؤولون.", knowledge)
    assert (claim.start, claim.end) == (D(2025, 6, 16), D(2025, 6, 17))


def test_day_and_month_without_year_take_the_publication_year(knowledge):
    text = "بكين، 3 يوليو (كونا) -- أكد وزير الخارجية الصيني أهمية العلاقات مع كازاخستان.\n\nوأضاف الوزير."
    claim = date_of(text, knowledge, published=D(2024, 7, 4))
    assert (claim.start, claim.method) == (D(2024, 7, 3), "dateline")
    # written on 2 January about "28 December": last year
    text = "أستانا، 28 ديسمبر (كونا) -- وقع البلدان اتفاقية.\n\nوأضاف."
    assert date_of(text, knowledge, published=D(2024, 1, 2)).start == D(2023, 12, 28)


def test_day_and_month_without_year_and_nothing_else_is_not_a_date(knowledge):
    assert date_of("بكين، 3 يوليو (كونا) -- أكد الوزير أهمية العلاقات.\n\nوأضاف.", knowledge) is None


def test_yesterday_after_a_dateline_is_the_day_before(knowledge):
    claim = date_of("بكين 3 يوليو 2024 (شينخوا) وقعت الصين وكازاخستان أمس اتفاقية للنقل.\n\nوأضاف.", knowledge)
    assert (claim.start, claim.method) == (D(2024, 7, 2), "relative")


def test_weekday_after_a_dateline_is_the_last_such_day(knowledge):
    # 5 July 2024 was a Friday; "الثلاثاء" before it is 2 July.
    claim = date_of("أستانا 5 يوليو 2024 (شينخوا) وصل الرئيس الصيني يوم الثلاثاء إلى أستانا.\n\nوأضاف.", knowledge)
    assert claim.start == D(2024, 7, 2)


def test_last_week_is_a_range_anchored_on_publication(knowledge):
    claim = date_of("وقعت الصين وكازاخستان الأسبوع الماضي اتفاقية للطاقة.\n\nوقال مسؤولون.", knowledge, published=D(2024, 7, 10))
    # 10 July 2024 was a Wednesday: the week before began on Saturday 29 June, Sunday 30 June or Monday 1 July.
    assert (claim.method, claim.start, claim.end) == ("relative", D(2024, 6, 29), D(2024, 7, 7))


def test_last_week_and_the_meeting_held_in_it_give_the_meeting(knowledge):
    # Published Sunday 19 June 2011; the SCO summit in Astana was on 15 June 2011.
    text = "قمة شنغهاي\n\nعقدت في العاصمة الكازاخستانية أستانا الأسبوع الماضي قمة منظمة شنغهاي للتعاون."
    claim = date_of(text, knowledge, published=D(2011, 6, 19))
    assert (claim.start, claim.end, claim.method) == (D(2011, 6, 15), D(2011, 6, 15), "calendar")
    assert "الاسبوع الماضي" in normalize(claim.evidence)


def test_eastern_arabic_digits_and_numeric_forms(knowledge):
    assert date_of("طهران ۸ يونيو ۲۰۱۷ (إرنا) - بحث الوزيران.\n\nوأضاف.", knowledge).start == D(2017, 6, 8)
    assert date_of("نشر في 2017-06-08: التقى الوزيران في بكين.\n\nوأضاف.", knowledge).start == D(2017, 6, 8)


def test_two_datelines_that_disagree_send_the_article_to_review(knowledge):
    text = ("بكين 3 يوليو 2024 (شينخوا) التقى الوزيران.\n\n"
            "أستانا 9 يوليو 2024 (شينخوا) وفي تطور آخر وقع البلدان اتفاقية.\n\nوأضاف.")
    result = extract_article(text, knowledge)
    assert result.date.start == D(2024, 7, 3) and result.needs_review


@pytest.mark.parametrize("text", [
    "قال وزير الزراعة إن الاتفاقات الموقعة خلال قمة منظمة شنغهاي للتعاون في أستانا عام 2017 بدأت تؤتي ثمارها.\n\nوأضاف.",
    "قال المسؤول إن كازاخستان بعد أن استضافت القمة السابعة عشرة لمنظمة شنغهاي للتعاون أصبحت مركزا إقليميا.\n\nوأضاف.",
    "أكد الوزير أهمية التعاون الإقليمي.\n\nوأعلن أن بلاده ستستضيف قمة منظمة شنغهاي للتعاون في 2024 وتستعد لها.",
])
def test_past_summits_and_coming_ones_in_passing_are_not_the_reports_date(knowledge, text):
    claim = date_of(text, knowledge)
    assert claim is None or claim.method != "calendar"


@pytest.mark.parametrize("text", [
    "تشهد العلاقات التي أقيمت في 3 يناير 1992 تطورا كبيرا في كل المجالات.\n\nوقال السفير.",
    "بلغ حجم التبادل التجاري من يناير إلى مايو 2024 نحو 10 مليارات دولار.\n\nوقال الوزير.",
    "تعمل الشركة في كازاخستان منذ 12 مارس 2015 في مجال الطاقة.\n\nوقال المدير.",
])
def test_founding_dates_past_eras_and_statistical_periods_are_not_event_dates(knowledge, text):
    assert date_of(text, knowledge) is None


def test_a_meeting_named_in_the_headline_dates_the_report(knowledge):
    result = extract_article("انطلاق أعمال قمة الصين وآسيا الوسطى الأولى في شيآن\n\nبدأ القادة اجتماعاتهم بحضور الرئيس الصيني.", knowledge)
    assert (result.date.start, result.date.end, result.date.method) == (D(2023, 5, 18), D(2023, 5, 19), "calendar")


# --- a weekday tied to a meeting, and words about another happening (issue 7) ----------------


def test_a_weekday_before_the_summit_dates_the_sideline_meeting_not_the_summit(knowledge):
    # The 2025 SCO summit in Tianjin was held on Sunday 31 August and Monday 1 September.
    text = (
        "توكاييف يلتقي شي جين بينغ في تيانجين\n\n"
        "التقى الرئيس الكازاخستاني قاسم جومارت توكاييف، الذي وصل إلى الصين لحضور قمة منظمة شنغهاي للتعاون 2025، "
        "الرئيس الصيني شي جين بينغ يوم السبت، وبحث الجانبان التعاون التجاري."
    )
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end, claim.precision, claim.method) == (D(2025, 8, 30), D(2025, 8, 30), "day", "calendar")
    assert "السبت" in claim.evidence and "before the meeting opened" in claim.evidence
    assert claim.confidence < 0.85


def test_a_weekday_after_the_summit_is_the_day_after_it(knowledge):
    text = (
        "محادثات في تيانجين\n\n"
        "على هامش قمة منظمة شنغهاي للتعاون 2025 في تيانجين، أجرى الرئيسان محادثات يوم الثلاثاء تناولت الطاقة."
    )
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2025, 9, 2), D(2025, 9, 2))
    assert "after the meeting ended" in claim.evidence


def test_weekdays_that_fit_no_day_near_the_summit_send_it_to_review(knowledge):
    text = (
        "لقاءات في تيانجين\n\n"
        "التقى الوزير نظيره يوم السبت ثم الثلاثاء، على هامش قمة منظمة شنغهاي للتعاون 2025 في تيانجين."
    )
    result = extract_article(text, knowledge)
    assert result.needs_review
    assert any("لا يوافق" in w for w in result.warnings)


def test_the_eve_of_a_summit_is_the_day_before_its_session_not_its_first_day(knowledge):
    # The 2024 SCO summit in Astana: arrivals on 3 July, the Council's session on 4 July (the calendar's session day).
    text = (
        "محادثات في أستانا\n\n"
        "أجرى الرئيس الصيني محادثات مع نظيره الكازاخستاني عشية انطلاق أعمال الدورة الرابعة والعشرين من "
        "قمة منظمة شنغهاي للتعاون 2024 في أستانا، وبحثا التعاون في الطاقة."
    )
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end, claim.precision, claim.method) == (D(2024, 7, 3), D(2024, 7, 3), "day", "calendar")
    assert "عشيه" in normalize(claim.evidence) and "2024-07-04" in claim.evidence
    assert claim.confidence < 0.85


def test_the_eve_of_a_meeting_without_a_session_day_is_the_day_before_it_opens(knowledge):
    # The 2019 SCO summit in Bishkek, 13–14 June: no separate session day in the calendar.
    text = (
        "لقاء في بيشكيك\n\n"
        "التقى الرئيسان عشية قمة منظمة شنغهاي للتعاون 2019 في بيشكيك وبحثا التجارة."
    )
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2019, 6, 12), D(2019, 6, 12))


def test_a_summit_said_to_be_tomorrow_dates_todays_report_the_day_before_its_session(knowledge):
    text = (
        "الرئيس الصيني في أستانا\n\n"
        "وصل الرئيس الصيني اليوم إلى أستانا للمشاركة في قمة منظمة شنغهاي للتعاون 2024، "
        "وسيلتقي عددا من القادة قبل القمة غدا."
    )
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2024, 7, 3), D(2024, 7, 3))
    assert "غدا" in normalize(claim.evidence)


def test_a_weekday_that_is_not_the_eve_keeps_the_eve_from_winning(knowledge):
    # 3 July 2024 was a Wednesday; the lead says Tuesday, so the eve rule does not speak.
    text = (
        "محادثات في أستانا\n\n"
        "أجرى الرئيسان محادثات يوم الثلاثاء عشية قمة منظمة شنغهاي للتعاون 2024 في أستانا."
    )
    claim = extract_article(text, knowledge).date
    assert claim.start != D(2024, 7, 3)


def test_yesterday_in_a_clause_about_another_happening_leaves_the_dateline_day(knowledge):
    # 19 May 2023 was a Friday; the summit "held yesterday" is not what the report is about.
    text = (
        "افتتاح قنصلية كازاخستانية في شيآن\n\n"
        "شيآن 19 مايو 2023 (شينخوا) افتتحت كازاخستان قنصلية عامة في مدينة شيآن، "
        "حيث عقدت قمة الصين وآسيا الوسطى أمس (الخميس) واليوم (الجمعة)."
    )
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end, claim.method) == (D(2023, 5, 19), D(2023, 5, 19), "dateline")


@pytest.mark.parametrize("clause", [
    "بعد أن وقعت الاتفاقية أمس",
    "على هامش المنتدى الذي عقد أمس",
    "عقب الاجتماع الذي جرى يوم الاثنين",
])
def test_relative_words_about_other_happenings_do_not_move_the_dateline(knowledge, clause):
    text = f"عنوان الخبر\n\nأستانا 8 يونيو 2017 (شينخوا) أعلن الجانبان إطلاق مشروع مشترك، {clause}."
    assert date_of(text, knowledge).start == D(2017, 6, 8)


def test_yesterday_of_the_reported_happening_still_moves_the_dateline(knowledge):
    text = "عنوان الخبر\n\nأستانا 8 يونيو 2017 (شينخوا) وقع الجانبان أمس اتفاقية، حيث عقدت القمة."
    assert date_of(text, knowledge).start == D(2017, 6, 7)


def test_relative_words_about_another_happening_do_not_move_the_publication_anchor(knowledge):
    text = "افتتاح قنصلية\n\nافتتحت كازاخستان قنصلية عامة، حيث عقدت القمة أمس."
    claim = date_of(text, knowledge, published=D(2023, 5, 19))
    assert (claim.start, claim.method) == (D(2023, 5, 19), "publication")


def test_a_date_and_the_weekday_written_before_it_must_agree(knowledge):
    agreeing = "عنوان\n\nالتقى الرئيسان يوم الخميس 8 يونيو 2017 في أستانا وبحثا التعاون."
    disagreeing = "عنوان\n\nالتقى الرئيسان يوم الأربعاء 8 يونيو 2017 في أستانا وبحثا التعاون."
    assert not extract_article(agreeing, knowledge).needs_review
    result = extract_article(disagreeing, knowledge)
    assert result.date.start == D(2017, 6, 8) and result.needs_review
    assert any("لا يوافق" in w for w in result.warnings)


@pytest.mark.parametrize("text", [
    "التجارة بين الصين وكازاخستان: أرقام تتجاوز التوقعات\n\nتحولت الحدود الصينية الكازاخستانية خلال العقد الأخير "
    "إلى واحد من أنشط ممرات التجارة البرية في أوراسيا.",
    "بكين لن تلتزم الحياد إزاء ما يجري في آسيا الوسطى\n\nرأى كاتب في مقالة نشرها موقع إخباري أن الصين "
    "قد بلغت مرحلة جديدة في سياستها.",
    "الحضور الصيني في آسيا الوسطى\n\nتعد الصين اليوم أكبر شريك تجاري لكازاخستان، ويتسع حضورها في التعليم والثقافة.",
])
def test_an_analysis_piece_is_not_dated_by_its_publication_date(knowledge, text):
    assert date_of(text, knowledge, published=D(2024, 3, 5)) is None


def test_a_report_whose_only_cue_is_yesterday_takes_the_publication_anchor(knowledge):
    text = "توكاييف يستقبل وانغ يي\n\nاستقبل الرئيس الكازاخستاني أمس وزير الخارجية الصيني وبحثا العلاقات."
    claim = date_of(text, knowledge, published=D(2024, 5, 21))
    assert (claim.start, claim.method) == (D(2024, 5, 20), "relative")
    assert "2024-05-21" in claim.evidence


def test_yesterday_in_a_clause_about_the_reported_meeting_still_dates_it(knowledge):
    text = ("توكاييف يستقبل وانغ يي\n\nاستقبل الرئيس الكازاخستاني وزير الخارجية الصيني.\n\n"
            "وفي اللقاء الذي جرى أمس الثلاثاء في نور سلطان، نقل وانغ تحيات الرئيس الصيني.")
    claim = extract_article(text, knowledge, published=D(2022, 6, 8)).date
    assert (claim.start, claim.method) == (D(2022, 6, 7), "relative")


@pytest.mark.parametrize("url, expected", [
    # day/month/year or month/day/year: only 8 June 2022 (a Wednesday) fits "أمس الثلاثاء"
    ("https://example.org/ar/archives/08/06/2022/30180/", D(2022, 6, 7)),
    # a date glued to an id: 2022-09-14 was a Wednesday
    ("https://example.org/breaking/news-2022091467160", D(2022, 9, 13)),
    # eight digits alone, before a slug or an extension (an id could look the same)
    ("https://example.org/ar/20220914-tokayev-wang-yi", D(2022, 9, 13)),
    ("https://example.org/news/tokayev-wang-yi-20220914.html", D(2022, 9, 13)),
    # day, month and year run together in the query: 14092022 is 14 September, not a 9th of a 14th month
    ("https://example.org/news/view.aspx?cdate=14092022&id=abc", D(2022, 9, 13)),
    ("https://example.org/news/view.aspx?cdate=08062022&id=abc", D(2022, 6, 7)),
])
def test_an_uncertain_address_date_counts_only_when_the_texts_weekday_confirms_it(knowledge, url, expected):
    text = "توكاييف يستقبل وانغ يي\n\nاستقبل الرئيس الكازاخستاني أمس الثلاثاء وزير الخارجية الصيني وبحثا العلاقات."
    result = extract_article(text, knowledge, url=url)
    assert (result.date.start, result.date.method) == (expected, "relative")
    assert result.published_method == "address" and "confirms" in result.published_evidence


@pytest.mark.parametrize("url", [
    "https://example.org/ar/archives/08/06/2022/30180/",
    "https://example.org/ar/20220608-tokayev",
    "https://example.org/news/view.aspx?cdate=08062022",
])
def test_an_uncertain_address_date_that_no_weekday_confirms_is_not_used(knowledge, url):
    text = "توكاييف يستقبل وانغ يي\n\nاستقبل الرئيس الكازاخستاني أمس وزير الخارجية الصيني وبحثا العلاقات."
    result = extract_article(text, knowledge, url=url)
    assert result.published is None and result.date is None


def test_a_feature_looking_back_months_is_not_dated_by_the_month_it_recalls(knowledge):
    text = ("حلم جديد على طريق الحرير\n\nفي سبتمبر عام 2013 طرح الرئيس الصيني مبادرة الحزام في أستانا، "
            "وتتسع منذ ذلك الحين مشروعات التعاون.")
    assert date_of(text, knowledge, published=D(2013, 12, 24)) is None
    # the same month in a report published within it is the report's own
    assert date_of(text, knowledge, published=D(2013, 9, 20)).precision == "month"


def test_a_visit_from_a_weekday_until_today_is_a_range_to_the_dateline(knowledge):
    # 25 September 2019 was a Wednesday.
    text = ("زيارة ودية\n\nنور سلطان 25 سبتمبر 2019 (شينخوا) اختتم رئيس البرلمان الصيني زيارته. "
            "وفي أثناء زيارته التي امتدت من السبت وحتى اليوم (الأربعاء)، اجتمع مع زعماء البلاد.")
    claim = date_of(text, knowledge)
    assert (claim.start, claim.end) == (D(2019, 9, 21), D(2019, 9, 25))


def test_the_leads_weekday_beats_the_summit_days_named_further_on(knowledge):
    # Xi reached Kazakhstan on Wednesday 14 September 2022; the Samarkand SCO summit was on 15-16 September.
    text = ("الرئيس الصيني يصل كازاخستان\n\nحط الرئيس الصيني شي جين بينغ رحاله في كازاخستان، الأربعاء، في أول سفر له.\n\n"
            "وتتضمن جولته مشاركته في قمة قادة منظمة شنغهاي للتعاون في سمرقند يومي الخميس والجمعة.")
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2022, 9, 14), D(2022, 9, 14))


def test_an_ordinal_that_contradicts_the_named_host_city_is_not_evidence(knowledge):
    # The tenth SCO summit in the calendar was in Tashkent (2010); this outlet counts Astana 2011 as the tenth.
    text = ("منظمة شنغهاي في قمتها العاشرة\n\nعقدت في العاصمة الكازاخستانية أستانا قمة منظمة شنغهاي للتعاون، "
            "وهي قمة يوبيلية.")
    result = extract_article(text, knowledge)
    assert result.date is None or result.date.start.year != 2010


# --- pieces with no happening of their own (issue 7, the analysis pieces) ----------------------------


def test_a_feature_opening_on_a_dated_visit_months_back_reports_no_happening(knowledge):
    # The opening verb ("زار") is a happening, but its own clause dates it three months before publication:
    # the piece recalls it, and its "اليوم" (nowadays) is not the day it was published.
    text = ("حلم جديد على طريق قديم\n\nزار الرئيس الصيني في سبتمبر عام 2013 أربعة من بلدان آسيا الوسطى، "
            "وأعلن في كازاخستان مبادرة الحزام.\n\nوالطريق يحمل اليوم حلما جديدا للدول التي يعبرها.")
    assert date_of(text, knowledge, published=D(2013, 12, 24)) is None
    # the same opening in a report published that month is its happening
    claim = date_of(text, knowledge, published=D(2013, 9, 10))
    assert claim is not None and claim.start.year == 2013 and claim.start.month == 9


def test_a_visit_yesterday_with_an_old_date_in_another_clause_is_still_a_report(knowledge):
    text = ("الرئيس يصل\n\nوصل الرئيس الصيني أمس إلى أستانا، ويذكر أن الاتفاق الموقع في سبتمبر عام 2013 "
            "ما زال ساريا.")
    claim = date_of(text, knowledge, published=D(2015, 5, 8))
    assert (claim.start, claim.method) == (D(2015, 5, 7), "relative")


def test_an_anniversary_a_summit_coincided_with_does_not_date_a_press_review(knowledge):
    text = ("هكذا تسعى الصين إلى آسيا الوسطى\n\nنقلت صحيفة روسية أن الصين تمضي بخطى متأنية في المنطقة.\n\n"
            "وتزامنت القمة مع الذكرى الثلاثين لإقامة العلاقات الدبلوماسية بين الصين وكازاخستان.")
    assert date_of(text, knowledge) is None
    # years elapsed until now ("على مدى الأعوام الـ30 الماضية منذ…") still date the piece's own time
    elapsed = ("هكذا تسعى الصين إلى آسيا الوسطى\n\nنقلت صحيفة روسية أن الصين تمضي بخطى متأنية في المنطقة.\n\n"
               "وعلى مدى الأعوام الـ30 الماضية منذ إقامة العلاقات الدبلوماسية بين الصين وكازاخستان تطور التعاون.")
    assert (date_of(elapsed, knowledge).start, date_of(elapsed, knowledge).method) == (D(2022, 1, 1), "anniversary")
    # a report of a celebration is dated by the anniversary it celebrates
    report = "حفل\n\nاحتفلت السفارة بالذكرى الثلاثين لإقامة العلاقات الدبلوماسية بين الصين وكازاخستان."
    assert date_of(report, knowledge).start == D(2022, 1, 1)


# --- an address that gives only the month of publication ------------------------------------------------


def test_an_address_with_year_and_month_dates_a_report_of_today_to_that_month(knowledge):
    text = ("القادة يستقبلون الرئيس\n\nعشق أباد: يلتقي رؤساء ثلاث دول في العاصمة اليوم الأحد لاستقبال الرئيس "
            "الصيني عشية افتتاح خط أنابيب للغاز.")
    result = extract_article(text, knowledge, url="https://example.org/Web/Economics/2009/12/512726.htm")
    claim = result.date
    assert (claim.start, claim.end, claim.precision, claim.method) == (D(2009, 12, 1), D(2009, 12, 31), "month", "publication")
    assert "/2009/12/" in claim.evidence and result.needs_review  # a month only: an editor should pin the day


@pytest.mark.parametrize("lead", [
    "دخل محتجون في مواجهة مع الشرطة يوم السبت أثناء تجمع حاشد في المدينة الكبرى.",  # 1-5 Jan 2010: Sat 26 Dec?
    "دخل محتجون في مواجهة مع الشرطة أمس أثناء تجمع حاشد في المدينة الكبرى.",  # published on the 1st?
])
def test_a_month_address_claims_nothing_when_the_day_may_lie_in_the_month_before(knowledge, lead):
    result = extract_article(f"احتجاج\n\n{lead}", knowledge, url="https://example.org/Web/news/2010/1/529253.htm")
    assert result.date is None


def test_a_month_address_does_not_date_an_analysis(knowledge):
    text = ("الحضور الصيني في آسيا الوسطى\n\nتعد الصين اليوم أكبر شريك تجاري لكازاخستان، ويتسع حضورها في "
            "التعليم والثقافة.")
    assert extract_article(text, knowledge, url="https://example.org/Web/news/2010/1/529253.htm").date is None


def test_a_few_words_of_page_debris_are_not_a_paragraph_of_the_lead(knowledge):
    # "اليوم الأربعاء" is in the second real paragraph; the debris line must not push it out of the lead.
    text = ("الرئيس يصل\n\nإضغط هنا للإشتراك\n\nأستانا: تستعد العاصمة لاستقبال ضيوف كبار في الأيام المقبلة كما قالت "
            "وسائل الإعلام.\n\nووصل الرئيس الصيني إلى أستانا اليوم الأربعاء في زيارة دولة تستمر يومين.")
    claim = extract_article(text, knowledge, published=D(2022, 9, 14)).date
    assert (claim.start, claim.method) == (D(2022, 9, 14), "relative")


# --- office-holders named with their title narrow the meetings a host city leaves open -----------------


def test_a_president_named_at_a_summit_picks_the_one_held_during_his_term(knowledge):
    # Bishkek hosted SCO summits in 2007, 2013 and 2019; Atambayev was president of Kyrgyzstan 2011-2017
    # (in 2007 he was prime minister, which the title rules out).
    text = ("افتتحت قمة قادة دول منظمة شنغهاي للتعاون أعمالها صباح اليوم في العاصمة القيرغيزية بشكيك.\n\n"
            "وعبر الرئيس القيرغيزي ألماز بيك أتامباييف لدى افتتاحه اللقاء عن أمله في نتائج مثمرة.")
    claim = date_of(text, knowledge)
    assert (claim.start, claim.end, claim.method) == (D(2013, 9, 13), D(2013, 9, 13), "calendar")
    assert "Atambayev president" in claim.evidence


def test_without_a_titled_office_holder_the_host_city_alone_leaves_the_summit_open(knowledge):
    text = ("افتتحت قمة قادة دول منظمة شنغهاي للتعاون أعمالها صباح اليوم في العاصمة القيرغيزية بشكيك.\n\n"
            "وعبر المشاركون عن أملهم في نتائج مثمرة.")
    claim = date_of(text, knowledge)
    assert claim is None or claim.method != "calendar"


def test_a_name_under_another_office_does_not_narrow_the_meetings(knowledge):
    # As prime minister ("رئيس الوزراء") Atambayev's terms are 2007 and 2010-2011: no Bishkek summit is
    # left but 2007, so the summit is 2007's, never 2013's.
    text = ("افتتحت قمة قادة دول منظمة شنغهاي للتعاون أعمالها صباح اليوم في العاصمة القيرغيزية بشكيك.\n\n"
            "وعبر رئيس الوزراء القيرغيزي ألماز بيك أتامباييف عن أمله في نتائج مثمرة.")
    claim = date_of(text, knowledge)
    assert claim is not None and claim.start == D(2007, 8, 16)


def test_an_arrival_weekday_picks_the_one_visit_that_began_on_it_in_the_presidents_term(knowledge):
    # Hu Jintao (president 2003-2013) visited Kazakhstan six times; only the December 2009 visit began on a Saturday.
    text = ("الرئيس الصيني هو جينتاو يصل إلى كازاخستان\n\nحط الرئيس الصيني هو جينتاو السبت في كازاخستان، "
            "المحطة الأولى من جولة في آسيا الوسطى.")
    result = extract_article(text, knowledge)
    claim = result.date
    assert (claim.start, claim.end, claim.method) == (D(2009, 12, 12), D(2009, 12, 12), "calendar")
    assert "first day" in claim.evidence and "Hu Jintao president" in claim.evidence
    assert claim.confidence <= 0.7  # inferred, never shown as sure


@pytest.mark.parametrize("text", [
    # Hu's visits began on Monday (2003), Sunday (2005, 2011), Friday (2007, 2010), Saturday (2009): none on Thursday.
    "الرئيس الصيني هو جينتاو يصل إلى كازاخستان\n\nحط الرئيس الصيني هو جينتاو الخميس في كازاخستان في زيارة دولة.",
    # no office-holder named with a title: nothing narrows the visits since 1992
    "زيارة إلى كازاخستان\n\nوصل رئيس الصين السبت إلى كازاخستان في زيارة دولة تستمر يومين.",
    # a former president names no term to date by
    "الرئيس الصيني يصل إلى كازاخستان\n\nوصل الرئيس الصيني السبت إلى كازاخستان، والتقى الرئيس السابق هو جينتاو.",
])
def test_an_arrival_weekday_that_no_single_visit_fits_dates_nothing(knowledge, text):
    claim = extract_article(text, knowledge).date
    assert claim is None or claim.method != "calendar"


def test_a_tour_that_includes_kazakhstan_is_a_visit_and_its_start_weekday_dates_it(knowledge):
    # Xi's visits while Nazarbayev was president began on Fri 6 Sep 2013, Thu 7 May 2015 and Wed 7 Jun 2017.
    text = ("بدأ الرئيس الصيني شي جين بينغ اليوم الخميس جولة خارجية انطلاقا من بكين، تشمل كازاخستان وروسيا.\n\n"
            "وسيجري شي محادثات مع الرئيس نور سلطان نزارباييف.")
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2015, 5, 7), D(2015, 5, 7))


def test_an_aide_named_after_the_presidents_title_is_not_the_president(knowledge):
    from timeline.extract.dates import DateFinder

    finder = DateFinder("وقال مستشار الرئيس الروسي ديمتري مدفيديف إن القمة ناجحة.", knowledge)
    assert finder.titled_office_holders == []
    finder = DateFinder("وقال الرئيس الروسي ديمتري مدفيديف إن القمة ناجحة.", knowledge)
    assert [(e.name_en, role) for e, role in finder.titled_office_holders] == [("Dmitry Medvedev", "president")]


def test_the_head_of_chinas_state_council_is_its_premier_not_a_speaker(knowledge):
    # Xinhua titles China's premier "رئيس مجلس الدولة الصيني"; "رئيس مجلس الشيوخ" is a speaker's title.
    from timeline.extract.dates import DateFinder

    finder = DateFinder("وأجرى رئيس مجلس الدولة الصيني لي كه تشيانغ محادثات مع نظيره اليوم.", knowledge)
    assert [(e.name_en, role) for e, role in finder.titled_office_holders] == [("Li Keqiang", "premier")]
    finder = DateFinder("وأجرى رئيس مجلس الدولة لي بنغ محادثات في ألماتي.", knowledge)
    assert [(e.name_en, role) for e, role in finder.titled_office_holders] == [("Li Peng", "premier")]
    finder = DateFinder("والتقى رئيس مجلس الشيوخ الكازاخستاني قاسم جومارت توكاييف الوفد.", knowledge)
    assert [role for _e, role in finder.titled_office_holders] == ["speaker"]


def test_the_city_in_an_organisations_name_is_not_a_host_city(knowledge):
    # Astana hosted SCO summits in 2005, 2011, 2017 and 2024; Ahmadinejad was president of Iran 2005-08..2013-08.
    # "منظمة شانغهاي للتعاون" names no summit held in Shanghai (2006, also in his term).
    text = ("كازاخستان تستضيف قمة شانغهاي للتعاون\n\nتستقبل كازاخستان اليوم الثلاثاء وغدا الأربعاء مسؤولي دول "
            "منظمة شانغهاي للتعاون في أستانا.\n\nويحضر الرئيس الإيراني محمود أحمدي نجاد القمة.")
    claim = date_of(text, knowledge)
    # The 2011 summit (Wednesday 15 June in the calendar), widened to the Tuesday the text names with it.
    assert (claim.start, claim.end) == (D(2011, 6, 14), D(2011, 6, 15))
    assert "Ahmadinejad president" in claim.evidence


# --- a happening the text itself spreads over two consecutive days (issue 7) -------------------
# The 2011 SCO summit in Astana is held by the reference calendar as Wednesday 15 June 2011 only.


@pytest.mark.parametrize("lead", [
    "تستقبل كازاخستان اليوم الثلاثاء وغدا الأربعاء قادة دول قمة منظمة شنغهاي للتعاون 2011 في أستانا.",
    "يجتمع قادة دول قمة منظمة شنغهاي للتعاون 2011 في أستانا اليوم (الثلاثاء) وغداً (الأربعاء) لبحث الأمن الإقليمي.",
    "تعقد قمة منظمة شنغهاي للتعاون 2011 أعمالها في أستانا اليوم الثلاثاء وغدا بمشاركة الرئيس الصيني.",
])
def test_today_and_tomorrow_with_weekdays_widen_a_one_day_calendar_meeting(knowledge, lead):
    claim = extract_article(f"قمة في أستانا\n\n{lead}", knowledge).date
    assert (claim.start, claim.end, claim.precision) == (D(2011, 6, 14), D(2011, 6, 15), "day")
    assert "2011-06-14..2011-06-15" in claim.evidence


def test_today_and_tomorrow_without_weekdays_or_anchor_do_not_guess_which_pair(knowledge):
    # "today" could be the 14th or the 15th: the calendar's day stays.
    text = "قمة في أستانا\n\nتعقد قمة منظمة شنغهاي للتعاون 2011 أعمالها في أستانا اليوم وغدا بمشاركة الرئيس الصيني."
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2011, 6, 15), D(2011, 6, 15))


def test_weekdays_contradicting_the_calendar_meeting_give_no_range(knowledge):
    text = ("قمة في أستانا\n\nتعقد قمة منظمة شنغهاي للتعاون 2011 أعمالها في أستانا "
            "اليوم الخميس وغدا الجمعة بمشاركة الرئيس الصيني.")
    claim = extract_article(text, knowledge).date
    assert claim.start == claim.end


def test_yesterday_and_today_count_from_the_publication_date(knowledge):
    text = "محادثات في بكين\n\nأجرى وزيرا خارجية الصين وكازاخستان محادثات أمس واليوم في بكين تناولت النقل."
    claim = date_of(text, knowledge, published=D(2023, 5, 19))
    assert (claim.start, claim.end, claim.precision) == (D(2023, 5, 18), D(2023, 5, 19), "day")


def test_today_and_tomorrow_count_from_the_dateline(knowledge):
    # 8 June 2017 was a Thursday.
    text = "منتدى أعمال\n\nأستانا 8 يونيو 2017 (شينخوا) يعقد منتدى الأعمال الصيني الكازاخستاني اليوم الخميس وغدا الجمعة."
    claim = date_of(text, knowledge)
    assert (claim.start, claim.end, claim.precision) == (D(2017, 6, 8), D(2017, 6, 9), "day")


def test_yesterday_and_today_with_weekdays_after_a_dateline(knowledge):
    text = "محادثات\n\nأستانا 8 يونيو 2017 (شينخوا) بحث الجانبان أمس الأربعاء واليوم الخميس مشاريع الطاقة."
    claim = date_of(text, knowledge)
    assert (claim.start, claim.end) == (D(2017, 6, 7), D(2017, 6, 8))


def test_weekdays_contradicting_the_publication_date_give_no_range(knowledge):
    # 19 May 2023 was a Friday, not a Tuesday.
    text = "محادثات في بكين\n\nيجري وزيرا خارجية البلدين محادثات اليوم الثلاثاء وغدا الأربعاء في بكين."
    claim = date_of(text, knowledge, published=D(2023, 5, 19))
    assert claim is None or claim.start == claim.end


@pytest.mark.parametrize("clause", [
    "حيث تعقد القمة اليوم وغدا",
    "على هامش المنتدى الذي يعقد اليوم وغدا",
    "التي عقدت أمس واليوم",
])
def test_two_days_of_another_happening_do_not_widen_the_claim(knowledge, clause):
    text = f"افتتاح قنصلية\n\nافتتحت كازاخستان قنصلية عامة في شيآن، {clause}."
    claim = date_of(text, knowledge, published=D(2023, 5, 19))
    assert (claim.start, claim.end) == (D(2023, 5, 19), D(2023, 5, 19))


def test_a_capital_standing_for_its_government_is_not_where_a_meeting_was_held(knowledge):
    # "بكين ترغب" is China's government; "في شيان" is where the 2023 China–Central Asia summit met
    # (18-19 May). Beijing hosted the 2022 one (25 January, online): the lead's Wednesday is 17 May 2023.
    text = ("شي يستقبل توكاييف\n\nشيان (رويترز) – أبلغ الرئيس الصيني شي جين بينغ يوم الأربعاء نظيره الكازاخستاني "
            "بأن بكين ترغب في علاقات أوثق.\n\nوتستضيف الصين قمة الصين وآسيا الوسطى في شيان.")
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2023, 5, 17), D(2023, 5, 17))
    assert "before the meeting opened" in claim.evidence


def test_an_editors_note_in_brackets_is_not_the_lead(knowledge):
    # Reuters' "(يضيف …)" above the dateline: the lead, whose weekday speaks first, is the dateline's paragraph.
    body = ("(يضيف تعليقات من الرئيس الكازاخستاني حول التجارة في الفقرات من 7 إلى 9)\n\nبقلم مراسل\n\n"
            "شيان (رويترز) – التقى الرئيس الصيني يوم الأربعاء نظيره الكازاخستاني الزائر.\n\n"
            "وتستضيف الصين هذا الأسبوع قمة لزعماء آسيا الوسطى.")
    finder = DateFinder(body, knowledge, None, title="شي وتوكاييف")
    assert finder.text[: finder._lead_end(1)].endswith("الزاير.")


@pytest.mark.parametrize("phrase", ["قمة لزعماء آسيا الوسطى", "قمة حضورية لقادة دول آسيا الوسطى الخمس",
                                    "قمة مع رؤساء آسيا الوسطى"])
def test_china_hosting_a_summit_of_central_asian_leaders_is_the_china_central_asia_summit(knowledge, phrase):
    text = f"قمة في شيان\n\nشيان (أ ف ب) – تستضيف الصين اليوم {phrase} في مدينة شيان عام 2023."
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2023, 5, 18), D(2023, 5, 19))
    assert "China–Central Asia Summit" in claim.evidence


def test_a_capital_named_only_as_its_government_identifies_no_meeting(knowledge):
    # No host city said as a place: "بكين ترغب" must not make this the Beijing (2022, online) summit.
    text = ("شي يستقبل توكاييف\n\n(رويترز) – أبلغ الرئيس الصيني شي جين بينغ يوم الأربعاء نظيره الكازاخستاني "
            "بأن بكين ترغب في علاقات أوثق.\n\nوتستضيف الصين قمة الصين وآسيا الوسطى.")
    claim = extract_article(text, knowledge).date
    assert claim is None or claim.start.year != 2022


def test_a_host_city_in_the_sentence_that_names_the_meeting_identifies_it(knowledge):
    text = "توكاييف يستقبل شي\n\nتستضيف أستانا اليوم الاثنين قمة الصين وآسيا الوسطى بمشاركة قادة الدول الست."
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(2025, 6, 16), D(2025, 6, 16))


# --- a leader at work in a dateline city of the other country is on a visit there (issue 7) ----------
# No visit word, no year: the dateline's city, the titled leader of the other country acting with his counterpart,
# the lead's weekday and his term leave one visit of the calendar, or nothing is claimed.
JIANG_IN_ALMATY = ("محادثات صينية كازاخستانية\n\n{city} (رويترز) - أجرى {leader} {weekday} محادثات مع نظيره "
                   "الكازاخستاني نور سلطان نزارباييف تناولت النفط والسكك الحديدية وأمن الحدود المشتركة.")


def _jiang(city="ألماتي", leader="الرئيس الصيني جيانغ زيمين", weekday="اليوم الأربعاء"):
    return JIANG_IN_ALMATY.format(city=city, leader=leader, weekday=weekday)


def test_a_chinese_president_with_his_counterpart_under_a_kazakh_dateline_is_on_his_visit(knowledge):
    # Jiang Zemin (president 1993-2003) visited Kazakhstan on Sat 4 Jul 1998 and Wed 5 Jun 2002 (calendar).
    claim = extract_article(_jiang(), knowledge).date
    assert (claim.start, claim.end, claim.precision, claim.method) == (D(2002, 6, 5), D(2002, 6, 5), "day", "calendar")
    assert claim.confidence <= 0.7  # inferred, like an arrival weekday's visit
    for inferred in ("Almaty", "نظيره الكازاخستاني", "اليوم الأربعاء", "Jiang Zemin president 1993-03-27"):
        assert inferred in claim.evidence
    claim = extract_article(_jiang(weekday="امس السبت").replace("أجرى", "وقع").replace("محادثات مع", "اتفاقية مع"),
                            knowledge).date
    assert (claim.start, claim.end) == (D(1998, 7, 4), D(1998, 7, 4))


def test_a_kazakh_president_with_his_counterpart_under_a_chinese_dateline_is_on_his_visit(knowledge):
    # Nazarbayev's visits to China that took in a Friday: only 2 Sep 2016 (then the G20 in Hangzhou, Sun-Mon).
    text = ("قمة صينية كازاخستانية\n\nهانغتشو، الصين (شينخوا) - التقى الرئيس الكازاخستاني نور سلطان نزارباييف يوم "
            "الجمعة نظيره الصيني شي جين بينغ وبحث الرئيسان التعاون في الطاقة والنقل.")
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end, claim.method) == (D(2016, 9, 2), D(2016, 9, 2), "calendar")
    assert "Nursultan Nazarbayev president" in claim.evidence


def test_a_premier_with_his_counterpart_under_a_dateline_of_the_other_country_is_on_his_visit(knowledge):
    # Li Peng (premier until March 1998) visited Kazakhstan on Tue 26 Apr 1994 and Wed 24 Sep 1997.
    text = ("محادثات في ألماتي\n\nألماتي (أ ف ب) - وقع رئيس الوزراء الصيني لي بنغ اليوم الأربعاء مع نظيره "
            "الكازاخستاني اتفاقية لاستغلال حقول النفط في غرب البلاد ومد خط أنابيب إلى الصين.")
    claim = extract_article(text, knowledge).date
    assert (claim.start, claim.end) == (D(1997, 9, 24), D(1997, 9, 24))
    assert "Li Peng premier" in claim.evidence
    claim = extract_article(text.replace("الأربعاء", "الثلاثاء"), knowledge).date
    assert (claim.start, claim.end) == (D(1994, 4, 26), D(1994, 4, 26))


def _undated_or_not_by_the_calendar(text, knowledge):
    claim = extract_article(text, knowledge).date
    return claim is None or claim.method != "calendar"


def test_a_weekday_that_fits_no_visit_claims_nothing_not_the_summit_of_that_day(knowledge):
    # Friday 3 Jul 1998 was the Shanghai Five summit in Almaty, the day before Jiang's visit: no visit fits a Friday.
    assert extract_article(_jiang(weekday="امس السبت"), knowledge).date.start == D(1998, 7, 4)
    assert _undated_or_not_by_the_calendar(_jiang(weekday="امس الجمعة"), knowledge)
    assert _undated_or_not_by_the_calendar(_jiang(weekday="اليوم الخميس"), knowledge)


def test_two_fitting_meetings_claim_nothing(knowledge):
    # Hu Jintao's visits that took in a Friday: 17 Aug 2007 and 11 Jun 2010, both in Astana.
    text = _jiang(city="أستانا", leader="الرئيس الصيني هو جينتاو", weekday="يوم الجمعة").replace("نور سلطان نزارباييف", "")
    assert _undated_or_not_by_the_calendar(text, knowledge)
    # Xi's visit of Mon 16 Jun 2025 and the China–Central Asia summit in Astana that day: two meetings.
    text = _jiang(city="أستانا", leader="الرئيس الصيني شي جين بينغ", weekday="اليوم الاثنين").replace("نور سلطان نزارباييف", "")
    assert _undated_or_not_by_the_calendar(text, knowledge)
    # the same report on the Wednesday of 2002 is dated
    assert extract_article(_jiang(), knowledge).date.start == D(2002, 6, 5)


def test_a_leader_received_in_his_own_country_names_no_visit_of_his(knowledge):
    # Beijing: the Chinese president at home; his counterpart is untitled, so nothing dates his visit either.
    assert extract_article(_jiang(), knowledge).date.start == D(2002, 6, 5)
    assert _undated_or_not_by_the_calendar(_jiang(city="بكين"), knowledge)
    # A counterpart called Chinese under an Almaty dateline: the Chinese president is no host there.
    assert _undated_or_not_by_the_calendar(_jiang().replace("الكازاخستاني", "الصيني"), knowledge)


def test_an_untitled_leader_or_no_counterpart_dates_nothing(knowledge):
    assert extract_article(_jiang(), knowledge).date.start == D(2002, 6, 5)
    # no title: whose term narrows the visits?
    assert _undated_or_not_by_the_calendar(_jiang(leader="جيانغ زيمين"), knowledge)
    # no counterpart: a statement, not a meeting of the two leaders
    text = ("تصريح صيني\n\nألماتي (رويترز) - قال الرئيس الصيني جيانغ زيمين اليوم الأربعاء إن بلاده تدعم "
            "الاستقرار في آسيا الوسطى.")
    assert _undated_or_not_by_the_calendar(text, knowledge)


@pytest.mark.parametrize("lead", [
    # on the telephone from home: no visit
    "ألماتي (رويترز) - أجرى الرئيس الصيني جيانغ زيمين اليوم الأربعاء اتصالا هاتفيا مع نظيره الكازاخستاني نور سلطان نزارباييف.",
    # the minister acts; the president only sends a message
    "ألماتي (رويترز) - نقل وزير الخارجية الصيني اليوم الأربعاء رسالة من الرئيس الصيني جيانغ زيمين إلى نظيره الكازاخستاني.",
    "ألماتي (رويترز) - سلم وزير الخارجية الصيني اليوم الأربعاء دعوة من الرئيس الصيني جيانغ زيمين إلى نظيره الكازاخستاني.",
    # a counterpart named before the leader is someone else's
    "ألماتي (رويترز) - التقى وزير الخارجية الكازاخستاني اليوم الأربعاء نظيره وسلمه دعوة من الرئيس الصيني جيانغ زيمين لزيارة بكين.",
    # "نور سلطان نزارباييف: …" opens on a person, not on a dateline in Nur-Sultan
    "نور سلطان نزارباييف: الرئيس الصيني جيانغ زيمين يلتقي اليوم الأربعاء نظيره الكازاخستاني في بكين لبحث الحدود.",
])
def test_a_leader_not_himself_with_his_counterpart_in_the_dateline_city_dates_nothing(knowledge, lead):
    assert extract_article(_jiang(), knowledge).date.start == D(2002, 6, 5)
    assert _undated_or_not_by_the_calendar(f"محادثات\n\n{lead}", knowledge)


# --- a dateline alone on its line is read as it would be at the head of the lead ---------------------------
# "ألماتي - (وكالات)" or "شيان-الوحدة:" on a line of its own, the lead below: where the reporter was must count as
# it does when the same words open the lead. Jiang Zemin was in Kazakhstan on Wed 5 Jun 2002; the China–Central Asia
# summits were in Xi'an (May 2023) and Astana (June 2025).
JIANG_SIGNS = ("وقع الرئيس الصيني جيانغ زيمين يوم الأربعاء مع نظيره الكازاخستاني نور سلطان نزارباييف اتفاقية "
               "لترسيم الحدود وبحثا مشاريع النفط.")
SUMMIT_OPENS = "انطلقت اليوم أعمال قمة الصين وآسيا الوسطى بمشاركة قادة الدول الست الذين بحثوا التجارة والنقل والطاقة."


@pytest.mark.parametrize("dateline, lead, days, city", [
    ("ألماتي - (وكالات)", JIANG_SIGNS, (D(2002, 6, 5), D(2002, 6, 5)), "Almaty"),
    ("ألماتي-الوحدة:", JIANG_SIGNS, (D(2002, 6, 5), D(2002, 6, 5)), "Almaty"),
    ("ألماتي - الأربعاء:", JIANG_SIGNS.replace(" يوم الأربعاء", ""), (D(2002, 6, 5), D(2002, 6, 5)), "Almaty"),
    ("أستانا - (وكالات)", SUMMIT_OPENS, (D(2025, 6, 16), D(2025, 6, 17)), "Astana"),
    ("شيان-الوحدة:", SUMMIT_OPENS, (D(2023, 5, 18), D(2023, 5, 19)), "Xi'an"),
])
def test_a_dateline_alone_on_its_line_is_read_as_at_the_head_of_the_lead(knowledge, dateline, lead, days, city):
    text = "خبر من آسيا الوسطى\n{dateline}{sep}{lead}\nوقال الجانبان إن العلاقات بين البلدين تتطور بسرعة."
    inline = extract_article(text.format(dateline=dateline, sep=" ", lead=lead), knowledge).date
    own_line = extract_article(text.format(dateline=dateline, sep="\n", lead=lead), knowledge).date
    assert (own_line.start, own_line.end, own_line.method) == (*days, "calendar")
    assert own_line.as_dict() == inline.as_dict()
    assert f", {city}, " in own_line.evidence  # the meeting of the dateline's city
