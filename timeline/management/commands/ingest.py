import os
from django.core.management.base import BaseCommand, CommandError

from timeline.ingest import article_files, ingest_file
from timeline.reference import current_knowledge


class Command(BaseCommand):
    help = "Ingest article text files (files or folders; default: seeds/). One transaction per article."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", default=["seeds"], help="files or folders of .txt articles")

    def handle(self, *paths, **options):
        paths = options["paths"]
        missing = [p for p in paths if not os.path.exists(p)]
        files = list(article_files([p for p in paths if p not in missing]))
        if not files and not missing:
            raise CommandError(f"no .txt files found in {', '.join(paths)}")
        knowledge = current_knowledge()
        counts = {"new": 0, "unchanged": 0, "failed": 0}
        failures = [f"{p}: no such file or folder" for p in missing]
        counts["failed"] += len(missing)
        total = len(files)
        for number, path in enumerate(files, 1):
            outcome = ingest_file(path, knowledge)
            counts[outcome.status] += 1
            detail = ""
            if outcome.article is not None:
                a = outcome.article
                when = f"{a.date_start}" + (f"..{a.date_end}" if a.date_end != a.date_start else "") if a.date_start else "undated"
                detail = f" — {when} [{a.precision or '-'}, {a.date_method or '-'}] → {a.event.slug if a.event else '-'}"
            line = f"[{number}/{total}] {outcome.status:9} {path}{detail}"
            if outcome.status == "failed":
                failures.append(outcome.message)
                self.stderr.write(f"[{number}/{total}] failed    {outcome.message}")
            else:
                self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"{counts['new']} new, {counts['unchanged']} unchanged, {counts['failed']} failed")
        )
        if failures:
            raise CommandError(f"{len(failures)} file(s) could not be ingested:\n" + "\n".join(failures), returncode=1)
