from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_reference(sender, **kwargs):
    from timeline.reference import load_reference_data
    from timeline.search import sync_name_terms

    load_reference_data()
    sync_name_terms()  # the gazetteer's spellings for "did you mean" (seeded rows bypass the save signal)


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = _("Timeline")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Reference data (topics, outlets, calendar) is there after every migrate and test-database flush.
        post_migrate.connect(_load_reference, sender=self, dispatch_uid="timeline_reference_data")
        from timeline import search  # noqa: F401  (gazetteer edits refresh the search synonyms)
        from timeline import checks  # noqa: F401  (registers the app's system checks)
        from timeline import history  # noqa: F401  (history context also for executemany: see history.py)
