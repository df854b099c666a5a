"""The platform around the pages: the database going away and coming back, error pages, security headers,
admin login throttling and the admin's address."""

import datetime
import json
import os
import socket
import subprocess
import sys
import threading
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.urls import path

from config import urls as site_urls
from tests.conftest import ROOT


def _boom(request):
    raise RuntimeError("a bug in a view")


# This module is also the URLconf of the 500-page test: the site's URLs plus one view that fails.
urlpatterns = [path("boom/", _boom), path("en/boom/", _boom), *site_urls.urlpatterns]
handler500 = getattr(site_urls, "handler500", None)


class DatabaseLink:
    """A TCP relay on loopback between the app and PostgreSQL: `down()` is the server stopping (every open
    connection cut, new ones refused), `up()` is it coming back on the same address."""

    def __init__(self, host, port):
        self.target = (host, int(port))
        self.port = None
        self.sockets = []
        self.up()

    def up(self):
        self.listener = socket.create_server(("127.0.0.1", self.port or 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        for sock in [self.listener, *self.sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()  # after shutdown: a close alone would leave a pending accept() accepting
        self.sockets = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.target[0].startswith("/"):  # a Unix socket directory (the embedded server)
                server = socket.socket(socket.AF_UNIX)
                server.connect(f"{self.target[0]}/.s.PGSQL.{self.target[1]}")
            else:
                server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


@pytest.fixture
def database_link(transactional_db):
    """The app's connection goes through a DatabaseLink for the test, straight to the server again after."""
    settings_dict = connection.settings_dict
    original = settings_dict["HOST"], settings_dict["PORT"], dict(settings_dict["OPTIONS"])
    connection.ensure_connection()
    info = connection.connection.info  # where the server really is: a TCP address or a socket directory
    link = DatabaseLink(info.host, info.port)
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(link.port)
    settings_dict["OPTIONS"].pop("host", None)
    yield link
    link.down()
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = original[:2]
    settings_dict["OPTIONS"].clear()
    settings_dict["OPTIONS"].update(original[2])


def served(path, method="GET", **environ):
    """One request through the production WSGI handler, as gunicorn sends it (the test client keeps the
    database connection across requests and skips the checks Django makes between them)."""
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, **environ}
    setup_testing_defaults(env)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    result = WSGIHandler()(env, start_response)
    try:
        body = b"".join(result).decode()
    finally:
        result.close()
    return answer["status"], answer["headers"], body


def test_database_down_gives_a_styled_503_in_each_language_and_the_site_recovers(database_link, ingested):
    from timeline.models import Event

    slug = Event.objects.dated().first().slug
    status, _, body = served("/")
    assert status == 200  # the app now holds a persistent connection through the link

    database_link.down()
    status, headers, body = served("/")
    assert status == 503 and headers["Retry-After"].isdigit() and "no-store" in headers["Cache-Control"]
    assert 'lang="ar"' in body and "الموقع غير متاح مؤقتًا" in body and 'class="site-header"' in body
    status, headers, body = served("/en/")
    assert status == 503 and "Retry-After" in headers
    assert 'lang="en"' in body and "The site is temporarily unavailable" in body
    status, _, body = served(f"/en/events/{slug}/")
    assert status == 503 and "The site is temporarily unavailable" in body
    status, headers, body = served("/healthz")
    assert status == 503 and headers["Content-Type"] == "application/json" and "Retry-After" in headers
    health = json.loads(body)
    assert health["status"] == "unavailable" and "database" in health["reason"]
    assert "5432" not in body and str(database_link.port) not in body  # no server address for the public

    database_link.up()
    status, _, body = served("/")
    assert status == 200 and f"/events/{slug}/" in body
    assert served(f"/events/{slug}/")[0] == 200
    status, _, body = served("/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"


def assert_site_page(response, status, language, heading):
    """The page has the site's frame (its stylesheet, header and footer) in the right language."""
    body = response.content.decode()
    assert response.status_code == status
    assert f'lang="{language}"' in body and heading in body
    assert "site.css" in body and 'class="site-header"' in body and 'class="site-footer"' in body


@pytest.mark.django_db
def test_not_found_page_is_styled_in_both_languages(client):
    assert_site_page(client.get("/no-such-page/"), 404, "ar", "الصفحة غير موجودة")
    response = client.get("/en/events/no-such-event/")
    assert_site_page(response, 404, "en", "Page not found")
    assert "Back to the timeline" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_server_error_page_is_styled_in_both_languages():
    client = Client(raise_request_exception=False)
    assert_site_page(client.get("/boom/"), 500, "ar", "خطأ في الخادم")
    assert_site_page(client.get("/en/boom/"), 500, "en", "Server error")


@pytest.mark.django_db
def test_every_page_type_sends_a_strict_content_security_policy_and_a_permissions_policy(client, ingested):
    from timeline.models import Event

    event = Event.objects.dated().first()
    for url in ["/", "/en/?topic=trade", f"/events/{event.slug}/", "/no-such-page/", "/admin/login/",
                "/events.json", "/healthz"]:
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
        assert directives.get("default-src") == "'self'", (url, policy)
        assert directives.get("frame-ancestors") == "'none'" and directives.get("base-uri") == "'none'", url
        assert directives.get("form-action") == "'self'", url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "camera=()" in response.headers.get("Permissions-Policy", ""), url


ADMIN_PASSWORD = "a-long-test-password"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "", ADMIN_PASSWORD)


def login(client, username, password, address="127.0.0.1", next_url="", **headers):
    url = "/admin/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_admin_login_locks_out_by_account_and_by_address_with_a_message_then_reopens(client, editor):
    get_user_model().objects.create_superuser("other", "", ADMIN_PASSWORD)
    for _ in range(4):
        assert login(client, "editor", "wrong guess").status_code == 200  # the login form again, with its error
    locked = login(client, "editor", "wrong guess")
    assert locked.status_code == 429
    assert "محاولات دخول خاطئة كثيرة" in locked.content.decode() and "بعد 15 دقيقة" in locked.content.decode()
    assert locked["Retry-After"] == "900"

    right_password = login(client, "editor", ADMIN_PASSWORD)
    assert right_password.status_code == 429
    assert client.get("/admin/").status_code == 302  # not logged in
    assert login(Client(), "editor", ADMIN_PASSWORD, address="192.0.2.7").status_code == 429  # the account
    assert login(Client(), "other", ADMIN_PASSWORD).status_code == 429  # the address

    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    response = login(client, "editor", ADMIN_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_login_without_a_request_still_works_for_scripts_and_tests(client, editor):
    assert client.login(username="editor", password=ADMIN_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_login_with_an_unsafe_next_address_lands_on_the_admin_index(client, editor):
    response = login(client, "editor", ADMIN_PASSWORD, next_url="https://attacker.example/phish")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = login(Client(), "editor", ADMIN_PASSWORD, next_url="/admin/timeline/event/")
    assert response["Location"] == "/admin/timeline/event/"  # a safe one is still followed


def test_admin_path_comes_from_the_environment():
    script = (
        "import django; django.setup()\n"
        "from django.urls import resolve, reverse, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/'); print('old path answers')\n"
        "except Resolver404:\n    print('old path gone')\n"
    )
    env = {**os.environ, "ADMIN_PATH": "/editors-desk/", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["/editors-desk/", "old", "path", "gone"], result.stderr
    bad = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, capture_output=True,
                         env={**env, "ADMIN_PATH": "/"}, text=True, timeout=60)
    assert bad.returncode != 0 and "ADMIN_PATH" in bad.stderr


def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(client, editor, settings):
    """All requests come from the proxy's address; the client's is the last X-Forwarded-For hop it added."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"
    for n in range(5):  # five accounts, so that only the address reaches the limit
        login(client, f"nobody{n}", "wrong guess", address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    # The address is locked even when the client forges a hop to the left of the proxy's.
    forged = login(Client(), "editor", ADMIN_PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2, 198.51.100.1")
    assert forged.status_code == 429
    other_client = login(Client(), "editor", ADMIN_PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other_client.status_code == 302 and other_client["Location"] == "/admin/"


def test_a_forwarded_address_that_is_not_an_address_never_breaks_the_login(client, editor, settings):
    """'unknown' or 'host:port' would reach the throttle's inet column: the proxy's own address counts instead."""
    settings.TRUSTED_PROXY_COUNT = 1
    for hop in ("unknown", "198.51.100.1:5678", "[::1]"):
        response = login(Client(), "editor", "wrong guess", address="10.0.0.5", HTTP_X_FORWARDED_FOR=hop)
        assert response.status_code in (200, 429)
