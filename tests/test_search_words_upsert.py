"""search.add_words leaves out, before its upsert, the words already counted: the rows must be exactly those of the
plain upsert it replaced (INSERT … ON CONFLICT DO UPDATE … WHERE frequency = 0), whatever the table holds."""

import random

import pytest
from django.db import connection, transaction

from timeline.models import SearchTerm
from timeline.search import add_words

PLAIN_UPSERT = """
INSERT INTO timeline_searchterm (normalized, display, frequency, is_name)
SELECT word, word, 1, false FROM unnest(string_to_array(%s, ' ')) AS word
ON CONFLICT (normalized) DO UPDATE SET display = EXCLUDED.display, frequency = 1, is_name = false
WHERE timeline_searchterm.frequency = 0
"""


def _rows():
    # by word, without the ids: a rolled-back insert still advances the sequence, and the order the new words are
    # inserted in (so their ids' order) follows the plan PostgreSQL picks for NOT EXISTS (an anti-join may hash)
    return list(SearchTerm.objects.order_by("normalized").values_list("normalized", "display", "frequency", "is_name"))


@pytest.mark.django_db
def test_add_words_stores_what_the_plain_upsert_stores():
    rng = random.Random(9)
    vocabulary = [f"w{n}" for n in range(60)] + ["صين", "كازاخستان", "توكايف", "استانا", "طريق", "حرير"]
    for _ in range(60):
        SearchTerm.objects.all().delete()
        # absent words, words counted (frequency ≥ 1) and words a rebuild left at frequency 0 (names, or not seen yet)
        SearchTerm.objects.bulk_create(
            SearchTerm(normalized=w, display=w.upper(), frequency=rng.choice([0, 0, 1, 7]), is_name=rng.random() < 0.5)
            for w in rng.sample(vocabulary, rng.randrange(len(vocabulary)))
        )
        words = set(rng.sample(vocabulary, rng.randrange(1, len(vocabulary))))
        with transaction.atomic():
            point = transaction.savepoint()
            with connection.cursor() as cursor:
                cursor.execute(PLAIN_UPSERT, [" ".join(sorted(words))])
            expected = _rows()
            transaction.savepoint_rollback(point)
        add_words(words)
        assert _rows() == expected
