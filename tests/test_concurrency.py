"""Editors and ingest at the same moment: the outcome is the one they would get one after the other."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from timeline.ingest import ingest_text
from timeline.models import Article, Event
from timeline.reference import current_knowledge

# Committed data: each thread has its own connection and sees only what the others committed.
pytestmark = pytest.mark.django_db(transaction=True)

TRIALS = 12


def at_once(*calls):
    """Run the calls in threads released together; their results in order (re-raising any error)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except BaseException as exc:  # re-raised below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def start_afresh():
    Article.objects.all().delete()
    Event.objects.all().delete()


def grouping():
    """Each event's articles, by their first words: what a reader sees of the grouping."""
    return sorted(sorted(a.body[:40] for a in e.articles.all()) for e in Event.objects.prefetch_related("articles"))


# Two agencies' reports of one meeting of the two foreign ministers.
XINHUA = ("وزيرا خارجية الصين وكازاخستان يبحثان التعاون في بكين\n\n"
          "بكين 7 يونيو 2022 (شينخوا) -- أجرى وزير الخارجية الصيني وانغ يي اليوم محادثات مع نظيره الكازاخستاني "
          "مختار تلاوبردي حول تعزيز التعاون الثنائي في التجارة والنقل.\n\nوقال وانغ يي إن البلدين شريكان.")
KUNA = ("بكين 7 يونيو 2022 (كونا) -- أجرى وزيرا الخارجية الصيني والقازاقي محادثات حول تعزيز التعاون "
        "الثنائي، وقال وانغ يي إن الصين وقازاقستان ستواصلان تعزيز التعاون في التجارة والنقل.\n\nوأضاف الوزيران.")


def test_two_reports_of_one_happening_saved_at_once_share_one_event_every_time():
    knowledge = current_knowledge()
    for text in (XINHUA, KUNA):
        assert ingest_text(text, knowledge=knowledge).status == "new"
    sequential = grouping()
    assert len(sequential) == 1 and len(sequential[0]) == 2  # one after the other: one event
    outcomes = []
    for _ in range(TRIALS):
        start_afresh()
        statuses = at_once(*(lambda t=text: ingest_text(t, knowledge=knowledge).status for text in (XINHUA, KUNA)))
        outcomes.append((statuses, grouping()))
    assert outcomes == [(["new", "new"], sequential)] * TRIALS


def test_the_same_text_ingested_twice_at_once_is_stored_once():
    knowledge = current_knowledge()
    for _ in range(TRIALS // 2):
        start_afresh()
        statuses = at_once(*[lambda: ingest_text(XINHUA, knowledge=knowledge).status] * 2)
        assert sorted(statuses) == ["new", "unchanged"]
        assert Article.objects.count() == 1 and Event.objects.count() == 1


def test_two_editors_pasting_the_same_article_at_once_one_is_told_it_exists():
    user = get_user_model().objects.create_superuser("editor", "", "a-long-test-password")
    editors = []
    for _ in range(2):
        editor = Client(raise_request_exception=False)
        editor.force_login(user)
        editors.append(editor)
    for _ in range(TRIALS // 2):
        start_afresh()
        responses = at_once(*(lambda e=e: e.post("/admin/timeline/article/add/", {"raw_text": XINHUA}) for e in editors))
        assert sorted(r.status_code for r in responses) == [200, 302]
        refused = next(r for r in responses if r.status_code == 200).content.decode()
        article = Article.objects.get()
        assert "errornote" in refused and f"/admin/timeline/article/{article.pk}/change/" in refused
        assert Event.objects.count() == 1
