import django.contrib.postgres.fields
from django.db import migrations, models


def fill_domains(apps, schema_editor):
    """Outlets seeded before this migration get their sites' domains (and a missing website) from the fixture."""
    from timeline.reference import read_fixture

    Outlet = apps.get_model("timeline", "Outlet")
    for item in read_fixture("outlets.json"):
        outlet = Outlet.objects.filter(slug=item["slug"]).first()
        if outlet is None or outlet.domains:
            continue
        outlet.domains = item.get("domains", [])
        outlet.website = outlet.website or item.get("website", "")
        outlet.save(update_fields=["domains", "website"])


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0005_proposed_entity"),
    ]

    operations = [
        migrations.AddField(
            model_name="outlet",
            name="domains",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=200),
                blank=True,
                default=list,
                help_text="نطاقات مواقعها (arabic.news.cn): رابط مقالة على أحدها أو على نطاق فرعي منه يسمّي هذه الوسيلة",
                size=None,
            ),
        ),
        migrations.RunPython(fill_domains, migrations.RunPython.noop),
    ]
