"""Measure extraction against a labelled corpus (tests/corpus/manifest.json).

Pure Python over files and the extractor; the `evaluate` command prints the table
and, with --check, fails below the thresholds of issue 3.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from timeline.extract import ExtractionError, extract_article
from timeline.extract.decode import decode_article_bytes

THRESHOLDS = {"date_exact": 0.95, "topics_f1": 0.9, "entities_f1": 0.9, "invented_dates": 0}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted, expected):
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    articles: int = 0
    date_exact: int = 0
    date_within: int = 0
    invented: list = field(default_factory=list)  # labelled undated, extractor gave a date
    missed: list = field(default_factory=list)  # labelled dated, extractor gave none
    wrong: list = field(default_factory=list)  # both dated, not exact
    topics: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    review: int = 0
    agreement: object = None  # topics F1 between two human annotators, when a second annotation exists
    errors: list = field(default_factory=list)
    details: list = field(default_factory=list)

    def share(self, n):
        return n / self.articles if self.articles else 0.0

    def figures(self):
        return {
            "articles": self.articles,
            "date_exact": self.share(self.date_exact),
            "date_within": self.share(self.date_within),
            "invented_dates": len(self.invented),
            "topics_precision": self.topics.precision,
            "topics_recall": self.topics.recall,
            "topics_f1": self.topics.f1,
            "entities_precision": self.entities.precision,
            "entities_recall": self.entities.recall,
            "entities_f1": self.entities.f1,
            "review_share": self.share(self.review),
            "topics_annotator_agreement_f1": self.agreement.f1 if self.agreement else None,
        }

    def failures(self, thresholds=THRESHOLDS):
        figures = self.figures()
        problems = []
        for key in ("date_exact", "topics_f1", "entities_f1"):
            if figures[key] < thresholds[key]:
                problems.append(f"{key} {figures[key]:.3f} < {thresholds[key]}")
        if figures["invented_dates"] > thresholds["invented_dates"]:
            problems.append(f"{figures['invented_dates']} invented date(s): {', '.join(self.invented)}")
        if self.errors:
            problems.append(f"{len(self.errors)} file(s) failed: {', '.join(self.errors)}")
        return problems


def _label_interval(label):
    return datetime.date.fromisoformat(label["start"]), datetime.date.fromisoformat(label["end"])


def evaluate(folder, knowledge):
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    report = Report()
    for item in manifest:
        report.articles += 1
        name = item["file"]
        try:
            text = decode_article_bytes((folder / name).read_bytes(), name)
            published = datetime.date.fromisoformat(item["supplied_published"]) if item.get("supplied_published") else None
            result = extract_article(text, knowledge, published=published)
        except (ExtractionError, OSError) as exc:
            report.errors.append(f"{name}: {exc}")
            continue
        label, claim = item.get("date"), result.date
        verdict = "ok"
        if label is None:
            if claim is None:
                report.date_exact += 1
                report.date_within += 1
            else:
                report.invented.append(name)
                verdict = f"invented {claim.start}..{claim.end}"
        elif claim is None:
            report.missed.append(name)
            verdict = "missed"
        else:
            start, end = _label_interval(label)
            if (claim.start, claim.end, claim.precision) == (start, end, label["precision"]):
                report.date_exact += 1
                report.date_within += 1
            else:
                if start <= claim.start and claim.end <= end:
                    report.date_within += 1
                    verdict = f"within {claim.start}..{claim.end} {claim.precision}"
                else:
                    verdict = f"wrong {claim.start}..{claim.end} {claim.precision}"
                report.wrong.append(name)
        report.topics.add({t.slug for t in result.topics}, set(item.get("topics", [])))
        # Countries are in the gazetteer (spellings resolve to one entity) but not in the corpus labels.
        report.entities.add({e.name_en for e in result.entities if not e.is_country}, set(item.get("entities", [])))
        report.review += result.needs_review
        report.details.append(
            {
                "file": name,
                "date": verdict,
                "topics_extra": sorted({t.slug for t in result.topics} - set(item.get("topics", []))),
                "topics_missing": sorted(set(item.get("topics", [])) - {t.slug for t in result.topics}),
                "entities_extra": sorted({e.name_en for e in result.entities if not e.is_country} - set(item.get("entities", []))),
                "entities_missing": sorted(set(item.get("entities", [])) - {e.name_en for e in result.entities}),
            }
        )
    first, second = folder / "topics_first_annotator.json", folder / "topics_second_annotator.json"
    if first.exists() and second.exists():
        # How far two people agree before adjudication: the ceiling that "topics F1" should be read against.
        one, two = (json.loads(f.read_text(encoding="utf-8")) for f in (first, second))
        report.agreement = Counts()
        for name in one.keys() & two.keys():
            report.agreement.add(set(two[name]), set(one[name]))
    return report
