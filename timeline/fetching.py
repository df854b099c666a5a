"""Fetch one news page for an editor, without letting an address reach inside our own network.

An editor (or a list of URLs) names a page; the server fetches it. Whoever can name the page can
aim the server at anything it can reach — a cloud metadata service (169.254.169.254), a database
on 10.x, an admin port on 127.0.0.1 — so every hop is checked before it is connected to:

- http and https only, no user name or password in the address, no unusual spelling of an IP
  address (0x7f000001, 2130706433, 0177.0.0.1, 127.1);
- the host is resolved once, here, and every address it resolves to must be public (not private,
  loopback, link-local, multicast, reserved, unspecified, shared; an IPv6 address that carries an
  IPv4 one — mapped, 6to4, Teredo, NAT64 — is judged by the IPv4 one);
- the connection goes to the address that was checked (urllib3 is given the IP; the Host header,
  TLS SNI and the certificate check use the name), so a DNS answer that changes between the check
  and the connection (DNS rebinding) is never used; no proxy from the environment is used;
- redirects are followed here, one at a time, each hop checked the same way, at most
  FETCH_MAX_REDIRECTS of them;
- a connect time limit, and one total time limit for all hops, DNS and the body together;
- the body is streamed and dropped past FETCH_MAX_BYTES (after decompression);
- only text/html and text/plain are read.

Every refusal is a FetchRefused whose message tells the editor what happened, in their language.
FETCH_ALLOW_LOOPBACK lets loopback (and only loopback) through, for tests against a local server;
settings.py never reads it from the environment, and `check --deploy` refuses it.
"""

import concurrent.futures
import hashlib
import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from timeline.extract import ExtractionError
from timeline.extract.decode import MAX_PAGE_BYTES, decode_article_bytes

USER_AGENT = "china-kazakhstan-timeline/1.0 (an editor's article import)"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
ALLOWED_TYPES = ("text/html", "text/plain")


class FetchRefused(Exception):
    """A page that was not fetched, and why (str() gives the message in the active language)."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message, self.params = message, params

    def __str__(self):
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class FetchedPage:
    url: str  # as the editor gave it
    final_url: str  # after redirects: the page's own address
    content_type: str  # "text/html" or "text/plain"
    text: str
    sha256: str  # of the bytes received
    size: int  # bytes received
    redirects: tuple = field(default_factory=tuple)  # every address passed through, before final_url


def _setting(name, default):
    return getattr(settings, name, default)


# --- which addresses may be reached ---------------------------------------------------------------

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo client, NAT64), or None."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip):
    """Why `ip` (an ipaddress object) must not be fetched from, as a message, or None when it is public."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return address_problem(inner)
    if ip.is_loopback:
        return None if _setting("FETCH_ALLOW_LOOPBACK", False) else _("عنوان داخلي للخادم نفسه (loopback)")
    if ip.is_unspecified:
        return _("عنوان غير محدد")
    if ip.is_link_local:
        return _("عنوان محلي للشبكة (link-local، ومنه خدمة بيانات السحابة 169.254.169.254)")
    if ip.is_multicast:
        return _("عنوان بث جماعي (multicast)")
    if ip.is_private:
        return _("عنوان شبكة خاصة")
    if ip.is_reserved or not ip.is_global:
        return _("عنوان محجوز")
    return None


_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.I)


def _literal_ip(host):
    """The IP address `host` is written as (IPv4 dotted quad or IPv6), None for a name.

    Raises FetchRefused for a host that only the C library's lenient parser reads as an address
    (0x7f000001, 2130706433, 0177.0.0.1, 127.1): no site is written that way."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if all(_NUMERIC_LABEL.fullmatch(label) for label in host.rstrip(".").split(".")):
        raise FetchRefused(_("العنوان «%(host)s» مكتوب بصيغة غير مألوفة لعنوان IP: لم يجلب."), host=host)
    return None


def _resolve(host, ascii_host, port, deadline):
    """Every address `host` resolves to, each checked; the first checked one is connected to."""
    literal = _literal_ip(host)
    if literal is not None:
        addresses = [literal]
    else:
        # getaddrinfo has no time limit of its own: it runs in a thread that is waited for until the deadline.
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        future = pool.submit(socket.getaddrinfo, ascii_host, port, type=socket.SOCK_STREAM)
        pool.shutdown(wait=False)
        try:
            infos = future.result(timeout=max(0.01, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            raise FetchRefused(_("لم يعرف عنوان الموقع «%(host)s» في الوقت المحدد."), host=host) from None
        except (OSError, UnicodeError):
            raise FetchRefused(_("لم يعثر على الموقع «%(host)s»: تحقق من الرابط."), host=host) from None
        addresses = []
        for info in infos:
            ip = ipaddress.ip_address(info[4][0].split("%")[0])
            if ip not in addresses:
                addresses.append(ip)
        if not addresses:
            raise FetchRefused(_("لم يعثر على الموقع «%(host)s»: تحقق من الرابط."), host=host)
    for ip in addresses:
        problem = address_problem(ip)
        if problem:  # one bad answer is enough: which one the connection would use is not ours to bet on
            raise FetchRefused(
                _("الرابط يقود إلى %(where)s، وهو %(problem)s: رفض جلبه حماية لشبكة الخادم."),
                where=host if literal is not None else f"{host} ({ip})", problem=problem,
            )
    return addresses


# --- one hop --------------------------------------------------------------------------------------


@dataclass
class _Target:
    scheme: str
    host: str  # as written (lower case, no brackets)
    name: str  # the same in ASCII (IDNA), for the Host header, SNI and the certificate
    port: int
    request_target: str  # path and query, percent-encoded
    host_header: str


def _parse(url):
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused(_("«%(url)s» ليس رابطا صحيحا."), url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(
            _("لا تجلب إلا روابط http و https، والرابط «%(url)s» ليس منها."), url=url[:200]
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchRefused(_("«%(url)s» ليس رابطا صحيحا."), url=url)
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(_("رابط فيه اسم مستخدم أو كلمة مرور لا يجلب."))
    port = port or (443 if scheme == "https" else 80)
    safe = "/%:@!$&'()*+,;=-._~"
    target = quote(parts.path or "/", safe=safe) + ("?" + quote(parts.query, safe=safe + "?") if parts.query else "")
    try:
        name = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FetchRefused(_("«%(host)s» ليس اسم موقع صحيحا."), host=host) from None
    shown = f"[{name}]" if ":" in name else name
    default_port = port == (443 if scheme == "https" else 80)
    return _Target(scheme, host, name, port, target, shown if default_port else f"{shown}:{port}")


def _pool(target, ip, connect_timeout, read_timeout):
    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    headers = {"Host": target.host_header}
    if target.scheme == "https":
        # Connected to the checked IP; SNI and the certificate's name are the site's name.
        return urllib3.HTTPSConnectionPool(
            str(ip), target.port, timeout=timeout, maxsize=1, retries=False, headers=headers,
            cert_reqs="CERT_REQUIRED", ca_certs=_setting("FETCH_CA_BUNDLE", None) or certifi.where(),
            server_hostname=target.name, assert_hostname=target.name,
        )
    return urllib3.HTTPConnectionPool(str(ip), target.port, timeout=timeout, maxsize=1, retries=False, headers=headers)


def _open(target, addresses, deadline):
    """The response (headers read, body not yet) from the first checked address that answers."""
    connect_timeout = float(_setting("FETCH_CONNECT_TIMEOUT", 5))
    last_error = None
    for ip in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        pool = _pool(target, ip, min(connect_timeout, remaining), remaining)
        try:
            response = pool.urlopen(
                "GET", target.request_target, redirect=False, retries=False, preload_content=False,
                assert_same_host=False, release_conn=False,
                headers={"Host": target.host_header, "User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9",
                         "Accept-Encoding": "gzip, deflate", "Accept-Language": "ar, en;q=0.5"},
            )
            return pool, response
        except urllib3.exceptions.SSLError:
            pool.close()
            raise FetchRefused(
                _("تعذر التحقق من شهادة الأمان للموقع %(host)s: لم يجلب."), host=target.host
            ) from None
        except (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.NewConnectionError) as exc:
            pool.close()
            last_error = exc
            continue
        except urllib3.exceptions.ReadTimeoutError:
            pool.close()
            raise _too_slow() from None
        except (urllib3.exceptions.HTTPError, OSError):
            pool.close()
            raise FetchRefused(_("انقطع الاتصال بالموقع %(host)s قبل أن يجيب."), host=target.host) from None
    if isinstance(last_error, urllib3.exceptions.ConnectTimeoutError) or time.monotonic() >= deadline:
        raise _too_slow()
    raise FetchRefused(_("تعذر الاتصال بالموقع %(host)s."), host=target.host)


def _too_slow():
    return FetchRefused(
        _("الموقع لم يرسل الصفحة خلال %(seconds)s ثانية: توقف الجلب."), seconds=_setting("FETCH_TIMEOUT", 20)
    )


def _media_type(response):
    value = response.headers.get("Content-Type", "")
    media = value.split(";", 1)[0].strip().lower()
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", value, re.I)
    return media, (match.group(1) if match else "")


def _read_body(response, max_bytes, deadline):
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(max_bytes)
    chunks, size = [], 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _too_slow()
            # Each wait for the socket ends at the deadline, and read1 returns what has arrived
            # (read(n) would wait for n bytes): a page sent a byte at a time stops at the total limit.
            sock = getattr(response.connection, "sock", None)
            if sock is not None:
                sock.settimeout(remaining)
            chunk = response.read1(CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise _too_big(max_bytes)
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError:
        raise _too_slow() from None
    except urllib3.exceptions.DecodeError:
        raise FetchRefused(_("أرسل الموقع صفحة مضغوطة تالفة.")) from None
    except (urllib3.exceptions.HTTPError, OSError):
        raise FetchRefused(_("انقطع الاتصال بالموقع قبل أن تكتمل الصفحة.")) from None
    return b"".join(chunks)


def _too_big(max_bytes):
    return FetchRefused(
        _("الصفحة أكبر من %(limit)s كيلوبايت، وهذا ليس حجم صفحة خبر: توقف الجلب."), limit=max_bytes // 1000
    )


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _decode(data, charset, media):
    """The page's text: the charset the server or the page declares, else the project's own guess."""
    if not charset and media == "text/html":
        match = _META_CHARSET.search(data[:4096])
        charset = match.group(1).decode("ascii", "ignore") if match else ""
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode_article_bytes(data, "page", max_bytes=len(data) + 1)
    except ExtractionError:
        raise FetchRefused(_("تعذرت قراءة نص الصفحة (ترميز غير معروف أو صفحة فارغة).")) from None


# --- the whole fetch ------------------------------------------------------------------------------


def fetch_page(url):
    """The page at `url` after every check above, or FetchRefused saying why not."""
    max_bytes = int(_setting("FETCH_MAX_BYTES", MAX_PAGE_BYTES))
    max_redirects = int(_setting("FETCH_MAX_REDIRECTS", 5))
    deadline = time.monotonic() + float(_setting("FETCH_TIMEOUT", 20))
    current, passed = url.strip(), []
    while True:
        target = _parse(current)
        addresses = _resolve(target.host, target.name, target.port, deadline)
        pool, response = _open(target, addresses, deadline)
        try:
            if response.status in REDIRECT_STATUSES and response.headers.get("Location"):
                if len(passed) >= max_redirects:
                    raise FetchRefused(_("الرابط يحيل إلى غيره أكثر من %(count)s مرات: توقف الجلب."), count=max_redirects)
                location = response.headers["Location"]
                try:  # http.client reads headers as Latin-1; sites send UTF-8 addresses
                    location = location.encode("latin-1").decode("utf-8")
                except UnicodeError:
                    pass
                passed.append(current)
                current = urljoin(current, location.strip())
                continue
            if response.status != 200:
                raise FetchRefused(
                    _("أجاب الموقع بالرمز %(status)s بدلا من الصفحة (%(url)s)."), status=response.status, url=current
                )
            media, charset = _media_type(response)
            if media not in ALLOWED_TYPES:
                raise FetchRefused(
                    _("الرابط يقود إلى «%(type)s» وليس إلى صفحة (text/html أو text/plain): لم يقرأ."),
                    type=media or _("نوع غير مذكور"),
                )
            data = _read_body(response, max_bytes, deadline)
        finally:
            response.release_conn()
            pool.close()
        return FetchedPage(
            url=url.strip(), final_url=current, content_type=media, text=_decode(data, charset, media),
            sha256=hashlib.sha256(data).hexdigest(), size=len(data), redirects=tuple(passed),
        )
