"""Discovery: a name after a title that the gazetteer lacks is proposed, then accepted or rejected in the admin."""

import io

import pytest

from tests.conftest import json_of
from timeline.extract import extract_article
from timeline.extract.discovery import STOP_WORDS, find_proposals
from timeline.extract.knowledge import Entity, Knowledge

GAZETTEER = Knowledge(entities=[
    Entity("china", "place", "China", "الصين", ("صيني", "صينية"), "china", True),
    Entity("kazakhstan", "place", "Kazakhstan", "كازاخستان", ("قازاقستان", "كازاخستاني", "كازاخستانية"), "kazakhstan", True),
    Entity("kyrgyzstan", "place", "Kyrgyzstan", "قيرغيزستان", ("قرغيزي", "قرغيزية", "قيرغيزي"), "kyrgyzstan", True),
    Entity("tajikistan", "place", "Tajikistan", "طاجيكستان", ("طاجيكي", "طاجيكية"), "tajikistan", True),
    Entity("tokayev", "person", "Kassym-Jomart Tokayev", "قاسم جومارت توكاييف", ("توكاييف", "توكايف"), "kazakhstan"),
    Entity("wang-yi", "person", "Wang Yi", "وانغ يي", (), "china"),
    Entity("astana", "place", "Astana", "أستانا", ("آستانا",), "kazakhstan"),
    Entity("beijing", "place", "Beijing", "بكين", (), "china"),
    Entity("aktau", "place", "Aktau", "أكتاو", ("أقتاو",), "kazakhstan"),
    Entity("sco", "organisation", "Shanghai Cooperation Organisation", "منظمة شنغهاي للتعاون", ()),
])


def proposed(text):
    return [(p.name_ar, p.kind, p.country) for p in find_proposals(text, GAZETTEER)]


@pytest.mark.parametrize("text, name, kind, country, evidence", [
    ("قال وزير الخارجية القرغيزي جينبيك كولوباييف إن العلاقات جيدة.",
     "جينبيك كولوباييف", "person", "kyrgyzstan", "وزير الخارجية القرغيزي"),
    ("استقبل الرئيس الطاجيكي إمام علي رحمن الوفد في دوشنبه.", "إمام علي رحمن", "person", "tajikistan", "الرئيس الطاجيكي"),
    ("وأكد السفير الصيني لدى كازاخستان تشانغ شياو، أن الزيارة مهمة.",
     "تشانغ شياو", "person", "china", "السفير الصيني لدى كازاخستان"),
    ("وقال سفير كازاخستان في بكين شاخرات نوريشيف إن التعاون يتسع.", "شاخرات نوريشيف", "person", "kazakhstan",
     "سفير كازاخستان في بكين"),
    ("وقالت المتحدثة باسم وزارة الخارجية الصينية ماو نينغ خلال مؤتمر صحفي", "ماو نينغ", "person", "china",
     "المتحدثة باسم وزارة الخارجية الصينية"),
    ("والتقى نائب رئيس مجلس الدولة الصيني خو تشون هوا مع الوفد", "خو تشون هوا", "person", "china",
     "نائب رئيس مجلس الدولة الصيني"),
    ("وشارك رئيس مجلس الشيوخ الكازاخستاني مولن أشيمباييف في الاجتماع", "مولن أشيمباييف", "person", "kazakhstan",
     "رئيس مجلس الشيوخ الكازاخستاني"),
    ("وبحث رئيس وزراء كازاخستان أولجاس بيكتينوف مع الوفد", "أولجاس بيكتينوف", "person", "kazakhstan",
     "رئيس وزراء كازاخستان"),
    ("وقال الأمين العام لمنظمة شنغهاي للتعاون تشانغ مينغ إن", "تشانغ مينغ", "person", "", "الأمين العام لمنظمة شنغهاي للتعاون"),
    ("ويعمل ميناء كوريك على بحر قزوين منذ سنوات", "كوريك", "place", "", "ميناء"),
    ("وتمر القطارات عبر معبر ألاشانكو الصيني يوميا", "ألاشانكو", "place", "china", "معبر"),
])
def test_a_name_after_a_title_is_proposed_as_the_kind_its_title_implies(text, name, kind, country, evidence):
    [proposal] = find_proposals(text, GAZETTEER)
    assert (proposal.name_ar, proposal.kind, proposal.country, proposal.evidence) == (name, kind, country, evidence)
    [(start, end)] = proposal.mentions
    assert text[start:end] == name


def test_a_governor_and_the_region_he_governs_are_two_proposals():
    assert proposed("وأعلن حاكم مقاطعة جامبيل بيرديبيك ساباربيكوف أن المشروع اكتمل") == [
        ("بيرديبيك ساباربيكوف", "person", ""), ("جامبيل", "place", ""),
    ]


def test_egyptian_spellings_fold_into_the_known_name_and_into_one_proposal():
    # Egyptian ج for غ and final ى: still Wang Yi, who is known.
    assert proposed("وقال وزير الخارجية الصينى وانج يى إن البلدين شريكان") == []
    text = "استقبل الرئيس الصينى السفير دوسان قاراتاييف، ثم التقى السفير دوسان قراتايف في أستانا."
    [proposal] = find_proposals(text, GAZETTEER)
    assert proposal.name_ar == "دوسان قاراتاييف" and len(proposal.mentions) == 2


@pytest.mark.parametrize("word", ["قال", "أن", "إن", "في", "خلال", "الذي", "مع", "لدى"])
def test_the_name_stops_at_a_verb_or_function_word(word):
    assert word.replace("أ", "ا").replace("إ", "ا").replace("ى", "ي") in STOP_WORDS
    assert proposed(f"وزير الخارجية القرغيزي جينبيك كولوباييف {word} شيء آخر") == [
        ("جينبيك كولوباييف", "person", "kyrgyzstan")
    ]


@pytest.mark.parametrize("text, name", [
    ("قال الرئيس الطاجيكي إمام علي رحمن، في كلمته", "إمام علي رحمن"),
    ("قال الرئيس الطاجيكي إمام علي رحمن (72 عاما)", "إمام علي رحمن"),
    ("وقال الأمين العام للأمم المتحدة بان كي مون إن", "بان كي مون"),
    ("وقال رئيس الوزراء ألكسندر موروزوف إن", "ألكسندر موروزوف"),  # a hamza, not the article
    ("التقى وزير الخارجية الطاجيكي سراج الدين مهر الدين والوفد المرافق له", "سراج الدين مهر الدين"),
    ("وصل الرئيس القرغيزي صادر جباروف الأربعاء إلى بكين", "صادر جباروف"),
    ("وصل الرئيس القرغيزي صادر جباروف الجديد", "صادر جباروف"),
])
def test_punctuation_conjunctions_and_adjectives_end_the_name(text, name):
    assert [p[0] for p in proposed(text)] == [name]


@pytest.mark.parametrize("text", [
    "وقال الرئيس في خطاب ألقاه أمس إن البلدين شريكان",
    "وبعث الرئيس الأوزبكي لنظيره برقية",
    "الرئيس الصيني يتوجه إلى أستانا",
    "وقال رئيس شركة النفط إن الإنتاج ارتفع",
    "وقال الرئيس الجديد إن الإصلاح مستمر",
    "واختير رئيس وزراء جديد",
    "وافتتح معبر حدودي جديد",
    "وقال الرئيس السابق إن",
    "وقال السفير إن العلاقات ممتازة",
    "وأعلن وزير الخارجية أن",
    "أقيم في مدينة صناعية مصنع جديد",
])
def test_generic_words_verbs_and_bare_titles_are_not_names(text):
    assert proposed(text) == []


@pytest.mark.parametrize("text", [
    "التقى الرئيس الكازاخستاني قاسم جومارت توكاييف الوفد",
    "التقى الرئيس توكايف الوفد",  # another spelling the gazetteer has
    "وقال وزير الخارجية وانغ إن",  # a known person's surname alone
    "وصلت السفينة إلى ميناء أكتاو أمس",
    "وصلت السفينة إلى ميناء أقتاو أمس",
])
def test_a_name_the_gazetteer_knows_is_not_proposed(text):
    assert proposed(text) == []


def test_extraction_result_lists_the_proposals():
    text = ("كازاخستان وقيرغيزستان تبحثان النقل\n\n"
            "أستانا 3 يوليو 2024 (شينخوا) بحث الرئيس الكازاخستاني توكاييف مع وزير الخارجية القرغيزي "
            "جينبيك كولوباييف تطوير ميناء كوريك.")
    result = extract_article(text, GAZETTEER)
    assert result.as_dict()["proposals"] == [
        {"name_ar": "جينبيك كولوباييف", "key": result.proposals[0].key, "kind": "person", "country": "kyrgyzstan",
         "evidence": "وزير الخارجية القرغيزي", "mentions": 1},
        {"name_ar": "كوريك", "key": result.proposals[1].key, "kind": "place", "country": None,
         "evidence": "ميناء", "mentions": 1},
    ]
    start, end = result.proposals[0].mentions[0]
    assert result.body[start:end] == "جينبيك كولوباييف"


# --- stored, accepted, rejected -----------------------------------------------------------------

ARTICLE_1 = ("الصين وكازاخستان تبحثان التعاون في الطاقة\n\n"
             "أستانا 12 سبتمبر 2023 (شينخوا) -- بحث وزير الطاقة الكازاخستاني دوسان قاراتاييف اليوم مع الوفد الصيني "
             "تطوير خطوط الأنابيب، وقال قاراتاييف إن المشروع سيكتمل العام المقبل.")
ARTICLE_2 = ("كازاخستان تعرض مشروعات الطاقة في بكين\n\n"
             "بكين 20 أكتوبر 2023 (شينخوا) -- عرض وزير الطاقة في كازاخستان دوسان قراتايف اليوم مشروعات جديدة "
             "على المستثمرين الصينيين في معرض للطاقة.")
ARTICLE_3 = ("مباحثات صينية كازاخستانية في ألماتي\n\n"
             "ألماتي 5 مايو 2024 (شينخوا) -- التقى الرئيس الكازاخستاني بولات تيمورخانوف وفدا صينيا اليوم "
             "وبحث معه التجارة بين البلدين.")


def ingest(text):
    from timeline.ingest import ingest_text

    outcome = ingest_text(text)
    assert outcome.status in ("new", "unchanged"), outcome.message
    return outcome.article


@pytest.mark.django_db
def test_ingest_stores_each_name_once_with_the_articles_that_mention_it():
    from timeline.models import ProposedEntity

    first = ingest(ARTICLE_1)
    ingest(ARTICLE_1)  # again: nothing new
    second = ingest(ARTICLE_2)  # the same minister, spelled another way
    proposal = ProposedEntity.objects.get(name_ar="دوسان قاراتاييف")
    assert (proposal.kind, proposal.country, proposal.status) == ("person", "kazakhstan", "proposed")
    assert proposal.evidence == "وزير الطاقة الكازاخستاني"
    assert set(proposal.articles.all()) == {first, second}
    assert ProposedEntity.objects.filter(name_ar__contains="قراتايف").count() == 0


@pytest.mark.django_db
def test_admin_lists_proposals_with_their_evidence_and_article_count(editor_client):
    ingest(ARTICLE_1)
    ingest(ARTICLE_2)
    page = editor_client.get("/admin/timeline/proposedentity/?status__exact=proposed&kind__exact=person")
    html = page.content.decode()
    assert page.status_code == 200
    assert "دوسان قاراتاييف" in html and "وزير الطاقة الكازاخستاني" in html
    assert '<td class="field-n_articles">2</td>' in html


@pytest.mark.django_db
def test_accepting_adds_the_entity_and_tags_its_articles_and_events_again(editor_client):
    from timeline.models import Entity, Event, ProposedEntity

    first, second = ingest(ARTICLE_1), ingest(ARTICLE_2)
    proposal = ProposedEntity.objects.get(name_ar="دوسان قاراتاييف")
    editor_client.post(f"/admin/timeline/proposedentity/{proposal.pk}/change/",
                       {"name_en": "Dosan Karatayev", "kind": "person", "country": "kazakhstan"})
    response = editor_client.post(
        "/admin/timeline/proposedentity/", {"action": "accept", "_selected_action": [proposal.pk]}, follow=True
    )
    assert "قبل 1 وأعيد وسم 2 مقالة" in response.content.decode()
    entity = Entity.objects.get(name_en="Dosan Karatayev")
    assert (entity.kind, entity.country, entity.name_ar, entity.slug) == (
        "person", "kazakhstan", "دوسان قاراتاييف", "dosan-karatayev")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.entity) == ("accepted", entity)
    # Both spellings met became aliases: the matcher now finds him in both articles and their events.
    assert sorted(entity.aliases) == ["دوسان قراتايف"]
    for article in (first, second):
        article.refresh_from_db()
        assert article.entity_matches.filter(entity=entity).exists()
    assert set(Event.objects.filter(entities=entity)) == {first.event, second.event}
    data = json_of(editor_client.get("/events.json?entity=dosan-karatayev"))
    assert data["count"] == 2 and all("Dosan Karatayev" in e["entities"] for e in data["events"])
    assert "Dosan Karatayev" in editor_client.get("/en/").content.decode()  # the timeline's entity facet
    # Accepting twice creates nothing more.
    editor_client.post("/admin/timeline/proposedentity/", {"action": "accept", "_selected_action": [proposal.pk]})
    assert Entity.objects.filter(name_ar="دوسان قاراتاييف").count() == 1


@pytest.mark.django_db
def test_accepting_without_an_english_name_uses_the_arabic_one(editor_client):
    from timeline.models import Entity, ProposedEntity

    ingest(ARTICLE_3)
    proposal = ProposedEntity.objects.get(name_ar="بولات تيمورخانوف")
    editor_client.post("/admin/timeline/proposedentity/", {"action": "accept", "_selected_action": [proposal.pk]})
    entity = Entity.objects.get(name_ar="بولات تيمورخانوف")
    assert entity.name_en == "بولات تيمورخانوف" and entity.kind == "person"


@pytest.mark.django_db
def test_a_rejected_name_is_never_proposed_again(editor_client):
    from timeline.models import ProposedEntity

    ingest(ARTICLE_1)
    proposal = ProposedEntity.objects.get(name_ar="دوسان قاراتاييف")
    response = editor_client.post(
        "/admin/timeline/proposedentity/", {"action": "reject", "_selected_action": [proposal.pk]}, follow=True
    )
    assert "رفض 1" in response.content.decode()
    article = ingest(ARTICLE_2)  # names him again
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and not article.proposals.exists()
    listing = editor_client.get("/admin/timeline/proposedentity/?status__exact=proposed").content.decode()
    assert "قاراتاييف" not in listing


@pytest.mark.django_db
def test_articles_stored_before_discovery_get_their_proposals_from_the_command():
    from django.core.management import call_command

    from timeline.models import ProposedEntity

    article = ingest(ARTICLE_1)
    rejected = ProposedEntity.objects.create(key="rejected-elsewhere", name_ar="اسم مرفوض", kind="person", status="rejected")
    rejected.articles.add(article)
    ProposedEntity.objects.filter(status="proposed").delete()  # as if ingested before migration 0005
    call_command("propose_entities", stdout=io.StringIO())
    assert set(article.proposals.values_list("name_ar", flat=True)) == {"دوسان قاراتاييف", "اسم مرفوض"}
    call_command("propose_entities", stdout=io.StringIO())  # again: nothing new
    assert ProposedEntity.objects.filter(status="proposed").count() == 1
