"""Who visits whom, as fields of a meeting series: the date finder read it from the series' English name ("Visit of
the President of China to Kazakhstan"), which an editor renaming the series in the admin silently broke. The rows
stored before the fields get them from that name, parsed as it was then (the pattern is kept here, frozen)."""

import re

from django.db import migrations, models

# What timeline.extract.dates read a visit series' English name with until these fields.
VISIT_NAME = re.compile(
    r"^(?:State\s+|Official\s+)?Visit\s+of\s+the\s+(?P<role>President|Premier|Prime\s+Minister)\s+of\s+(?P<visitor>.+?)"
    r"\s+to\s+(?P<host>.+?)\s*$", re.IGNORECASE
)


def direction_from_name(apps, schema_editor):
    """Fill visitor country, office and host country of the bilateral series whose English name says them."""
    MeetingSeries = apps.get_model("timeline", "MeetingSeries")
    for series in MeetingSeries.objects.filter(multilateral=False):
        match = VISIT_NAME.match(series.name_en or "")
        if match:
            MeetingSeries.objects.filter(pk=series.pk).update(
                visitor_country=match.group("visitor").strip().lower(),
                visitor_office="president" if match.group("role").lower() == "president" else "premier",
                host_country=match.group("host").strip().lower(),
            )


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0027_lz4_stored_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='meetingseries',
            name='host_country',
            field=models.CharField(blank=True, help_text='لسلسلة زيارات: البلد الذي يزوره، كما يكتبه معجم الكيانات', max_length=40, verbose_name='البلد المضيف'),
        ),
        migrations.AddField(
            model_name='meetingseries',
            name='visitor_country',
            field=models.CharField(blank=True, help_text='لسلسلة زيارات: بلد الزائر كما يكتبه معجم الكيانات (china، kazakhstan). يترك فارغا لغير الزيارات', max_length=40, verbose_name='بلد الزائر'),
        ),
        migrations.AddField(
            model_name='meetingseries',
            name='visitor_office',
            field=models.CharField(blank=True, choices=[('president', 'رئيس الدولة'), ('premier', 'رئيس الحكومة')], max_length=12, verbose_name='منصب الزائر'),
        ),
        migrations.RunPython(direction_from_name, migrations.RunPython.noop),
    ]
