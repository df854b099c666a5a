"""The duplicate check at ingest (ingest._earlier_twins) reads ordered ranges of two partial indexes, title with the
outlet and title with the date (real titles only), instead of every article with the same title: the title index
alone is left with no reader."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0023_cold_entity_counts'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='article',
            name='article_title',
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('title_generated', False)), fields=['title', 'outlet', 'id'], name='article_title_outlet'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('title_generated', False)), fields=['title', 'date_start', 'id'], name='article_title_date'),
        ),
    ]
