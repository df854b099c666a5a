"""The timeline's event rows, rendered once per content and kept in a small per-process memo.

Rendering 50 rows through the template engine was about a quarter of an uncached page (bench/profile_views.py).
A row's HTML is a function of a few values only, so `row_of` computes them (Row: the date as shown, the
address, the headline, the outlets' and topics' names, the search passage, the lead) and the row partial
(index.html#event_row) is rendered with that Row and nothing else: it cannot read a value the key does not
hold. The Row and the language are the memo's key, so a row is never stale: an edit to the event, a renamed
topic or outlet, another search passage or another filter in its link give another key, and the old entry is
simply not asked for again (it leaves the memo when the least recently used ones do). This is why the memo
may be per process (no other process can make an entry wrong), unlike the page and facet caches, which are
keyed by the data version and shared.

So the first request after a write renders only the rows it has not rendered before (usually the edited
event's), instead of all 50.
"""

import threading
from collections import OrderedDict, namedtuple

from django.template import loader
from django.urls import get_script_prefix
from django.utils.translation import get_language

from timeline.templatetags.timeline_tags import iso_datetime, outlets_of, when

#: Rows kept per process (about 3 KB each with their key: ~12 MB at most).
ROWS_KEPT = 4000

Row = namedtuple("Row", "iso when url headline headline_language title outlets topics passage lead")


def row_of(event, event_query):
    """What index.html#event_row shows of an event (topics and articles prefetched: no query)."""
    url = event.get_absolute_url() + (f"?{event_query}" if event_query else "")
    return Row(
        iso=iso_datetime(event),
        when=when(event),
        url=url,
        headline=event.headline(),
        headline_language=event.headline_language(),
        title=event.title,
        outlets=tuple(outlet.name for outlet in outlets_of(event)),
        topics=tuple(topic.name for topic in event.topics.all()),
        passage=event.passage,
        lead=event.lead,
    )


class Memo:
    """A bounded least-recently-used map, safe to share between the threads of one process."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()
        self.misses = 0

    def get_many(self, keys):
        with self.lock:
            found = {}
            for key in keys:
                if key in self.entries:
                    self.entries.move_to_end(key)
                    found[key] = self.entries[key]
            return found

    def put(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


memo = Memo(ROWS_KEPT)


def rendered_rows(events, event_query):
    """Set `event.row_html` on every event: from the memo, else rendered and kept."""
    # the language and the script prefix are all the partial reads besides the Row ({% translate %}, the URL)
    context_key = (get_language() or "", get_script_prefix())
    keys = [(context_key, row_of(event, event_query)) for event in events]
    found = memo.get_many(keys)
    template = None
    for event, key in zip(events, keys):
        html = found.get(key)
        if html is None:
            template = template or loader.get_template("timeline/index.html#event_row")
            html = template.render({"row": key[1]})
            memo.put(key, html)
            memo.misses += 1
        event.row_html = html
    return events
