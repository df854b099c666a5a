from django.core.management.base import BaseCommand

from timeline.reference import sync_reference_data


class Command(BaseCommand):
    help = (
        "Bring the reference data in the database (topics, outlets, calendar, gazetteer) in line with "
        "timeline/fixtures/reference/. `migrate` only adds what is missing; this also updates existing rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune", action="store_true",
            help="also delete keywords, entities and meetings the fixtures no longer have (editors' additions too)",
        )

    def handle(self, *args, **options):
        changed = sync_reference_data(prune=options["prune"])
        self.stdout.write(self.style.SUCCESS(
            f"{changed['added']} added, {changed['updated']} updated, {changed['removed']} removed"))
