"""The review queue: why each article waits, the dates its text allows, accepting one, and the labels."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline.ingest import ingest_text
from timeline.models import Article, Event

pytestmark = pytest.mark.django_db

D = datetime.date
QUEUE = "/admin/timeline/article/review/"


def stored(text, **kwargs):
    outcome = ingest_text(text, **kwargs)
    assert outcome.status == "new", outcome.message
    return Article.objects.get(pk=outcome.article.pk)


WEEKDAY_CLASH = ("الصين وكازاخستان تعززان التعاون\n\n"
                 "أستانا 8 يونيو 2017 (شينخوا) -- قال الرئيس اليوم (الجمعة) إن البلدين سيعززان التعاون.\n\nوأضاف.")

REASONS = {
    "undated": ("تعاون بين الصين وكازاخستان\n\nأكد الجانبان أهمية تعزيز التعاون في مجالات عديدة.", {}),
    "low_confidence": ("الصين وكازاخستان تبحثان التعاون\n\n"
                       "بحث وزير الخارجية الصيني مع نظيره الكازاخستاني سبل تعزيز التعاون.", {"published": D(2023, 5, 4)}),
    "weekday_contradiction": (WEEKDAY_CLASH, {}),
    "two_datelines": ("بكين 3 يوليو 2024 (شينخوا) التقى الوزيران.\n\n"
                      "أستانا 9 يوليو 2024 (شينخوا) وفي تطور آخر وقع البلدان اتفاقية.\n\nوأضاف.", {}),
    "stamp_before_event": ("الصين وكازاخستان توقعان اتفاقية\n\n"
                           "أستانا 8 يونيو 2017 (شينخوا) -- وقعت الصين وكازاخستان اتفاقية للتعاون.\n\nوأضاف.",
                           {"published": D(2017, 6, 1)}),
    "hijri_mismatch": ("الرياض الخميس 20 رمضان 1438 هـ الموافق 8 يونيو 2017 (واس) - بحث الجانبان التعاون.\n\nوأضاف.", {}),
    "proposed_entity": ("الصين وكازاخستان تبحثان التعاون في الطاقة\n\n"
                        "أستانا 12 سبتمبر 2023 (شينخوا) -- بحث وزير الطاقة الكازاخستاني دوسان قاراتاييف اليوم مع الوفد "
                        "الصيني تطوير خطوط الأنابيب، وقال قاراتاييف إن المشروع سيكتمل العام المقبل.", {}),
}


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_each_reason_is_stored_and_shown_with_its_label(editor_client, reason):
    text, kwargs = REASONS[reason]
    article = stored(text, **kwargs)
    assert reason in article.review_reasons and article.needs_review
    page = editor_client.get(QUEUE, {"reason": reason}).content.decode()
    label = dict(__import__("timeline.models", fromlist=["ReviewReason"]).ReviewReason.choices)[reason]
    assert f"data-pk=\"{article.pk}\"" in page and str(label) in page


def test_a_confident_dated_report_has_no_reason_and_is_not_in_the_queue(editor_client):
    article = stored("الصين وكازاخستان توقعان اتفاقية للنقل\n\n"
                     "أستانا 12 سبتمبر 2023 (كونا) -- وقعت الصين وكازاخستان اليوم اتفاقية لتطوير السكك الحديدية.\n\nوأضاف.")
    assert article.review_reasons == [] and not article.needs_review
    assert f'data-pk="{article.pk}"' not in editor_client.get(QUEUE).content.decode()


def test_possible_duplicate_flags_both_articles_whichever_came_first(editor_client):
    title = "الصين وكازاخستان توقعان اتفاقية للنقل"
    first = stored(f"{title}\n\nأستانا 12 سبتمبر 2023 (كونا) -- وقعت الصين وكازاخستان اليوم اتفاقية لتطوير السكك.\n\nوأضاف.")
    second = stored(f"{title}\n\nأستانا 13 سبتمبر 2023 (كونا) -- وقع البلدان اتفاقية جديدة لتطوير الموانئ والسكك.\n\nوقال.")
    first.refresh_from_db()
    assert "possible_duplicate" in second.review_reasons and "possible_duplicate" in first.review_reasons
    other = stored("الصين وكازاخستان توقعان اتفاقية للنقل\n\n"
                   "بكين 1 مارس 2019 (كونا) -- وقعت الصين وكازاخستان اتفاقية للطيران المدني.\n\nوأضاف.", outlet="وكالة أخرى")
    assert "possible_duplicate" not in other.review_reasons  # same title, another outlet, years apart


def test_candidates_are_ranked_with_evidence_and_accepting_one_redates_and_locks_the_event(editor_client):
    article = stored(WEEKDAY_CLASH)
    candidates = article.date_candidates
    assert candidates[0]["chosen"] and candidates[0]["start"] == "2017-06-08"
    friday = next(i for i, c in enumerate(candidates) if c["start"] == "2017-06-09")
    assert "الجمعه" in candidates[friday]["evidence"] or "الجمعة" in candidates[friday]["evidence"]
    page = editor_client.get(QUEUE).content.decode()
    assert "2017-06-09" in page and 'value="accept"' in page
    response = editor_client.post(QUEUE, {"pk": article.pk, "action": "accept", "candidate": friday, "next": QUEUE})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.date_start, article.date_method, article.needs_review) == (D(2017, 6, 9), "editor", False)
    event = Event.objects.get(pk=article.event_id)
    assert (event.date_start, event.date_locked, event.needs_review) == (D(2017, 6, 9), True, False)
    # the editor's date lasts when another report joins the event's refresh
    from timeline.ingest import refresh_event

    refresh_event(event)
    event.refresh_from_db()
    assert event.date_start == D(2017, 6, 9)
    assert f'data-pk="{article.pk}"' not in editor_client.get(QUEUE).content.decode()


@pytest.mark.parametrize("bad", [{"candidate": "99"}, {"candidate": "x"}, {"pk": "abc"}, {"action": "drop"}])
def test_bad_posts_change_nothing_and_never_fail(editor_client, bad):
    article = stored(WEEKDAY_CLASH)
    data = {"pk": article.pk, "action": "accept", "candidate": "0", **bad}
    assert editor_client.post(QUEUE, data).status_code == 302
    article.refresh_from_db()
    assert article.date_start == D(2017, 6, 8) and article.needs_review


def test_accept_needs_the_csrf_token(client):
    user = get_user_model().objects.create_superuser("editor2", "", "a-long-test-password")
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    article = stored(WEEKDAY_CLASH)
    assert strict.post(QUEUE, {"pk": article.pk, "action": "accept", "candidate": "1"}).status_code == 403


def test_mark_reviewed_clears_needs_review_for_articles_and_events(editor_client):
    article = stored(REASONS["undated"][0])
    editor_client.post(QUEUE, {"pk": article.pk, "action": "reviewed"})
    article.refresh_from_db()
    assert not article.needs_review
    event = Event.objects.get(pk=article.event_id)
    assert event.needs_review
    assert f'data-pk="{event.pk}"' in editor_client.get(QUEUE, {"kind": "events"}).content.decode()
    editor_client.post(QUEUE, {"pk": event.pk, "kind": "events", "action": "reviewed"})
    event.refresh_from_db()
    assert not event.needs_review


def test_reason_links_show_counts_and_filter(editor_client):
    undated = stored(REASONS["undated"][0])
    clash = stored(WEEKDAY_CLASH)
    page = editor_client.get(QUEUE).content.decode()
    assert 'data-reason="undated"' in page and 'data-reason="weekday_contradiction"' in page
    assert "(1)" in page.split('data-reason="undated"')[1].split("</a>")[0]
    filtered = editor_client.get(QUEUE, {"reason": "weekday_contradiction"}).content.decode()
    assert f'data-pk="{clash.pk}"' in filtered and f'data-pk="{undated.pk}"' not in filtered
    events = editor_client.get(QUEUE, {"kind": "events", "reason": "undated"}).content.decode()
    assert f'data-pk="{undated.event_id}"' in events and f'data-pk="{clash.event_id}"' not in events
    assert editor_client.get(QUEUE, {"reason": "<script>", "page": "999"}).status_code == 200


def _flag(count, start):
    for i in range(count):
        Article.objects.create(
            title=f"مقالة {start + i}", raw_text="نص", body="نص", content_hash=f"h11q-{start + i}",
            needs_review=True, review_reasons=["undated", "possible_duplicate"][: 1 + i % 2],
            date_candidates=[{"start": "2020-01-01", "end": "2020-01-01", "method": "explicit", "evidence": "«x»",
                              "confidence": 0.4, "chosen": False}],
        )


@pytest.mark.parametrize("kind", ["articles", "events"])
def test_queue_costs_the_same_number_of_queries_at_two_sizes(editor_client, kind):
    from tests.conftest import make_events

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(QUEUE, {"kind": kind}).status_code == 200
        return len(queries)

    _flag(3, 0)
    make_events(3)
    Event.objects.update(needs_review=True)
    small = measure()
    _flag(20, 100)
    make_events(20, start_year=1990)
    Event.objects.update(needs_review=True)
    assert measure() == small


def test_needs_review_reads_as_a_warning_not_a_green_tick(editor_client):
    article = stored(REASONS["undated"][0])
    for url in ("/admin/timeline/article/", "/admin/timeline/event/"):
        page = editor_client.get(url).content.decode()
        assert "⚠" in page and 'alt="True"' not in page
    Article.objects.filter(pk=article.pk).update(needs_review=False)
    Event.objects.update(needs_review=False)
    assert "⚠" not in editor_client.get("/admin/timeline/article/").content.decode()


def test_admin_home_links_to_the_queue_with_its_size(editor_client):
    stored(REASONS["undated"][0])
    page = editor_client.get("/admin/").content.decode()
    assert QUEUE in page and "(2)" in page  # the article and its undated event


def test_data_migration_fills_reasons_from_stored_fields():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("timeline.migrations.0016_h11q_review_reasons")
    undated = Article.objects.create(title="a", raw_text="a", body="a", content_hash="m1")
    weak = Article.objects.create(title="b", raw_text="b", body="b", content_hash="m2", date_start=D(2020, 1, 1),
                                  date_end=D(2020, 1, 1), date_confidence=0.5)
    sure = Article.objects.create(title="c", raw_text="c", body="c", content_hash="m3", date_start=D(2020, 1, 1),
                                  date_end=D(2020, 1, 1), date_confidence=0.95)
    migration.reasons_from_stored_fields(apps, None)
    assert [Article.objects.get(pk=a.pk).review_reasons for a in (undated, weak, sure)] == [
        ["undated"], ["low_confidence"], []]


def test_queue_speaks_both_languages(editor_client):
    from django.utils import translation

    from timeline.models import ReviewReason

    stored(WEEKDAY_CLASH)
    arabic = editor_client.get(QUEUE).content.decode()
    assert "يوم الأسبوع يناقض التاريخ" in arabic and "اعتمد هذا التاريخ" in arabic
    with translation.override("en"):
        assert str(ReviewReason.WEEKDAY_CONTRADICTION.label) == "a weekday contradicts the date"
        assert translation.gettext("Accept this date") == "Accept this date"
        assert translation.gettext("Review queue (%(waiting)s)") % {"waiting": 3} == "Review queue (3)"
