"""Error pages that look like the site and speak the visitor's language: 404, 500, 503 (database away),
and the admin login lockout (429)."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("config.errors")

# Shown if even the styled page cannot be drawn: both languages, no template, no database.
PLAIN = {
    500: "خطأ في الخادم. Server error.",
    503: "الموقع غير متاح مؤقتًا، حاول بعد قليل. The site is temporarily unavailable, please try again shortly.",
}


def is_database_unavailable(exception):
    """The connection could not be made or was lost (server stopped, restarting, full): temporary by nature."""
    return isinstance(exception, (OperationalError, InterfaceError))


def _visitor_language(request):
    """The language of the address (/en/…), else the one LocaleMiddleware chose."""
    return translation.get_language_from_path(request.path_info) or translation.get_language() or settings.LANGUAGE_CODE


def _error_page(request, template, status):
    try:
        with translation.override(_visitor_language(request)):
            return render(request, template, status=status)
    except Exception:  # the error page must never raise: the visitor still gets an answer
        logger.exception("the %s page could not be rendered", status)
        return HttpResponse(PLAIN[status], status=status, content_type="text/plain; charset=utf-8")


def database_unavailable(request, exception):
    logger.error("database unavailable: %s", exception)
    response = _error_page(request, "503.html", 503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    add_never_cache_headers(response)  # a cache in front must not keep serving the outage once it is over
    return response


def server_error(request):
    """handler500: called while the exception is being handled, so it can tell a lost database apart."""
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable(request, exception)
    return _error_page(request, "500.html", 500)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an account or address has failed too often: the admin's login page with
    the reason and how long to wait, 429 with Retry-After."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    response = render(request, "admin/locked_out.html", {"minutes": minutes, "title": ""}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
