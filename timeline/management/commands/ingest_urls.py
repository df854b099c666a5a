from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from timeline.fetching import FetchRefused, fetch_page
from timeline.ingest import Outcome, ingest_text
from timeline.reference import current_knowledge


def urls_from(arguments):
    """(url, None) for each address, from the arguments and from files of addresses (one a line, '#' comments);
    (argument, problem) for a file that cannot be read."""
    for argument in arguments:
        if "://" in argument:
            yield argument, None
            continue
        try:
            lines = Path(argument).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            yield argument, f"{argument}: not a URL, nor a readable list of URLs ({getattr(exc, 'strerror', None) or exc})"
            continue
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line, None


class Command(BaseCommand):
    help = ("Fetch news pages and ingest them, by the same rules as the admin's 'Add from URL' "
            "(public http/https addresses only, time and size limits). Arguments: URLs, or files of URLs, one a line.")

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="FILE|URL")

    def handle(self, *args, **options):
        todo = list(urls_from(options["sources"]))
        knowledge = current_knowledge()
        counts = {"new": 0, "unchanged": 0, "failed": 0}
        failures = []
        for number, (url, problem) in enumerate(todo, 1):
            outcome = Outcome(url, "failed", message=problem) if problem else self._ingest(url, knowledge)
            counts[outcome.status] += 1
            if outcome.status == "failed":
                failures.append(outcome.message)
                self.stderr.write(f"[{number}/{len(todo)}] failed    {outcome.message}")
                continue
            a = outcome.article
            when = f"{a.date_start}" + (f"..{a.date_end}" if a.date_end != a.date_start else "") if a.date_start else "undated"
            event = a.event.slug if a.event else "-"
            self.stdout.write(f"[{number}/{len(todo)}] {outcome.status:9} {url} — {when} [{a.precision or '-'}, {a.date_method or '-'}] → {event}")
        self.stdout.write(self.style.SUCCESS(f"{counts['new']} new, {counts['unchanged']} unchanged, {counts['failed']} failed"))
        if failures:
            raise CommandError(f"{len(failures)} URL(s) could not be ingested:\n" + "\n".join(failures), returncode=1)

    def _ingest(self, url, knowledge):
        try:
            page = fetch_page(url)
        except FetchRefused as exc:
            with translation.override("en"):  # the command speaks English, like `ingest`
                return Outcome(url, "failed", message=f"{url}: {exc}")
        try:
            outcome = ingest_text(page.text, knowledge=knowledge, url=page.final_url)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the list or lose the summary
            first_line = (str(exc).strip().splitlines() or [""])[0]
            return Outcome(url, "failed", message=f"{url}: {type(exc).__name__}: {first_line}")
        if outcome.status == "failed":
            outcome.message = f"{url}: {outcome.message}"
        return outcome
