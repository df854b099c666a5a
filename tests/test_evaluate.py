"""The labelled corpus: measured accuracy must stay above the thresholds of issue 3."""

import json

import pytest
from django.core.management import call_command

from tests.conftest import ROOT
from timeline.evaluation import THRESHOLDS, evaluate

CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="module")
def report(knowledge):
    return evaluate(CORPUS, knowledge)


def test_corpus_is_big_and_varied_enough():
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) >= 30
    assert sum(item["date"] is None for item in manifest) >= 4
    assert len({item.get("outlet") for item in manifest}) >= 8
    assert not any(item["file"].startswith(("000_", "001_", "002_", "003_", "004_")) and "seed" in item["file"] for item in manifest)


def test_no_invented_dates(report):
    assert report.invented == []


def test_date_accuracy(report):
    assert report.figures()["date_exact"] >= THRESHOLDS["date_exact"], report.details


def test_topic_f1(report):
    assert report.figures()["topics_f1"] >= THRESHOLDS["topics_f1"]


def test_entity_f1(report):
    assert report.figures()["entities_f1"] >= THRESHOLDS["entities_f1"]


def test_no_file_fails(report):
    assert report.errors == []


@pytest.mark.django_db
def test_evaluate_command_prints_the_table_and_checks(capsys):
    call_command("evaluate", str(CORPUS), "--check")
    out = capsys.readouterr().out
    assert "event date exact" in out and "entities precision / recall / F1" in out and "all thresholds met" in out
