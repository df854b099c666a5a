"""Re-extraction (issue 11): stored texts read again with today's reference data, events regrouped, every field an
editor set kept; a report of what changed; large runs on the PostgreSQL queue with progress; re-dating when a
publication date or address changes; progress bars that stay quiet off a terminal."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from timeline import ingest, jobs, reextract
from timeline.models import Article, ArticleLock, Event, EventSlug, JobStatus, ReextractJob, ReferenceMeeting, Topic
from timeline.reference import current_knowledge
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

D = datetime.date
SUMMIT_DAY = D(2025, 6, 17)  # seed 003: the second China–Central Asia summit (16–17 June 2025) and "Tuesday"


def seed(prefix):
    return next(p for p in sorted(SEEDS.iterdir()) if p.name.startswith(prefix))


@pytest.fixture
def calendar_without_the_2025_summit(db):
    """The reference calendar before an editor added the 2025 Astana summit: seed 003 is stored undated.
    Returns a function that puts the meetings back (the calendar "improves")."""
    removed = list(ReferenceMeeting.objects.filter(start=D(2025, 6, 16)))
    assert removed
    ReferenceMeeting.objects.filter(pk__in=[m.pk for m in removed]).delete()

    def restore():
        for meeting in removed:
            meeting.pk = None
            meeting.save()

    return restore


@pytest.fixture
def summit_article(calendar_without_the_2025_summit):
    outcome = ingest.ingest_file(seed("003"), current_knowledge())
    assert outcome.status == "new" and outcome.article.date_start is None
    return Article.objects.get(pk=outcome.article.pk)


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("reextract", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_after_the_calendar_grows_reextract_redates_regroups_and_reports(summit_article, calendar_without_the_2025_summit):
    old_event = summit_article.event
    calendar_without_the_2025_summit()

    out, err = run_command("--all")

    article = Article.objects.get(pk=summit_article.pk)
    assert (article.date_start, article.precision, article.date_method) == (SUMMIT_DAY, "day", "calendar")
    assert article.event.date_start == SUMMIT_DAY
    assert f"#{article.pk}" in out and "undated → 2025-06-17 [day, calendar]" in out
    assert "1 redated" in out and "0 failed" in out and err == ""
    # the machine's change is in the history, in the name of the command
    row = article.history.order_by("-pgh_id").select_related("pgh_context").first()
    assert row.date_start == SUMMIT_DAY and row.pgh_context.metadata["command"] == "reextract"
    event_row = article.event.history.order_by("-pgh_id").select_related("pgh_context").first()
    assert event_row.pgh_context.metadata["command"] == "reextract"
    # the undated event it sat on is gone only if it moved; either way its address still leads to it
    if article.event_id != old_event.pk:
        assert not Event.objects.filter(pk=old_event.pk).exists()
        assert EventSlug.objects.get(slug=old_event.slug).event_id == article.event_id


def test_a_second_run_reports_everything_unchanged(ingested):
    out, _ = run_command("--all")
    assert "5 unchanged" in out and "0 redated" in out and "0 regrouped" in out


def test_dry_run_reports_the_change_and_changes_nothing(summit_article, calendar_without_the_2025_summit):
    calendar_without_the_2025_summit()
    history_rows = summit_article.history.count()
    events = list(Event.objects.values_list("pk", "date_start", "slug"))

    out, _ = run_command("--all", "--dry-run")

    assert "dry run, nothing changed" in out and "1 redated" in out and "undated → 2025-06-17" in out
    article = Article.objects.get(pk=summit_article.pk)
    assert article.date_start is None and article.history.count() == history_rows
    assert list(Event.objects.values_list("pk", "date_start", "slug")) == events


def test_every_locked_field_survives_reextraction(editor_client, summit_article, calendar_without_the_2025_summit):
    other_topic = Topic.objects.exclude(article_matches__article=summit_article).first()
    outlet = summit_article.outlet
    response = editor_client.post(f"/admin/timeline/article/{summit_article.pk}/change/", {
        "title": "عنوان المحرر", "outlet": outlet.pk if outlet else "", "url": "", "published_on": "",
        "date_start": "2025-06-20", "date_end": "2025-06-20", "precision": "day", "needs_review": "",
        "change_reason": "the ministry's page", "locked_fields": [],
        "topic_matches-TOTAL_FORMS": "1", "topic_matches-INITIAL_FORMS": "0",
        "topic_matches-0-topic": other_topic.pk, "topic_matches-0-evidence": "محرر",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(pk=summit_article.pk)
    # changing a field locks it; the admin shows the locks as ticked boxes
    assert {"title", "date", "topics"} <= set(article.locked_fields)
    page = editor_client.get(f"/admin/timeline/article/{article.pk}/change/").content.decode()
    assert 'name="locked_fields" value="date"' in page and "checked" in page.split('value="date"')[1].split(">")[0]
    topics_before = sorted(article.topic_matches.values_list("topic__slug", flat=True))
    event = article.event
    Event.objects.filter(pk=event.pk).update(headline_ar="عنوان الحدث من المحرر", summary_ar="ملخص المحرر")

    calendar_without_the_2025_summit()  # the machine now has a better claim than before
    run_command("--all")

    article = Article.objects.get(pk=summit_article.pk)
    assert article.title == "عنوان المحرر"
    assert (article.date_start, article.date_method) == (D(2025, 6, 20), "editor")
    assert sorted(article.topic_matches.values_list("topic__slug", flat=True)) == topics_before
    # the machine's own claim is refreshed beside the editor's date
    assert article.machine_date["start"] == SUMMIT_DAY.isoformat()
    event = article.event
    assert event.date_start == D(2025, 6, 20)
    assert (event.headline_ar, event.summary_ar) == ("عنوان الحدث من المحرر", "ملخص المحرر")


def test_an_unlocked_field_is_set_again_by_reextraction(ingested):
    article = Article.objects.get(source_name__startswith="001")
    title = article.title
    Article.objects.filter(pk=article.pk).update(title="عنوان قديم", date_start=D(2022, 1, 1), date_end=D(2022, 1, 1))
    out, _ = run_command(str(article.pk))
    article.refresh_from_db()
    assert article.title == title and article.date_start == D(2022, 6, 7)
    assert "2022-01-01 [day, dateline] → 2022-06-07 [day, dateline]" in out and "title" in out


def test_a_locked_outlet_and_publication_date_survive_and_unlocked_ones_are_read_again(ingested):
    from timeline.models import Outlet

    article = Article.objects.get(source_name__startswith="001")
    found = (article.outlet_id, article.published_on)
    other = Outlet.objects.exclude(pk=article.outlet_id).first()
    Article.objects.filter(pk=article.pk).update(outlet=other, published_on=D(2022, 6, 20), published_evidence="address: x",
                                                 locked_fields=[ArticleLock.OUTLET, ArticleLock.PUBLISHED])
    run_command(str(article.pk))
    article.refresh_from_db()
    assert (article.outlet_id, article.published_on) == (other.pk, D(2022, 6, 20))

    # a publication date the machine found (its evidence says where) is read again once unlocked
    Article.objects.filter(pk=article.pk).update(locked_fields=[], published_evidence="address: x")
    run_command(str(article.pk))
    article.refresh_from_db()
    assert (article.outlet_id, article.published_on) == found


def test_an_event_s_locks_survive(ingested):
    event = Article.objects.get(source_name__startswith="000").event
    Event.objects.filter(pk=event.pk).update(date_start=D(2017, 6, 9), date_end=D(2017, 6, 9), date_locked=True,
                                             event_type="summit", event_type_locked=True, headline_en="Editor's")
    run_command("--all")
    event.refresh_from_db()
    assert (event.date_start, event.event_type, event.headline_en) == (D(2017, 6, 9), "summit", "Editor's")


def test_regrouping_moves_an_article_back_and_the_emptied_event_s_address_redirects(client, ingested):
    """An article read wrongly before (another date, so an event of its own) joins its happening's event again."""
    first = Article.objects.get(source_name__startswith="001")
    text = first.raw_text.replace("وزيرا الخارجية", "وزيرا خارجية البلدين", 1)
    twin = ingest.ingest_text(text, source_name="twin.txt").article
    assert twin.event_id == first.event_id  # the same talks
    stale = ingest._new_event(twin)
    Article.objects.filter(pk=twin.pk).update(event=stale, date_start=D(2022, 3, 1), date_end=D(2022, 3, 1))
    ingest.refresh_event(stale)

    out, _ = run_command(str(twin.pk))

    twin.refresh_from_db()
    assert twin.event_id == first.event_id
    assert f"event {stale.slug} → {first.event.slug}" in out and "1 regrouped" in out and "1 empty event(s) removed" in out
    assert not Event.objects.filter(pk=stale.pk).exists()
    response = client.get(f"/events/{stale.slug}/")
    assert response.status_code == 301 and response["Location"] == f"/events/{first.event.slug}/"


def test_a_text_that_cannot_be_read_is_reported_and_the_others_go_on(ingested):
    broken, fine = Article.objects.order_by("pk")[:2]
    Article.objects.filter(pk=broken.pk).update(raw_text="   ")
    with pytest.raises(CommandError, match="1 article"):
        call_command("reextract", "--all", stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert f"#{broken.pk}" in err.getvalue() and "failed" in err.getvalue()
    fine.refresh_from_db()
    assert fine.event_id and Article.objects.get(pk=broken.pk).event_id == broken.event_id


def test_selection_by_outlet_and_since_and_bad_input(ingested):
    outlet = Article.objects.exclude(outlet=None).first().outlet
    out, _ = run_command("--outlet", outlet.slug)
    assert f"{Article.objects.filter(outlet=outlet).count()} article(s)" in out
    out, _ = run_command("--since", datetime.date.today().isoformat())
    assert "5 article(s)" in out
    for args, message in [((), "say which"), (("--since", "yesterday"), "not a date"), (("999999",), "no article"),
                          (("--outlet", "no-such-outlet"), "no article matches"), (("--all", "--dry-run", "--background"), "--dry-run")]:
        with pytest.raises(CommandError, match=message):
            run_command(*args)


# --- the background queue ----------------------------------------------------------------------------------------


def drain_queue():
    """Run every queued task here, as `manage.py db_worker --batch` would (the worker's own code, in-process)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    ran = 0
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


def test_background_run_is_queued_in_postgresql_and_records_progress(summit_article, calendar_without_the_2025_summit):
    from django_tasks_db.models import DBTaskResult

    calendar_without_the_2025_summit()
    Article.objects.filter(pk=summit_article.pk).update(raw_text="")  # also one failure to record
    ingest.ingest_file(seed("001"), current_knowledge())
    out, _ = run_command("--all", "--background")
    job = ReextractJob.objects.get()
    assert f"queued job #{job.pk}" in out and "db_worker" in out
    assert job.status == JobStatus.QUEUED and job.total == 2 and job.done == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert Article.objects.get(pk=summit_article.pk).history.filter(pgh_context__metadata__command="reextract").count() == 0

    assert drain_queue() == 1

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.failed) == (JobStatus.DONE, 2, 2, 1)
    assert job.counts["failed"] == 1 and job.counts["unchanged"] == 1
    assert [line["status"] for line in job.lines] == ["failed"] and job.finished_at


def test_admin_action_above_the_threshold_enqueues_and_shows_progress(editor_client, ingested, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_LIMIT", 3)
    ids = list(Article.objects.values_list("pk", flat=True))
    response = editor_client.post("/admin/timeline/article/", {"action": "reextract_articles", "_selected_action": ids},
                                  follow=True)
    job = ReextractJob.objects.get()
    assert job.article_ids == sorted(ids) and job.status == JobStatus.QUEUED and job.requested_by == "editor"
    page = response.content.decode()
    assert f"/admin/timeline/reextractjob/{job.pk}/change/" in page
    # nothing was re-extracted while the editor waited
    assert not apps.get_model("timeline", "ArticleHistory").objects.filter(pgh_context__metadata__command="reextract").exists()

    progress = editor_client.get(f"/admin/timeline/reextractjob/{job.pk}/change/").content.decode()
    assert 'value="0"' in progress and "data-running" in progress and "db_worker" in progress
    drain_queue()
    progress = editor_client.get(f"/admin/timeline/reextractjob/{job.pk}/change/").content.decode()
    assert f'value="{len(ids)}"' in progress and "data-running" not in progress
    assert "reextract" in editor_client.get("/admin/").content.decode()  # reachable from the admin home


def test_admin_action_below_the_threshold_runs_at_once_and_reports(editor_client, ingested):
    article = Article.objects.get(source_name__startswith="001")
    Article.objects.filter(pk=article.pk).update(date_start=D(2022, 1, 1), date_end=D(2022, 1, 1))
    response = editor_client.post("/admin/timeline/article/", {"action": "reextract_articles",
                                                               "_selected_action": [article.pk]}, follow=True)
    page = response.content.decode()
    assert "1 redated" in page and "→ 2022-06-07" in page
    assert not ReextractJob.objects.exists()
    row = Article.objects.get(pk=article.pk).history.order_by("-pgh_id").select_related("pgh_context").first()
    assert row.pgh_context.metadata["command"] == "reextract" and row.pgh_context.metadata.get("user")


# --- re-dating on a new publication date or address --------------------------------------------------------------

RELATIVE_ONLY = ("الصين وكازاخستان توقعان اتفاقية للنقل\n\n"
                 "وقعت الصين وكازاخستان أمس (الأربعاء) في أستانا اتفاقية لتطوير السكك الحديدية بين البلدين.\n\n"
                 "وقال الوزير إن الاتفاقية ستعزز التجارة.")


def change_form(article, **changes):
    data = {
        "title": article.title, "outlet": article.outlet_id or "", "url": article.url,
        "published_on": article.published_on.isoformat() if article.published_on else "",
        "date_start": article.date_start.isoformat() if article.date_start else "",
        "date_end": article.date_end.isoformat() if article.date_end else "",
        "precision": article.precision, "needs_review": "on" if article.needs_review else "", "change_reason": "",
        "locked_fields": article.locked_fields, "topic_matches-TOTAL_FORMS": "0", "topic_matches-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.fixture
def relative_article(db):
    outcome = ingest.ingest_text(RELATIVE_ONLY, source_name="relative.txt", published=D(2023, 9, 14))
    article = Article.objects.get(pk=outcome.article.pk)
    assert article.date_start == D(2023, 9, 13)  # "yesterday (Wednesday)" from Thursday 14 September
    return article


def test_a_new_publication_date_re_dates_the_article(editor_client, relative_article):
    response = editor_client.post(f"/admin/timeline/article/{relative_article.pk}/change/",
                                  change_form(relative_article, published_on="2024-05-09"), follow=True)
    article = Article.objects.get(pk=relative_article.pk)
    assert article.date_start == D(2024, 5, 8) and article.event.date_start == D(2024, 5, 8)
    page = response.content.decode()
    assert "2023-09-13" in page and "2024-05-08" in page
    assert ArticleLock.PUBLISHED in article.locked_fields


def test_a_new_address_with_a_date_re_dates_the_article(editor_client, db):
    outcome = ingest.ingest_text(RELATIVE_ONLY, source_name="relative.txt",
                                 url="https://example.org/news/2023/9/14/rail.html")
    article = Article.objects.get(pk=outcome.article.pk)
    assert article.date_start == D(2023, 9, 13) and article.published_on == D(2023, 9, 14)
    editor_client.post(f"/admin/timeline/article/{article.pk}/change/",
                       change_form(article, url="https://example.org/news/2024/5/9/rail.html", published_on=""))
    article.refresh_from_db()
    assert article.published_on == D(2024, 5, 9) and article.date_start == D(2024, 5, 8)


def test_no_re_dating_when_an_editor_locked_the_date(editor_client, relative_article):
    Article.objects.filter(pk=relative_article.pk).update(locked_fields=[ArticleLock.DATE])
    relative_article.refresh_from_db()
    response = editor_client.post(f"/admin/timeline/article/{relative_article.pk}/change/",
                                  change_form(relative_article, published_on="2024-05-09"), follow=True)
    article = Article.objects.get(pk=relative_article.pk)
    assert article.published_on == D(2024, 5, 9) and article.date_start == D(2023, 9, 13)
    assert reextract.date_text(article) in response.content.decode()  # "the date stays as an editor set it: …"


# --- progress bars -----------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bars_are_quiet_without_a_terminal_and_shown_on_one(ingested, tmp_path):
    _, err = run_command("--all")
    assert err == ""
    terminal = Terminal()
    call_command("reextract", "--all", stdout=io.StringIO(), stderr=terminal)
    assert "reextract:" in terminal.getvalue() and "/5 [" in terminal.getvalue()

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(RELATIVE_ONLY + "\n\nنص إضافي.", encoding="utf-8")
    err = io.StringIO()
    call_command("ingest", str(folder), "--no-warm", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
    terminal = Terminal()
    (folder / "b.txt").write_text(RELATIVE_ONLY + "\n\nنص آخر.", encoding="utf-8")
    call_command("ingest", str(folder), "--no-warm", stdout=io.StringIO(), stderr=terminal)
    assert "ingest:" in terminal.getvalue() and "/2 [" in terminal.getvalue()


def test_re_extract_all_from_the_admin_is_queued_never_run_in_the_request(editor_client, ingested):
    listing = editor_client.get("/admin/timeline/reextractjob/").content.decode()
    assert "/admin/timeline/reextractjob/reextract-all/" in listing
    assert editor_client.get("/admin/timeline/reextractjob/reextract-all/").status_code == 405
    response = editor_client.post("/admin/timeline/reextractjob/reextract-all/")
    job = ReextractJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/timeline/reextractjob/{job.pk}/change/"
    assert job.every_article and job.total == 5 and job.status == JobStatus.QUEUED
    drain_queue()
    job.refresh_from_db()
    assert (job.status, job.done) == (JobStatus.DONE, 5)
