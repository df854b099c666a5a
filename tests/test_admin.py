"""Editors: paste an article in the admin and find it on the timeline."""

import datetime

import pytest

from timeline.models import Article, Event

pytestmark = pytest.mark.django_db


REPORT = (
    "الصين وكازاخستان توقعان اتفاقية لتطوير ممر النقل عبر بحر قزوين\n\n"
    "أستانا 12 سبتمبر 2023 (كونا) -- وقعت الصين وكازاخستان اليوم اتفاقية لتطوير السكك الحديدية والموانئ "
    "على طريق النقل الدولي عبر بحر قزوين، وقال وزير النقل إن قطارات الشحن ستزداد.\n\n"
    "وأضاف أن الشحن بالسكك الحديدية عبر ميناء أكتاو سيتضاعف خلال عامين."
)


def test_add_article_by_pasting_text_places_it_on_the_timeline(editor_client, ingested):
    response = editor_client.post("/admin/timeline/article/add/", {"raw_text": REPORT, "url": "https://example.org/a"}, follow=True)
    assert response.status_code == 200
    article = Article.objects.get(url="https://example.org/a")
    assert article.date_start == datetime.date(2023, 9, 12) and article.precision == "day"
    assert article.outlet.name_en == "Kuwait News Agency"
    assert "transport" in {m.topic.slug for m in article.topic_matches.all()}
    assert Event.objects.dated().count() == 5
    assert "2023" in response.content.decode()
    timeline = editor_client.get("/?year=2023").content.decode()
    assert "ممر النقل عبر بحر قزوين" in timeline


def test_report_on_an_existing_event_joins_it(editor_client, ingested):
    text = ("الرئيس الصيني يصل إلى أستانا في زيارة دولة\n\n"
            "وصل الرئيس الصيني شي جين بينغ إلى أستانا في زيارة دولة إلى كازاخستان ولحضور قمة منظمة شنغهاي للتعاون "
            "لعام 2024، حيث يلتقي الرئيس توكاييف.\n\nوتأتي الزيارة في إطار تعزيز الشراكة.")
    editor_client.post("/admin/timeline/article/add/", {"raw_text": text})
    event = Event.objects.get(date_start__year=2024)
    assert event.articles.count() == 3
    assert Event.objects.count() == 4


def test_supplied_publication_date_dates_an_article_without_other_cues(editor_client, db):
    text = "تعاون جديد بين الصين وكازاخستان\n\nأكد الجانبان أهمية تعزيز التعاون الاقتصادي والتجاري بين البلدين."
    editor_client.post("/admin/timeline/article/add/", {"raw_text": text, "published_on": "2021-03-04"})
    article = Article.objects.get()
    assert (article.date_start, article.date_method) == (datetime.date(2021, 3, 4), "publication")
    assert article.needs_review  # publication date alone is low confidence


def test_duplicate_is_refused_with_a_link_and_nothing_is_added(editor_client, ingested, seeds_dir):
    text = next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    response = editor_client.post("/admin/timeline/article/add/", {"raw_text": text})
    assert response.status_code == 200
    assert "already in the timeline" in response.content.decode() or "موجودة في الخط الزمني" in response.content.decode()
    assert Article.objects.count() == 5


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02" * 40])
def test_empty_or_binary_paste_gets_a_message_not_an_error(editor_client, db, text):
    response = editor_client.post("/admin/timeline/article/add/", {"raw_text": text})
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert Article.objects.count() == 0


def test_html_paste_is_reduced_to_text_and_the_original_is_kept(editor_client, db):
    html = ("<div><h1>الصين وكازاخستان تبحثان التعاون</h1><p>بكين 3 يوليو 2024 (كونا) -- بحث وزيرا الخارجية "
            "التعاون.</p><script>alert(1)</script><p>وأضاف الوزير.</p></div>")
    editor_client.post("/admin/timeline/article/add/", {"raw_text": html})
    article = Article.objects.get()
    assert article.title == "الصين وكازاخستان تبحثان التعاون"
    assert "<p>" not in article.body and "alert" not in article.body
    assert article.raw_text == html  # nothing lost


def test_uploaded_windows_1256_file_is_read(editor_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("report.txt", REPORT.encode("cp1256"), content_type="text/plain")
    editor_client.post("/admin/timeline/article/add/", {"raw_text": "", "text_file": upload})
    assert Article.objects.get().date_start == datetime.date(2023, 9, 12)


def test_event_list_filters_by_year_topic_and_review(editor_client, ingested):
    from timeline.ingest import ingest_text

    ingest_text("تعاون بين الصين وكازاخستان\n\nأكد الجانبان أهمية تعزيز التعاون في مجالات عديدة.")
    assert editor_client.get("/admin/timeline/event/").status_code == 200
    page = editor_client.get("/admin/timeline/event/?year=2024").content.decode()
    assert "زيارة تاريخية" in page and "تعزيز التعاون في مجالي الأمن" not in page
    from timeline.models import Topic

    health = Topic.objects.get(slug="health").pk
    page = editor_client.get(f"/admin/timeline/event/?topics__id__exact={health}").content.decode()
    assert "وزيرا الخارجية" in page and "زيارة تاريخية" not in page
    review = editor_client.get("/admin/timeline/event/?review=yes").content.decode()
    assert "تعاون بين الصين وكازاخستان" in review and "زيارة تاريخية" not in review


def test_event_page_in_admin_lists_its_articles_inline(editor_client, ingested):
    event = Event.objects.get(date_start__year=2024)
    page = editor_client.get(f"/admin/timeline/event/{event.pk}/change/").content.decode()
    assert page.count("/admin/timeline/article/") >= 2


def test_editor_date_correction_is_kept(editor_client, ingested):
    event = Event.objects.get(date_start__year=2024)
    article = event.articles.order_by("pk").first()
    data = {
        "title": article.title, "outlet": article.outlet_id or "", "url": "", "published_on": "",
        "date_start": "2024-07-03", "date_end": "2024-07-03", "precision": "day", "needs_review": "",
        "topic_matches-TOTAL_FORMS": "0", "topic_matches-INITIAL_FORMS": "0",
    }
    response = editor_client.post(f"/admin/timeline/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert (article.date_start, article.date_method, article.needs_review) == (datetime.date(2024, 7, 3), "editor", False)
    assert Event.objects.get(pk=article.event_id).date_start == datetime.date(2024, 7, 3)


@pytest.mark.parametrize("year", ["99999", "0", "²", "abc", "2024"])
def test_admin_year_filter_never_fails_and_counts_events(editor_client, ingested, year):
    response = editor_client.get(f"/admin/timeline/event/?year={year}")
    assert response.status_code == 200
    assert "2024 (1)" in response.content.decode()  # one event in 2024, though it has two articles


def test_editing_only_the_end_date_keeps_the_article_on_its_event(editor_client, ingested):
    article = Article.objects.get(source_name__startswith="000")
    data = {
        "title": article.title, "outlet": article.outlet_id or "", "url": "", "published_on": "",
        "date_start": "2017-06-08", "date_end": "2017-06-09", "precision": "day", "needs_review": "",
        "topic_matches-TOTAL_FORMS": "0", "topic_matches-INITIAL_FORMS": "0",
    }
    response = editor_client.post(f"/admin/timeline/article/{article.pk}/change/", data)
    assert response.status_code == 302
    assert Event.objects.count() == 4
    assert Event.objects.get(pk=Article.objects.get(pk=article.pk).event_id).date_end == datetime.date(2017, 6, 9)


def test_event_change_page_query_count_does_not_grow_with_articles(editor_client, ingested):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = Event.objects.get(date_start__year=2024)
    with CaptureQueriesContext(connection) as two:
        editor_client.get(f"/admin/timeline/event/{event.pk}/change/")
    outlet = Article.objects.filter(event=event).first().outlet
    for i in range(10):
        Article.objects.create(event=event, title=f"خبر {i}", raw_text="نص", body="نص", content_hash=f"q{i}", outlet=outlet)
    with CaptureQueriesContext(connection) as twelve:
        editor_client.get(f"/admin/timeline/event/{event.pk}/change/")
    assert len(twelve) == len(two)


def test_gazetteer_is_editable_and_a_new_spelling_is_used_at_once(editor_client, db):
    from timeline.models import Entity

    response = editor_client.post("/admin/timeline/entity/add/", {
        "name_en": "Test Minister", "name_ar": "وزير الاختبار", "slug": "test-minister", "kind": "person",
        "country": "kazakhstan", "aliases": "تيستوف,تيستوفا", "roles": "[]", "historic": "[]",
    })
    assert response.status_code == 302, response.content.decode()[:1500]
    assert Entity.objects.get(slug="test-minister").aliases == ["تيستوف", "تيستوفا"]
    editor_client.post("/admin/timeline/article/add/", {
        "raw_text": "لقاء\n\nأستانا 12 سبتمبر 2023 (كونا) -- استقبل الوزير تيستوفا الوفد الصيني."})
    assert "Test Minister" in {m.entity.name_en for m in Article.objects.get().entity_matches.all()}


def test_article_added_with_only_a_url_is_dated_and_attributed_from_the_address(editor_client, db):
    text = ("وزيرا خارجية الصين وكازاخستان يبحثان التعاون\n\n"
            "بحث وزيرا خارجية الصين وكازاخستان أمس التعاون في مجال النقل والطاقة.\n\n"
            "وقال الوزيران إن التبادل التجاري بين البلدين ارتفع خلال العام الماضي.")
    url = "http://arabic.people.com.cn/n3/2016/0506/c31664-9053986.html"
    editor_client.post("/admin/timeline/article/add/", {"raw_text": text, "url": url})
    article = Article.objects.get()
    assert (article.published_on, article.published_evidence) == (datetime.date(2016, 5, 6), "address: /2016/0506/")
    assert (article.date_start, article.date_method) == (datetime.date(2016, 5, 5), "relative")
    assert article.outlet.name_en == "People's Daily"


def test_editor_s_own_date_and_outlet_win_over_the_address(editor_client, db):
    from timeline.models import Outlet

    reuters = Outlet.objects.get(slug="reuters")
    text = "تعاون جديد بين الصين وكازاخستان\n\nأكد الجانبان أهمية تعزيز التعاون الاقتصادي والتجاري بين البلدين."
    editor_client.post("/admin/timeline/article/add/", {
        "raw_text": text, "url": "https://www.aljazeera.net/news/2022/9/14/x", "published_on": "2022-09-20",
        "outlet": reuters.pk,
    })
    article = Article.objects.get()
    assert (article.published_on, article.published_evidence, article.outlet) == (datetime.date(2022, 9, 20), "supplied", reuters)


def test_oversize_upload_is_refused_while_streaming_with_a_form_message(editor_client, db):
    import tracemalloc

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from timeline.extract.decode import MAX_ARTICLE_BYTES

    size = 20 * MAX_ARTICLE_BYTES
    upload = SimpleUploadedFile("huge.txt", REPORT.encode("utf-8") * (size // len(REPORT.encode("utf-8"))))
    body = encode_multipart(BOUNDARY, {"raw_text": "", "text_file": upload, "url": "https://example.org/h"})
    del upload
    editor_client.get("/admin/timeline/article/add/")  # templates and translations loaded before measuring
    tracemalloc.start()
    try:
        response = editor_client.generic("POST", "/admin/timeline/article/add/", body, MULTIPART_CONTENT)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The test client holds one copy of the body; reading the upload whole would be a second one.
    assert peak < 1.5 * size, f"{peak / 1e6:.0f} MB held for a {size / 1e6:.0f} MB upload"
    page = response.content.decode()
    assert response.status_code == 200 and "errornote" in page and "huge.txt" in page
    assert page.count('class="errorlist') == 1  # the file's message alone, not also "there is no text"
    assert response.context["adminform"].form["url"].value() == "https://example.org/h"  # the fields after it arrived
    assert Article.objects.count() == 0


def test_upload_at_the_limit_is_still_read(editor_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from timeline.extract.decode import MAX_ARTICLE_BYTES

    data = REPORT.encode("utf-8")
    data += b" " * (MAX_ARTICLE_BYTES - len(data))
    editor_client.post("/admin/timeline/article/add/", {"raw_text": "", "text_file": SimpleUploadedFile("full.txt", data)})
    assert Article.objects.get().date_start == datetime.date(2023, 9, 12)


@pytest.mark.parametrize("megabytes", [2, 13])
def test_paste_over_the_limit_gets_a_message_not_a_bad_request(editor_client, db, megabytes):
    text = "ا" * (megabytes * 1_000_000 // 2)  # two bytes a letter in UTF-8
    response = editor_client.post("/admin/timeline/article/add/", {"raw_text": text}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" in page or 'class="error"' in page  # the form's message, or the admin's above the form
    assert "أكبر من" in page and "ميغابايت" in page and 'name="raw_text"' in page
    assert Article.objects.count() == 0

