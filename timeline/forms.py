import calendar
import datetime
import re

from django import forms
from django.utils.translation import gettext as _

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_VALUE_LENGTH = 40
MAX_QUERY_LENGTH = 200
# No filter value holds a control character (PostgreSQL refuses NUL outright); tab, newline and return are spacing.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Any other value names nothing, so it is never looked up.
# Slugs as the app makes them: ASCII, or Arabic for an outlet or entity known only by its Arabic name.
SLUG = re.compile(r"[-\w]+")
# The query string's parameters (any other is not read, so never reported).
PARAMETERS = ("q", "year", "year_from", "year_to", "from", "to", "topic", "type", "entity", "outlet", "exact", "page")
# ?from= and ?to= (the time axis's window): a year, a month or a day, in ASCII digits.
PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _shorten(value):
    value = CONTROL_CHARACTER.sub("\ufffd", value)  # shown where it was, without the byte itself
    return value if len(value) <= MAX_VALUE_LENGTH else value[:MAX_VALUE_LENGTH] + "…"


def parse_year(raw):
    """A year between MIN_YEAR and MAX_YEAR written in ASCII digits, else None ('²' is a digit to Python)."""
    raw = (raw or "").strip()
    if re.fullmatch(r"[0-9]{4}", raw) and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return None


def parse_period(raw):
    """(first day, last day) of a period written 2024, 2024-06 or 2024-06-17 (a year MIN_YEAR..MAX_YEAR), else None."""
    match = PERIOD.fullmatch((raw or "").strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return datetime.date(year, month, 1), datetime.date(year, month, last)
    if not 1 <= day <= last:
        return None
    return datetime.date(year, month, day), datetime.date(year, month, day)


class TimelineFilter(forms.Form):
    """The timeline's GET filters. Bad values never fail the request: they are dropped and reported."""

    year_from = forms.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    year_to = forms.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    topic = forms.MultipleChoiceField(required=False)
    q = forms.CharField(required=False, strip=True)
    exact = forms.BooleanField(required=False)

    def __init__(self, data, topics, event_types=()):
        data = data.copy()
        self.ignored = []
        for name in PARAMETERS:
            values = data.getlist(name)
            bad = [v for v in values if CONTROL_CHARACTER.search(v)]
            if bad:
                self.ignored.append(_("تجاهلنا %(name)s «%(value)s»: فيه محرف تحكم")
                                    % {"name": name, "value": _shorten(bad[0])})
                data.setlist(name, [v for v in values if v not in bad])
        # ?year=2024 is shorthand for one year; repeated, it means the range they span.
        years = []
        for raw in data.getlist("year"):
            if not raw.strip():
                continue
            if parse_year(raw) is not None:
                years.append(parse_year(raw))
            else:
                self.ignored.append(_("year “%(value)s” is not a year between %(min)s and %(max)s")
                                    % {"value": _shorten(raw), "min": MIN_YEAR, "max": MAX_YEAR})
        if years:
            data.setlist("year_from", [str(min(years))])
            data.setlist("year_to", [str(max(years))])
        for name in ("year_from", "year_to", "from", "to"):
            values = [v for v in data.getlist(name) if v.strip()]
            data.setlist(name, values[-1:])  # a repeated value: the last one wins, as in a form submit
        super().__init__(data)
        self.known_entities, self.known_outlets = {}, {}
        self.topic_slugs = [t.slug for t in topics]
        self.fields["topic"].choices = [(t.slug, t.slug) for t in topics]
        self.type_codes = list(event_types)
        self.type_choices = []

    def _clean_fields(self):
        # Unknown topics are dropped one by one, not the whole list.
        raw_topics = [t for t in self.data.getlist("topic") if t.strip()]
        unknown = [t for t in raw_topics if t not in self.topic_slugs]
        if unknown:
            self.ignored.append(_("unknown topic: %(values)s") % {"values": ", ".join(_shorten(t) for t in unknown[:5])})
            self.data.setlist("topic", [t for t in raw_topics if t in self.topic_slugs])
        # Unknown event types too (?type=state_visit; the codes of docs/event-types.md).
        raw_types = [t for t in self.data.getlist("type") if t.strip()]
        unknown = [t for t in raw_types if t not in self.type_codes]
        if unknown:
            self.ignored.append(_("unknown event type: %(values)s") % {"values": ", ".join(_shorten(t) for t in unknown[:5])})
        self.type_choices = [t for t in self.type_codes if t in raw_types]  # the list's order: one canonical URL
        super()._clean_fields()
        for name in ("year_from", "year_to"):
            if name in self.errors:
                self.ignored.append(
                    _("%(name)s “%(value)s” is not a year between %(min)s and %(max)s")
                    % {"name": name, "value": _shorten(self.data.get(name, "")), "min": MIN_YEAR, "max": MAX_YEAR}
                )
                del self.errors[name]

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and first > last:
            data["year_from"], data["year_to"] = last, first
        return data

    def window(self):
        """The axis's window as (first day or None, last day or None, ?from as written, ?to as written): a bad value
        is dropped and reported; a window written backwards is read the way it was meant."""
        bounds = {}
        for name, side in (("from", 0), ("to", 1)):
            raw = self.data.get(name, "").strip()
            if not raw:
                continue
            period = parse_period(raw)
            if period is None:
                self.ignored.append(
                    _("“%(name)s” “%(value)s” is not a date: write a year, a month or a day, as 2024, 2024-06 or "
                      "2024-06-17 (years %(min)s to %(max)s)")
                    % {"name": name, "value": _shorten(raw), "min": MIN_YEAR, "max": MAX_YEAR})
                continue
            bounds[name] = (period, raw)
        first = bounds.get("from")
        last = bounds.get("to")
        if first and last and first[0][0] > last[0][1]:
            first, last = last, first
        return (first[0][0] if first else None, last[0][1] if last else None,
                first[1] if first else "", last[1] if last else "")

    def slugs(self, name, limit):
        """The first `limit` values of `name` that can be slugs: the only ones worth looking up."""
        return [v for v in self.data.getlist(name)[:limit] if SLUG.fullmatch(v) and len(v) <= 120]

    def recognise(self, entities, outlets):
        self.known_entities = {e.slug: e for e in entities}
        self.known_outlets = {o.slug: o for o in outlets}

    def entities(self):
        raw = list(dict.fromkeys(v for v in self.data.getlist("entity") if v.strip()))
        unknown = [v for v in raw if v not in self.known_entities]
        if unknown:
            self.ignored.append(_("unknown person, place or organisation: %(values)s")
                                % {"values": ", ".join(_shorten(v) for v in unknown[:5])})
        return [self.known_entities[v] for v in raw if v in self.known_entities]

    def outlets(self):
        raw = list(dict.fromkeys(v for v in self.data.getlist("outlet") if v.strip()))
        unknown = [v for v in raw if v not in self.known_outlets]
        if unknown:
            self.ignored.append(_("unknown outlet: %(values)s") % {"values": ", ".join(_shorten(v) for v in unknown[:5])})
        return [self.known_outlets[v] for v in raw if v in self.known_outlets]

    def clean_q(self):
        q = " ".join(self.cleaned_data.get("q", "").split())
        if len(q) > MAX_QUERY_LENGTH:
            self.ignored.append(_("the search was cut to its first %(n)s characters") % {"n": MAX_QUERY_LENGTH})
            q = q[:MAX_QUERY_LENGTH]
        return q

    def filters(self):
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q", ""),
            "year_from": data.get("year_from"),
            "year_to": data.get("year_to"),
            "topics": list(dict.fromkeys(data.get("topic") or [])),
            "types": self.type_choices,
            "entities": self.entities(),
            "outlets": self.outlets(),
            "exact": bool(data.get("exact")),
            **dict(zip(("window_start", "window_end", "window_from", "window_to"), self.window())),
        }
