"""Request bodies too large for the admin: refused while they stream in, answered with a message."""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from timeline.extract.decode import MAX_ARTICLE_BYTES

CHUNK = 64 * 1024


class RefusedUpload(UploadedFile):
    """What a form receives for a file over the limit: its name and size, none of its content."""

    refused = True

    def __init__(self, name, size, limit):
        super().__init__(file=io.BytesIO(), name=name, size=size)
        self.limit = limit


class SizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: counts each file as it streams in and keeps nothing past the limit.

    Past the limit the later handlers (memory, temporary file) are given no more chunks; the parser
    reads the rest of the part and drops it, so the fields after the file still arrive and the form
    can say what happened. Without it a 200 MB upload is written whole and then read into memory.
    """

    limit = MAX_ARTICLE_BYTES

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size):
        return RefusedUpload(self.file_name, self.received, self.limit) if self.received > self.limit else None


class OversizeFormMiddleware:
    """An editor whose form text is over DATA_UPLOAD_MAX_MEMORY_SIZE gets the form back with a message.

    Django answers such a request with a bare "Bad Request (400)" raised where request.POST is first
    read: CsrfViewMiddleware.process_view. So this middleware stands just before it in MIDDLEWARE.
    Visitors outside the admin keep the 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = request.resolver_match
        if request.method != "POST" or not (match and match.app_name == "admin" and user and user.is_staff):
            return None
        try:
            request.POST  # parsed here, inside the try, rather than by the CSRF check
        except RequestDataTooBig:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
            _drain(request)
            messages.error(
                request,
                _("النص المرسل أكبر من أن يقرأ (%(size)s ميغابايت، والحد %(limit)s ميغابايت): لم يحفظ شيء.")
                % {"size": round(size / 1e6, 1), "limit": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1e6, 1)},
            )
            return HttpResponseRedirect(request.get_full_path())
        return None


def _drain(request):
    """Read the rest of the body in chunks: a server that closes on unread data resets the connection,
    and the browser then shows a network error instead of the answer."""
    try:
        while request.read(CHUNK):
            pass
    except OSError:
        pass
