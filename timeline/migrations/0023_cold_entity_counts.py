"""Dated events per entity, kept by triggers (models.EntityCount): the entity facets' ranking without a GROUP BY
over every event-entity link on the first uncached request after a write."""

from django.db import migrations, models

# (as models.RECOUNT_ENTITIES_SQL: a migration does not import the models' module)
RECOUNT_ENTITIES_SQL = """
DELETE FROM timeline_entitycount;
INSERT INTO timeline_entitycount (entity_id, events)
SELECT n.entity_id, count(*) FROM timeline_event_entities n JOIN timeline_event e ON e.id = n.event_id
WHERE e.date_start IS NOT NULL GROUP BY n.entity_id;
"""

# Each adds a delta per entity in one statement, in entity order (two writers meet their rows in the same order).
# Every trigger first takes the data-version row, as the data-version trigger of the same statement does or has
# done: the links' statement triggers fire after it (their names sort after "_data_version"), the events' row
# triggers before it, so without this an event's writer and a links' writer could each hold what the other waits
# for. A link counts when its event exists and is dated, so whichever of an event and its links is written
# (or deleted) second makes the change, whatever the order (the foreign keys are checked at commit).
TRIGGERS = """
CREATE FUNCTION timeline_entitycount_add(deltas bigint[], entity_ids bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO timeline_entitycount AS c (entity_id, events)
  SELECT d.entity_id, sum(d.delta) FROM unnest(entity_ids, deltas) AS d(entity_id, delta)
  GROUP BY d.entity_id HAVING sum(d.delta) <> 0 ORDER BY d.entity_id
  ON CONFLICT (entity_id) DO UPDATE SET events = c.events + EXCLUDED.events
$$;

CREATE FUNCTION timeline_entitycount_links() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids bigint[]; deltas bigint[];
BEGIN
  PERFORM 1 FROM timeline_dataversion WHERE id = 1 FOR UPDATE;
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.entity_id), array_agg(1::bigint) INTO ids, deltas
    FROM new_links n JOIN timeline_event e ON e.id = n.event_id WHERE e.date_start IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(n.entity_id), array_agg(-1::bigint) INTO ids, deltas
    FROM old_links n JOIN timeline_event e ON e.id = n.event_id WHERE e.date_start IS NOT NULL;
  ELSE
    SELECT array_agg(x.entity_id), array_agg(x.delta) INTO ids, deltas FROM (
      SELECT n.entity_id, -1::bigint AS delta FROM old_links n JOIN timeline_event e ON e.id = n.event_id
      WHERE e.date_start IS NOT NULL
      UNION ALL
      SELECT n.entity_id, 1::bigint FROM new_links n JOIN timeline_event e ON e.id = n.event_id
      WHERE e.date_start IS NOT NULL
    ) x;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM timeline_entitycount_add(deltas, ids);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION timeline_entitycount_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE the_event bigint; delta bigint;
BEGIN
  PERFORM 1 FROM timeline_dataversion WHERE id = 1 FOR UPDATE;
  IF TG_OP = 'DELETE' THEN
    the_event := OLD.id; delta := -1;
  ELSE
    the_event := NEW.id; delta := CASE WHEN NEW.date_start IS NULL THEN -1 ELSE 1 END;
  END IF;
  PERFORM timeline_entitycount_add(array_agg(delta), array_agg(n.entity_id))
  FROM timeline_event_entities n WHERE n.event_id = the_event HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION timeline_entitycount_recount() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
""" + RECOUNT_ENTITIES_SQL + """
  RETURN NULL;
END $$;

CREATE TRIGGER timeline_event_entities_entity_counts_insert AFTER INSERT ON timeline_event_entities
  REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION timeline_entitycount_links();
CREATE TRIGGER timeline_event_entities_entity_counts_delete AFTER DELETE ON timeline_event_entities
  REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION timeline_entitycount_links();
CREATE TRIGGER timeline_event_entities_entity_counts_update AFTER UPDATE ON timeline_event_entities
  REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION timeline_entitycount_links();
CREATE TRIGGER timeline_event_entities_entity_counts_truncate AFTER TRUNCATE ON timeline_event_entities
  FOR EACH STATEMENT EXECUTE FUNCTION timeline_entitycount_recount();
CREATE TRIGGER timeline_event_entity_counts_insert AFTER INSERT ON timeline_event
  FOR EACH ROW WHEN (NEW.date_start IS NOT NULL) EXECUTE FUNCTION timeline_entitycount_event();
CREATE TRIGGER timeline_event_entity_counts_delete AFTER DELETE ON timeline_event
  FOR EACH ROW WHEN (OLD.date_start IS NOT NULL) EXECUTE FUNCTION timeline_entitycount_event();
CREATE TRIGGER timeline_event_entity_counts_update AFTER UPDATE ON timeline_event
  FOR EACH ROW WHEN ((OLD.date_start IS NULL) <> (NEW.date_start IS NULL))
  EXECUTE FUNCTION timeline_entitycount_event();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS timeline_event_entities_entity_counts_insert ON timeline_event_entities;
DROP TRIGGER IF EXISTS timeline_event_entities_entity_counts_delete ON timeline_event_entities;
DROP TRIGGER IF EXISTS timeline_event_entities_entity_counts_update ON timeline_event_entities;
DROP TRIGGER IF EXISTS timeline_event_entities_entity_counts_truncate ON timeline_event_entities;
DROP TRIGGER IF EXISTS timeline_event_entity_counts_insert ON timeline_event;
DROP TRIGGER IF EXISTS timeline_event_entity_counts_delete ON timeline_event;
DROP TRIGGER IF EXISTS timeline_event_entity_counts_update ON timeline_event;
DROP FUNCTION IF EXISTS timeline_entitycount_recount();
DROP FUNCTION IF EXISTS timeline_entitycount_event();
DROP FUNCTION IF EXISTS timeline_entitycount_links();
DROP FUNCTION IF EXISTS timeline_entitycount_add(bigint[], bigint[]);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0022_phone_event_type_chronology"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntityCount",
            fields=[
                ("entity_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("events", models.IntegerField()),
            ],
            options={"verbose_name": "entity count"},
        ),
        migrations.RunSQL(TRIGGERS + RECOUNT_ENTITIES_SQL, DROP_TRIGGERS),
    ]
