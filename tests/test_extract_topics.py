"""Topics come from the lexicon with the matched words as evidence."""

from timeline.extract import extract_article
from timeline.extract.knowledge import TopicLexicon
from timeline.extract.topics import find_topics


def seed_text(name):
    from tests.conftest import SEEDS

    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_security_article_is_tagged_security_with_the_words_as_evidence(knowledge):
    result = extract_article(seed_text("000"), knowledge)
    topics = {t.slug: t.evidence for t in result.topics}
    assert "security" in topics
    assert any("الإرهاب" in word or "الشر" in word for word in topics["security"])


def test_prefixes_and_stems_match_but_other_words_do_not():
    lexicon = [TopicLexicon("trade", "", "", ("تجار*", "جمرك*")), TopicLexicon("energy", "", "", ("الغاز الطبيعي",))]
    text = "وبالتجارة والتجاري والجمركية. والغازات ليست الغاز الطبيعي"
    found = {t.slug: t for t in find_topics(text, lexicon, lead_end=0)}
    assert found["trade"].evidence == ["وبالتجارة", "والتجاري", "والجمركية"]
    assert "energy" not in found  # one hit further down is a passing mention


def test_a_keyword_in_the_headline_or_lead_weighs_more():
    lexicon = [TopicLexicon("energy", "", "", ("الغاز الطبيعي",))]
    headline = "اتفاق على توريد الغاز الطبيعي"
    text = headline + "\nوقال الوزير إن الاتفاق سيدخل حيز التنفيذ العام المقبل."
    # the same single mention: enough in the headline, a passing word further down
    assert [t.slug for t in find_topics(text, lexicon, lead_end=len(headline))] == ["energy"]
    assert find_topics(text, lexicon, lead_end=0) == []


def test_a_reported_visit_or_summit_counts_for_diplomacy_or_multilateral():
    lexicon = [TopicLexicon("diplomacy", "", "", ("سفير*",)), TopicLexicon("multilateral", "", "", ("بريكس",))]
    found = {t.slug for t in find_topics("نص بلا كلمات مفتاحية", lexicon, kinds={"visit", "multilateral-meeting"})}
    assert found == {"diplomacy", "multilateral"}


def test_an_editor_keyword_changes_the_result():
    text = "بحث الجانبان إطلاق قمر صناعي مشترك وتطوير قمر صناعي ثان."
    assert find_topics(text, [TopicLexicon("technology", "", "", ("تكنولوجي*",))]) == []
    found = find_topics(text, [TopicLexicon("technology", "", "", ("تكنولوجي*", "قمر صناعي"))])
    assert [t.slug for t in found] == ["technology"]


def test_an_area_named_in_a_list_is_not_a_topic_of_the_article():
    lexicons = [TopicLexicon("trade", "", "", ("تجار*",)), TopicLexicon("energy", "", "", ("طاقة",)),
                TopicLexicon("transport", "", "", ("النقل",)), TopicLexicon("agriculture", "", "", ("زراع*",))]
    listed = "اتفق الجانبان على التعاون في التجارة والطاقة والنقل والزراعة."
    assert find_topics(listed, lexicons, lead_end=0) == []
    said = "ارتفعت التجارة بين البلدين. وقال الوزير إن التجارة ستتضاعف بحلول عام 2030."
    assert [t.slug for t in find_topics(said, lexicons, lead_end=0)] == ["trade"]


def test_a_happening_named_as_a_point_in_time_is_not_a_topic():
    lexicon = [TopicLexicon("health", "", "", ("جائح*", "كورونا"))]
    since = "وصل الرئيس في أول زيارة خارجية له منذ تفشي جائحة كورونا."
    assert find_topics(since, lexicon, lead_end=len(since)) == []
    about = "بحث الوزيران التعاون في مكافحة جائحة كورونا."
    assert [t.slug for t in find_topics(about, lexicon, lead_end=len(about))] == ["health"]


def test_what_a_piece_sets_aside_is_not_its_topic():
    lexicon = [TopicLexicon("energy", "", "", ("النفط",)), TopicLexicon("culture", "", "", ("التعليم",))]
    text = "بعيدا عن أنابيب النفط، يتسع الحضور الصيني في التعليم."
    assert [t.slug for t in find_topics(text, lexicon, lead_end=len(text))] == ["culture"]


def test_the_airport_a_visitor_lands_at_is_not_air_transport():
    lexicon = [TopicLexicon("transport", "", "", ("مطار*",))]
    landed = "كان في استقبال الرئيس لدى وصوله إلى مطار العاصمة رئيس الوزراء."
    assert find_topics(landed, lexicon, lead_end=len(landed)) == []
    built = "وقع البلدان اتفاقا لتوسيع مطار العاصمة وبناء مدرج جديد."
    assert [t.slug for t in find_topics(built, lexicon, lead_end=len(built))] == ["transport"]


def test_a_leaders_tour_abroad_is_a_visit_and_counts_for_diplomacy(knowledge):
    text = ("بكين 7 مايو 2015 (شينخوا) انطلق الرئيس الصيني اليوم في جولة بآسيا الوسطى تقوده إلى قازاقستان وروسيا.\n\n"
            "وفي ما يلي أرقام التبادل التجاري بين البلدين.")
    result = extract_article(text, knowledge)
    assert "visit" in result.signature["kinds"]
    assert "diplomacy" in {t.slug for t in result.topics}


def test_a_state_visit_in_the_calendar_does_not_make_an_article_multilateral(knowledge):
    text = ("الرئيس الصيني يصل إلى كازاخستان\n\nأستانا 7 مايو 2015 (شينخوا) وصل الرئيس الصيني شي جين بينغ اليوم "
            "إلى أستانا في زيارة دولة إلى كازاخستان يبحث خلالها مع نظيره التعاون الثنائي.")
    result = extract_article(text, knowledge)
    assert result.signature["meetings"]  # the visit is the calendar's
    assert "multilateral" not in {t.slug for t in result.topics}
    summit = ("قمة شنغهاي\n\nأستانا 15 يونيو 2011 (شينخوا) افتتحت اليوم قمة منظمة شنغهاي للتعاون في أستانا "
              "بحضور قادة الدول الأعضاء.")
    assert "multilateral" in {t.slug for t in extract_article(summit, knowledge).topics}


def test_a_byline_or_an_editors_note_is_not_the_lead():
    from timeline.extract.clean import CleanText

    cleaned = CleanText(title="عنوان", paragraphs=[
        "(يضيف تعليقات من الرئيس في الفقرات من 7 إلى 9)", "بقلم أندرو هايلي",
        "أبلغ الرئيس الصيني نظيره الكازاخستاني الزائر بأن بكين ترغب في توطيد العلاقات.", "وقال الرئيس."])
    assert cleaned.lead.startswith("أبلغ") and cleaned.through_lead.startswith("(يضيف")


def test_a_visit_talks_call_or_letter_by_its_event_type_is_diplomacy_a_statement_is_not():
    lexicon = [TopicLexicon("diplomacy", "", "", ("سفير*",))]
    for code in ("state_visit", "official_visit", "talks", "phone_call", "message"):
        assert {t.slug for t in find_topics("نص بلا كلمات مفتاحية", lexicon, kinds={f"type:{code}"})} == {"diplomacy"}, code
    for code in ("statement", "agreement_signed", "project_opened", "other"):
        assert find_topics("نص بلا كلمات مفتاحية", lexicon, kinds={f"type:{code}"}) == [], code


def test_the_extractor_gives_the_event_type_to_the_topics(knowledge):
    import dataclasses

    # Without any diplomacy keyword in the lexicon, a reported phone call still counts for diplomacy.
    bare = dataclasses.replace(knowledge, topics=[
        dataclasses.replace(t, phrases=("كلمة لا ترد",)) if t.slug == "diplomacy" else t for t in knowledge.topics])
    text = ("اتصال هاتفي بين الرئيسين\n\nأستانا 3 مارس 2021 (شينخوا) أجرى الرئيس الكازاخستاني اتصالا هاتفيا "
            "بالرئيس الصيني بحثا خلاله التعاون.")
    result = extract_article(text, bare)
    assert result.event_type == "phone_call"
    assert "diplomacy" in {t.slug for t in result.topics}


def test_nuclear_weapons_are_not_energy_nuclear_power_is(knowledge):
    weapons = ("بيان القمة\n\nبيشكيك 25 أغسطس 1999 دعا القادة إلى إقامة منطقة خالية من الأسلحة النووية في آسيا الوسطى "
               "ورفض التجارب النووية.")
    power = ("محطة نووية\n\nأستانا 2 أكتوبر 2024 اتفق الجانبان على بناء محطة للطاقة النووية في كازاخستان "
             "وتوريد الوقود النووي.")
    assert "energy" not in {t.slug for t in extract_article(weapons, knowledge).topics}
    assert "energy" in {t.slug for t in extract_article(power, knowledge).topics}


def test_a_keyword_that_goes_on_with_a_list_is_a_list_item_too():
    lexicons = [TopicLexicon("trade", "", "", ("تجار*",)), TopicLexicon("energy", "", "", ("طاقة",)),
                TopicLexicon("security", "", "", ("أمني*", "دفاعي*")),
                TopicLexicon("culture", "", "", ("التبادل الشعبي", "ثقاف*", "سياح*"))]
    # The culture words have keywords of one other topic at most around them, but they carry the list on.
    pillars = ("واقترح الرئيس محاور للتعاون، هي التجارة والطاقة، وتعميق التعاون الأمني والدفاعي، فضلا عن توسيع "
               "التبادل الشعبي والثقافي، وإنجاح عام السياحة في البلدين.")
    assert find_topics(pillars, lexicons, lead_end=0) == []
    # After a sentence end, the same words are said about something: two mentions make a topic.
    said = ("اتفق الجانبان على التعاون في التجارة والطاقة. وفي شأن آخر قال المسؤولون في العاصمة الكازاخستانية أمس "
            "إن المدينة تستعد. وسيفتتح مهرجان ثقافي، ثم يتوافد السياح عليه.")
    assert [t.slug for t in find_topics(said, lexicons, lead_end=0)] == ["culture"]


def test_border_demarcation_unrest_and_nato_are_security(knowledge):
    treaty = ("معاهدة حدود\n\nألماتي 4 يوليو 1998 وقعت الصين وكازاخستان معاهدة لترسيم حدودهما، وقال الرئيسان إن "
              "المعاهدة تطوي خلافا قديما.")
    unrest = ("مقال\n\nتناولت الصحيفة العلاقات بين البلدين. وكانت البلاد قد شهدت اضطرابات في يناير، "
              "وقعت خلالها أعمال عنف في عدة مدن.")
    bases = "قمة\n\nتحدث الرئيس عن حلف شمال الأطلسي في كلمته أمام القمة."
    for text in (treaty, unrest, bases):
        assert "security" in {t.slug for t in extract_article(text, knowledge).topics}, text


def test_a_meeting_with_a_pronoun_ending_is_diplomacy_the_eurasian_union_is_not_trade(knowledge):
    met = "اتفاقات\n\nأعلن الرئيس الكازاخستاني بعد لقائه الرئيس الصيني أن البلدين سيوقعان اتفاقات."
    assert "diplomacy" in {t.slug for t in extract_article(met, knowledge).topics}
    bloc = "قمة الاتحاد الاقتصادي الأوراسي\n\nاجتمع قادة دول الاتحاد الاقتصادي الأوراسي في أستانا أمس."
    topics = {t.slug for t in extract_article(bloc, knowledge).topics}
    assert "multilateral" in topics and "trade" not in topics


def test_the_asia_europe_meeting_is_multilateral(knowledge):
    text = ("لقاء في مدريد\n\nالتقى وزيرا خارجية البلدين يوم الأحد على هامش الاجتماع الرابع عشر لوزراء خارجية "
            "آسيا-أوروبا (آسيم).")
    assert "multilateral" in {t.slug for t in extract_article(text, knowledge).topics}


def test_the_blocs_a_country_is_introduced_as_a_member_of_are_not_a_topic():
    lexicons = [TopicLexicon("multilateral", "", "", ("منظمة شنغهاي", "بريكس", "الاتحاد الاقتصادي الأوراسي")),
                TopicLexicon("energy", "", "", ("غاز",))]
    member = ("تولي كازاخستان، العضو في منظمة شنغهاي للتعاون والاتحاد الاقتصادي الأوراسي والساعية إلى الانضمام إلى "
              "مجموعة بريكس، عناية متزايدة لعلاقاتها مع الصين في مجال الغاز")
    assert "multilateral" not in {t.slug for t in find_topics(member, lexicons, lead_end=len(member))}
    summit = "تستضيف كازاخستان قمة منظمة شنغهاي للتعاون. ويبحث القادة توسيع منظمة شنغهاي."
    assert "multilateral" in {t.slug for t in find_topics(summit, lexicons, lead_end=0)}


def test_goods_carried_and_the_routes_trade_takes_are_transport_not_trade():
    lexicons = [TopicLexicon("trade", "", "", ("تجار*", "بضائع")), TopicLexicon("transport", "", "", ("قطار*", "ميناء"))]
    freight = ("انطلق قطار محمل بـ1300 طن من البضائع نحو ألماتي. وخصص القطار لنقل بضائع قادمة من شرق الصين، "
               "ويبلغ قطار البضائع وجهته في سبعة أيام.")
    assert [t.slug for t in find_topics(freight, lexicons, lead_end=0)] == ["transport"]
    routes = "طرق التجارة الجديدة تنعش ميناء أكتاو\nقد يبعث الميناء من جديد بفضل الطرق الجديدة المخصصة للتجارة."
    assert [t.slug for t in find_topics(routes, lexicons, lead_end=len(routes))] == ["transport"]
    # The way towards more trade is trade; goods sold are trade.
    said = "يمضي البلدان على طريق تعزيز التجارة بينهما. وقال الوزير إن صادرات البضائع ارتفعت."
    assert [t.slug for t in find_topics(said, lexicons, lead_end=0)] == ["trade"]


def test_arrests_and_detentions_are_security(knowledge):
    text = ("مذكرة احتجاج\n\nسلمت الخارجية مذكرة احتجاج بسبب احتجاز مواطنين. وقالت إن السلطات احتجزت عشرة مواطنين، "
            "وإن أسر المحتجزين طالبت بالإفراج عنهم.")
    assert "security" in {t.slug for t in extract_article(text, knowledge).topics}


def test_the_exports_of_a_fuel_are_energy_not_trade():
    lexicons = [TopicLexicon("trade", "", "", ("صادرات", "تجار*")), TopicLexicon("energy", "", "", ("طاقة", "نفط*", "غاز"))]
    fuel = ("وقال الرئيس إن خط الأنابيب خطوة نحو تنويع صادرات الطاقة من المنطقة، "
            "وإنه سيساعد في تنويع صادرات الطاقة إلى الأسواق العالمية وزيادة صادرات النفط.")
    assert [t.slug for t in find_topics(fuel, lexicons, lead_end=0)] == ["energy"]
    # Exports of anything else are trade.
    goods = "وقال الوزير إن صادرات القمح ارتفعت، وإن صادرات السيارات تضاعفت."
    assert [t.slug for t in find_topics(goods, lexicons, lead_end=0)] == ["trade"]


def test_an_embassy_advising_its_own_citizens_is_not_diplomacy():
    lexicon = [TopicLexicon("diplomacy", "", "", ("سفار*", "سفير*", "قنصل*"))]
    advice = ("ونبهت السفارة الصينية في أستانا، في تحذير موجه إلى المواطنين الصينيين، إلى خطورة المرض. "
              "وحثت السفارة رعاياها على وضع الكمامات. ودعا السفير الجالية إلى التسجيل لدى القنصلية.")
    assert find_topics(advice, lexicon, lead_end=0) == []
    # the same missions doing diplomacy still count, in the same article too
    relations = ("وأقامت السفارة الصينية في أستانا حفل استقبال بمناسبة العيد الوطني. "
                 "وقال السفير إن العلاقات بين البلدين في أفضل مراحلها.")
    assert [t.slug for t in find_topics(relations, lexicon, lead_end=0)] == ["diplomacy"]
    assert [t.slug for t in find_topics(advice + " " + relations, lexicon, lead_end=0)] == ["diplomacy"]


def test_police_holding_back_a_rally_is_not_security_unrest_with_casualties_is():
    lexicon = [TopicLexicon("security", "", "", ("شرطة", "اعتقل*", "احتجز*", "اضطرابات"))]
    rally = ("وتجمع مئات المتظاهرين في وسط المدينة رفضا لبيع الأراضي، ففرقتهم الشرطة. "
             "واعتقلت الشرطة ثلاثة من المحتجين بعد مناوشات قصيرة.")
    assert find_topics(rally, lexicon, lead_end=0) == []
    # dead or wounded make it unrest; and arrests away from a rally (or after a diplomatic protest note) still count
    unrest = "وقالت الشرطة إنها اعتقلت المئات من المحتجين بعد اشتباكات خلفت عشرات القتلى."
    assert [t.slug for t in find_topics(unrest, lexicon, lead_end=0)] == ["security"]
    detained = "وسلمت الوزارة مذكرة احتجاج. وقالت إن الشرطة احتجزت عشرة مواطنين بتهمة الانتماء إلى جماعة محظورة."
    assert [t.slug for t in find_topics(detained, lexicon, lead_end=0)] == ["security"]
