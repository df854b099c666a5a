"""Search reads a stored tsvector (parsed once, on write) instead of re-parsing search_document per row; the
timeline's date index gains the id that breaks ties, so a page is an index-only scan and an event's neighbours one
step along it. Adding the column rewrites timeline_event (about a minute per 100k events)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0010_h7r_series_multilateral"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='event',
            name='event_dates',
        ),
        migrations.RemoveIndex(
            model_name='event',
            name='event_search',
        ),
        migrations.AddField(
            model_name='event',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.SearchVector('search_document', config='simple'), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['date_start', 'date_end', 'id'], name='event_chronology'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='event_search_vector'),
        ),
    ]
