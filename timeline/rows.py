"""The timeline's event rows: each rendered from a Row of plain values, once per content (timeline/fragments.py).

A row's HTML is a function of a few values only: `row_of` computes them (the date as shown, the address with
the view's filters, the headline, the outlets' and topics' names, the search passage, the lead) and the row
partial (index.html#event_row) is rendered with that Row and nothing else, so the first request after a write
renders only the rows it has not rendered before (usually the edited event's), instead of all 50.
"""

from collections import namedtuple

from timeline.fragments import rendered_many
from timeline.templatetags.timeline_tags import iso_datetime, outlets_of, when

ROW_PARTIAL = "timeline/index.html#event_row"

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


def rendered_rows(events, event_query):
    """Set `event.row_html` on every event (from the memo, else rendered and kept)."""
    parts = rendered_many(ROW_PARTIAL, [{"row": row_of(event, event_query)} for event in events])
    for event, html in zip(events, parts):
        event.row_html = html
    return events
