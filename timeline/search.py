"""The gazetteer's spellings as search synonyms, shared by all processes and rebuilt after an edit."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from timeline.extract import knowledge as k
from timeline.extract.search import synonym_index
from timeline.models import Entity

_VERSION_KEY = "timeline:gazetteer-version"
_local = {"version": None, "index": {}}


def synonyms():
    """{stem sequence: all spellings} for the current gazetteer (one cache read when nothing changed)."""
    version = cache.get_or_set(_VERSION_KEY, 1)
    if _local["version"] != version:
        entities = [k.Entity(e.slug, e.kind, e.name_en, e.name_ar, tuple(e.aliases)) for e in Entity.objects.all()]
        _local.update(version=version, index=synonym_index(entities))
    return _local["index"]


@receiver([post_save, post_delete], sender=Entity)
def _gazetteer_changed(**kwargs):
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # not cached yet
        cache.set(_VERSION_KEY, 2)
