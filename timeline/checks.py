"""System checks of this app's own settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def fetch_loopback_refused_in_production(app_configs, **kwargs):
    """FETCH_ALLOW_LOOPBACK is for tests: in production it would let "Add from URL" reach the server's own ports."""
    if getattr(settings, "FETCH_ALLOW_LOOPBACK", False):
        return [
            Error(
                "FETCH_ALLOW_LOOPBACK is on: 'Add from URL' could fetch from this server's own loopback services.",
                hint="It exists for tests only (override_settings); remove it from the settings.",
                id="timeline.E001",
            )
        ]
    return []
