"""Every event gets an address that says nothing that can change (no date, no title), and every address
issued so far becomes an alias that redirects to it; the machine's date claim is kept beside the date."""

from django.db import migrations

import pghistory


def permanent_slug(stem, taken):
    slug, suffix = f"ev-{stem[:10]}", 2
    while slug in taken:
        slug, suffix = f"ev-{stem[:10]}-{suffix}", suffix + 1
    return slug


def forwards(apps, schema_editor):
    Event = apps.get_model("timeline", "Event")
    EventSlug = apps.get_model("timeline", "EventSlug")
    Article = apps.get_model("timeline", "Article")
    import hashlib

    with pghistory.context(command="migrate timeline 0011"):
        taken = set(Event.objects.values_list("slug", flat=True))
        for event in Event.objects.order_by("pk"):
            EventSlug.objects.get_or_create(slug=event.slug, defaults={"event": event})
            if event.slug.startswith("ev-"):
                continue
            first = Article.objects.filter(event=event).order_by("pk").values_list("content_hash", flat=True).first()
            stem = first or hashlib.sha256(event.slug.encode()).hexdigest()
            event.slug = permanent_slug(stem, taken)
            taken.add(event.slug)
            EventSlug.objects.get_or_create(slug=event.slug, defaults={"event": event})
            event.save(update_fields=["slug"])
        for model in (Event, Article):
            # An editor's date said their user name in its public evidence; it now says "an editor".
            model.objects.filter(date_method="editor", date_evidence__regex=r"^set by .* in the admin$").update(
                date_evidence="set by an editor in the admin"
            )
            model.objects.filter(date_method="editor", date_evidence__regex=r"^أدخله .* في لوحة الإدارة$").update(
                date_evidence="أدخله محرر في لوحة الإدارة"
            )
            for row in model.objects.filter(date_start__isnull=False, machine_date__isnull=True).exclude(date_method="editor"):
                row.machine_date = {
                    "start": row.date_start.isoformat(), "end": (row.date_end or row.date_start).isoformat(),
                    "precision": row.precision, "method": row.date_method, "evidence": row.date_evidence,
                    "confidence": round(row.date_confidence, 2),
                }
                row.save(update_fields=["machine_date"])


class Migration(migrations.Migration):
    dependencies = [("timeline", "0014_h11h_history_and_slugs")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
