"""Parts of a page rendered once per content and kept in a small per-process memo (the timeline's rows, its
facets' checkbox lists).

A part is a template partial rendered with plain values only (strings, numbers, booleans, None and tuples of
them: never a model instance, whose equality is its primary key), and those values, the partial's name, the
language and the script prefix are the memo's key. So the partial cannot read anything the key does not hold,
and an entry is never stale: an edit, a rename, other counts or another filter give another key, and the old
entry is simply not asked for again (it leaves when the least recently used ones do). This is why the memo may
be per process (no other process can make an entry wrong), unlike the page and facet caches, which are keyed by
the data version and shared.

Rendering the 50 rows and the facets' ~120 checkboxes through the template engine was about half of an uncached
timeline page (bench/profile_views.py); the first request after a write now renders only the parts it changed.
"""

import threading
from collections import OrderedDict

from django.template import loader
from django.urls import get_script_prefix
from django.utils.translation import get_language

#: Parts kept per process (a row is ~3 KB with its key, a facet list ~5 KB: ~15 MB at most).
PARTS_KEPT = 4000
PLAIN = (str, int, float, bool, type(None))


class Memo:
    """A bounded least-recently-used map, safe to share between the threads of one process."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys):
        with self.lock:
            found = {}
            for key in keys:
                if key in self.entries:
                    self.entries.move_to_end(key)
                    found[key] = self.entries[key]
            return found

    def get(self, key):
        """The value kept under key, or None."""
        return self.get_many([key]).get(key)

    def put(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


memo = Memo(PARTS_KEPT)


def _check_plain(value):
    if isinstance(value, tuple):
        for item in value:
            _check_plain(item)
    elif not isinstance(value, PLAIN):
        raise TypeError(f"a memoised part is rendered from plain values only, not {type(value).__name__}")


def key_of(template_name, values):
    """The memo's key: everything the part's rendering reads."""
    _check_plain(tuple(values.values()))
    return (template_name, get_language() or "", get_script_prefix(), tuple(sorted(values.items())))


def rendered_many(template_name, values_list):
    """The HTML of the part for each dict of values: from the memo, else rendered (with those values only) and kept."""
    keys = [key_of(template_name, values) for values in values_list]
    found = memo.get_many(keys)
    template = None
    parts = []
    for key, values in zip(keys, values_list):
        html = found.get(key)
        if html is None:
            template = template or loader.get_template(template_name)
            html = template.render(values)
            memo.put(key, html)
        parts.append(html)
    return parts


def rendered(template_name, **values):
    return rendered_many(template_name, [values])[0]
