"""Event types where a user meets them: set by ingest, kept when an editor sets them, shown on the event page."""

import pytest

from timeline.ingest import ingest_text, refresh_event
from timeline.models import Article, Event, EventType
from timeline.extract.event_types import EVENT_TYPES

pytestmark = pytest.mark.django_db

CALL = (
    "اتصال هاتفي بين الرئيسين الصيني والكازاخستاني\n\n"
    "بكين 9 يناير 2023 (شينخوا) أجرى الرئيس الصيني شي جين بينغ اليوم (الاثنين) اتصالا هاتفيا مع نظيره "
    "الكازاخستاني قاسم جومارت توكاييف، وبحث الجانبان التعاون في مجالات الطاقة والنقل.\n\n"
    "وقال شي إن الصين مستعدة لتعميق الثقة السياسية المتبادلة."
)


def _event(year):
    return Event.objects.get(date_start__year=year)


def test_the_model_choices_are_the_classifier_s_codes_and_arabic_labels():
    assert {code: str(label) for code, label in EventType.choices} == {code: ar for code, (en, ar) in EVENT_TYPES.items()}


def test_ingest_types_every_article_and_every_seed_event(ingested):
    assert not Article.objects.filter(event_type_evidence="").exclude(event_type="other").exists()
    assert _event(2017).event_type == "state_visit"  # a joint statement made during Xi's state visit
    assert _event(2022).event_type == "talks"  # the foreign ministers' talks
    assert _event(2024).event_type == "state_visit"  # the visit report outweighs the preview interview
    assert _event(2025).event_type == "agreement_signed"  # the C+C5 treaty signed at the summit


def test_a_new_report_of_a_call_makes_a_phone_call_event(db):
    outcome = ingest_text(CALL, source_name="call.txt")
    assert outcome.status == "new"
    assert outcome.article.event_type == "phone_call"
    assert outcome.article.event.event_type == "phone_call"
    assert "هاتفي" in outcome.article.event_type_evidence


def _post_event(client, event, **changes):
    data = {
        "title": event.title, "date_start": event.date_start or "", "date_end": event.date_end or "",
        "precision": event.precision, "date_method": event.date_method, "date_confidence": event.date_confidence,
        "date_locked": "on" if event.date_locked else "", "event_type": event.event_type,
        "event_type_locked": "on" if event.event_type_locked else "", "needs_review": "on" if event.needs_review else "",
        "lead": event.lead,
        "articles-TOTAL_FORMS": "0", "articles-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return client.post(f"/admin/timeline/event/{event.pk}/change/", data)


def test_an_editor_s_type_is_locked_and_survives_re_extraction(editor_client, ingested):
    event = _event(2022)
    response = _post_event(editor_client, event, event_type="phone_call")
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert (event.event_type, event.event_type_locked) == ("phone_call", True)
    refresh_event(event)  # what ingest does when an article joins or leaves the event
    event.refresh_from_db()
    assert event.event_type == "phone_call"
    # the list shows it as locked, and the list filter by type finds it and nothing else
    listing = editor_client.get("/admin/timeline/event/?event_type=phone_call").content.decode()
    assert event.title[:30] in listing and "(ثابت)" in listing
    assert _event(2017).title[:30] not in listing
    # unlocking gives the type back to the articles at once
    response = _post_event(editor_client, event, event_type_locked="")
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.event_type, event.event_type_locked) == ("talks", False)


def test_an_unchanged_type_is_not_locked_by_saving_the_event(editor_client, ingested):
    event = _event(2017)
    assert _post_event(editor_client, event, lead=event.lead + " ").status_code == 302
    event.refresh_from_db()
    assert event.event_type_locked is False


def test_the_article_admin_shows_what_the_extractor_found(editor_client, ingested):
    article = _event(2022).articles.first()
    page = editor_client.get(f"/admin/timeline/article/{article.pk}/change/").content.decode()
    assert "محادثات" in page and "headline:" in page


def test_the_event_page_shows_the_type_in_both_languages(client, ingested):
    event = _event(2024)
    arabic = client.get(f"/events/{event.slug}/").content.decode()
    english = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "نوع الحدث" in arabic and ">زيارة دولة</strong>" in arabic
    assert "Type of event" in english and ">State visit</strong>" in english


def test_an_editor_s_type_is_what_the_page_shows(client, ingested):
    event = _event(2025)
    Event.objects.filter(pk=event.pk).update(event_type="summit", event_type_locked=True)
    # a second report of the treaty joins the event: its type is recomputed from the articles, but not this one
    second = ingest_text(
        "قادة الصين وآسيا الوسطى يوقعون معاهدة حسن الجوار في أستانا\n\n"
        "أستانا 17 يونيو 2025 (وكالات) وقع قادة الصين ودول آسيا الوسطى الخمس اليوم الثلاثاء معاهدة دائمة لحسن "
        "الجوار والصداقة والتعاون في ختام القمة الثانية بين الصين وآسيا الوسطى.",
        source_name="second.txt",
    )
    assert second.article.event_id == event.pk
    assert ">قمة</strong>" in client.get(f"/events/{event.slug}/").content.decode()
    assert ">Summit</strong>" in client.get(f"/en/events/{event.slug}/").content.decode()


def test_the_migration_types_articles_stored_before_event_types(ingested):
    """Articles and events that existed before the field get their types from what is stored."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("timeline.migrations.0007_h10t_event_types")
    Article.objects.update(event_type="other", event_type_evidence="")
    Event.objects.update(event_type="other")
    migration.classify_stored_articles(apps, None)
    assert _event(2022).event_type == "talks"
    assert _event(2024).event_type == "state_visit"
    assert _event(2025).event_type == "agreement_signed"
    assert Article.objects.exclude(event_type_evidence="").count() >= 4
