import datetime

from django.core.management.base import BaseCommand, CommandError

from timeline import jobs, reextract
from timeline.progress import progress_bar, write_line


class Command(BaseCommand):
    help = (
        "Re-extract stored articles with today's reference data (gazetteer, calendar) and regroup events, "
        "keeping every field an editor set. Runs here with a progress bar; --background queues it for "
        "`manage.py db_worker`."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="article ids")
        parser.add_argument("--all", action="store_true", help="every article")
        parser.add_argument("--since", help="articles added on or after this date (YYYY-MM-DD)")
        parser.add_argument("--outlet", help="articles of the outlet with this slug")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
        parser.add_argument("--background", action="store_true", help="queue the run for the worker and return")

    def handle(self, *ids, **options):
        since = None
        if options["since"]:
            try:
                since = datetime.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError(f"--since «{options['since']}» is not a date (YYYY-MM-DD)") from exc
        ids = options["ids"]
        if not (ids or options["all"] or since or options["outlet"]):
            raise CommandError("say which articles: ids, --all, --since DATE or --outlet SLUG")
        if ids and (options["all"] or since or options["outlet"]):
            raise CommandError("give either article ids or --all/--since/--outlet, not both")
        articles = reextract.select_articles(ids, options["all"], since, options["outlet"])
        chosen = list(articles.values_list("pk", flat=True))
        missing = sorted(set(ids) - set(chosen))
        if missing:
            raise CommandError(f"no article with id {', '.join(map(str, missing))}")
        if not chosen:
            raise CommandError("no article matches")
        if options["background"]:
            if options["dry_run"]:
                raise CommandError("--dry-run runs here: leave out --background")
            job = jobs.enqueue_reextract(None if options["all"] else chosen, requested_by="manage.py reextract")
            self.stdout.write(
                f"queued job #{job.pk} ({job.total} articles); a worker runs it: python manage.py db_worker"
            )
            return
        verbose = options["verbosity"] > 1
        with progress_bar(len(chosen), self.stderr, "reextract") as bar:

            def show(line):
                bar.update(1)
                if line.status == "failed":
                    write_line(bar, self.stderr, line.text())
                elif line.status == "changed" or verbose:
                    write_line(bar, self.stdout, line.text())

            report = reextract.run(chosen, dry_run=options["dry_run"], on_line=show)
        prefix = "dry run, nothing changed: " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
        if report.counts.get("failed"):
            raise CommandError(f"{report.counts['failed']} article(s) could not be re-extracted", returncode=1)
