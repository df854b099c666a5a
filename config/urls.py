import os

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from timeline import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("events.json", views.events_json, name="events_json"),
    path("", include("timeline.export_urls")),
    # The exports have one language-free address; /en/events.atom (a feed reader guessing from /en/) goes there.
    re_path(
        r"^(?:%s)/(?P<name>events\.(?:json|csv|atom|ics))$" % "|".join(code for code, _ in settings.LANGUAGES),
        RedirectView.as_view(url="/%(name)s", permanent=True, query_string=True),
    ),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "timeline/favicon.ico", permanent=False)),
]
if os.getenv("BENCH_CONSTANT_VIEW") == "1":
    # bench/runner.py's yardstick: a response that costs nothing but the request's own passage
    # through the middleware (no database, no template). Absent unless the benchmark asks for it.
    urlpatterns.append(path("bench/constant", views.bench_constant))
# The admin too: /admin/ in Arabic, /en/admin/ in English (its links keep the editor's language).
urlpatterns += i18n_patterns(
    path(settings.ADMIN_PATH, admin.site.urls), path("", include("timeline.urls")), prefix_default_language=False
)

# 404 is Django's own view with templates/404.html; 500 tells a lost database (503) from a bug.
handler500 = "config.errors.server_error"
