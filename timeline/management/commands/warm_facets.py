import time

from django.core.management.base import BaseCommand

from timeline import facets


class Command(BaseCommand):
    help = "Count and cache the timeline's unfiltered and single-filter views for the current data (see facets.warm)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=None, help="stop after this long (default: all views)")

    def handle(self, *args, **options):
        started = time.monotonic()
        counted = facets.warm(options["seconds"])
        self.stdout.write(f"facets: {counted} view(s) counted and cached in {time.monotonic() - started:.1f} s")
