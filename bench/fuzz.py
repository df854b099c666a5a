"""Malformed requests against every public address, under the production settings: no answer may be a 5xx.

    DATABASE_URL=postgresql://... .venv/bin/python bench/fuzz.py [--requests 11000] [--seconds 1200]
                                                                  [--clients 4] [--workers 2] [--seed 8]

Starts gunicorn (as the Docker image does: DEBUG=0, SECRET_KEY and ALLOWED_HOSTS from the environment, static files
collected for whitenoise's manifest) on 127.0.0.1 and a free port of its own, then sends --requests requests built
from a fixed seed: hostile query values (NUL and other control characters, broken percent-encoding, overlong and
surrogate UTF-8, huge, repeated, more than 1000 parameters), hostile paths, every method, hostile headers (language,
cookies, htmx, host, ranges, conditional requests) and bodies. Requests go over raw sockets, so bytes that a client
library would refuse to send reach the server. Nothing leaves the loopback interface; the run stops at --requests
or after --seconds, whichever comes first, and stops the server it started.

Prints one row per public address (and one for hostile paths): requests, answers by status class, and failures
(no answer within 30 s, or a dropped connection). Exits 1 on any 5xx or failure, or when the run was cut short.
The database is only read: run it against a database with some events in it (the seeds) so the pages have work to do.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SERVER_NAME = "fuzz.example.org"
TIMEOUT = 30
CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"]

PARAMETERS = ["q", "year", "year_from", "year_to", "topic", "entity", "outlet", "exact", "page", "utm_source", ""]
HOSTILE_VALUES = [
    "%00", "a%00b", "%00%00%00", "%01", "x%0by", "%08", "%1f", "%7f", "%c2%80", "%c2%9f", "%0d%0a", "%09",
    "%ff", "%fe%ff", "%c0%af", "%e0%80%af", "%ed%a0%80", "%ed%bf%bf", "%f4%90%80%80", "%", "%zz", "%%", "%u0041",
    "%E2%80%AE", "%E2%80%8F%E2%80%AEevil", "%EF%BB%BF", "%EF%BF%BE", "%F0%9F%92%A3", "%D9%83%D8%A7%D8%B2%D8%A7%D8%AE",
    "..%2f..%2fetc%2fpasswd", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "'%20OR%201=1--", "%5C", "%22", "%27",
    "9" * 30, "-1", "0", "00002024", "2024.0", "%D9%A2%D9%A0%D9%A2%D9%A4", "%C2%B2%C2%B2", "2024-01-01", "nan",
    "inf", "1e309", "[]", "{}", "null", "true", "on", "+", "%20", "%20%20%20", "", "a" * 3000, "%D9%83" * 500,
    "trade", "security", "kazakhstan", "xinhua", "2017", "2025", "1", "999999",
]
METHODS = ["GET"] * 10 + ["HEAD"] * 3 + ["POST"] * 2 + ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "FOO"]
HOSTILE_HEADERS = [
    ("Accept-Language", "xx-XX;q=abc, *;q=-1"), ("Accept-Language", "ar-" * 300), ("Accept-Language", "en;q=2"),
    ("Accept-Language", "zh-Hant-TW-x-private"), ("Accept-Language", "\udcff".encode("utf-8", "surrogateescape")),
    ("Cookie", "django_language=%00"), ("Cookie", "django_language=" + "x" * 2000), ("Cookie", "sessionid=garbage"),
    ("Cookie", "csrftoken=" + "A" * 500), ("Cookie", "=;;;==;a=b=c"), ("Cookie", b"\xff\xfe=\xc0"),
    ("HX-Request", "true"), ("HX-Request", "false"), ("HX-History-Restore-Request", "true"),
    ("HX-Current-URL", "javascript:alert(1)"), ("HX-Target", "%00"), ("HX-Trigger", "x" * 1000),
    ("Range", "bytes=junk"), ("Range", "bytes=999999999-"), ("Range", "bytes=-1,-2,-3,0-,5-1"),
    ("If-Modified-Since", "yesterday"), ("If-None-Match", '"' + "x" * 500), ("If-Match", "*"),
    ("Accept", "*/*;q=nan"), ("Accept", "text/html\x01"), ("Accept-Encoding", "gzip;q=2, br, zstd, identity;q=0"),
    ("Content-Type", "multipart/form-data; boundary="),
    ("Content-Type", "application/x-www-form-urlencoded; charset=x"),
    ("X-Forwarded-For", "::ffff:999.1.1.1"), ("X-Forwarded-Proto", "gopher"), ("Referer", "http://%00/"),
    ("User-Agent", "\x7f" * 10), ("Origin", "null"),
]
BAD_HOSTS = ["evil.example", "", "127.0.0.1:99999", "[::1", "a" * 300, "fuzz.example.org:80:80", "%00"]
BODIES = [
    b"", b"a=%00&b=%ff", b"&".join(b"f%d=1" % i for i in range(1500)), b"\x00" * 64, b'{"entity": "\\u0000"}',
    b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\x00\r\n--x--\r\n", os.urandom(512),
    b"csrfmiddlewaretoken=x&username=%00&password=%ff",
]
HOSTILE_PATHS = [
    "/events/%00/", "/events/%ff/", "/events/%ed%a0%80/", "/events/" + "x" * 2000 + "/", "/events/..%2f..%2f/",
    "/events/%2e%2e/", "/events/a%2fb/", "/en", "/ar/", "/EN/", "/en/en/", "/en//events/", "//", "//evil.example/",
    "/events.csv/", "/events.atom;x=1", "/events.ics%00", "/events.json/..", "/%D9%83%D8%A7%D8%B2%D8%A7%D8%AE/",
    "/healthz/", "/healthz%00", "/admin", "/admin/%00/", "/admin/timeline/event/%00/change/", "/static/%00",
    "/static/../config/settings.py", "/static/timeline/site.css%00", "/events/x/cite.json%00", "/events/x/cite.bib/",
    "/?", "/#fragment", "/?" + "&" * 2000, "/" + "%20" * 1000, "/\\\\evil", "/%5c%5cevil", "*", "/en/events/%D9%83/",
]


def public_addresses(slug):
    return [
        "/", "/en/", f"/events/{slug}/", f"/en/events/{slug}/", "/events.csv", "/events.atom", "/events.ics",
        "/events.json", f"/events/{slug}/cite.json", f"/events/{slug}/cite.bib", "/healthz", "/admin/login/",
        "/static/timeline/site.css",
    ]


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def as_bytes(value):
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogateescape")


def raw_request(method, target, headers, body=b""):
    lines = [f"{method} ".encode() + as_bytes(target) + b" HTTP/1.1"]
    lines += [as_bytes(name) + b": " + as_bytes(value) for name, value in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(b"Content-Length: %d" % len(body))
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def hostile_query(rng):
    shape = rng.random()
    if shape < 0.04:  # over DATA_UPLOAD_MAX_NUMBER_FIELDS (1000), still under gunicorn's 4094-byte request line
        return "&".join(f"t{i}" for i in range(rng.randint(1001, 1150)))
    count = rng.choice([1, 1, 1, 2, 3, 5, 12])
    pairs = []
    for _ in range(count):
        name = rng.choice(PARAMETERS)
        value = rng.choice(HOSTILE_VALUES)
        if rng.random() < 0.2:  # a hostile byte spliced into a sound value
            value = value[: len(value) // 2] + rng.choice(["%00", "%0b", "%ff", "%E2%80%AE"]) + value[len(value) // 2:]
        pairs.append(f"{name}={value}" if rng.random() > 0.05 else name)
    query = "&".join(pairs)
    return query[: rng.choice([3500, 3500, 3500, 5000])]  # now and then past the request-line limit


def build_request(rng, address):
    """(row label, request bytes): one malformed request aimed at `address` (or a hostile path)."""
    label = address
    headers = [("Host", SERVER_NAME), ("X-Forwarded-Proto", "https")]
    path = address
    if rng.random() < 0.12:
        label, path = "hostile paths", rng.choice(HOSTILE_PATHS)
    target = path if rng.random() < 0.08 else f"{path}?{hostile_query(rng)}"
    method = rng.choice(METHODS)
    body = rng.choice(BODIES) if method in ("POST", "PUT", "PATCH") else b""
    for _ in range(rng.choice([0, 1, 1, 2, 4])):
        headers.append(rng.choice(HOSTILE_HEADERS))
    if rng.random() < 0.03:
        headers[0] = ("Host", rng.choice(BAD_HOSTS))
    if rng.random() < 0.03:
        headers.pop(1)  # plain http: the production redirect to https
    return label, raw_request(method, target, headers, body)


def send(request):
    """The status code of the answer, or an error string."""
    try:
        with socket.create_connection((HOST, PORT), timeout=TIMEOUT) as conn:
            conn.sendall(request)
            first = b""
            while b"\r\n" not in first:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                first += chunk
            while conn.recv(65536):  # read to the end, as a client does
                pass
    except (TimeoutError, socket.timeout):
        return "timeout"
    except OSError as exc:
        return f"connection {exc.__class__.__name__}"
    parts = first.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return "no status line"
    return int(parts[1])


def get(path):
    return raw_request("GET", path, [("Host", SERVER_NAME), ("X-Forwarded-Proto", "https")])


def fetch_json(path):
    with socket.create_connection((HOST, PORT), timeout=TIMEOUT) as conn:
        conn.sendall(get(path))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if b"chunked" in head.lower():
        decoded, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if not size:
                break
            decoded, rest = decoded + rest[:size], rest[size + 2:]
        body = decoded
    return json.loads(body)


def start_server(workers, log_path, debug):
    env = {
        **os.environ,
        "DEBUG": "1" if debug else "0",
        "SECRET_KEY": "fuzz-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": f"{SERVER_NAME},{HOST}",
        "BEHIND_TLS_PROXY": "1",  # production sits behind TLS: X-Forwarded-Proto: https reaches the pages
        "PYTHONPATH": str(ROOT),
    }
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # the manifest whitenoise needs, as the image builds it
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{PORT}",
         "--workers", str(workers), "--no-control-socket", "--timeout", str(TIMEOUT), "--error-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start (exit {server.returncode}); see {log_path}")
        if send(get("/healthz")) == 200:
            return server
        time.sleep(0.5)
    server.terminate()
    sys.exit(f"gunicorn did not answer /healthz within 60 s; see {log_path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=11000)
    parser.add_argument("--seconds", type=float, default=1200, help="stop after this long, however many were sent")
    parser.add_argument("--clients", type=int, default=4, help="requests in flight at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--debug", action="store_true", help="DEBUG on, as in development")
    args = parser.parse_args()
    if not os.getenv("DATABASE_URL"):
        sys.exit("set DATABASE_URL to a PostgreSQL database with events in it (the fuzz only reads it)")

    global PORT
    PORT = args.port or free_port()
    log_path = Path(tempfile.gettempdir()) / f"fuzz-gunicorn-{PORT}.log"
    server = start_server(args.workers, log_path, args.debug)
    try:
        events = fetch_json("/events.json").get("events") or []
        slug = events[0]["slug"] if events else "no-such-event"
        if not events:
            print("warning: no events in the database, the event addresses answer 404", file=sys.stderr)
        addresses = public_addresses(slug)
        rng = random.Random(args.seed)
        requests = [build_request(rng, addresses[i % len(addresses)]) for i in range(args.requests)]

        rows = collections.defaultdict(collections.Counter)
        examples = collections.defaultdict(list)  # first few requests that got a 5xx or failed
        lock = threading.Lock()
        started = time.monotonic()
        deadline = started + args.seconds

        def one(item):
            label, request = item
            if time.monotonic() > deadline:
                return
            outcome = send(request)
            kind = f"{outcome // 100}xx" if isinstance(outcome, int) else "failed"
            with lock:
                rows[label][kind] += 1
                if kind in ("5xx", "failed") and len(examples[kind]) < 5:
                    examples[kind].append((outcome, request[:200]))

        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(one, requests))
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    server_errors = log_path.read_text(errors="replace").count("Internal Server Error")

    order = addresses + ["hostile paths"]
    width = max(len(label) for label in order)
    columns = ["requests", *CLASSES, "failed"]
    print(f"{'address':<{width}}  " + "  ".join(f"{c:>8}" for c in columns))
    total = collections.Counter()
    for label in order:
        counts = rows[label]
        total.update(counts)
        sent = sum(counts.values())
        print(f"{label:<{width}}  {sent:>8}  " + "  ".join(f"{counts[c]:>8}" for c in columns[1:]))
    sent = sum(total.values())
    print(f"{'total':<{width}}  {sent:>8}  " + "  ".join(f"{total[c]:>8}" for c in columns[1:]))
    print(f"\n{sent} requests in {elapsed:.0f} s ({sent / elapsed:.0f}/s, {args.clients} clients, "
          f"{args.workers} gunicorn workers, seed {args.seed}); "
          f"'Internal Server Error' in the server log: {server_errors}")
    for kind, items in examples.items():
        for outcome, request in items:
            print(f"  {kind}: {outcome} <- {request!r}")
    ok = total["5xx"] == 0 and total["failed"] == 0 and server_errors == 0 and sent == args.requests
    print(("5xx = 0: yes" if ok else "5xx = 0: NO") + ("" if sent == args.requests else f" (cut short at {sent})"))
    print(f"server log: {log_path}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
