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
