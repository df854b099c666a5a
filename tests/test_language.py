"""An article's language is detected from its script and stored; the admin says when it is not Arabic."""

import pytest

from tests.test_admin import REPORT
from timeline.extract import extract_article
from timeline.extract.language import detect_language
from timeline.ingest import ingest_text
from timeline.models import Article

ENGLISH = (
    "China and Kazakhstan sign a treaty of permanent good-neighbourliness\n\n"
    "Astana, June 17, 2025 (Xinhua) -- The leaders of China and the five Central Asian countries signed the treaty "
    "on Tuesday at the second China-Central Asia summit in the capital of Kazakhstan."
)
CHINESE = "中国与哈萨克斯坦签署永久睦邻友好合作条约\n\n新华社阿斯塔纳6月17日电 国家主席习近平在阿斯塔纳出席第二届中国—中亚峰会。"
RUSSIAN = "Китай и Казахстан подписали договор\n\nАстана, 17 июня 2025 года. Лидеры Китая и стран Центральной Азии подписали договор."
KAZAKH = "Қазақстан мен Қытай келісімге қол қойды\n\nАстана қаласында Орталық Азия мен Қытай саммиті өтті."


@pytest.mark.parametrize(
    "text, language",
    [(ENGLISH, "en"), (CHINESE, "zh"), (RUSSIAN, "ru"), (KAZAKH, "kk"), (REPORT, "ar"),
     # an Arabic report that quotes English and Chinese names is still Arabic
     (REPORT + "\n\nWang Yi (王毅) and the Astana International Forum (AIF).", "ar")],
)
def test_language_is_the_script_most_letters_are_written_in(knowledge, text, language):
    assert detect_language(text) == language
    assert extract_article(text, knowledge).language == language


@pytest.mark.django_db
def test_english_and_chinese_articles_are_stored_with_their_language():
    assert ingest_text(ENGLISH).article.language == "en"
    assert ingest_text(CHINESE).article.language == "zh"
    assert ingest_text(REPORT).article.language == "ar"
    assert sorted(Article.objects.values_list("language", flat=True)) == ["ar", "en", "zh"]


@pytest.mark.django_db
def test_admin_says_when_an_article_is_not_in_arabic(editor_client):  # noqa: F811
    response = editor_client.post("/admin/timeline/article/add/", {"raw_text": ENGLISH}, follow=True)
    assert "ليست بالعربية (الإنجليزية)" in response.content.decode()
    article = Article.objects.get()
    page = editor_client.get(f"/admin/timeline/article/{article.pk}/change/").content.decode()
    assert "ليست بالعربية: الإنجليزية" in page
    listing = editor_client.get("/admin/timeline/article/?language__exact=en").content.decode()
    assert article.title in listing
    arabic = editor_client.post("/admin/timeline/article/add/", {"raw_text": REPORT}, follow=True).content.decode()
    assert "هذه المقالة ليست بالعربية" not in arabic and "تاريخ" in arabic
