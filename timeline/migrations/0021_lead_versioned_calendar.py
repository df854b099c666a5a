"""The reference calendar joins the data version: the timeline's axis draws its meetings (the context lane),
and whole pages are cached under the version, so an editor's change to a meeting must show at once."""

from django.db import migrations

TABLES = ["timeline_meetingseries", "timeline_referencemeeting"]


class Migration(migrations.Migration):
    dependencies = [("timeline", "0020_adminui_labels")]

    operations = [
        migrations.RunSQL(
            "".join(
                f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION timeline_bump_data_version();\n"
                for table in TABLES
            ),
            "".join(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table};\n" for table in TABLES),
        )
    ]
