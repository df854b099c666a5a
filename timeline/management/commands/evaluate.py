import json

from django.core.management.base import BaseCommand, CommandError

from timeline.evaluation import THRESHOLDS, evaluate
from timeline.reference import current_knowledge


class Command(BaseCommand):
    help = "Measure extraction accuracy on a labelled corpus (a folder with manifest.json)."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default="tests/corpus")
        parser.add_argument("--check", action="store_true", help="exit 1 below the accuracy thresholds")
        parser.add_argument("--details", action="store_true", help="list every article that is not exactly right")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args, **options):
        try:
            report = evaluate(options["folder"], current_knowledge())
        except FileNotFoundError as exc:
            raise CommandError(f"no labelled corpus there: {exc}") from exc
        figures = report.figures()
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
        else:
            rows = [
                ("articles", f"{figures['articles']}"),
                ("event date exact (value and precision)", f"{figures['date_exact']:.1%}"),
                ("event date within the labelled range", f"{figures['date_within']:.1%}"),
                ("invented dates (labelled undated, given a date)", f"{figures['invented_dates']}"),
                ("missed dates (labelled dated, found none)", f"{len(report.missed)}"),
                ("topics precision / recall / F1",
                 f"{figures['topics_precision']:.3f} / {figures['topics_recall']:.3f} / {figures['topics_f1']:.3f}"),
                ("topics F1 between two human annotators",
                 f"{figures['topics_annotator_agreement_f1']:.3f}" if report.agreement else "n/a"),
                ("entities precision / recall / F1",
                 f"{figures['entities_precision']:.3f} / {figures['entities_recall']:.3f} / {figures['entities_f1']:.3f}"),
                ("sent to review", f"{figures['review_share']:.1%}"),
            ]
            width = max(len(label) for label, _ in rows)
            for label, value in rows:
                self.stdout.write(f"{label:<{width}}  {value:>24}")
        if options["details"]:
            for item in report.details:
                problems = {k: v for k, v in item.items() if k != "file" and v and v != "ok"}
                if problems:
                    self.stdout.write(f"{item['file']}: {problems}")
        if options["check"]:
            failures = report.failures(THRESHOLDS)
            if failures:
                raise CommandError("below the thresholds: " + "; ".join(failures), returncode=1)
            self.stdout.write(self.style.SUCCESS("all thresholds met"))
