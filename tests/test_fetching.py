"""Fetching a page for "Add from URL": what is read, and every address the server must not reach."""

import hashlib
import ipaddress
import socket
import time

import pytest

from tests.page_server import CP1256_HTML, PAGES, PLAIN_REPORT, REPORT_HTML, loopback_allowed, site  # noqa: F401
from timeline import fetching
from timeline.checks import fetch_loopback_refused_in_production
from timeline.fetching import FetchRefused, address_problem, fetch_page


def refusal(url):
    with pytest.raises(FetchRefused) as caught:
        fetch_page(url)
    return str(caught.value)


# --- pages that are read --------------------------------------------------------------------------


def test_a_saved_page_is_fetched_byte_for_byte(site, loopback_allowed):
    saved = (PAGES / "wordpress_meta_time.html").read_bytes()
    page = fetch_page(site.base + "/pages/wordpress_meta_time.html")
    assert page.text == saved.decode("utf-8")
    assert (page.content_type, page.size, page.sha256) == ("text/html", len(saved), hashlib.sha256(saved).hexdigest())
    assert page.final_url == page.url and page.redirects == ()


def test_plain_text_windows_1256_and_gzip_pages_are_decoded(site, loopback_allowed):
    assert fetch_page(site.base + "/plain.txt").text == PLAIN_REPORT
    assert fetch_page(site.base + "/cp1256.html").text == CP1256_HTML.decode("cp1256")
    assert fetch_page(site.base + "/gzip.html").text == REPORT_HTML


def test_redirects_are_followed_to_the_page_and_recorded(site, loopback_allowed):
    page = fetch_page(site.base + "/hops/3")
    assert page.final_url == site.base + "/news/2023/09/12/corridor.html"
    assert page.redirects == tuple(site.base + f"/hops/{n}" for n in (3, 2, 1, 0))
    assert page.text == REPORT_HTML


def test_the_connection_goes_to_the_checked_address_with_the_sites_name(site, loopback_allowed, monkeypatch):
    """DNS rebinding: the name is resolved once; a later, different answer is never connected to."""
    answers, real = [], socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host[0].isdigit():  # urllib3 turns the pinned IP into a socket address: no lookup
            return real(host, port, *args, **kwargs)
        answers.append(host)
        ip = "127.0.0.1" if len(answers) == 1 else "10.0.0.5"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(fetching.socket, "getaddrinfo", resolver)
    port = site.server_address[1]
    page = fetch_page(f"http://news.example:{port}/news/2023/09/12/corridor.html")
    assert page.text == REPORT_HTML
    assert answers == ["news.example"]
    assert site.requests == [("/news/2023/09/12/corridor.html", f"news.example:{port}")]


@pytest.mark.parametrize("answers", [["10.20.30.40"], ["93.184.216.34", "192.168.0.7"], ["::ffff:169.254.169.254"]])
def test_a_name_that_resolves_to_an_internal_address_is_refused(site, monkeypatch, answers):
    def resolver(host, port, *args, **kwargs):
        assert host == "intranet.example", "no connection may be attempted"
        return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers]

    monkeypatch.setattr(fetching.socket, "getaddrinfo", resolver)
    message = refusal("http://intranet.example/")
    assert "intranet.example" in message and "رفض جلبه" in message


def test_an_unknown_site_gets_a_message(monkeypatch):
    def resolver(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetching.socket, "getaddrinfo", resolver)
    assert "لم يعثر على الموقع" in refusal("https://no-such-site.example/news/1")


# --- refusals -------------------------------------------------------------------------------------

INTERNAL = [
    "http://127.0.0.1:{port}/news/x.html",
    "http://localhost:{port}/news/x.html",
    "http://[::1]:{port}/news/x.html",
    "http://[::ffff:127.0.0.1]:{port}/news/x.html",
    "http://[::ffff:7f00:1]:{port}/news/x.html",
    "http://0x7f000001:{port}/news/x.html",
    "http://2130706433:{port}/news/x.html",
    "http://0177.0.0.1:{port}/news/x.html",
    "http://127.1:{port}/news/x.html",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://0.0.0.0:{port}/",
    "http://[::]:{port}/",
    "http://224.0.0.1/",
    "http://100.64.0.1/",
    "http://240.0.0.1/",
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
]


@pytest.mark.parametrize("template", INTERNAL)
def test_internal_addresses_are_refused_without_a_connection(site, template):
    message = refusal(template.format(port=site.server_address[1]))
    assert "رفض جلبه" in message or "صيغة غير مألوفة" in message
    assert site.requests == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/a.html", "gopher://example.com/",
                                 "javascript:alert(1)", "data:text/html,<h1>x</h1>"])
def test_other_schemes_are_refused(url):
    assert "لا تجلب إلا روابط http و https" in refusal(url)


def test_credentials_in_the_address_are_refused():
    assert "كلمة مرور" in refusal("http://admin:secret@example.com/")


def test_the_loopback_allowance_lets_only_loopback_through(site, loopback_allowed):
    assert fetch_page(site.base + "/news/a.html").text == REPORT_HTML
    for url in ("http://10.1.2.3/", "http://169.254.169.254/", "http://[fe80::1]/"):
        assert "رفض جلبه" in refusal(url)


@pytest.mark.parametrize("target", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://[fd12::1]/", "http://0x0a000001/"])
def test_a_redirect_into_the_network_is_refused(site, loopback_allowed, target):
    message = refusal(f"{site.base}/redirect?to={target}")
    assert "رفض جلبه" in message or "صيغة غير مألوفة" in message
    assert len(site.requests) == 1  # the redirect, never its target


def test_a_redirect_to_another_scheme_is_refused(site, loopback_allowed):
    assert "لا تجلب إلا روابط http و https" in refusal(site.base + "/redirect?to=file:///etc/passwd")


def test_too_many_redirects_are_refused(site, loopback_allowed):
    assert "أكثر من 5 مرات" in refusal(site.base + "/hops/9")
    assert len(site.requests) == 6


def test_a_page_over_the_size_limit_is_dropped_while_it_streams(site, loopback_allowed):
    loopback_allowed.FETCH_MAX_BYTES = 100_000
    assert "أكبر من 100 كيلوبايت" in refusal(site.base + "/big")
    assert "أكبر من 100 كيلوبايت" in refusal(site.base + "/declared-big")
    assert fetch_page(site.base + "/news/a.html").size < 100_000


def test_a_site_that_does_not_answer_in_time_is_given_up(site, loopback_allowed):
    loopback_allowed.FETCH_TIMEOUT = 0.5
    started = time.monotonic()
    assert "لم يرسل الصفحة خلال 0.5 ثانية" in refusal(site.base + "/slow?seconds=3")
    assert time.monotonic() - started < 1.5


def test_a_site_that_drips_its_page_is_given_up_at_the_total_limit(site, loopback_allowed):
    loopback_allowed.FETCH_TIMEOUT = 1
    started = time.monotonic()
    assert "لم يرسل الصفحة" in refusal(site.base + "/drip")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("path, kind", [("/image.png", "image/png"), ("/json", "application/json")])
def test_only_html_and_plain_text_are_read(site, loopback_allowed, path, kind):
    assert kind in refusal(site.base + path)


def test_an_error_status_is_named(site, loopback_allowed):
    assert "404" in refusal(site.base + "/missing")


def test_messages_are_translated_for_an_english_editor(site):
    from django.utils import translation

    with translation.override("en"):
        message = refusal("http://169.254.169.254/latest/meta-data/")
    assert "refused" in message and "169.254.169.254" in message


# --- the rule itself, and the setting ----------------------------------------------------------------


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111", "::ffff:93.184.216.34"])
def test_public_addresses_are_allowed(address):
    assert address_problem(ipaddress.ip_address(address)) is None


def test_check_deploy_refuses_the_loopback_allowance(settings):
    from django.core.checks import registry

    assert fetch_loopback_refused_in_production in registry.registry.get_checks(include_deployment_checks=True)
    assert fetch_loopback_refused_in_production(None) == []
    settings.FETCH_ALLOW_LOOPBACK = True
    assert [e.id for e in fetch_loopback_refused_in_production(None)] == ["timeline.E001"]


# --- https: the checked IP is connected to, the site's name is verified -----------------------------


@pytest.fixture
def https_site(tmp_path):
    """The loopback site behind TLS, with a certificate for news.example signed by itself."""
    import shutil
    import ssl
    import subprocess
    import threading

    from tests.page_server import Site

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=news.example", "-addext", "subjectAltName=DNS:news.example"],
        check=True, capture_output=True,
    )
    server = Site()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.cert = cert
    yield server
    server.shutdown()
    server.server_close()


def names_resolve_to_loopback(monkeypatch, names):
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(fetching.socket, "getaddrinfo", resolver)


def test_https_connects_to_the_checked_address_and_verifies_the_sites_name(https_site, loopback_allowed, monkeypatch):
    names_resolve_to_loopback(monkeypatch, {"news.example", "other.example"})
    loopback_allowed.FETCH_CA_BUNDLE = str(https_site.cert)
    port = https_site.server_address[1]
    page = fetch_page(f"https://news.example:{port}/news/2023/09/12/corridor.html")
    assert page.text == REPORT_HTML
    assert https_site.requests == [("/news/2023/09/12/corridor.html", f"news.example:{port}")]
    # The same server under a name its certificate does not carry is refused.
    assert "شهادة الأمان" in refusal(f"https://other.example:{port}/news/x.html")


def test_https_with_an_unknown_authority_is_refused(https_site, loopback_allowed, monkeypatch):
    names_resolve_to_loopback(monkeypatch, {"news.example"})
    assert "شهادة الأمان" in refusal(f"https://news.example:{https_site.server_address[1]}/news/x.html")
