"""Big folders: a batch of articles per transaction gives the same events, and a killed run leaves whole
batches only (a rerun completes it)."""

import io
import itertools
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.test_ingest import FACTORIES_LATER, STATE_VISIT_DAY
from timeline import ingest
from timeline.extract.arabic import strip_controls
from timeline.extract.search import search_stems
from timeline.ingest import (
    candidates, merge_events, prepare_file, prepare_text, refresh_event, same_happening, store, store_batch,
)
from timeline.models import Article, ArticleTopic, Event, EventSlug
from timeline.reference import current_knowledge

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FILES = sorted(CORPUS.glob("*.txt"))


def events_as_seen():
    """Every event with what a reader and the filters see of it, keyed by nothing that depends on row ids."""
    rows = []
    for e in Event.objects.prefetch_related("topics", "entities", "articles"):
        rows.append((
            e.slug, e.title, e.lead, e.date_start, e.date_end, e.precision, e.date_method, e.needs_review,
            e.search_document, sorted(t.slug for t in e.topics.all()), sorted(x.slug for x in e.entities.all()),
            sorted(a.content_hash for a in e.articles.all()),
        ))
    return sorted(rows, key=lambda r: (r[0], r[-1]))


def wipe():
    Article.objects.all().delete()
    Event.objects.all().delete()


@pytest.mark.django_db
def test_batches_store_the_same_events_as_one_article_at_a_time():
    knowledge = current_knowledge()
    prepared = [prepare_file(path, knowledge) for path in FILES]
    one_by_one = [p if not hasattr(p, "result") else store(p) for p in prepared]
    expected = events_as_seen()
    assert len(expected) > 20 and any(len(r[-1]) > 2 for r in expected)  # reports of one meeting grouped
    wipe()
    outcomes = []
    for first in range(0, len(prepared), 7):
        outcomes += store_batch(prepared[first : first + 7])
    assert [o.status for o in outcomes] == [o.status for o in one_by_one]
    assert events_as_seen() == expected
    # and again: every article is already there
    again = store_batch(prepared[:7])
    assert {o.status for o in again} <= {"unchanged", "failed"}
    assert events_as_seen() == expected


@pytest.mark.django_db
def test_a_batch_with_a_text_the_database_refuses_stores_the_others(monkeypatch):
    knowledge = current_knowledge()
    prepared = [prepare_file(path, knowledge) for path in FILES[:5]]
    bad = prepared[2]
    bad.result.title = "x" * 600  # over the column's 500 characters: the database refuses the row
    outcomes = store_batch(prepared)
    assert [o.status for o in outcomes] == ["new", "new", "failed", "new", "new"]
    assert bad.name in outcomes[2].message
    assert Article.objects.count() == 4


def _ingest_report(folder, *options):
    """The command's line for each file, in order (a failed file's goes to stderr, the run then fails)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("ingest", str(folder), "--no-warm", *options, stdout=out, stderr=err)
    return sorted(
        (line for line in (out.getvalue() + err.getvalue()).splitlines() if line.startswith("[")),
        key=lambda line: int(line[1:].split("/")[0]),
    )


def _folder_of(tmp_path, count):
    """A folder holding copies of the first `count` corpus files."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in FILES[:count]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.mark.django_db
def test_worker_processes_give_the_same_report_and_events_as_one_process(tmp_path, monkeypatch):
    folder = _folder_of(tmp_path, 14)
    (folder / "zz_empty.txt").write_bytes(b"")  # a failure is reported in its place as well
    alone = _ingest_report(folder, "--jobs", "1", "--batch-size", "4")
    seen = events_as_seen()
    wipe()
    extracted_by = tmp_path / "pids"
    real_prepare = ingest.prepare_file

    def prepare_and_note(path, knowledge, row=None):
        with extracted_by.open("a") as note:
            note.write(f"{os.getpid()}\n")
        return real_prepare(path, knowledge, row)

    monkeypatch.setattr(ingest, "prepare_file", prepare_and_note)
    with_workers = _ingest_report(folder, "--jobs", "2", "--batch-size", "4")
    assert with_workers == alone and len(alone) == 15
    assert sum(" new " in line for line in alone) == 14 and "failed" in alone[-1]
    assert events_as_seen() == seen
    pids = extracted_by.read_text().split()
    assert len(pids) == 15
    assert set(pids) - {str(os.getpid())}  # the extraction ran in other processes
    again = _ingest_report(folder, "--jobs", "2", "--batch-size", "4")
    assert sum(" unchanged " in line for line in again) == 14 and events_as_seen() == seen


@pytest.mark.django_db
def test_a_worker_that_dies_loses_no_article(tmp_path, monkeypatch):
    folder = _folder_of(tmp_path, 9)
    main = os.getpid()
    real_prepare = ingest.prepare_file

    def die_on_the_fifth(path, knowledge, row=None):
        if os.getpid() != main and Path(path).name == FILES[4].name:
            os._exit(1)  # as the kernel's OOM killer would end it
        return real_prepare(path, knowledge, row)

    monkeypatch.setattr(ingest, "prepare_file", die_on_the_fifth)
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", str(folder), "--no-warm", "--jobs", "2", "--batch-size", "3", stdout=out, stderr=err)
    assert sum(" new " in line for line in out.getvalue().splitlines()) == 9
    assert Article.objects.count() == 9


@pytest.mark.django_db
def test_the_candidate_lookup_misses_no_article_the_matcher_would_link():
    """Every pair same_happening() links is found by candidates(), compared with every article of the corpus."""
    knowledge = current_knowledge()
    for path in FILES:
        store(prepare_file(path, knowledge))
    dated = list(Article.objects.filter(date_start__isnull=False))
    links = 0
    for article in dated:
        everyone = {b.pk for b in dated if b.pk != article.pk and same_happening(article, b)}
        found = {b.pk for b in candidates(article, exclude=[article.pk]) if same_happening(article, b)}
        assert found == everyone, article.source_name
        links += len(everyone)
    assert links > 20  # the corpus reports several meetings and visits more than once


@pytest.mark.django_db
def test_candidate_lookup_uses_the_date_index_and_never_reads_texts():
    knowledge = current_knowledge()
    for path in FILES[:30]:
        store(prepare_file(path, knowledge))
    article = Article.objects.filter(precision="day").exclude(signature__kinds=[]).first()
    query = candidates(article)
    sql = str(query.query)
    assert "raw_text" not in sql and '"body"' not in sql
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: make the planner show what it can use
        plan = query.explain()
        cursor.execute("RESET enable_seqscan")
    assert "article_span" in plan


def _database_url():
    from tests.conftest import live_database_url

    return live_database_url(connection)


def _ingest_command(folder, batch_size):
    env = dict(os.environ, DATABASE_URL=_database_url(), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "--batch-size", str(batch_size), str(folder)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_batch_leaves_whole_articles_and_a_rerun_completes(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in FILES[:24]:
        (folder / path.name).write_bytes(path.read_bytes())
    batch = 4
    run = _ingest_command(folder, batch)
    # kill -9 as soon as the first batch is reported (its lines are written after its commit), while the next
    # is being read or stored: no sleep, which a faster ingest outran (all 24 stored within 0.3 s)
    first_line = run.stdout.readline()
    assert first_line.startswith("[1/24]"), first_line
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    stored = Article.objects.count()
    assert stored % batch == 0 and 0 < stored < 24  # whole batches, never part of one
    for event in Event.objects.all():  # every event is whole: refreshed, with its articles
        assert event.articles.exists()
        before = (event.title, event.search_document, event.date_start)
        refresh_event(event)
        assert (event.title, event.search_document, event.date_start) == before
    assert not Article.objects.filter(event__isnull=True).exists()
    assert ArticleTopic.objects.values("article").distinct().count() <= stored
    rerun = _ingest_command(folder, batch)
    output, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, output
    assert f"{24 - stored} new, {stored} unchanged, 0 failed" in output
    after_kill = events_as_seen()
    wipe()
    clean = _ingest_command(folder, 1)
    clean.communicate(timeout=600)
    assert events_as_seen() == after_kill


# --- the batch path: the same rows as saves one after the other, in a fixed number of statements ---------


def _events_and_addresses():
    """The events, and where every address ever issued leads now."""
    return events_as_seen(), sorted(EventSlug.objects.values_list("slug", "event__slug"))


@pytest.mark.django_db
@pytest.mark.parametrize("locked", [False, True])
@pytest.mark.parametrize("stored", [0, 1, 2])
@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_batch_regroups_its_articles_as_saves_one_after_the_other_would(order, stored, locked, seeds_dir):
    """Reports that regroup each other (a month-precise one between two days), some stored before, some placed
    by an editor: the batch's matching, replayed in memory, ends where one save after the other does."""
    knowledge = current_knowledge()
    monthly = next(seeds_dir.glob("002_*.txt")).read_text(encoding="utf-8")
    texts = [STATE_VISIT_DAY, monthly, FACTORIES_LATER]
    prepared = [prepare_text(texts[i], knowledge=knowledge) for i in order]

    def before():
        for item in prepared[:stored]:
            store(item)
        events = list(Event.objects.order_by("pk"))
        if locked and events:
            merge_events(events[0], events[1:])

    before()
    issued = list(EventSlug.objects.values_list("slug", flat=True))
    for item in prepared[stored:]:
        store(item)
    expected = _events_and_addresses()
    wipe()
    before()
    assert list(EventSlug.objects.values_list("slug", flat=True)) == issued
    outcomes = ingest._store_batch(prepared[stored:])  # not store_batch: no fallback to one save at a time
    assert {o.status for o in outcomes.values()} == {"new"}
    assert _events_and_addresses() == expected


def _linked_by_meetings(texts_and_meetings):
    """Prepared day reports of 2 July 2024 whose signatures name the given calendar meetings (what links them)."""
    knowledge = current_knowledge()
    prepared = []
    for text, meetings in texts_and_meetings:
        item = prepare_text(text, knowledge=knowledge)
        item.result.signature = {**(item.result.signature or {}), "meetings": meetings, "visit": None, "kinds": []}
        prepared.append(item)
    return prepared


@pytest.mark.django_db
@pytest.mark.parametrize("stored_first", [True, False])
def test_an_event_a_batch_empties_hands_its_addresses_to_its_successor(stored_first):
    """Two reports stored on two events, then a third that reports the happening of both: the events become one
    and every address issued for either (an emptied event's address, an address handed to it before) leads to
    it, after a batch as after single saves. With stored_first=False all three come in one batch, in an order
    that makes and empties an event within the batch."""
    day = "أستانا 2 يوليو 2024 (شينخوا) "
    one, two, both = _linked_by_meetings([
        ("لقاء أول\n\n" + day + "التقى وزيرا الخارجية اليوم في العاصمة.\n\nوأضاف البيان.", ["m-one"]),
        ("لقاء ثان\n\n" + day + "اجتمع نائبا رئيسي الوزراء اليوم في القصر.\n\nوأضاف المسؤولون.", ["m-two"]),
        ("اللقاءان\n\n" + day + "عقد الجانبان اليوم لقاءين في العاصمة.\n\nوأضاف المتحدث.", ["m-one", "m-two"]),
    ])
    first, batch = ([one, two], [both]) if stored_first else ([], [one, two, both])

    def run(store_all):
        wipe()
        EventSlug.objects.all().delete()
        for item in first:
            store(item)
        if first:
            assert Event.objects.count() == 2
        store_all(batch)
        assert Event.objects.count() == 1
        return _events_and_addresses()

    def one_at_a_time(items):
        for item in items:
            store(item)

    expected = run(one_at_a_time)
    assert len(expected[1]) >= 2 and {holder for _, holder in expected[1]} == {expected[0][0][0]}
    assert run(ingest._store_batch) == expected


@pytest.mark.django_db
def test_the_batch_path_is_the_one_that_ran(monkeypatch):
    """store_batch falls back to one save at a time when a batch fails: the tests above must not pass that way."""
    knowledge = current_knowledge()
    prepared = [prepare_file(path, knowledge) for path in FILES[:10]]

    def no_single_saves(item):
        raise AssertionError("the batch fell back to single saves")

    monkeypatch.setattr(ingest, "store", no_single_saves)
    outcomes = store_batch(prepared)
    assert {o.status for o in outcomes} <= {"new", "failed"} and sum(o.status == "new" for o in outcomes) >= 8


@pytest.mark.django_db
def test_a_batch_is_stored_in_a_number_of_statements_that_does_not_grow_with_it():
    knowledge = current_knowledge()
    prepared = [p for p in (prepare_file(path, knowledge) for path in FILES[:60]) if isinstance(p, ingest.Prepared)]
    with CaptureQueriesContext(connection) as small:
        ingest._store_batch(prepared[:10])
    with CaptureQueriesContext(connection) as big:
        ingest._store_batch(prepared[10:])
    assert len(prepared) >= 50

    def storing(queries):
        """Leaving out the reference rows read once per batch for each outlet, meeting, city and country it names."""
        return [
            q["sql"] for q in queries.captured_queries
            if "timeline_outlet" not in q["sql"][:40] and "timeline_referencemeeting" not in q["sql"][:40]
            and not ('FROM "timeline_entity" WHERE' in q["sql"] and ('"name_en" =' in q["sql"] or '"slug" =' in q["sql"]))
        ]

    # The same statements whatever the batch's size, give or take those that run only when needed (a second wave of
    # matching, the articles a batch moves or flags, events it empties, links it drops): none for each article.
    assert len(storing(big)) <= len(storing(small)) + 12, storing(big)
    assert len(storing(big)) < len(prepared[10:])


def test_an_event_document_is_its_parts_stems_joined():
    """_refresh_event joins each article's stems (computed by the workers) instead of stemming the joined text."""
    parts = []
    for path in FILES[:30]:
        text = ingest.read_article(path.read_bytes(), path.name)
        parts += [text, text[: len(text) // 3]]
    parts += ["", "ـ", "كتاب\u0640", "\u064bالصين", "abc\x01", "«والصين»", "2024", " \n ", "Tokayev\u200f"]
    joined = search_stems("\n".join(parts))
    assert joined == " ".join(s for s in map(search_stems, parts) if s)
    for title, body in zip(parts, reversed(parts)):
        assert ingest.article_stems(title, body) == search_stems(strip_controls(title) + "\n" + strip_controls(body))


@pytest.mark.django_db
def test_a_batch_flags_the_first_twenty_earlier_twins_a_single_save_would():
    """_earlier_twins takes the first 20 of each of its three conditions (same outlet, dated within a week,
    both undated) and then the first 20 of those: the same ids as possible_duplicates_of's
    first 20 among the articles stored before, with more than 20 matching each condition and the conditions mixed."""
    import datetime

    from timeline.models import Outlet

    title = "الصين وكازاخستان توقعان اتفاقية للنقل"
    ours, theirs = (Outlet.objects.create(slug=s, name_en=s, name_ar=s) for s in ("twins-a", "twins-b"))
    day = datetime.date(2023, 9, 12)
    shapes = [  # (outlet, days from `day` or None for undated)
        (ours, 400), (theirs, 3), (None, None), (theirs, 9), (ours, None), (None, -6), (theirs, None), (None, 30),
    ]
    made = []
    for n in range(75):
        outlet, offset = shapes[n % len(shapes)]
        start = None if offset is None else day + datetime.timedelta(days=offset + n % 3)
        made.append(Article.objects.create(
            title=title, title_generated=n == 7, raw_text=f"نص {n}", body=f"نص {n}", content_hash=f"twins-{n}",
            outlet=outlet, date_start=start, date_end=start,
        ))
    checked = 0
    for article in made[20:]:
        expected = list(
            Article.objects.possible_duplicates_of(article).filter(pk__lt=article.pk).values_list("pk", flat=True)[:20]
        )
        assert sorted(ingest._earlier_twins([article]).get(article.pk, [])) == expected, article.content_hash
        checked += len(expected) == 20
    assert checked > 10  # many have more twins than the 20 kept


# _BatchMatcher._read_candidates before its date ranges were passed as one daterange[] literal (the text[] cast was
# evaluated again for every row read): the fast statement must find exactly what this one finds.
_CANDIDATES_WITH_A_CAST_A_ROW = """
SELECT id FROM timeline_article
WHERE date_start IS NOT NULL
  AND daterange(date_start, GREATEST(date_start, date_end), '[]') && ANY(%s::text[]::daterange[])
  AND (signature -> 'meetings' ?| %s::text[] OR signature -> 'visit' = ANY(%s::text[]::jsonb[])
       OR (precision = 'day' AND signature -> 'kinds' ?| %s::text[]))
  AND NOT (id = ANY(%s::bigint[]))
"""


@pytest.mark.django_db
def test_a_wave_s_candidates_are_those_of_the_statement_with_a_cast_a_row():
    import random

    knowledge = current_knowledge()
    for path in FILES:
        store(prepare_file(path, knowledge))
    dated = list(Article.objects.filter(date_start__isnull=False).order_by("pk"))
    rng = random.Random(4)
    found = 0
    for _ in range(40):
        wave = rng.sample(dated, rng.randrange(1, min(len(dated), 12)))
        matcher = ingest._BatchMatcher(wave)
        fast = {m.pk for m in matcher._read_candidates(wave)}
        ranges, meetings, visits, kinds = matcher.wave_links(wave)
        with connection.cursor() as cursor:
            cursor.execute(
                _CANDIDATES_WITH_A_CAST_A_ROW,
                [sorted(ranges), sorted(meetings), sorted(visits), sorted(kinds), [a.pk for a in wave]],
            )
            plain = {row[0] for row in cursor.fetchall()}
        assert fast == (plain if (meetings or visits or kinds) else set())
        found += len(fast)
    assert found > 50


@pytest.mark.django_db
def test_a_batch_writes_each_new_event_once_with_its_values_and_updates_a_stored_one():
    """A batch's new event is inserted as its articles make it (its history: one row, with its date and title),
    not inserted empty and then updated; a stored event an article joins is updated, and that is recorded."""
    knowledge = current_knowledge()
    reports = [
        "أستانا 14 مايو 2019 (شينخوا) -- وقع وزير الخارجية الكازاخستاني ونظيره الصيني اليوم في أستانا اتفاقية "
        "لتسهيل عبور شاحنات الحبوب عبر منفذ خورغوس الحدودي، وقال الوزيران إن الشحنات ستبدأ في الخريف.",
        "بكين 2 سبتمبر 2020 (شينخوا) -- افتتحت في بكين اليوم دورة تدريبية لمهندسين كازاخستانيين في مجال الطاقة "
        "الشمسية، بمشاركة خمسين متدربا يقضون شهرين في محطات إقليم شينجيانغ.",
    ]
    first = prepare_text(reports[0], knowledge=knowledge, source_name="first.txt")
    [stored] = store_batch([first])
    joining = prepare_text(reports[0] + " وأضاف الوزيران أن الاتفاقية تشمل القطن.", knowledge=knowledge,
                           source_name="second.txt")
    fresh = prepare_text(reports[1], knowledge=knowledge, source_name="third.txt")
    outcomes = store_batch([joining, fresh])
    assert [o.status for o in outcomes] == ["new", "new"]
    assert outcomes[0].article.event_id == stored.article.event_id  # the same signing: joined

    new_event = Event.objects.get(pk=outcomes[1].article.event_id)
    assert new_event.date_start.isoformat() == "2020-09-02" and new_event.search_document
    rows = list(new_event.history.order_by("pgh_id").values_list("pgh_label", "date_start", "title", "lead"))
    assert rows == [("insert", new_event.date_start, new_event.title, new_event.lead)]
    old_event = Event.objects.get(pk=stored.article.event_id)
    assert list(old_event.history.order_by("pgh_id").values_list("pgh_label", flat=True)) == ["insert", "update"]
    assert Event.objects.filter(search_vector__isnull=False).count() == Event.objects.count() == 2
    # what the search reads of the new event is its own document, parsed once on insert
    assert Event.objects.filter(pk=new_event.pk, search_vector=search_stems("الشمسية")).exists()
