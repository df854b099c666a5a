"""The labelled corpus (tests/corpus): measured accuracy of the extractor.

Three groups of figures, each asserted here and printed by `manage.py evaluate`:
- the whole corpus: no wrong date (a range that misses the labelled one), ever;
- the articles labelled before issue 7: the targets of issue 3 (timeline.evaluation.THRESHOLDS);
- the issue-7 batch, real articles from outlets and years the extractor was never tuned on: the floors
  reached (NEW_FLOORS), next to the issue's targets (timeline.evaluation.NEW_BATCH_TARGETS), some unmet.
Topics are held at the floor measured today (FLOORS), against the adjudicated or first labels.
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import ROOT
from timeline.evaluation import NEW_BATCH, NEW_BATCH_TARGETS, THRESHOLDS, evaluate

CORPUS = ROOT / "tests" / "corpus"
# The earlier articles (63/66 exact). 063 says "last week" and names the third Belt and Road Forum, dated to the
# forum's days (17-18 Oct 2023), inside its label (the week, 16-22 Oct) but not equal to it.
FLOORS = {"date_exact": 0.954, "date_within": 0.984, "topics_f1": 0.89}  # topics against the adjudicated labels
# Event types (docs/event-types.md): the classifier's errors were studied on the earlier articles only (66/66 right
# when it was written); the issue-7 batch is held out: 34/41 (0.829) at its first and only measured run.
FLOORS["event_type_accuracy"] = 0.95
# The issue-7 batch, as reached today: (value, is a maximum). Issue 7's targets are NEW_BATCH_TARGETS;
# every one of them is met (27/30 dated to the day), and topics F1 (0.943) is at or above the two annotators'
# agreement (0.941), as it is on the earlier articles (0.895 against 0.889).
NEW_FLOORS = {
    "wrong_dates": (0, True),
    "invented_dates": (0, True),
    "day_undated": (2, True),
    "day_dated": (27, False),
    "undated_kept": (10, False),
    "people_recall": (0.97, False),
    "places_recall": (0.91, False),
    "entities_f1": (0.85, False),
    "topics_f1": (0.94, False),
    "event_type_accuracy": (0.82, False),
}


@pytest.fixture(scope="module")
def report(knowledge):
    return evaluate(CORPUS, knowledge)


@pytest.fixture(scope="module")
def earlier(report):
    return report.subset("")


@pytest.fixture(scope="module")
def new(report):
    return report.subset(NEW_BATCH)


def test_corpus_is_big_and_varied_enough():
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) >= 30
    assert sum(item["date"] is None for item in manifest) >= 4
    assert len({item.get("origin", "").split("/")[2] if "//" in item.get("origin", "") else item["file"] for item in manifest}) >= 20
    seeds = {p.read_bytes() for p in (ROOT / "seeds").glob("*.txt")}
    assert not any((CORPUS / item["file"]).read_bytes() in seeds for item in manifest)


def test_every_article_has_an_event_type_label_from_the_fixed_list():
    from timeline.extract.event_types import EVENT_TYPES

    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    assert all(item.get("event_type") in EVENT_TYPES for item in manifest)
    # a varied corpus: most codes occur, none dominates
    counts = {code: sum(item["event_type"] == code for item in manifest) for code in EVENT_TYPES}
    assert sum(n > 0 for n in counts.values()) >= 9 and max(counts.values()) < len(manifest) / 3


def test_no_date_is_wrong(report):
    """A claimed range never misses the labelled one, on any article (issue 7: 0 wrong dates)."""
    assert report.figures()["wrong_dates"] == 0, [d for d in report.details if d["date"].startswith("wrong")]


def test_no_invented_dates_on_the_earlier_articles(earlier):
    assert earlier.invented == []


def test_no_file_fails(report):
    assert report.errors == []


@pytest.mark.parametrize("figure", ["entities_f1"])
def test_the_earlier_articles_meet_the_issue_3_targets(earlier, figure):
    assert earlier.figures()[figure] >= THRESHOLDS[figure], [d for d in earlier.details if d["date"] != "ok"]


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_the_earlier_articles_do_not_fall_below_todays_floor(earlier, figure):
    assert earlier.figures()[figure] >= FLOORS[figure], [d for d in earlier.details if d["date"] != "ok"]


def test_the_new_batch_is_the_articles_added_for_issue_7(new):
    assert new.articles >= 30
    assert new.figures()["day_knowable"] >= 20 and new.figures()["labelled_undated"] >= 4


@pytest.mark.parametrize("figure", sorted(NEW_FLOORS))
def test_the_new_batch_does_not_fall_below_what_it_reaches_today(new, figure):
    value, maximum = NEW_FLOORS[figure]
    got = new.figures()[figure]
    assert got <= value if maximum else got >= value, [d for d in new.details if d["date"] != "ok"]


@pytest.mark.parametrize("batch", ["earlier", "new"])
def test_topics_are_at_least_as_good_as_two_annotators_agree(batch, request):
    """Issue 7: topic F1 at or above the human agreement (two annotators' F1) on the new articles as on the old."""
    figures = request.getfixturevalue(batch).figures()
    assert figures["topics_f1"] >= figures["topics_annotator_agreement_f1"]


@pytest.mark.django_db
def test_evaluate_command_prints_the_table(capsys):
    call_command("evaluate", str(CORPUS))
    out = capsys.readouterr().out
    for row in ("event date exact", "event date within the labelled range", "invented dates", "wrong dates",
                "people recall", "places recall", "day knowable: dated to that day",
                "topics precision / recall / F1", "entities precision / recall / F1", "event type accuracy",
                "sent to review"):
        assert row in out


@pytest.mark.django_db
def test_check_passes_on_the_corpus_issue_7_targets_included(capsys):
    """What CI asserts: 0 wrong dates everywhere, issue 3's targets on the earlier articles, issue 7's on its batch."""
    call_command("evaluate", str(CORPUS), "--check")
    assert "all targets met" in capsys.readouterr().out


def test_the_new_batch_meets_every_issue_7_target(new):
    assert new.failures(NEW_BATCH_TARGETS) == []


@pytest.mark.django_db
def test_check_fails_below_the_thresholds(tmp_path):
    (tmp_path / "a.txt").write_text("عنوان\n\nأستانا 8 يونيو 2017 (شينخوا) قال الوزير.", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps([{
        "file": "a.txt", "date": {"start": "2018-01-01", "end": "2018-01-01", "precision": "day"},
        "topics": ["energy"], "entities": ["Astana"]}]), encoding="utf-8")
    with pytest.raises(CommandError, match="below the targets"):
        call_command("evaluate", str(tmp_path), "--check")
