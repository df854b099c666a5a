import os

from django.core.management.base import BaseCommand, CommandError

from timeline.history import machine
from timeline.progress import progress_bar, write_line
from timeline.ingest import BATCH_SIZE, files_with_metadata, ingest_files, read_manifest
from timeline.reference import current_knowledge


def default_jobs():
    """The CPUs this process may run on (a container's or taskset's limit, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Command(BaseCommand):
    help = "Ingest article files (.txt, .html; files or folders; default: seeds/). One transaction per article."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders of articles (default: seeds/ without --manifest)")
        parser.add_argument("--manifest", help="CSV or JSON lines: file, url, published, outlet for each file")
        parser.add_argument("--no-warm", action="store_true", help="do not count the timeline's main views afterwards")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE,
            help=f"articles stored per transaction (default {BATCH_SIZE}; 1: one transaction per article). "
            "A killed run leaves whole batches; run it again to finish.",
        )
        parser.add_argument(
            "--jobs", type=int, default=default_jobs(),
            help="processes that extract articles while this one stores them (default: the CPUs available, "
            f"{default_jobs()} here; 1: all in this process). Used when there is more than one batch.",
        )

    def handle(self, *paths, **options):
        with machine("ingest"):  # the history names the command as the author of every change it makes
            self._ingest(paths, options)

    def _ingest(self, paths, options):
        try:
            manifest = read_manifest(options["manifest"]) if options["manifest"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        paths = options["paths"] or ([] if manifest else ["seeds"])
        missing = [p for p in paths if not os.path.exists(p)]
        files = files_with_metadata([p for p in paths if p not in missing], manifest)
        failures = [f"{p}: no such file or folder" for p in missing]
        failures += [message for _, message in (manifest.problems if manifest else [])]
        if not files and not failures:
            raise CommandError(f"no article files found in {', '.join(paths or [options['manifest']])}")
        knowledge = current_knowledge()
        counts = {"new": 0, "unchanged": 0, "failed": len(failures)}
        for problem in failures:
            self.stderr.write(f"failed    {problem}")
        total = len(files)
        outcomes = ingest_files(files, knowledge, batch_size=max(1, options["batch_size"]), jobs=max(1, options["jobs"]))
        with progress_bar(total, self.stderr, "ingest") as bar:
            self._report(files, outcomes, counts, failures, bar)
        self.stdout.write(
            self.style.SUCCESS(f"{counts['new']} new, {counts['unchanged']} unchanged, {counts['failed']} failed")
        )
        if counts["new"] and not options["no_warm"]:
            # The first visitors after an ingest get cached counts (facets.warm), not a cold count each.
            from timeline import facets

            self.stdout.write(f"facets: {facets.warm(seconds=120)} view(s) counted and cached")
        if failures:
            raise CommandError(f"{len(failures)} file(s) could not be ingested:\n" + "\n".join(failures), returncode=1)

    def _report(self, files, outcomes, counts, failures, bar):
        """One line per file (through the bar, which they must not break), the bar one step on."""
        total = len(files)
        for number, ((path, row), outcome) in enumerate(zip(files, outcomes), 1):
            bar.update(1)
            counts[outcome.status] += 1
            detail = ""
            if outcome.article is not None:
                a = outcome.article
                when = f"{a.date_start}" + (f"..{a.date_end}" if a.date_end != a.date_start else "") if a.date_start else "undated"
                detail = f" — {when} [{a.precision or '-'}, {a.date_method or '-'}] → {a.event.slug if a.event else '-'}"
            line = f"[{number}/{total}] {outcome.status:9} {path}{detail}"
            if outcome.status == "failed":
                failures.append(outcome.message)
                write_line(bar, self.stderr, f"[{number}/{total}] failed    {outcome.message}")
            else:
                write_line(bar, self.stdout, line)
