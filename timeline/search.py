"""The gazetteer's spellings as search synonyms, shared by all processes and rebuilt after an edit."""

import uuid

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
    # A fresh random token, not a counter: a key that expired, was culled or rolled back can never come back
    # with a value some process already holds for an older gazetteer.
    version = cache.get_or_set(_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)
    if _local["version"] != version:
        entities = [k.Entity(e.slug, e.kind, e.name_en, e.name_ar, tuple(e.aliases)) for e in Entity.objects.all()]
        _local.update(version=version, index=synonym_index(entities))
    return _local["index"]


@receiver([post_save, post_delete], sender=Entity)
def _gazetteer_changed(**kwargs):
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
