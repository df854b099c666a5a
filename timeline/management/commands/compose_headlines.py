from django.core.management.base import BaseCommand
from django.db import transaction

from timeline.headlines import refresh_composed_headlines
from timeline.ingest import primary_article
from timeline.models import Article, Event

FIELDS = ["composed_headline_en", "composed_headline_ar", "title_poor"]


class Command(BaseCommand):
    help = (
        "Compose every event's English and Arabic headline again from its type, participants and place "
        "(ingest does it for the events it touches; run this after upgrading). Editors' headlines are not touched."
    )

    def handle(self, *args, **options):
        changed = 0
        for event in Event.objects.iterator(chunk_size=200):
            articles = list(Article.objects.filter(event=event).select_related("outlet"))
            if not articles:
                continue
            before = [getattr(event, f) for f in FIELDS]
            speaker = primary_article([a for a in articles if not a.title_generated] or articles)
            refresh_composed_headlines(event, articles, speaker)
            if [getattr(event, f) for f in FIELDS] != before:
                with transaction.atomic():
                    Event.objects.filter(pk=event.pk).update(**{f: getattr(event, f) for f in FIELDS})
                changed += 1
        self.stdout.write(f"{changed} event(s) given new composed headlines")
