from django.core.management.base import BaseCommand
from django.db import transaction

from timeline.extract.discovery import find_article_proposals
from timeline.ingest import set_proposals
from timeline.models import Article, ProposalStatus, ProposedEntity
from timeline.reference import current_knowledge


class Command(BaseCommand):
    help = (
        "Propose the names after a title that the gazetteer lacks, from every stored article: for articles "
        "ingested before discovery existed, or after the gazetteer changed. Accepted and rejected names stay as they are."
    )

    def handle(self, *args, **options):
        knowledge = current_knowledge()
        articles = 0
        for article in Article.objects.only("pk", "title", "body").iterator():
            with transaction.atomic():
                set_proposals(article, find_article_proposals(article.title, article.body, knowledge))
            articles += 1
        waiting = ProposedEntity.objects.filter(status=ProposalStatus.PROPOSED).count()
        self.stdout.write(self.style.SUCCESS(f"{articles} articles read, {waiting} names wait for an editor"))
