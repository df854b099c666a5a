"""Every change to an article or event is kept with its old and new values, who or what made it, when and
why; an editor's date correction is told on the public page without the editor's name."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from timeline import history
from timeline.models import Article, Event

pytestmark = pytest.mark.django_db

EDITOR = "amina-reviewer"


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser(EDITOR, "", "a-long-test-password")
    client.force_login(user)
    return client


def article_form(article, **changes):
    data = {
        "title": article.title, "outlet": article.outlet_id or "", "url": article.url, "published_on": "",
        "date_start": article.date_start.isoformat(), "date_end": article.date_end.isoformat(),
        "precision": article.precision, "needs_review": "", "change_reason": "",
        "topic_matches-TOTAL_FORMS": "0", "topic_matches-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def event_form(event, **changes):
    data = {
        "title": event.title, "date_start": event.date_start.isoformat(), "date_end": event.date_end.isoformat(),
        "precision": event.precision, "date_method": event.date_method, "date_confidence": event.date_confidence,
        "date_locked": "", "needs_review": "", "lead": event.lead, "change_reason": "", "event_type": event.event_type,
        "articles-TOTAL_FORMS": "0", "articles-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def fields_of(change):
    return {name: (old, new) for name, old, new in change.fields}


def test_an_editor_s_correction_is_kept_with_old_and_new_values_who_and_why(editor_client, ingested):
    article = Article.objects.get(source_name__startswith="002")
    response = editor_client.post(
        f"/admin/timeline/article/{article.pk}/change/",
        article_form(article, date_start="2024-07-03", date_end="2024-07-03", precision="day",
                     change_reason="the visit's day, from the ministry's page"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    latest = history.changes(Article.objects.get(pk=article.pk))[0]
    changed = fields_of(latest)
    start = str(Article._meta.get_field("date_start").verbose_name)
    assert changed[start] == (datetime.date(2024, 7, 1), datetime.date(2024, 7, 3))
    assert changed[str(Article._meta.get_field("precision").verbose_name)] == ("month", "day")
    assert latest.by == EDITOR and latest.reason == "the visit's day, from the ministry's page"

    page = editor_client.get(f"/admin/timeline/article/{article.pk}/change/").content.decode()
    assert "the visit&#x27;s day, from the ministry&#x27;s page" in page
    assert "2024-07-01" in page and "2024-07-03" in page and EDITOR in page
    # the machine's own claim (the calendar's July 2024) stays visible beside the editor's day, in the admin's language
    assert "2024-07-01 – 2024-07-31 (شهر, التقويم المرجعي للاجتماعات, 75%)" in page.split("change-history")[0]
    english = editor_client.get(f"/en/admin/timeline/article/{article.pk}/change/").content.decode()
    assert "2024-07-01 – 2024-07-31 (month, reference calendar of meetings, 75%)" in english.split("change-history")[0]
    # the history names a choice by its label: precision month → day
    assert "<span dir=\"auto\">month</span> → <span dir=\"auto\">day</span>" in english.split("change-history")[1]

    # the event follows the article's corrected date, and readers are told
    event = Article.objects.get(pk=article.pk).event
    public = editor_client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Date corrected on" in public and "from July 2024 to 3 July 2024" in public
    assert "from the ministry&#x27;s page" in public and EDITOR not in public


def test_a_machine_change_is_kept_with_the_command_that_made_it(db, seeds_dir):
    call_command("ingest", str(seeds_dir), stdout=open("/dev/null", "w"))
    event = Event.objects.get(date_start__year=2017)
    with translation.override("en"):
        created = history.changes(event)[-1]
    assert created.label == "insert" and created.by == "command “ingest”"

    # a bulk update (what regrouping does) is recorded too: the trigger sees every row, not only save()
    article = event.articles.get()
    with history.machine("reextract"):
        Article.objects.filter(pk=article.pk).update(title="عنوان جديد", precision="month")
    with translation.override("en"):
        latest = history.changes(article)[0]
        title = str(Article._meta.get_field("title").verbose_name)
    assert latest.by == "command “reextract”"
    assert fields_of(latest)[title] == (article.title, "عنوان جديد")


def test_event_date_correction_is_told_on_the_public_page_without_the_editor_s_name(editor_client, ingested):
    event = Event.objects.get(date_start__year=2024)
    response = editor_client.post(
        f"/admin/timeline/event/{event.pk}/change/",
        event_form(event, date_start="2024-07-03", date_end="2024-07-04", precision="day",
                   change_reason="the state visit's days"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert (event.date_start, event.date_method, event.date_locked) == (datetime.date(2024, 7, 3), "editor", True)

    english = editor_client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Date corrected on" in english and "from July 2024 to 3–4 July 2024" in english
    assert "the state visit&#x27;s days" in english
    arabic = editor_client.get(f"/events/{event.slug}/").content.decode()
    assert "صُحّح التاريخ في" in arabic and "the state visit&#x27;s days" in arabic
    assert EDITOR not in english and EDITOR not in arabic  # the editor's name is never public (evidence neither)

    admin_page = editor_client.get(f"/admin/timeline/event/{event.pk}/change/").content.decode()
    assert "the state visit&#x27;s days" in admin_page and "2024-07-03" in admin_page
    assert "2024-07-01 – 2024-07-31 (شهر, التقويم المرجعي للاجتماعات" in admin_page
    # the machine's claim (July 2024 from the calendar) is kept beside the editor's days
    assert event.machine_date["start"] == "2024-07-01" and event.machine_date["method"] == "calendar"


def test_a_change_that_is_not_a_date_correction_puts_no_note_on_the_page(editor_client, ingested):
    event = Event.objects.get(date_start__year=2017)
    editor_client.post(
        f"/admin/timeline/event/{event.pk}/change/", event_form(event, title="عنوان أوضح", change_reason="clearer")
    )
    assert Event.objects.get(pk=event.pk).title == "عنوان أوضح"
    page = editor_client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Date corrected" not in page
    assert history.changes(event)[0].reason == "clearer"
