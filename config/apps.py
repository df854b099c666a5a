from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes under a name the admin can translate (its own config names the group "Axes" in every language)."""

    verbose_name = _("Login attempts")
