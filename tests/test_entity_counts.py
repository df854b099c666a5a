"""models.EntityCount: dated events per entity, kept by triggers through every write path (the facets' ranking)."""

import random

import pytest
from django.db import connection, transaction

from tests.test_equivalence import build_corpus, mutate
from timeline.models import EntityCount, Event

pytestmark = pytest.mark.django_db


def counted():
    """What the triggers kept (entities with dated events only)."""
    return dict(EntityCount.objects.filter(events__gt=0).values_list("entity_id", "events"))


def recounted():
    """The same counted from the links, as facets._corpus used to on every new data version."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.entity_id, count(*) FROM timeline_event_entities n JOIN timeline_event e ON e.id = n.event_id "
            "WHERE e.date_start IS NOT NULL GROUP BY n.entity_id"
        )
        return dict(cursor.fetchall())


def test_the_counts_follow_every_write():
    rng = random.Random(5)
    events, _, entities, _ = build_corpus(rng, n_events=60)
    assert counted() == recounted() and recounted()
    mutate(rng, events, entities)  # articles moved and deleted, entities re-tagged, events emptied and tidied
    assert counted() == recounted()

    dated = list(Event.objects.filter(date_start__isnull=False).exclude(entity_ids=[]).order_by("pk")[:3])
    dated[0].date_start = dated[0].date_end = None  # an editor removes a date: its entities lose an event
    dated[0].save()
    assert counted() == recounted()
    dated[0].date_start = dated[0].date_end = dated[1].date_start  # and gives it back
    dated[0].save()
    assert counted() == recounted()
    dated[1].entities.remove(dated[1].entities.first())
    dated[1].entities.add(*[e for e in entities if e not in set(dated[1].entities.all())][:2])
    assert counted() == recounted()
    dated[2].delete()  # its links go first, then the event
    assert counted() == recounted()
    # An event deleted before its links (the foreign keys wait for the commit), in a savepoint rolled back after.
    with transaction.atomic(), connection.cursor() as cursor:
        victim = Event.objects.filter(date_start__isnull=False).exclude(entity_ids=[]).order_by("pk").first()
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("DELETE FROM timeline_event WHERE id = %s", [victim.pk])
        assert counted() == recounted()  # (its links are still there, but no event is dated through them)
        cursor.execute("DELETE FROM timeline_event_entities WHERE event_id = %s", [victim.pk])
        assert counted() == recounted()
        transaction.set_rollback(True)
    assert counted() == recounted()


def test_recount_rebuilds_them():
    build_corpus(random.Random(6), n_events=20)
    EntityCount.objects.all().delete()
    EntityCount.recount()
    assert counted() == recounted() and recounted()
