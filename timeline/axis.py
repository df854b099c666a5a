"""The time axis above the timeline's list: a window of time drawn to scale, zoomable, one URL per zoom level.

The window comes from ?from= and ?to= (forms.parse_period: a year, a month or a day each), else from the year
filter, else it is the whole span of the corpus. Its zoom level is one of span → decade → year → month → day
(a window that is none of these is "custom" and zooms out to the smallest one holding it). The drawing is:

- density: one bar per decade, year, month or day of the window (every one, empty ones included) with the number of
  the view's events starting in it, each a link that zooms into it. By year or decade these are the facet block's
  cached counts by year (no query); by month or day, one GROUP BY over the filtered events in the window;
- the events themselves when the view holds at most EVENT_LIMIT of them (the page's own first page of events, so no
  query): a day-precision event is a point, a month- or year-precision event and a range are spans;
- a context lane: the reference calendar's meetings in the window (one query, at most MEETING_LIMIT), each a link
  to the timeline of its dates.

So the axis costs one query and a bounded number of SVG nodes whatever the corpus size. Positions are
computed here, as SVG attributes (a strict CSP forbids style attributes); time runs right to left in Arabic.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Count, DateField
from django.db.models.functions import Trunc
from django.utils.translation import get_language, get_language_bidi, gettext as _, ngettext

from timeline.filtering import query_string
from timeline.models import ReferenceMeeting
from timeline.templatetags.timeline_tags import _month_name, when

EVENT_LIMIT = 40  # at most this many events in the window: draw them; more: density only
MEETING_LIMIT = 40
MAX_LANES = 6  # rows of event marks; more overlapping events share the last row
MEETING_ROWS = 3
WIDTH = 1000  # the viewBox's width; the page scales it
MARGIN = 12
BAR_TOP, BAR_HEIGHT = 22, 60  # density bars stand on BASELINE = BAR_TOP + BAR_HEIGHT
BASELINE = BAR_TOP + BAR_HEIGHT
LANE_HEIGHT = 16
MAX_BUCKETS = 62  # Window.unit: at most 62 days, 37 months, 60 years or 21 decades
# Elements in the drawn axis at most: per bar a link, its hit area, its bar and its count; per tick a line and a label;
# per event or meeting a link, its mark and its title; and the frame (caption, zoom links, at most 7 decades, legend).
MAX_NODES = MAX_BUCKETS * 4 + MAX_BUCKETS * 2 + EVENT_LIMIT * 3 + MEETING_LIMIT * 3 + 80


@dataclass
class Window:
    start: datetime.date
    end: datetime.date
    level: str  # span, decade, year, month, day or custom

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def unit(self):
        """The bars' period: a bounded number of them (at most 62) in any window."""
        if self.days > 3 * 366:
            return "decade" if self.end.year - self.start.year >= 60 else "year"
        if self.days > 62:
            return "month"
        return "day"


def _last_of_month(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def level_of(start, end):
    if start == end:
        return "day"
    if start.day == 1 and (start.year, start.month) == (end.year, end.month) and end == _last_of_month(end.year, end.month):
        return "month"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        if start.year == end.year:
            return "year"
        if start.year % 10 == 0 and end.year == start.year + 9:
            return "decade"
    return "custom"


def period(level, day):
    """(first day, last day, ?from, ?to) of the period of this level holding `day`."""
    if level == "day":
        text = day.isoformat()
        return day, day, text, text
    if level == "month":
        text = f"{day.year:04d}-{day.month:02d}"
        return day.replace(day=1), _last_of_month(day.year, day.month), text, text
    if level == "year":
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), str(day.year), str(day.year)
    first = day.year - day.year % 10
    return datetime.date(first, 1, 1), datetime.date(first + 9, 12, 31), str(first), str(first + 9)


STEPPED = ("day", "month", "year", "decade")  # levels with an earlier and a later one of the same size


def window_of(filters, all_years):
    """The window the axis draws: ?from/?to, else the year filter, else the corpus's span (None: nothing dated)."""
    first = filters.get("window_start")
    last = filters.get("window_end")
    if first is None and last is None and (filters.get("year_from") or filters.get("year_to")):
        first = datetime.date(filters["year_from"], 1, 1) if filters.get("year_from") else None
        last = datetime.date(filters["year_to"], 12, 31) if filters.get("year_to") else None
    if first is None and last is None:
        if not all_years:
            return None
        return Window(datetime.date(all_years[0], 1, 1), datetime.date(all_years[-1], 12, 31), "span")
    if first is None:
        first = datetime.date(min(all_years[0], last.year) if all_years else last.year, 1, 1)
    if last is None:
        last = datetime.date(max(all_years[-1], first.year) if all_years else first.year, 12, 31)
    return Window(first, last, level_of(first, last))


MEETINGS_SQL = """
SELECT m.start, m."end", s.name_ar, s.name_en, m.city_ar, m.city_en
FROM timeline_referencemeeting m JOIN timeline_meetingseries s ON s.id = m.series_id
WHERE m.start <= %s AND m."end" >= %s ORDER BY m.start, m.id LIMIT %s
"""


@dataclass
class Meeting:
    start: datetime.date
    end: datetime.date
    name_ar: str
    name_en: str
    city_ar: str
    city_en: str


def read(view, window, block):
    """({first day of a bucket: the view's events that start in it}, [Meeting in the window]) in one query.

    By year or decade, the counts are the facet block's counts by year (counted once with the other facets, without
    the year filter, and cached), so the query reads only the meetings; by month or day, the same statement also
    groups the view's events in the window by their (indexed) start date."""
    unit = window.unit
    meetings_sql = f"SELECT 1, NULL::date, NULL::bigint, * FROM ({MEETINGS_SQL}) m"
    params = [window.end, window.start, MEETING_LIMIT]
    if unit in ("year", "decade"):  # (estimated when the block is: the bars then say ≈)
        sql = meetings_sql
        rows = [(datetime.date(y, 1, 1), n) for y, n in block.year_counts.items()]
    else:
        qs = view.events_without().filter(date_start__gte=window.start, date_start__lte=window.end)
        bucket = Trunc("date_start", unit, output_field=DateField())
        grouped = qs.order_by().annotate(bucket=bucket).values_list("bucket").annotate(n=Count("pk"))
        density_sql, density_params = grouped.query.sql_with_params()
        sql = (f"SELECT 0, d.bucket::date, d.n, NULL::date, NULL::date, NULL, NULL, NULL, NULL "
               f"FROM ({density_sql}) d(bucket, n) UNION ALL {meetings_sql}")
        params = [*density_params, *params]
        rows = []
    found = []
    with connections[router.db_for_read(ReferenceMeeting)].cursor() as cursor:
        cursor.execute(sql, params)
        for part, day, n, *meeting in cursor.fetchall():
            if part == 0:
                rows.append((day, n))
            else:
                found.append(Meeting(*meeting))
    found.sort(key=lambda m: m.start)
    counts = {}
    for day, n in rows:
        if unit == "decade":
            day = datetime.date(day.year - day.year % 10, 1, 1)
        counts[day] = counts.get(day, 0) + n
    return counts, found


def _buckets(window):
    """Every period of the window's unit that it touches, in order: (first day, last day)."""
    unit = window.unit
    day = period(unit, window.start)[0]
    while day <= window.end:
        if unit == "day":
            last = day
        elif unit == "month":
            last = _last_of_month(day.year, day.month)
        elif unit == "year":
            last = datetime.date(day.year, 12, 31)
        else:
            last = datetime.date(day.year + 9, 12, 31)
        yield day, last
        day = last + datetime.timedelta(days=1)


def _language():
    return "en" if (get_language() or "").startswith("en") else "ar"


def _day_text(day):
    return f"{day.day} {_month_name(day.month, _language())} {day.year}"


def _label(unit, day, short=False):
    if unit == "day":
        return str(day.day) if short else _day_text(day)
    if unit == "month":
        name = _month_name(day.month, _language())
        return (name[:3] if _language() == "en" else name) if short else f"{name} {day.year}"
    if unit == "decade":
        return _("%(decade)ss") % {"decade": day.year}
    return str(day.year)


def _window_label(window):
    if window.level == "span":
        return _("Whole span")
    if window.level == "custom":
        start, end = window.start, window.end
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return f"{start.year}–{end.year}"
        if start.day == 1 and end == _last_of_month(end.year, end.month):
            return f"{_label('month', start)} – {_label('month', end)}"
        return f"{_day_text(start)} – {_day_text(end)}"
    return _label(window.level, window.start)


def _events_label(label, n):
    return ngettext("%(label)s: %(count)s event", "%(label)s: %(count)s events", n) % {"label": label, "count": n}


@dataclass
class Axis:
    window: Window
    height: int
    bars: list = field(default_factory=list)
    ticks: list = field(default_factory=list)
    events: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    trail: list = field(default_factory=list)  # [(label, query or None for the current level)]
    zoom_in: list = field(default_factory=list)  # [(label, query)] the finer periods reachable by plain links
    earlier: str | None = None
    later: str | None = None
    shows_events: bool = False
    rtl: bool = False
    label: str = ""
    baseline: int = BASELINE
    events_top: int = 0
    meetings_top: int = 0
    width: int = WIDTH


class _Scale:
    def __init__(self, window, rtl):
        self.start, self.days, self.rtl = window.start, window.days, rtl

    def x(self, day):
        """The x of the beginning of `day` (clamped to the window)."""
        offset = min(max((day - self.start).days, 0), self.days)
        along = MARGIN + (WIDTH - 2 * MARGIN) * offset / self.days
        return round(WIDTH - along if self.rtl else along, 1)

    def extent(self, first, last):
        """(left x, width) of first..last inclusive."""
        a, b = self.x(first), self.x(last + datetime.timedelta(days=1))
        return min(a, b), round(abs(b - a), 1)


def _link(filters, first_text, last_text):
    return query_string(filters, window_from=first_text, window_to=last_text, year_from=None, year_to=None, page=None)


def build(view, block, page_events, total):
    """The axis of this view (None when no event is dated). page_events: the list's first page, in order."""
    filters = view.filters
    window = window_of(filters, block.all_years)
    if window is None:
        return None
    rtl = get_language_bidi()
    scale = _Scale(window, rtl)
    counts, found = read(view, window, block)
    unit = window.unit
    approximate = block.approximate and unit in ("year", "decade")
    axis = Axis(window=window, height=0, rtl=rtl, label=_window_label(window))

    # density bars: every period of the window, with its count, each zooming into it
    buckets = list(_buckets(window))
    tallest = max(counts.values(), default=0) or 1
    label_every = 1 if len(buckets) <= 16 else 5
    for first, last in buckets:
        n = counts.get(first, 0)
        x, width = scale.extent(max(first, window.start), min(last, window.end))
        height = round(BAR_HEIGHT * n / tallest) if n else 0
        from_text, to_text = period(unit, first)[2:]
        axis.bars.append({
            "x": x, "width": width, "inner_x": round(x + width * 0.12, 1), "inner_width": round(width * 0.76, 1),
            "y": BASELINE - height, "height": height, "count": n, "mid": round(x + width / 2, 1),
            "label": ("≈ " if approximate else "") + _events_label(_label(unit, first), n),
            "query": _link(filters, from_text, to_text),
            "count_y": BASELINE - height - 4, "period": from_text if from_text == to_text else f"{from_text}s",
            "hit_height": BASELINE - 2,
            "show_count": n and width >= 14,
        })
        number = first.day if unit == "day" else first.month if unit == "month" else first.year
        if label_every == 1 or number % label_every == 0 or (unit == "day" and number == 1):
            axis.ticks.append({"x": round(x + width / 2, 1), "text": _label(unit, first, short=True), "edge": x})
        else:
            axis.ticks.append({"x": round(x + width / 2, 1), "text": "", "edge": x})

    top = BASELINE + 26
    # the events themselves when the window holds few
    if total <= EVENT_LIMIT and len(page_events) == total:
        axis.shows_events = True
        lanes = []  # the right (LTR: left) end reached in each lane, in window days
        event_query = query_string(filters)
        for event in page_events:
            first, last = event.date_start, event.date_end or event.date_start
            point = event.precision == "day" and first == last
            begin, end = (first - window.start).days, (last - window.start).days + 1
            lane = next((i for i, reached in enumerate(lanes) if begin >= reached), None)
            if lane is None and len(lanes) < MAX_LANES:
                lanes.append(0)
                lane = len(lanes) - 1
            elif lane is None:  # every lane taken: the last one holds the overlap
                lane = MAX_LANES - 1
            lanes[lane] = max(lanes[lane], end + max(1, window.days // 60))  # a little room between marks
            x, width = scale.extent(max(first, window.start), min(last, window.end))
            y = top + lane * LANE_HEIGHT
            axis.events.append({
                "point": point, "x": x, "width": max(width, 4), "cx": round(x + width / 2, 1),
                "y": y, "cy": y + 5, "label": f"{event.headline()} ({when(event)})",
                "url": event.get_absolute_url() + (f"?{event_query}" if event_query else ""),
                "kind": "point" if point else "span",
            })
        axis.events_top = top
        top += max(1, len(lanes)) * LANE_HEIGHT + 8

    # the context lane: the reference calendar's meetings
    axis.meetings_top = top
    ends = []  # the last day reached in each row of meetings: overlapping meetings go one under the other
    for meeting in found:
        row = next((i for i, end in enumerate(ends) if meeting.start > end), None)
        if row is None and len(ends) < MEETING_ROWS:
            ends.append(meeting.end)
            row = len(ends) - 1
        elif row is None:
            row = MEETING_ROWS - 1
        ends[row] = max(ends[row], meeting.end + datetime.timedelta(days=window.days // 150))
        x, width = scale.extent(max(meeting.start, window.start), min(meeting.end, window.end))
        name = meeting.name_ar if rtl else meeting.name_en
        city = meeting.city_ar if rtl else meeting.city_en
        days = when(_Dated(meeting.start, meeting.end))
        axis.meetings.append({
            "x": x, "width": max(width, 4), "y": top + row * 11, "label": f"{name} ({city}), {days}",
            "query": _link(filters, meeting.start.isoformat(), meeting.end.isoformat()),
        })
    axis.height = top + max(1, len(ends)) * 11 + 8

    # zooming: the trail out (whole span … this level), pan earlier/later, and the finer periods by plain links
    axis.trail = [(_("Whole span"), _link(filters, None, None) if window.level != "span" else None)]
    axis.trail += _widest_first(window, filters)
    if window.level != "span":
        axis.trail.append((axis.label, None))
    if window.level in STEPPED:
        step_back = window.start - datetime.timedelta(days=1)
        step_on = window.end + datetime.timedelta(days=1)
        if block.all_years and step_back.year >= block.all_years[0]:
            axis.earlier = _link(filters, *period(window.level, step_back)[2:])
        if block.all_years and step_on.year <= block.all_years[-1]:
            axis.later = _link(filters, *period(window.level, step_on)[2:])
    if window.level == "span" and unit == "year":
        decades = sorted({first.year - first.year % 10 for first, _last in buckets})
        axis.zoom_in = [(_label("decade", datetime.date(d, 1, 1)), _link(filters, str(d), str(d + 9))) for d in decades]
    return axis


def _widest_first(window, filters):
    """The levels holding the window, widest first, without the window itself."""
    chain = []
    for level in ("decade", "year", "month", "day"):
        first, last, from_text, to_text = period(level, window.start)
        if first <= window.start and window.end <= last and (first, last) != (window.start, window.end):
            chain.append((_label(level, first), _link(filters, from_text, to_text)))
    return chain


@dataclass
class _Dated:
    """A meeting's days as timeline_tags.when() writes an event's."""

    date_start: datetime.date
    date_end: datetime.date
    precision: str = "day"
