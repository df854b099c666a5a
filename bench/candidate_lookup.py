"""Ingest's candidate lookup on a big database: the old query (every overlapping article, with its texts) against
timeline.ingest.candidates() (the article_span index, the links only). Run on a copy of a scale database:

    DJANGO_SETTINGS_MODULE=config.settings DATABASE_URL=postgresql://…/<copy of scale100k> python bench/candidate_lookup.py
"""
import random
import time

import django
django.setup()
from timeline.models import Article
from timeline.ingest import candidates, SAME_DAY_SLACK, _interval
ids = list(Article.objects.filter(date_start__isnull=False).values_list("pk", flat=True))
random.seed(3)
sample = list(Article.objects.filter(pk__in=random.sample(ids, 40)))
old_t = new_t = 0.0; old_rows = new_rows = 0
for a in sample:
    a.signature = {"kinds": ["visit", "talks"], "meetings": ["sco-summit:2019-06-14"], "visit": "visit:china:president", "words": []}
    start, end = _interval(a)
    t = time.perf_counter()
    rows = list(Article.objects.filter(date_start__isnull=False, date_start__lte=end + SAME_DAY_SLACK, date_end__gte=start - SAME_DAY_SLACK).exclude(pk__in=[a.pk]))
    old_t += time.perf_counter() - t; old_rows += len(rows)
    t = time.perf_counter()
    rows = list(candidates(a, exclude=[a.pk]))
    new_t += time.perf_counter() - t; new_rows += len(rows)
print(f"old lookup: {old_t/len(sample)*1000:.1f} ms/article, {old_rows/len(sample):.0f} rows (with texts)")
print(f"new lookup: {new_t/len(sample)*1000:.1f} ms/article, {new_rows/len(sample):.0f} rows (no texts)")
a = sample[0]
print(candidates(a, exclude=[a.pk]).explain(analyze=True, buffers=True))
start, end = _interval(a)
print(Article.objects.filter(date_start__isnull=False, date_start__lte=end + SAME_DAY_SLACK, date_end__gte=start - SAME_DAY_SLACK).exclude(pk__in=[a.pk]).explain(analyze=True, buffers=True))
