"""Ingest: the seeds become four events; idempotent; bad files reported; order never matters."""

import datetime
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from timeline.ingest import article_files, ingest_file, ingest_text
from timeline.models import Article, Event
from timeline.reference import current_knowledge

D = datetime.date


def event_summary():
    """What a reader sees: each event's date, precision and which texts it holds (by their first words)."""
    return sorted(
        (e.date_start, e.date_end, e.precision, tuple(sorted(a.body[:30] for a in e.articles.all())))
        for e in Event.objects.prefetch_related("articles")
    )


@pytest.mark.django_db
def test_seeds_become_the_four_events_of_the_design(ingested):
    events = list(Event.objects.dated().chronological().prefetch_related("articles", "topics"))
    assert [(e.date_start, e.date_end, e.precision) for e in events] == [
        (D(2017, 6, 8), D(2017, 6, 8), "day"),
        (D(2022, 6, 7), D(2022, 6, 7), "day"),
        (D(2024, 7, 1), D(2024, 7, 31), "month"),
        (D(2025, 6, 17), D(2025, 6, 17), "day"),
    ]
    visit = events[2]
    assert visit.articles.count() == 2
    assert visit.title.startswith("زيارة تاريخية للرئيس الصيني")  # the report speaks for the event, not the preview
    assert visit.date_method == "calendar"
    assert {"diplomacy", "trade"} <= {t.slug for t in visit.topics.all()}
    assert Article.objects.filter(event__isnull=True).count() == 0


@pytest.mark.django_db
def test_second_ingest_adds_nothing(ingested, capsys):
    call_command("ingest", "seeds")
    out = capsys.readouterr().out
    assert "0 new, 5 unchanged, 0 failed" in out
    assert Article.objects.count() == 5 and Event.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_order_of_ingestion_does_not_change_the_events(seed, seeds_dir):
    knowledge = current_knowledge()
    files = list(article_files([seeds_dir]))
    for path in files:
        ingest_file(path, knowledge)
    expected = event_summary()
    Article.objects.all().delete()
    Event.objects.all().delete()
    shuffled = files[:]
    random.Random(seed).shuffle(shuffled)
    if seed == 1:
        shuffled.reverse()
    for path in shuffled:
        assert ingest_file(path, knowledge).status == "new"
    assert event_summary() == expected


@pytest.mark.django_db
def test_bad_files_are_reported_by_name_and_the_rest_still_ingested(seed_copy, capsys):
    (seed_copy / "empty.txt").write_bytes(b"")
    (seed_copy / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (seed_copy / "latin.txt").write_bytes("Ceci n'est pas un article arabe, déjà vu à Paris é è".encode("latin-1"))
    with pytest.raises(CommandError) as failure:
        call_command("ingest", str(seed_copy))
    assert failure.value.returncode == 1
    err = capsys.readouterr()
    assert "empty.txt" in err.err and "binary.txt" in err.err and "latin.txt" in err.err
    assert "5 new, 0 unchanged, 3 failed" in err.out
    assert Article.objects.count() == 5


@pytest.mark.django_db
def test_windows_1256_and_utf16_files_are_read(tmp_path):
    text = "الصين وكازاخستان تبحثان التعاون\n\nبكين 3 يوليو 2024 (كونا) -- بحث وزيرا الخارجية التعاون في مجال الطاقة."
    (tmp_path / "cp1256.txt").write_bytes(text.encode("cp1256"))
    (tmp_path / "utf16.txt").write_bytes(text.replace("الطاقة", "النقل").encode("utf-16"))
    knowledge = current_knowledge()
    outcomes = [ingest_file(p, knowledge) for p in article_files([tmp_path])]
    assert [o.status for o in outcomes] == ["new", "new"]
    assert Article.objects.get(source_name="cp1256.txt").date_start == D(2024, 7, 3)


@pytest.mark.django_db
def test_missing_path_fails_with_a_clear_message(capsys):
    with pytest.raises(CommandError, match="no-such-folder"):
        call_command("ingest", "no-such-folder")


@pytest.mark.django_db
def test_undated_article_waits_for_review_and_is_not_on_the_timeline():
    outcome = ingest_text("تعاون بين الصين وكازاخستان\n\nأكد الجانبان أهمية تعزيز التعاون في مجالات عديدة.")
    assert outcome.status == "new"
    article = outcome.article
    assert article.date_start is None and article.needs_review
    assert article.event.needs_review and article.event.date_start is None
    assert Event.objects.dated().count() == 0


@pytest.mark.django_db
def test_a_second_report_of_the_same_day_joins_the_event(ingested):
    report = ("بكين 7 يونيو 2022 (كونا) -- أجرى وزيرا الخارجية الصيني والقازاقي محادثات حول تعزيز التعاون "
              "الثنائي، وقال وانغ يي إن الصين وقازاقستان ستواصلان تعزيز التعاون.\n\nوأضاف الوزيران.")
    article = ingest_text(report, source_name="kuna.txt").article
    assert article.event.articles.count() == 2
    assert Event.objects.count() == 4


@pytest.mark.django_db
def test_failed_extraction_writes_nothing():
    outcome = ingest_text("\x00\x01\x02" * 100, source_name="garbage.txt")
    assert outcome.status == "failed" and "garbage.txt" in outcome.message
    assert Article.objects.count() == 0 and Event.objects.count() == 0


@pytest.mark.django_db
def test_extract_dry_run_prints_json_and_writes_nothing(seeds_dir, capsys):
    import json

    files = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    call_command("extract", *files, "--json")
    data = json.loads(capsys.readouterr().out)
    assert Article.objects.count() == 0
    assert len(data) == 5
    assert {"file", "title", "outlet", "date", "topics", "entities", "error"} <= set(data[0])
    assert data[0]["date"] == {
        "start": "2017-06-08", "end": "2017-06-08", "precision": "day", "method": "dateline",
        "evidence": data[0]["date"]["evidence"], "confidence": 0.95,
    }
    assert data[0]["outlet"] == {"name_ar": "شينخوا", "name_en": "Xinhua"}
    assert all(t["evidence"] for item in data for t in item["topics"])
    assert data[1]["published"] == "2022-06-08"  # the publication stamp, kept apart from the event date


@pytest.mark.django_db
def test_extract_reports_a_bad_file_in_the_json(tmp_path, capsys):
    import json

    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("extract", str(tmp_path / "empty.txt"), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data[0]["error"] and data[0]["date"] is None


# --- event grouping holds whatever the order (review findings) ---------------------------------

STATE_VISIT_DAY = ("الرئيس الصيني يصل إلى أستانا\n\nأستانا 2 يوليو 2024 (شينخوا) وصل الرئيس الصيني شي جين بينغ "
                   "إلى أستانا اليوم في زيارة دولة إلى كازاخستان.\n\nوأضاف البيان.")
FACTORIES_LATER = ("افتتاح مصانع صينية في ألماتي\n\nألماتي 20 يوليو 2024 (شينخوا) افتتحت مصانع صينية اليوم "
                   "تنفيذا لاتفاقات زيارة الدولة للرئيس الصيني إلى كازاخستان.\n\nوأضاف المسؤولون.")


@pytest.mark.django_db
@pytest.mark.parametrize("order", list(__import__("itertools").permutations(range(3))))
def test_a_month_precise_report_between_two_day_reports_groups_the_same_in_every_order(order, seeds_dir):
    knowledge = current_knowledge()
    monthly = next(seeds_dir.glob("002_*.txt")).read_text(encoding="utf-8")
    texts = [STATE_VISIT_DAY, monthly, FACTORIES_LATER]
    for i in order:
        assert ingest_text(texts[i], knowledge=knowledge).status == "new"
    groups = sorted(sorted(a.date_start.day if a.precision == "day" else 0 for a in e.articles.all())
                    for e in Event.objects.prefetch_related("articles"))
    assert groups == [[0, 2], [20]]
    assert Event.objects.get(articles__date_start=D(2024, 7, 2)).date_start == D(2024, 7, 2)


@pytest.mark.django_db
def test_publication_date_does_not_override_stronger_evidence(ingested):
    text = "لقاء جديد\n\nأكد الجانبان خلال زيارة دولة للرئيس الصيني إلى كازاخستان أهمية التعاون.\n\nوأضاف."
    ingest_text(text, published=D(2024, 7, 10))
    visit = Event.objects.get(articles__source_name__startswith="002")
    assert (visit.date_start, visit.precision, visit.date_method) == (D(2024, 7, 1), "month", "calendar")


@pytest.mark.django_db
def test_two_unrelated_stories_of_the_same_day_and_city_stay_apart():
    ingest_text("اتفاقية للقمح\n\nأستانا 3 يوليو 2024 (شينخوا) وقعت كازاخستان والصين اليوم اتفاقية لتصدير القمح "
                "والحبوب عبر الموانئ الجافة.\n\nوأضاف الوزير.")
    ingest_text("مركز ثقافي\n\nأستانا 3 يوليو 2024 (شينخوا) افتتح اليوم مركز ثقافي صيني في العاصمة الكازاخستانية "
                "لتعليم اللغة والفنون.\n\nوأضاف المدير.")
    assert Event.objects.count() == 2


@pytest.mark.django_db
def test_article_whose_date_is_cleared_leaves_no_empty_event(ingested):
    from timeline.ingest import attach_to_event

    article = Article.objects.get(source_name__startswith="001")
    old_event = article.event_id
    article.date_start = article.date_end = None
    article.precision = article.date_method = ""
    article.save()
    attach_to_event(article)
    assert not Event.objects.filter(pk=old_event).exists()
    assert Event.objects.dated().count() == 3


@pytest.mark.django_db
def test_utf8_with_bom_is_read_and_the_bom_is_not_in_the_title(tmp_path):
    text = "الصين وكازاخستان تبحثان التعاون\n\nبكين 3 يوليو 2024 (كونا) -- بحث وزيرا الخارجية التعاون."
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    outcome = ingest_file(tmp_path / "bom.txt", current_knowledge())
    assert outcome.status == "new" and outcome.article.title == "الصين وكازاخستان تبحثان التعاون"


@pytest.mark.django_db
def test_sync_reference_updates_rows_migrate_left_alone_and_prunes_only_when_asked(capsys):
    from timeline.models import Entity, MeetingSeries, TopicKeyword

    MeetingSeries.objects.filter(slug="sco-summit").update(patterns=["قديم"])
    Entity.objects.create(slug="editor-added", kind="place", name_en="Editor Town", name_ar="بلدة المحرر")
    TopicKeyword.objects.filter(topic__slug="energy").delete()
    call_command("sync_reference")
    assert MeetingSeries.objects.get(slug="sco-summit").patterns != ["قديم"]
    assert TopicKeyword.objects.filter(topic__slug="energy").exists()
    assert Entity.objects.filter(slug="editor-added").exists()
    call_command("sync_reference", "--prune")
    assert not Entity.objects.filter(slug="editor-added").exists()


# --- input with its metadata: --manifest, .html files ---------------------------------------------

UNDATED_REPORT = ("وزيرا خارجية الصين وكازاخستان يبحثان التعاون في النقل\n\n"
                  "بحث وزيرا خارجية الصين وكازاخستان أمس التعاون في مجال النقل والطاقة، وأكدا أهمية الممر الأوسط.\n\n"
                  "وقال الوزيران إن حجم التبادل التجاري بين البلدين ارتفع بشكل ملحوظ خلال العام الماضي.")
OTHER_REPORT = ("افتتاح مركز ثقافي صيني في ألماتي\n\n"
                "افتتح يوم الثلاثاء مركز ثقافي صيني في مدينة ألماتي الكازاخستانية بحضور مسؤولين من البلدين.\n\n"
                "ويقدم المركز دروسا في اللغة الصينية وفنون الخط والموسيقى للطلاب الكازاخستانيين.")


def _batch(tmp_path, manifest_name, manifest_text):
    """A folder with two articles (one in a subfolder) and a manifest; returns the manifest's path."""
    folder = tmp_path / "batch"
    (folder / "pages").mkdir(parents=True)
    (folder / "talks.txt").write_text(UNDATED_REPORT, encoding="utf-8")
    (folder / "pages" / "centre.txt").write_text(OTHER_REPORT, encoding="utf-8")
    (folder / manifest_name).write_text(manifest_text, encoding="utf-8")
    return folder / manifest_name


@pytest.mark.django_db
def test_csv_manifest_gives_each_file_its_address_date_and_outlet(tmp_path, capsys):
    manifest = _batch(tmp_path, "list.csv", "file,url,published,outlet\n"
                      "talks.txt,https://www.aljazeera.net/news/2022/9/14/talks,,\n"
                      "pages/centre.txt,,2023-05-12,الأفق نيوز\n")
    call_command("ingest", "--manifest", str(manifest))
    talks = Article.objects.get(source_name="talks.txt")
    assert (talks.published_on, talks.published_evidence) == (D(2022, 9, 14), "address: /2022/9/14/")
    assert (talks.date_start, talks.date_method) == (D(2022, 9, 13), "relative")  # «أمس» + the address's date
    assert "from the address /2022/9/14/" in talks.date_evidence
    assert talks.outlet.name_en == "Al Jazeera" and talks.url.endswith("/2022/9/14/talks")
    centre = Article.objects.get(source_name="centre.txt")
    assert (centre.published_on, centre.published_evidence, centre.date_start) == (D(2023, 5, 12), "supplied", D(2023, 5, 9))
    assert centre.outlet.name_ar == "الأفق نيوز"
    assert "2 new, 0 unchanged, 0 failed" in capsys.readouterr().out


@pytest.mark.django_db
def test_json_lines_manifest_with_a_bad_row_reports_it_by_name_and_runs_the_rest(tmp_path, capsys):
    manifest = _batch(tmp_path, "list.jsonl",
                      '{"file": "talks.txt", "url": "http://arabic.news.cn/2015-08/26/c_134558093.htm"}\n'
                      '{"file": "missing.txt", "published": "2020-01-01"}\n'
                      '{"file": "pages/centre.txt", "published": "2023-13-40"}\n')
    with pytest.raises(CommandError) as failure:
        call_command("ingest", "--manifest", str(manifest))
    assert failure.value.returncode == 1
    out = capsys.readouterr()
    assert "missing.txt" in out.err and "centre.txt" in out.err and "2023-13-40" in out.err
    assert "1 new, 0 unchanged, 2 failed" in out.out
    talks = Article.objects.get()
    assert (talks.published_on, talks.outlet.name_en, talks.date_start) == (D(2015, 8, 26), "Xinhua", D(2015, 8, 25))


@pytest.mark.django_db
def test_files_named_with_a_manifest_take_the_row_of_the_same_path_or_file_name(tmp_path, capsys):
    import json

    copy = tmp_path / "copies" / "centre.txt"
    copy.parent.mkdir()
    copy.write_text(OTHER_REPORT, encoding="utf-8")
    manifest = _batch(tmp_path, "list.csv", f"file,published\ntalks.txt,2021-03-04\n{copy},2019-10-10\n")
    folder = manifest.parent
    call_command("extract", str(folder / "talks.txt"), str(folder / "pages" / "centre.txt"), "--manifest",
                 str(manifest), "--json")
    data = {Path(item["file"]).name: item for item in json.loads(capsys.readouterr().out) if not item["error"]}
    assert (data["talks.txt"]["published"], data["talks.txt"]["published_method"]) == ("2021-03-04", "supplied")
    assert data["talks.txt"]["date"]["start"] == "2021-03-03"
    # The row names another copy (an absolute path): the file named has the same name, so the row applies.
    assert data["centre.txt"]["published"] == "2019-10-10"
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_html_files_are_ingested_with_their_page_date(tmp_path):
    from tests.conftest import ROOT

    source = ROOT / "tests" / "pages" / "wordpress_meta_time.html"
    (tmp_path / "page.html").write_bytes(source.read_bytes())
    call_command("ingest", str(tmp_path))
    article = Article.objects.get()
    assert article.title == "الصين وكازاخستان توقعان اتفاقية لتوسيع ممر النقل العابر"
    assert article.published_on == D(2022, 9, 14) and article.published_evidence.startswith("page metadata: <meta")
    assert article.date_start == D(2022, 9, 13)  # «أمس الثلاثاء»
    assert "التعليقات" not in article.body and "أسعار الذهب" not in article.body


@pytest.mark.django_db
def test_a_domain_an_editor_gives_an_outlet_names_it_for_the_next_article():
    from timeline.models import Outlet

    Outlet.objects.filter(slug="alwahda").update(domains=["alwahda-news.example"])
    article = ingest_text(UNDATED_REPORT, url="https://www.alwahda-news.example/2024/07/03/xi-visit").article
    assert article.outlet.slug == "alwahda"
    assert (article.published_on, article.date_start) == (D(2024, 7, 3), D(2024, 7, 2))


# A lead whose first sentence has few words but very long ones (a run of joined links, a pasted
# table): the title generated from it was over the 500 characters an article's title holds.
LONG_WORDS_LEAD = (
    " ".join(["بكين" + "ـالتعاون" * 12] * 12) + ". وبحث وزيرا الخارجية في أستانا 3 يوليو 2024 التعاون في مجال الطاقة."
)


@pytest.mark.django_db
def test_a_generated_title_over_500_characters_is_cut_at_a_word_and_ingest_goes_on(tmp_path, capsys):
    (tmp_path / "a_long.txt").write_text(LONG_WORDS_LEAD, encoding="utf-8")
    (tmp_path / "b_talks.txt").write_text(
        "الصين وكازاخستان تبحثان التعاون\n\nبكين 3 يوليو 2024 (كونا) -- بحث وزيرا الخارجية التعاون.", encoding="utf-8"
    )
    call_command("ingest", str(tmp_path))
    assert "2 new, 0 unchanged, 0 failed" in capsys.readouterr().out
    title = Article.objects.get(source_name="a_long.txt").title
    assert len(title) <= 500 and title.endswith("…")
    assert LONG_WORDS_LEAD.startswith(title[:-1] + " ")  # whole words, cut between two of them
    assert Event.objects.filter(title=title).exists()


@pytest.mark.django_db
def test_a_file_the_database_refuses_is_named_and_the_rest_still_ingested(seed_copy, capsys):
    from django.db import connection

    # A real refusal from PostgreSQL (rolled back with the test): any article whose text says "سم".
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN "
            "IF NEW.body LIKE '%سم قاتل%' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON timeline_article FOR EACH ROW EXECUTE FUNCTION refuse_poison()"
        )
    (seed_copy / "000_poison.txt").write_text(
        "خبر عن الصين\n\nبكين 3 يوليو 2024 (كونا) -- سم قاتل في التقرير عن التعاون بين البلدين.", encoding="utf-8"
    )
    with pytest.raises(CommandError) as failure:
        call_command("ingest", str(seed_copy))
    assert failure.value.returncode == 1
    output = capsys.readouterr()
    assert "000_poison.txt" in output.err and "refused by a test trigger" in output.err
    assert "5 new, 0 unchanged, 1 failed" in output.out
    assert Article.objects.count() == 5


@pytest.mark.django_db
def test_control_and_bidi_override_characters_are_not_stored(client):
    text = (
        "الصين\x0bوكازاخستان\x01 تبحثان \u202eالتعاون\u202c\n\n"
        "بكين 3 يوليو 2024 (كونا) -- بحث\x1b وزيرا الخارجية\x7f التعاون\u2067 في\tمجال الطاقة."
        + "\n\nوأكد الجانبان أهمية تعزيز التعاون في مجالات التجارة والنقل والطاقة والثقافة." * 8
    )
    article = ingest_text(text).article
    article.refresh_from_db()
    assert article.title == "الصين وكازاخستان تبحثان التعاون"
    assert article.body.startswith("بكين 3 يوليو 2024 (كونا) -- بحث وزيرا الخارجية التعاون في مجال الطاقة.\n")
    stored = article.raw_text + article.event.title + article.date_evidence
    assert not [ch for ch in stored if ch not in "\n\t" and (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F)]
    assert not set(stored) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    # An editor's own title goes through the same cleaning.
    article.event.title = "قمة\x0b أستانا\x02 \u202dالثانية"
    article.event.save()
    article.event.refresh_from_db()
    assert article.event.title == "قمة  أستانا الثانية"
    assert client.get("/events.atom").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, encoding):
    text = "الصين وكازاخستان تبحثان التعاون\n\nبكين 3 يوليو 2024 (كونا) -- بحث وزيرا الخارجية التعاون في مجال الطاقة."
    (tmp_path / "no_bom.txt").write_bytes(text.encode(encoding))
    outcome = ingest_file(tmp_path / "no_bom.txt", current_knowledge())
    assert outcome.status == "new", outcome.message
    assert outcome.article.title == "الصين وكازاخستان تبحثان التعاون"
    assert outcome.article.date_start == D(2024, 7, 3)
