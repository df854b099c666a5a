"""An event's address never changes; every address ever issued leads, by a permanent redirect, to the event
now holding that happening: after a date change, a merge, a split or a regrouping."""

import datetime
import hashlib

import pytest
from django.core.management import call_command

from timeline import history, ingest
from timeline.models import Article, Event, EventSlug

pytestmark = pytest.mark.django_db

SCO_2024_REPORT = (
    "الرئيس الصيني يصل إلى أستانا في زيارة دولة\n\n"
    "وصل الرئيس الصيني شي جين بينغ إلى أستانا في زيارة دولة إلى كازاخستان ولحضور قمة منظمة شنغهاي للتعاون "
    "لعام 2024، حيث يلتقي الرئيس توكاييف.\n\nوتأتي الزيارة في إطار تعزيز الشراكة."
)


def post_action(client, action, events, **extra):
    data = {"action": action, "_selected_action": [e.pk for e in events], **extra}
    return client.post("/admin/timeline/event/", data)


def test_an_event_s_address_says_nothing_that_can_change(editor_client, ingested):
    event = Event.objects.get(date_start__year=2017)
    slug = event.slug
    assert slug.startswith("ev-") and "2017" not in slug and EventSlug.objects.get(slug=slug).event == event
    editor_client.post(f"/admin/timeline/event/{event.pk}/change/", {
        "title": "عنوان آخر", "date_start": "2017-06-09", "date_end": "2017-06-09", "precision": "day",
        "date_confidence": "1", "lead": "", "change_reason": "", "event_type": event.event_type, "articles-TOTAL_FORMS": "0", "articles-INITIAL_FORMS": "0",
    })
    event.refresh_from_db()
    assert (event.slug, event.date_start, event.title) == (slug, datetime.date(2017, 6, 9), "عنوان آخر")
    assert editor_client.get(f"/events/{slug}/").status_code == 200


def test_an_address_issued_before_redirects_permanently_after_a_date_change(editor_client, ingested):
    # the address the event had before addresses stopped carrying a date (what migration 0011 keeps)
    event = Event.objects.get(date_start__year=2022)
    EventSlug.objects.create(slug="2022-06-07-7b8c7a07", event=event)
    editor_client.post(f"/admin/timeline/event/{event.pk}/change/", {
        "title": event.title, "date_start": "2022-06-08", "date_end": "2022-06-08", "precision": "day",
        "date_confidence": "1", "lead": event.lead, "change_reason": "", "articles-TOTAL_FORMS": "0",
        "articles-INITIAL_FORMS": "0", "event_type": event.event_type,
    })
    assert Event.objects.get(pk=event.pk).date_start == datetime.date(2022, 6, 8)
    response = editor_client.get("/en/events/2022-06-07-7b8c7a07/?topic=diplomacy")
    assert response.status_code == 301
    assert response["Location"] == f"/en/events/{event.slug}/?topic=diplomacy"  # language and query kept
    assert editor_client.get("/events/2022-06-07-7b8c7a07/")["Location"] == f"/events/{event.slug}/"
    assert editor_client.get("/events/never-issued/").status_code == 404


def test_merge_asks_which_event_stays_and_the_other_address_redirects(editor_client, ingested):
    e2017, e2022 = Event.objects.get(date_start__year=2017), Event.objects.get(date_start__year=2022)
    page = post_action(editor_client, "merge_events", [e2017, e2022])
    assert page.status_code == 200
    text = page.content.decode()
    assert e2017.slug in text and e2022.slug in text and 'name="survivor"' in text

    response = post_action(editor_client, "merge_events", [e2017, e2022], confirm="yes", survivor=e2022.pk,
                           reason="one visit, two reports")
    assert response.status_code == 302
    assert not Event.objects.filter(pk=e2017.pk).exists()
    survivor = Event.objects.get(pk=e2022.pk)
    assert survivor.articles.count() == 2 and all(a.event_locked for a in survivor.articles.all())
    moved = editor_client.get(f"/events/{e2017.slug}/")
    assert moved.status_code == 301 and moved["Location"] == f"/events/{survivor.slug}/"
    followed = editor_client.get(f"/events/{e2017.slug}/", follow=True).content.decode()
    assert f"http://testserver/events/{survivor.slug}/" in followed  # the citation gives the current address
    assert e2017.slug not in followed
    # the move is in the article's history, with the editor and the reason
    article = Article.objects.get(source_name__startswith="000")
    latest = history.changes(article)[0]
    assert latest.by == "editor" and latest.reason == "one visit, two reports"
    assert (e2017.pk, e2022.pk) in {(old, new) for _, old, new in latest.fields}


def test_split_moves_the_ticked_articles_and_both_addresses_keep_working(editor_client, ingested):
    event = Event.objects.get(date_start__year=2024)
    preview = Article.objects.get(source_name__startswith="004")
    page = post_action(editor_client, "split_event", [event])
    assert page.status_code == 200 and page.content.decode().count('name="articles"') == 2
    nothing = post_action(editor_client, "split_event", [event], confirm="yes")
    assert nothing.status_code == 200 and "errornote" in nothing.content.decode()

    response = post_action(editor_client, "split_event", [event], confirm="yes", articles=[preview.pk])
    assert response.status_code == 302
    preview.refresh_from_db()
    new = preview.event
    assert new.pk != event.pk and new.slug != event.slug and new.articles.count() == 1
    assert Event.objects.get(pk=event.pk).slug == event.slug and event.articles.count() == 1
    assert editor_client.get(f"/events/{event.slug}/").status_code == 200
    assert editor_client.get(f"/events/{new.slug}/").status_code == 200


def test_regrouping_and_a_new_report_do_not_undo_a_split(editor_client, ingested, seeds_dir):
    event = Event.objects.get(date_start__year=2024)
    preview = Article.objects.get(source_name__startswith="004")
    new = ingest.split_event(event, [preview])
    for article in Article.objects.all():  # what re-extraction does: regroup every article
        ingest.attach_to_event(article)
    call_command("ingest", str(seeds_dir), stdout=open("/dev/null", "w"))
    outcome = ingest.ingest_text(SCO_2024_REPORT, source_name="sco-2024-report")
    assert outcome.status == "new"
    assert Article.objects.get(pk=preview.pk).event_id == new.pk
    assert Article.objects.get(source_name__startswith="002").event_id == event.pk
    assert outcome.article.event_id in {event.pk, new.pk}  # joins the editor's events, makes no third one
    assert Event.objects.filter(date_start__year=2024).count() == 2


def _talks(date, words, hash_prefix):
    """A dated report of talks, built directly: what the matcher compares is its signature."""
    digest = hash_prefix + hashlib.sha256(" ".join(words).encode()).hexdigest()[len(hash_prefix):]
    return Article.objects.create(
        title=" ".join(words), raw_text=" ".join(words), body=" ".join(words), content_hash=digest,
        date_start=date, date_end=date, precision="day", date_method="dateline", date_confidence=0.95,
        needs_review=False, signature={"kinds": ["talks"], "words": words},
    )


def test_regrouping_does_not_undo_a_merge(db):
    day = datetime.date(2023, 5, 18)
    first = _talks(day, ["وانغ", "يي", "بكين", "ممر"], "1")
    second = _talks(day, ["توكاييف", "أستانا", "غاز", "نفط"], "2")
    ingest.attach_to_event(first)
    ingest.attach_to_event(second)
    first.refresh_from_db(), second.refresh_from_db()
    assert first.event_id != second.event_id  # the matcher sees two happenings
    ingest.merge_events(first.event, [second.event])

    # a third report shares words with both: regrouping would put the second back on an event of its own
    third = _talks(day, ["وانغ", "يي", "توكاييف", "أستانا"], "3")
    ingest.attach_to_event(third)
    for article in Article.objects.all():
        ingest.attach_to_event(article)
    assert len(set(Article.objects.values_list("event_id", flat=True))) == 1
    assert Event.objects.count() == 1


def test_an_event_emptied_by_regrouping_hands_its_address_to_the_event_that_took_its_articles(client, db):
    day = datetime.date(2023, 5, 18)
    first = _talks(day, ["وانغ", "يي", "بكين", "ممر"], "1")
    later = _talks(day, ["توكاييف", "أستانا", "غاز", "نفط"], "3")
    ingest.attach_to_event(first)
    ingest.attach_to_event(later)
    first.refresh_from_db(), later.refresh_from_db()
    emptied = later.event
    assert first.event_id != emptied.pk
    link = _talks(day, ["وانغ", "يي", "توكاييف", "أستانا"], "2")  # reports the same talks as both
    ingest.attach_to_event(link)
    assert not Event.objects.filter(pk=emptied.pk).exists()
    holder = Article.objects.get(pk=later.pk).event
    response = client.get(f"/events/{emptied.slug}/")
    assert response.status_code == 301 and response["Location"] == f"/events/{holder.slug}/"


# Every per-event address: the page in each language and the citation downloads (language-free).
PER_EVENT_ADDRESSES = ["/events/{slug}/", "/en/events/{slug}/", "/events/{slug}/cite.json", "/events/{slug}/cite.bib"]


@pytest.mark.parametrize("address", PER_EVENT_ADDRESSES)
def test_every_per_event_address_issued_before_redirects_permanently(editor_client, ingested, address):
    e2017, e2022 = Event.objects.get(date_start__year=2017), Event.objects.get(date_start__year=2022)
    EventSlug.objects.create(slug="2022-06-07-7b8c7a07", event=e2022)  # an address from before, kept
    post_action(editor_client, "merge_events", [e2017, e2022], confirm="yes", survivor=e2022.pk)
    for old in ("2022-06-07-7b8c7a07", e2017.slug):
        response = editor_client.get(address.format(slug=old) + "?from=citation")
        assert response.status_code == 301, old
        assert response["Location"] == address.format(slug=e2022.slug) + "?from=citation"
        assert editor_client.get(response["Location"]).status_code == 200
    assert editor_client.get(address.format(slug=e2022.slug)).status_code == 200
    assert editor_client.get(address.format(slug="never-issued")).status_code == 404


def test_a_citation_downloaded_from_an_old_address_cites_the_current_one(client, ingested):
    event = Event.objects.get(date_start__year=2022)
    EventSlug.objects.create(slug="2022-06-07-7b8c7a07", event=event)
    cited = client.get("/events/2022-06-07-7b8c7a07/cite.json", follow=True)
    assert cited.redirect_chain == [(f"/events/{event.slug}/cite.json", 301)]
    assert cited.json()[0]["URL"] == f"http://testserver/events/{event.slug}/"
    bib = client.get("/events/2022-06-07-7b8c7a07/cite.bib", follow=True).content.decode()
    assert f"http://testserver/events/{event.slug}/" in bib and "2022-06-07-7b8c7a07" not in bib
