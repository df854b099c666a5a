"""Requests that Django itself would answer with a 500 (with DEBUG on, its debug page fails on them) get a 4xx with
a message in the visitor's language. Installed after LocaleMiddleware and before CommonMiddleware."""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpResponseBadRequest, HttpResponseNotFound
from django.urls import is_valid_path
from django.utils.translation import gettext as _

# CommonMiddleware cannot send these on to the address with its slash without losing their body (with DEBUG on it
# raises instead), and no public page takes them anyway.
METHODS_WITH_A_BODY = ("DELETE", "PATCH", "POST", "PUT")


def _plain(response_class, message):
    return response_class(message + "\n", content_type="text/plain; charset=utf-8")


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET  # parsed once here: every later reader (the debug page too) gets it from the cache
        except TooManyFieldsSent:
            message = _("في هذا الطلب أكثر من %(limit)s معامل، وهو الحد الأقصى: استعمل عنوانًا أقصر.")
            return _plain(HttpResponseBadRequest, message % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})
        if request.method in METHODS_WITH_A_BODY and self.lacks_its_slash(request):
            message = _("لا صفحة في هذا العنوان تقبل %(method)s: عنوان الصفحة ينتهي بشرطة مائلة، %(path)s")
            return _plain(HttpResponseNotFound, message % {"method": request.method, "path": request.path + "/"})
        return self.get_response(request)

    @staticmethod
    def lacks_its_slash(request):
        if not settings.APPEND_SLASH or request.path_info.endswith("/"):
            return False
        urlconf = getattr(request, "urlconf", None)
        return not is_valid_path(request.path_info, urlconf) and bool(is_valid_path(request.path_info + "/", urlconf))
