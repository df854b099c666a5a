"""The single-column indexes Django gives a foreign key, where an index led by the same column already exists
(article_event for Article.event, the unique (article, topic) and (article, entity) constraints for the matches):
each was one more index entry to write per row inserted or moved, read by nothing the other does not serve."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0025_article_link_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='article',
            name='event',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='articles', to='timeline.event', verbose_name='الحدث'),
        ),
        migrations.AlterField(
            model_name='articleentity',
            name='article',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='entity_matches', to='timeline.article', verbose_name='المقالة'),
        ),
        migrations.AlterField(
            model_name='articletopic',
            name='article',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='topic_matches', to='timeline.article', verbose_name='المقالة'),
        ),
    ]
