"""Platform middleware: a clear 503 page when the database is away, and the Permissions-Policy header."""

from django.conf import settings

from config.errors import database_unavailable, is_database_unavailable


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers the styled 503 page (with Retry-After), in DEBUG too.

    Errors raised outside a view (a session saved on the way out) reach `config.errors.server_error`,
    which answers the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable(request, exception)
        return None


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

