"""An article's metadata from its address and its page: publication date, main text, outlet.

Dates come from htmldate, main text from trafilatura and domains from courlan (the libraries
trafilatura itself uses); this module only chooses among them and says where each value came from.
Which publication date wins when several are known is decided in `best_publication`.
"""

import datetime
import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# Nothing this project reports predates the China–Kazakhstan relations (January 1992).
EARLIEST = datetime.date(1992, 1, 1)

# Strongest first. An editor's or a manifest's date is a person's word. The address is fixed when the
# article is first published and survives later edits and site migrations (htmldate too trusts a full
# date in the address before anything in the page). Page metadata is the CMS's own field, but a
# migration or an update can rewrite it. A stamp printed in the text may be a "last updated" line.
METHODS = ("supplied", "address", "page metadata", "text stamp")


@dataclass(frozen=True)
class Publication:
    """A publication date and how it was found."""

    date: datetime.date
    method: str  # one of METHODS
    evidence: str = ""  # the address's path segment, the page's tag, the printed stamp

    def describe(self):
        """'from the address /2022/9/14/': how the date was found, for evidence strings."""
        if self.method == "supplied":
            return "supplied with the article"
        if self.method == "address":
            return f"from the address {self.evidence}"
        if self.method == "page metadata":
            return f"from the page metadata {self.evidence}".rstrip()
        return f"from the stamp «{self.evidence}»"

    def as_text(self):
        """What the Article keeps in `published_evidence`."""
        return f"{self.method}: {self.evidence}" if self.evidence else self.method


def best_publication(candidates):
    """The most reliable of the publication dates found (see METHODS), or None."""
    found = [c for c in candidates if c is not None]
    return min(found, key=lambda c: METHODS.index(c.method)) if found else None


def plausible_publication(day, today=None):
    """A publication date lies between 1992 and yesterday: the clock is never evidence."""
    return day is not None and EARLIEST <= day < (today or datetime.date.today())


def _htmldate(markup, today, url=""):
    from htmldate import find_date

    # Never a str: htmldate downloads a string that looks like an address ("http://169.254.…\n<p>…"),
    # and the text comes from an editor or a file. Bytes are parsed, never fetched.
    markup = markup.encode("utf-8") if isinstance(markup, str) else markup

    # url="" keeps htmldate from reading a date out of the page's canonical address: that is the
    # address's evidence, read by date_from_url. extensive_search=False: no guessing from body text,
    # whose dates are the date finder's job.
    found = find_date(
        markup,
        extensive_search=False,
        original_date=True,
        url=url,
        min_date=EARLIEST.isoformat(),
        max_date=(today or datetime.date.today()).isoformat(),
    )
    return datetime.date.fromisoformat(found) if found else None


# --- the address ------------------------------------------------------------------------------

# Addresses whose date htmldate does not read (it wants separators between year, month and day):
# People's Daily Arabic /n3/2016/0506/c31664-…, Sputnik Arabic /20170608/1024….html.
_COMPACT_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)/?(?P<month>[01]\d)(?P<day>[0-3]\d)/")


def _date_segment(path, day):
    """The part of the path that carries `day`: '/2022/9/14/', '/2015-08/26/'."""
    pattern = rf"/?{day.year}[-/_]?/?0?{day.month}[-/_]?/?0?{day.day}(?!\d)/?"
    match = re.search(pattern, path)
    return match.group(0) if match else path


def date_from_url(url, today=None):
    """The publication date written in an article's address, as a Publication, or None."""
    if not url:
        return None
    path = unquote(urlsplit(url).path)
    day = _htmldate("<html><body></body></html>", today, url=url)  # an empty page: only the address is read
    if day is None:
        match = _COMPACT_DATE.search(path)
        if match:
            try:
                day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:  # /20231345/ is an id, not a date
                day = None
    if not plausible_publication(day, today):
        return None
    return Publication(day, "address", _date_segment(path, day))


# "/Web/news/2010/1/529253.htm": a year and a month, then an id (no day). Only the month of publication.
_YEAR_MONTH = re.compile(r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>0?[1-9]|1[0-2])/(?![0-3]?\d(?:/|$|[-_.]))")


def month_from_url(url, today=None):
    """(year, month, segment) when the address gives the month of publication and no day, else None."""
    if not url:
        return None
    path = unquote(urlsplit(url).path)
    match = _YEAR_MONTH.search(path)
    if not match:
        return None
    year, month = int(match["year"]), int(match["month"])
    if not plausible_publication(datetime.date(year, month, 1), today):
        return None
    return year, month, match.group(0)


# Address forms htmldate rightly leaves alone because they can be read more than one way:
# "/archives/08/06/2022/" (8 June or 6 August?), "news-2022091467160" (a date glued to an id, or an id)
# and the two forms below.
# They give readings only; the text's own weekday must confirm exactly one (see extract_article).
_NUMERIC_DATE = re.compile(r"(?<!\d)(?P<a>[0-3]?\d)[/_.-](?P<b>[0-3]?\d)[/_.-](?P<year>(?:19|20)\d\d)(?!\d)")
_GLUED_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)\d{2,}")
# "/ar/20190911-title" (France 24), "title-20190911.html": eight digits alone that read as year, month, day;
# an eight-digit id looks the same ("c31660-20120415.html"), so a reading, not a date.
_COMPACT_ALONE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)")
# "view.aspx?cdate=11092019" (Al-Shorouk): day, month and year run together, day and month in either order.
_DMY_GLUED = re.compile(r"(?<!\d)(?P<a>[0-3]\d)(?P<b>[0-3]\d)(?P<year>(?:19|20)\d\d)(?!\d)")


def date_readings_from_url(url, today=None):
    """Possible publication dates in an address's uncertain forms: [Publication], each one reading."""
    if not url:
        return []
    parts = urlsplit(url)
    path = unquote(parts.path) + ("?" + unquote(parts.query) if parts.query else "")  # the query too: "?cdate=…"
    readings = {}
    for pattern in (_NUMERIC_DATE, _DMY_GLUED):
        for match in pattern.finditer(path):
            for day, month in ((match["a"], match["b"]), (match["b"], match["a"])):
                readings.setdefault(_day_or_none(match["year"], month, day), match.group(0))
    for pattern in (_GLUED_DATE, _COMPACT_ALONE):
        for match in pattern.finditer(path):
            readings.setdefault(_day_or_none(match["year"], match["month"], match["day"]), match.group(0))
    return [
        Publication(day, "address", f"{segment} (read as {day.isoformat()}, the reading the text's weekday confirms)")
        for day, segment in sorted(readings.items(), key=lambda item: item[0] or EARLIEST)
        if plausible_publication(day, today)
    ]


def _day_or_none(year, month, day):
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


# --- the page -------------------------------------------------------------------------------------


def _date_source(markup, day):
    """Where the page carries `day` outside the article's prose: a tag's attribute
    (<meta property="article:published_time" …>, <time datetime>), a JSON-LD key, or a short stamp
    of its own ("الوقت:2024-01-05 10:12:31"). '' when the date is only in running text, which
    htmldate's fast mode also reads but which is the date finder's to interpret."""
    y, m, d = day.year, day.month, day.day
    stamp = rf"(?<!\d)(?:{y}[-/.]0?{m}[-/.]0?{d}|0?{d}[-/.]0?{m}[-/.]{y})(?!\d)"
    for match in re.finditer(stamp, markup):
        tag_start = markup.rfind("<", 0, match.start())
        tag_end = markup.rfind(">", 0, match.start())
        if tag_start > tag_end:  # inside a tag
            return re.sub(r"\s+", " ", markup[tag_start : markup.find(">", match.end()) + 1])[:200]
        key = re.search(r'"(\w+)"\s*:\s*"?$', markup[max(0, match.start() - 40) : match.start()])
        if key:
            return f'"{key.group(1)}": "{match.group(0)}"'
        node = markup[tag_end + 1 : markup.find("<", match.end()) if "<" in markup[match.end() :] else None]
        node = re.sub(r"\s+", " ", html.unescape(node)).strip()
        if len(node) <= 80:
            return node
    return ""


#: htmldate reads a page's head and this much markup after it: the publication date sits in the head's meta tags
#: and JSON-LD, or at the top of the article (<time>, a stamp); the rest of a page of 100,000 elements took it 2 s.
HTMLDATE_MAX_MARKUP = 500_000


def date_from_html(markup, today=None):
    """The publication date in a page's metadata (meta tags, JSON-LD, <time>, a stamp), original not updated."""
    if not markup or "<" not in markup:
        return None
    if len(markup) > HTMLDATE_MAX_MARKUP:
        head_end = re.search(r"</head\s*>", markup, re.IGNORECASE)
        markup_read = markup[: (head_end.end() if head_end else 0) + HTMLDATE_MAX_MARKUP]
    else:
        markup_read = markup
    try:
        day = _htmldate(markup_read, today)
    except ValueError:  # htmldate takes a string without markup for an address to download
        return None
    source = _date_source(markup, day) if plausible_publication(day, today) else ""
    return Publication(day, "page metadata", source) if source else None


def canonical_url(markup):
    """The address a page gives for itself (<link rel="canonical">, og:url), or ''."""
    for pattern in (
        r"<link\b[^>]*rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)",
        r"<link\b[^>]*href=[\"']([^\"']+)[\"'][^>]*rel=[\"']canonical",
        r"<meta\b[^>]*property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)",
    ):
        match = re.search(pattern, markup, re.I)
        if match and match.group(1).startswith("http"):
            return match.group(1)
    return ""


#: Markup (outside scripts, styles and comments) up to which trafilatura reads a page within the time an
#: editor can wait (about a second for 500 KB of elements here). A news page carries well under this;
#: a heavier one is read with the tag filter alone, which is linear and several times faster.
TRAFILATURA_MAX_MARKUP = 500_000
_SKIPPED_BLOCKS = (("<script", "</script"), ("<style", "</style"), ("<!--", "-->"))


def markup_size(markup):
    """Characters of `markup` outside scripts, styles and comments, in one pass (each opener's next
    place is kept, so a page full of one kind never makes the search for another start over)."""
    lower = markup.lower()
    following = {opener: lower.find(opener) for opener, _ in _SKIPPED_BLOCKS}
    size = position = 0
    while True:
        for opener, _ in _SKIPPED_BLOCKS:
            if 0 <= following[opener] < position:
                following[opener] = lower.find(opener, position)
        found = [(following[opener], closer) for opener, closer in _SKIPPED_BLOCKS if following[opener] >= 0]
        if not found:
            return size + len(markup) - position
        start, closer = min(found)
        size += start - position
        end = lower.find(closer, start)
        if end < 0:
            return size
        position = end + len(closer)


def is_heavy_page(markup):
    return markup_size(markup) > TRAFILATURA_MAX_MARKUP


def main_text_from_html(markup):
    """The article's text in a page: headline, date lines and body, without menus, comments and links.

    trafilatura finds the body and the headline: it drops the comments, related links, sidebars and
    footers that a tag filter keeps (bench/html_text.py measures both). A date line above the body
    ("4 تموز 2024", "الوقت:2024-01-05 المصدر: شينخوا") is not part of its output, and it carries the
    publication date, so the short lines with digits above the body are kept for clean_article to
    read as today. When trafilatura finds nothing, the whole page's text is used.
    """
    import trafilatura

    from .clean import html_to_text

    page = html_to_text(markup)
    if is_heavy_page(markup):
        return page
    body = trafilatura.extract(markup, include_comments=False, include_tables=True, favor_precision=True) or ""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if not lines:
        return page
    metadata = trafilatura.extract_metadata(markup)
    title = metadata.title if metadata and metadata.title else ""
    start = page.find(lines[0][:60])
    head = page[:start].split("\n") if start > 0 else []
    dated = [line.strip() for line in head if re.search(r"\d", line) and len(line.split()) <= 12]
    return "\n\n".join([title, *dated, *lines] if title else [*dated, *lines])


# --- the outlet -----------------------------------------------------------------------------------


def host_of(url):
    """'arabic.news.cn' for 'http://www.arabic.news.cn/…' (lower case, no 'www.'), or ''."""
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def registrable_domain(url):
    """'albayda-news.com' for 'https://news.albayda-news.com/…': the name a site is registered under."""
    from courlan import extract_domain

    host = host_of(url)
    return (extract_domain("https://" + host) or host) if host else ""
