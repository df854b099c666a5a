"""A news site on loopback for the "Add from URL" tests: saved pages, synthetic Arabic reports, and
every kind of misbehaviour the fetcher must survive (redirects, huge, slow, wrong type)."""

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

PAGES = Path(__file__).resolve().parent / "pages"

REPORT_TITLE = "الصين وكازاخستان توقعان اتفاقية لتطوير ممر النقل عبر بحر قزوين"
REPORT_HTML = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{REPORT_TITLE} | أخبار الخليج</title>
<meta property="article:published_time" content="2023-09-12T10:00:00+03:00"></head>
<body><nav><a href="/">الرئيسية</a> <a href="/world">دولي</a> <a href="/sport">رياضة</a></nav>
<article><h1>{REPORT_TITLE}</h1>
<p>أستانا 12 سبتمبر 2023 (كونا) -- وقعت الصين وكازاخستان اليوم اتفاقية لتطوير السكك الحديدية والموانئ على طريق
النقل الدولي عبر بحر قزوين، وقال وزير النقل الكازاخستاني إن قطارات الشحن بين البلدين ستزداد في العام المقبل.</p>
<p>وأضاف الوزير أن الشحن بالسكك الحديدية عبر ميناء أكتاو سيتضاعف خلال عامين، وأن الجانبين اتفقا على تبسيط
إجراءات العبور على الحدود.</p>
<p>وتعد الصين أكبر شريك تجاري لكازاخستان، ويمر عبر أراضيها جزء كبير من قطارات الشحن المتجهة إلى أوروبا.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""

PLAIN_REPORT = (
    "الصين وكازاخستان تبحثان التعاون في مجال الطاقة\n\n"
    "بكين 5 مارس 2021 (شينخوا) -- بحث وزيرا خارجية الصين وكازاخستان اليوم التعاون في مجال الطاقة وخطوط "
    "أنابيب النفط والغاز بين البلدين.\n\nوأكد الجانبان أهمية تعزيز التعاون الاقتصادي والتجاري."
)

CP1256_HTML = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head><body>'
    "<h1>كازاخستان والصين توقعان اتفاقا للتعاون الزراعي</h1>"
    "<p>أستانا 20 مايو 2019 (كونا) -- وقعت كازاخستان والصين اليوم اتفاقا للتعاون في مجال الزراعة وتصدير "
    "القمح، وقال وزير الزراعة إن الصادرات إلى الصين ستزداد.</p><p>وأضاف أن الاتفاق يشمل اللحوم أيضا.</p>"
    "</body></html>"
).encode("cp1256")


class Site(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = []  # (path, Host header) of every request served
        self.pages = {}  # extra routes a test adds: path -> (status, headers, body)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901 - one route per misbehaviour, read top to bottom
        self.server.requests.append((self.path, self.headers.get("Host")))
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path in self.server.pages:
            status, headers, body = self.server.pages[path]
            return self.send(status, body, content_type=None, headers=headers)
        if path.startswith("/pages/") and (PAGES / path[7:]).is_file():
            return self.send(200, (PAGES / path[7:]).read_bytes())
        if path.startswith("/news/"):
            return self.send(200, REPORT_HTML.encode("utf-8"))
        if path == "/plain.txt":
            return self.send(200, PLAIN_REPORT.encode("utf-8"), "text/plain; charset=utf-8")
        if path == "/cp1256.html":
            return self.send(200, CP1256_HTML, "text/html")
        if path == "/gzip.html":
            return self.send(200, gzip.compress(REPORT_HTML.encode("utf-8")), headers=[("Content-Encoding", "gzip")])
        if path == "/redirect":
            return self.send(302, headers=[("Location", query["to"][0])])
        if path.startswith("/hops/"):
            left = int(path.rsplit("/", 1)[1])
            return self.send(301, headers=[("Location", f"/hops/{left - 1}" if left else "/news/2023/09/12/corridor.html")])
        if path == "/big":  # no Content-Length: only counting while streaming can stop it
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            for _ in range(int(query.get("chunks", ["64"])[0])):
                try:
                    self.wfile.write(b"<p>" + "نص ".encode() * 5000 + b"</p>\n")
                except OSError:
                    return
            return
        if path == "/declared-big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50_000_000))
            self.end_headers()
            return
        if path == "/slow":  # nothing at all for a while
            time.sleep(float(query.get("seconds", ["3"])[0]))
            return self.send(200, REPORT_HTML.encode("utf-8"))
        if path == "/drip":  # headers at once, then a byte now and then: each read is quick, the whole is not
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(40):
                try:
                    self.wfile.write(b"<p>.</p>")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
            return
        if path == "/image.png":
            return self.send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        if path == "/json":
            return self.send(200, b'{"a": 1}', "application/json")
        return self.send(404, b"<h1>not found</h1>")


@pytest.fixture
def site():
    """The loopback news site, for one test."""
    server = Site()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    """Only these tests may fetch from loopback: the site above lives there."""
    settings.FETCH_ALLOW_LOOPBACK = True
    return settings
