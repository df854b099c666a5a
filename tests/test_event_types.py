"""The event type classifier (timeline/extract/event_types.py) on synthetic headlines and leads.

Each case is a made-up report written to the definitions in docs/event-types.md, none taken from the
labelled corpus (whose accuracy tests/test_evaluate.py measures)."""

import pytest

from timeline.extract.event_types import EVENT_TYPES, classify, event_type_of, explain

CASES = [
    # state visits: arrival, departure, announcement, and what the visit frames
    ("state_visit", "الرئيس الكازاخستاني يصل إلى بكين في زيارة دولة", ""),
    ("state_visit", "الرئيس الصيني يغادر بكين متوجها إلى أستانا", "غادر الرئيس الصيني بكين اليوم متوجها إلى أستانا في جولة تشمل ثلاث دول."),
    ("state_visit", "الخارجية: الرئيس شي يزور كازاخستان الأسبوع المقبل", ""),
    ("state_visit", "البلدان يوقعان عشر وثائق للتعاون",
     "وقع البلدان اليوم عشر وثائق للتعاون في مجالات الطاقة والنقل خلال زيارة دولة يقوم بها الرئيس توكاييف إلى الصين."),
    # official visits: anyone below a head of state
    ("official_visit", "رئيس الوزراء الكازاخستاني يبدأ زيارة رسمية إلى الصين", ""),
    ("official_visit", "وزير التجارة الصيني يزور ألماتي لبحث الاستثمارات", ""),
    ("official_visit", "اتفاقات في مجال الزراعة",
     "وقعت الصين وكازاخستان اتفاقات زراعية خلال زيارة يقوم بها نائب رئيس الوزراء الصيني إلى أستانا."),
    # summits: the meeting itself, a trip to attend it, its declaration
    ("summit", "انطلاق أعمال قمة منظمة شنغهاي للتعاون في أستانا", ""),
    ("summit", "الرئيس الصيني يتوجه إلى أستانا للمشاركة في القمة الثالثة بين الصين وآسيا الوسطى", ""),
    ("summit", "قادة الدول الست يتبنون إعلان أستانا في ختام القمة", ""),
    # talks: meetings, receptions, sideline talks, remarks made in a meeting
    ("talks", "وزيرا خارجية الصين وكازاخستان يجريان محادثات في بكين", ""),
    ("talks", "الرئيس الصيني يلتقي نظيره الكازاخستاني على هامش قمة شنغهاي", ""),
    ("talks", "رئيس الوزراء يستقبل السفير الصيني", ""),
    ("talks", "الرئيس يدعو إلى تعزيز الربط",
     "دعا الرئيس الصيني خلال لقائه رئيس مجلس الشيوخ الكازاخستاني في بكين اليوم إلى تعزيز الربط بين البلدين."),
    # phone calls and messages
    ("phone_call", "اتصال هاتفي بين الرئيسين الصيني والكازاخستاني", ""),
    ("phone_call", "توكاييف وشي يبحثان هاتفيا التعاون الاقتصادي", ""),
    ("message", "الرئيس الصيني يبعث برقية تهنئة إلى نظيره الكازاخستاني بعيد الاستقلال", ""),
    ("message", "تبادل رئيسا البلدين رسائل التهنئة بذكرى العلاقات", ""),
    # agreements
    ("agreement_signed", "الصين وكازاخستان توقعان اتفاقية لتجنب الازدواج الضريبي", ""),
    ("agreement_signed", "شركة صينية وأخرى كازاخستانية تبرمان عقدا لبناء محطة رياح", ""),
    ("agreement_signed", "مذكرة تفاهم بين جامعتين صينية وكازاخستانية", "وقعت جامعة بكين وجامعة الفارابي مذكرة تفاهم للتبادل الأكاديمي."),
    ("agreement_in_force", "دخول اتفاقية الإعفاء من التأشيرات بين الصين وكازاخستان حيز التنفيذ", ""),
    ("agreement_in_force", "اتفاق النقل البري يصبح نافذا اليوم", ""),
    # forums, projects, statements, other
    ("forum", "افتتاح معرض الصين وأوراسيا في أورومتشي بمشاركة كازاخستانية واسعة", ""),
    ("forum", "منتدى أستانا الدولي يناقش الاستثمار الصيني", ""),
    ("project_opened", "تدشين خط سكك حديدية جديد بين الصين وكازاخستان", ""),
    ("project_opened", "افتتاح مصنع صيني للسيارات في كوستاناي", ""),
    ("project_opened", "وضع حجر الأساس لمحطة طاقة شمسية بتمويل صيني", ""),
    ("statement", "المتحدث باسم الخارجية الصينية: بكين تدعم استقرار كازاخستان", ""),
    ("statement", "السفير الصيني في مقابلة صحفية: العلاقات في أفضل مراحلها", ""),
    ("statement", "وزير الخارجية الكازاخستاني يقول إن بلاده لن تنضم إلى أي تحالف", ""),
    ("other", "قراءة في مستقبل العلاقات الصينية الكازاخستانية", "تحتل كازاخستان موقعا فريدا على طريق الحرير، وتسعى منذ سنوات إلى تنويع شركائها."),
    ("other", "ارتفاع عدد قطارات الشحن عبر خورغوس بنسبة 20 بالمئة", ""),
    ("other", "العشرات يحتجون في ألماتي على مصنع صيني", ""),
]


@pytest.mark.parametrize("expected,title,lead", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_type_is_found_in_a_report_of_its_kind(expected, title, lead):
    assert classify(title, lead) == expected, explain(title, lead)


def test_every_code_has_both_labels_and_every_code_is_covered():
    assert len(EVENT_TYPES) == 12
    assert all(en and ar for en, ar in EVENT_TYPES.values())
    assert {c[0] for c in CASES} == set(EVENT_TYPES)


def test_a_headline_that_names_nothing_leaves_the_lead_to_decide():
    lead = "أستانا 3 مارس 2024 (شينخوا) أجرى وزير الخارجية الصيني محادثات مع نظيره الكازاخستاني اليوم (الأحد)."
    assert classify("وكالات - أخبار", lead) == "talks"


def test_what_a_speaker_says_happened_is_not_what_the_article_reports():
    # an interview that speaks of a coming meeting and of agreements is an interview
    title = "الرئيس الكازاخستاني يؤكد أن اللقاء المقبل مع الرئيس الصيني سيشهد توقيع اتفاقيات مهمة"
    assert classify(title) == "statement"
    # but an announcement of a meeting is that meeting
    assert classify("أعلنت الخارجية الصينية أن الرئيس شي سيستضيف قمة الصين وآسيا الوسطى الشهر المقبل") == "summit"


def test_a_railway_that_connects_two_countries_is_not_a_visit():
    assert classify("خط السكك الحديدية يصل بين الصين وكازاخستان بطول 300 كيلومتر") != "state_visit"


def test_the_first_train_of_the_year_is_not_a_new_project():
    assert classify("انطلاق أول قطار شحن هذا العام من شيآن إلى ألماتي") == "other"


def test_without_words_up_top_the_calendar_meeting_decides():
    signature = {"kinds": [], "meetings": ["sco-summit:2024-07-03"]}
    assert explain("أخبار اليوم", "", "", signature).code == "summit"
    assert explain("أخبار اليوم", "", "", signature).rule == "calendar"
    assert classify("أخبار اليوم", "", "", {"kinds": [], "meetings": []}) == "other"


def test_empty_or_odd_input_is_other_not_an_error():
    assert classify("") == "other"
    assert classify("", "", "", None) == "other"
    assert classify("<script>alert(1)</script>", "123 456") == "other"


def test_an_event_takes_its_articles_majority_and_the_primary_breaks_ties():
    assert event_type_of(["talks", "state_visit", "state_visit"]) == "state_visit"
    assert event_type_of(["talks", "state_visit"], primary="talks") == "talks"
    assert event_type_of(["other", "other", "summit"]) == "summit"  # 'other' says nothing
    assert event_type_of(["other"]) == "other"
    assert event_type_of([]) == "other"
    assert event_type_of(["bogus"]) == "other"
