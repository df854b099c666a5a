"""Indexes on the links an article shares with the same happening's other reports (signature meetings, visit,
exact-day kinds), dated articles only: the candidates query of ingest reads the few linked articles instead of
every article dated near the batch's."""

import django.contrib.postgres.indexes
import django.db.models.fields.json
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0024_article_title_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='article',
            index=django.contrib.postgres.indexes.GinIndex(django.db.models.fields.json.KeyTransform('meetings', 'signature'), condition=models.Q(('date_start__isnull', False)), name='article_meetings'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(django.db.models.fields.json.KeyTransform('visit', 'signature'), condition=models.Q(('date_start__isnull', False)), name='article_visit'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=django.contrib.postgres.indexes.GinIndex(django.db.models.fields.json.KeyTransform('kinds', 'signature'), condition=models.Q(('date_start__isnull', False), ('precision', 'day')), name='article_day_kinds'),
        ),
    ]
