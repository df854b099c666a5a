"""Measure extraction against a labelled corpus (tests/corpus/manifest.json).

Pure Python over files and the extractor; the `evaluate` command prints the table
and, with --check, fails below the targets. Every article is scored once into a
record; a report is a set of records, so the same figures come out for the whole
corpus, for one batch of it (the articles added for issue 7, `"batch": "issue-7"`),
and with or without the article's address given to the extractor.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from timeline.extract import ExtractionError, extract_article
from timeline.extract.decode import decode_article_bytes

#: Targets for the whole corpus (issue 3) and for the articles the project had never seen (issue 7).
THRESHOLDS = {"date_exact": 0.95, "entities_f1": 0.9, "invented_dates": 0, "wrong_dates": 0}
NEW_BATCH = "issue-7"
NEW_BATCH_TARGETS = {
    "wrong_dates": 0,
    "day_dated_share": 0.85,
    "day_undated": 3,  # at most
    "people_recall": 0.95,
    "places_recall": 0.90,
    "undated_kept_share": 1.0,
}
MAXIMUMS = {"invented_dates", "wrong_dates", "day_undated"}
KINDS = ("person", "place", "organisation")
_LABEL_KEYS = {"person": "people", "place": "places", "organisation": "organisations"}


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
class Scored:
    """One article: its labels, what the extractor said, and the verdict on the date."""

    file: str
    batch: str
    verdict: str  # ok | invented | missed | within (inside the label) | wider (around it) | wrong (misses it)
    day_knowable: bool
    labelled_undated: bool
    topics: tuple  # (predicted, expected)
    entities: dict  # kind -> (predicted, expected)
    needs_review: bool
    detail: dict
    event_type: tuple = (None, None)  # (predicted, labelled); labelled None when the manifest has no label


@dataclass
class Report:
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    agreement: object = None  # topics Counts between two human annotators, over these articles
    annotations: tuple = ()  # (first, second) annotators' topic labels by file, when both exist

    # --- lists the tests and the command show ------------------------------------------------
    def _files(self, *verdicts):
        return [r.file for r in self.records if r.verdict in verdicts]

    @property
    def invented(self):
        return self._files("invented")

    @property
    def missed(self):
        return self._files("missed")

    @property
    def wrong(self):
        """Dated by both, not exactly: inside the labelled span, around it (imprecise) or missing it (wrong)."""
        return self._files("wrong", "within", "wider")

    @property
    def details(self):
        return [r.detail for r in self.records]

    @property
    def articles(self):
        return len(self.records) + len(self.errors)

    def subset(self, batch):
        """The same figures over one batch of the corpus (the human agreement too)."""
        records = [r for r in self.records if r.batch == batch]
        errors = [e for e in self.errors if e.split(":")[0] in {r.file for r in records}]
        return Report(records, errors, _agreement(self.annotations, {r.file for r in records}), self.annotations)

    def batches(self):
        return sorted({r.batch for r in self.records if r.batch})

    # --- figures -------------------------------------------------------------------------------
    def figures(self):
        n = self.articles
        share = (lambda k, total=n: k / total if total else 0.0)
        count = (lambda *verdicts: sum(r.verdict in verdicts for r in self.records))
        knowable = [r for r in self.records if r.day_knowable]
        undated_labels = [r for r in self.records if r.labelled_undated]
        topics, entities = Counts(), Counts()
        by_kind = {kind: Counts() for kind in KINDS}
        for r in self.records:
            topics.add(*r.topics)
            for kind, (predicted, expected) in r.entities.items():
                entities.add(predicted, expected)
                by_kind[kind].add(predicted, expected)
        day_dated = sum(r.verdict == "ok" for r in knowable)
        typed = [r.event_type for r in self.records if r.event_type[1] is not None]
        return {
            "articles": n,
            "date_exact": share(count("ok")),
            "date_within": share(count("ok", "within")),
            "invented_dates": count("invented"),
            "wrong_dates": count("wrong"),
            "missed_dates": count("missed"),
            "day_knowable": len(knowable),
            "day_dated": day_dated,
            "day_dated_share": share(day_dated, len(knowable)),
            "day_undated": sum(r.verdict == "missed" for r in knowable),
            "labelled_undated": len(undated_labels),
            "undated_kept": sum(r.verdict == "ok" for r in undated_labels),
            "undated_kept_share": share(sum(r.verdict == "ok" for r in undated_labels), len(undated_labels)) if undated_labels else 1.0,
            "topics_precision": topics.precision,
            "topics_recall": topics.recall,
            "topics_f1": topics.f1,
            "entities_precision": entities.precision,
            "entities_recall": entities.recall,
            "entities_f1": entities.f1,
            "people_recall": by_kind["person"].recall,
            "places_recall": by_kind["place"].recall,
            "organisations_recall": by_kind["organisation"].recall,
            "review_share": share(sum(r.needs_review for r in self.records)),
            "event_types_labelled": len(typed),
            "event_types_right": sum(p == e for p, e in typed),
            "event_type_accuracy": sum(p == e for p, e in typed) / len(typed) if typed else None,
            "topics_annotator_agreement_f1": self.agreement.f1 if self.agreement else None,
        }

    def failures(self, thresholds=THRESHOLDS):
        """What falls short of the targets: counts in MAXIMUMS must not exceed theirs, other figures must reach theirs."""
        figures = self.figures()
        problems = []
        for key, target in thresholds.items():
            value = figures[key]
            if key in MAXIMUMS and value > target:
                problems.append(f"{key} {value} > {target}")
            elif key not in MAXIMUMS and value < target:
                problems.append(f"{key} {value:.3f} < {target}")
        if self.errors:
            problems.append(f"{len(self.errors)} file(s) failed: {', '.join(self.errors)}")
        return problems


def _label_interval(label):
    return datetime.date.fromisoformat(label["start"]), datetime.date.fromisoformat(label["end"])


def _verdict(label, claim):
    if label is None:
        return "ok" if claim is None else "invented"
    if claim is None:
        return "missed"
    start, end = _label_interval(label)
    if (claim.start, claim.end, claim.precision) == (start, end, label["precision"]):
        return "ok"
    if start <= claim.start and claim.end <= end:
        return "within"
    # A claim that contains the labelled span is imprecise, not wrong (a month around the true day);
    # a claim that misses it is wrong.
    if claim.start <= start and end <= claim.end:
        return "wider"
    return "wrong"


def expected_entities(item, kind_of):
    """{kind: set of English names} from the labels: explicit people/places/organisations, else by gazetteer kind."""
    if any(key in item for key in _LABEL_KEYS.values()):
        return {kind: set(item.get(key, [])) for kind, key in _LABEL_KEYS.items()}
    expected = {kind: set() for kind in KINDS}
    for name in item.get("entities", []):
        expected[kind_of.get(name, "organisation")].add(name)
    return expected


def _agreement(annotations, files):
    if not annotations:
        return None
    one, two = annotations
    shared = one.keys() & two.keys() & files
    if not shared:
        return None
    counts = Counts()
    for name in shared:
        counts.add(set(two[name]), set(one[name]))
    return counts


def evaluate(folder, knowledge, with_address=True):
    """Score every article of the labelled corpus. `with_address=False` hides each article's URL from the extractor."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    kind_of = {e.name_en: e.kind for e in knowledge.entities}
    report = Report()
    for item in manifest:
        name = item["file"]
        metadata = {}
        if item.get("supplied_published"):
            metadata["published"] = datetime.date.fromisoformat(item["supplied_published"])
        if with_address and item.get("url"):
            metadata["url"] = item["url"]
        try:
            text = decode_article_bytes((folder / name).read_bytes(), name)
            result = extract_article(text, knowledge, **metadata)
        except (ExtractionError, OSError) as exc:
            report.errors.append(f"{name}: {exc}")
            continue
        label, claim = item.get("date"), result.date
        verdict = _verdict(label, claim)
        predicted = {kind: set() for kind in KINDS}
        for entity in result.entities:
            # Countries are in the gazetteer (spellings resolve to one entity) but not in the corpus labels.
            if not entity.is_country:
                predicted[entity.kind].add(entity.name_en)
        expected = expected_entities(item, kind_of)
        found_topics, wanted_topics = {t.slug for t in result.topics}, set(item.get("topics", []))
        shown = verdict if verdict == "ok" else f"{verdict} {claim.start}..{claim.end} {claim.precision}" if claim else verdict
        report.records.append(Scored(
            file=name,
            batch=item.get("batch", ""),
            verdict=verdict,
            day_knowable=item.get("day_knowable", bool(label) and label["precision"] == "day"),
            labelled_undated=label is None,
            topics=(found_topics, wanted_topics),
            entities={kind: (predicted[kind], expected[kind]) for kind in KINDS},
            needs_review=result.needs_review,
            event_type=(result.event_type, item.get("event_type")),
            detail={
                "file": name,
                "date": shown,
                "topics_extra": sorted(found_topics - wanted_topics),
                "topics_missing": sorted(wanted_topics - found_topics),
                "entities_extra": sorted(set().union(*(predicted[k] - expected[k] for k in KINDS))),
                "entities_missing": sorted(set().union(*(expected[k] - predicted[k] for k in KINDS))),
                "event_type": "ok" if result.event_type == item.get("event_type", result.event_type)
                else f"{result.event_type} (labelled {item['event_type']}; {result.event_type_evidence})",
            },
        ))
    first, second = folder / "topics_first_annotator.json", folder / "topics_second_annotator.json"
    if first.exists() and second.exists():
        # How far two people agree before adjudication: the ceiling that "topics F1" should be read against.
        report.annotations = tuple(json.loads(f.read_text(encoding="utf-8")) for f in (first, second))
        report.agreement = _agreement(report.annotations, {r.file for r in report.records})
    return report


# The figures the /about/ page shows: written by `manage.py evaluate --write-summary` and committed, so a page
# request reads a small file instead of re-running the extractor over the labelled corpus.
SUMMARY_PATH = Path(__file__).resolve().parent / "fixtures" / "accuracy.json"


def write_summary(path, figures, folder):
    """Write the evaluation's figures (by column) with the day they were measured and the corpus they came from."""
    summary = {
        "measured_on": datetime.date.today().isoformat(),
        "corpus": str(folder),
        "columns": figures,
    }
    Path(path).write_text(json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def read_summary(path=SUMMARY_PATH):
    """The last written summary, or None when there is none or it cannot be read."""
    try:
        summary = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) and isinstance(summary.get("columns"), dict) else None
