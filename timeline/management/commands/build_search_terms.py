from django.core.management.base import BaseCommand

from timeline.models import SearchTerm
from timeline.search import rebuild_search_terms


class Command(BaseCommand):
    help = "Recount the corpus's words and list the gazetteer's spellings again, for the search's \"did you mean\"."

    def handle(self, *args, **options):
        rebuild_search_terms()
        self.stdout.write(f"{SearchTerm.objects.count()} words and names known")
