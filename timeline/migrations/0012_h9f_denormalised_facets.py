"""Issue 9 (h9f): the events' topic, entity and outlet ids as GIN-indexed arrays, filled set-based; the data
version bumped by a trigger on every statement that writes what the timeline's facets count; the shared
cache's table (DatabaseCache, used when REDIS_URL is not set)."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

FILL_ARRAYS = """
UPDATE timeline_event e SET
  topic_ids = ARRAY(SELECT t.topic_id FROM timeline_event_topics t WHERE t.event_id = e.id ORDER BY 1),
  entity_ids = ARRAY(SELECT n.entity_id FROM timeline_event_entities n WHERE n.event_id = e.id ORDER BY 1),
  outlet_ids = ARRAY(SELECT DISTINCT a.outlet_id FROM timeline_article a
                     WHERE a.event_id = e.id AND a.outlet_id IS NOT NULL ORDER BY 1)
"""

VERSIONED_TABLES = [
    "timeline_event", "timeline_article", "timeline_topic", "timeline_entity", "timeline_outlet",
    "timeline_event_topics", "timeline_event_entities",
]
# After every statement that writes one of these tables, in the same transaction: readers see the new version
# exactly when they see the new rows. From a sequence, not version + 1: a rolled-back transaction's number is
# never handed out again, so nothing cached inside it (a test, a failed request) passes for a later state.
TRIGGERS = """
CREATE SEQUENCE timeline_data_version_seq;
CREATE FUNCTION timeline_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO timeline_dataversion (id, version) VALUES (1, nextval('timeline_data_version_seq'))
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
  RETURN NULL;
END $$;
""" + "".join(
    f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION timeline_bump_data_version();\n"
    for table in VERSIONED_TABLES
)
DROP_TRIGGERS = "".join(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table};\n" for table in VERSIONED_TABLES) + """
DROP FUNCTION IF EXISTS timeline_bump_data_version();
DROP SEQUENCE IF EXISTS timeline_data_version_seq;
"""

CACHE_TABLE = "timeline_cache"


def create_cache_table(apps, schema_editor):
    """The table of settings.CACHES' DatabaseCache, made by migrate (no separate createcachetable step)."""
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {CACHE_TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0011_h9s_search_vector"),
    ]

    operations = [
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'data version',
            },
        ),
        migrations.AddField(
            model_name='event',
            name='entity_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None),
        ),
        migrations.AddField(
            model_name='event',
            name='outlet_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None),
        ),
        migrations.AddField(
            model_name='event',
            name='topic_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None),
        ),
        migrations.RunSQL(FILL_ARRAYS, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='event',
            index=django.contrib.postgres.indexes.GinIndex(fields=['topic_ids'], name='event_topic_ids'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=django.contrib.postgres.indexes.GinIndex(fields=['entity_ids'], name='event_entity_ids'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=django.contrib.postgres.indexes.GinIndex(fields=['outlet_ids'], name='event_outlet_ids'),
        ),
        # The planner's statistics for the new arrays (a VACUUM cannot run inside a migration: autovacuum, or
        # `VACUUM ANALYZE timeline_event` by hand after migrating a large database, clears the old row versions).
        migrations.RunSQL("ANALYZE timeline_event", migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
