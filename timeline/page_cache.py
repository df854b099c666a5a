"""Whole public pages (the timeline and an event page) cached under the data version.

A page is a function of the corpus (its data version: models.DataVersion, changed by a trigger with every
statement that writes events, articles, topics, entities, outlets or the events' links, in the same
transaction), the language, and the request as the templates read it: scheme, host, path with its query
string as sent (og:url repeats it), and the htmx headers that choose a partial. So the key holds exactly
those, and a repeated visit to a view of an unchanged corpus costs two queries (the version and the cache
entry) instead of the filters, the facet block, the page, its prefetches and the rendering of 50 events
(about ten times the time at 10k events: bench/RESULTS.md). The first visit after a write pays in full, and
only it: a write changes the version, so a stale page is never read again (entries wait to expire).

settings.PAGE_CACHE (env PAGE_CACHE, on by default) turns it off: the tests do, to compare what the views
compute (tests/test_page_cache.py tests the cache itself). Not cached: anything but a 200, and a response the view
marks `response.page_cacheable = False`. A page whose facet counts are estimated from a sample (≈), which a reload
must replace by the exact ones, is marked so with `response.estimated_from` (the cache key of the exact counts): it is
kept only a few seconds, apart, and served only until the exact counts are cached (ESTIMATED below).

Each process also keeps the pages it served last in memory (`recent`, bounded by PAGES_KEPT), under the same
key: a repeated visit then costs one query (the version, still read from the database every request, so a write
made by any process is seen at once) and no decompression. An entry of an older version is never asked for again.
"""

import hashlib
import zlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

from timeline import facets
from timeline.facets import COUNTING
from timeline.models import DataVersion
from timeline.fragments import Memo

#: Response headers a view sets that the cached copy must keep (middleware adds the others on the way out).
KEPT_HEADERS = ("Content-Type", "HX-Push-Url")
#: The request headers a page's template or view reads (django-htmx's request.htmx).
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_HISTORY_RESTORE_REQUEST")
#: Pages each process keeps in memory, uncompressed (~100 KB each: ~10 MB).
PAGES_KEPT = 100

recent = Memo(PAGES_KEPT)


def data_version(request):
    """The corpus's version, read once per request (facets.facet_block reads it here too)."""
    if not hasattr(request, "data_version"):
        request.data_version = DataVersion.current()
    return request.data_version


def page_key(request, name):
    parts = [
        name, get_language() or "", request.scheme, request.get_host(), request.get_full_path(),
        *(request.META.get(header, "") for header in HTMX_HEADERS),
    ]
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:40]
    return f"timeline:page:1:{data_version(request)}:{digest}"


#: The suffix of a page rendered with estimated counts (≈: facets.facet_block), kept beside the page's key for
#: settings.FACETS_ESTIMATE_SECONDS with the key of the exact counts it waits for, and served only while those are
#: missing: the visitors of a large view whose exact count has not landed yet get the ≈ page a render would give them
#: (the same kept estimate) without rendering it again; the first request after the count lands renders the exact one.
ESTIMATED = ":estimated"


def _response(content, headers):
    response = HttpResponse(content, content_type=headers.get("Content-Type"))
    for header, value in headers.items():
        if header != "Content-Type":
            response[header] = value
    return response


def cached_page(view):
    """Serve the view's response from the cache when this page of this corpus version was rendered before."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE:
            return view(request, *args, **kwargs)
        key = page_key(request, view.__name__)
        kept = recent.get(key)
        if kept is None:
            hits = cache.get_many([key, key + ESTIMATED])  # (one query)
            if key in hits:
                content, headers = hits[key]
                kept = (zlib.decompress(content), headers)
                recent.put(key, kept)
            elif key + ESTIMATED in hits:
                content, headers, exact_key = hits[key + ESTIMATED]
                found = cache.get_many([exact_key, exact_key + COUNTING])
                if exact_key not in found:  # the exact counts have not landed: still the page to show
                    if exact_key + COUNTING not in found and facets.counter_idle():
                        # nobody counts them now (asked for in a process busy with other counts, or dropped there):
                        # this idle process does
                        facets.count_later(request, data_version(request))
                    return _response(zlib.decompress(content), headers)
        if kept is not None:
            return _response(*kept)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            # compressed: a 100 KB page is ~15 KB in the cache (the database cache stores it pickled, in base64)
            if getattr(response, "page_cacheable", True):
                cache.set(key, (zlib.compress(response.content, 1), headers))
                recent.put(key, (response.content, headers))
            elif getattr(response, "estimated_from", None) and getattr(settings, "FACETS_ESTIMATE_SECONDS", 0):
                cache.set(key + ESTIMATED, (zlib.compress(response.content, 1), headers, response.estimated_from),
                          settings.FACETS_ESTIMATE_SECONDS)
        return response

    return wrapper
