from django.db import migrations, models


def fill_multilateral(apps, schema_editor):
    """Series seeded before this migration learn from the fixture which are visits or bilateral bodies."""
    from timeline.reference import read_fixture

    MeetingSeries = apps.get_model("timeline", "MeetingSeries")
    for item in read_fixture("calendar.json")["series"]:
        MeetingSeries.objects.filter(slug=item["slug"]).update(multilateral=item.get("multilateral", True))


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0009_h10h_search_terms"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingseries",
            name="multilateral",
            field=models.BooleanField(
                default=True,
                help_text="اجتماع لعدة دول (قمة، منتدى). الزيارات واللجان الثنائية ليست كذلك: لا تجعل المقالة «متعددة الأطراف»",
                verbose_name="متعدد الأطراف",
            ),
        ),
        migrations.RunPython(fill_multilateral, migrations.RunPython.noop),
    ]
