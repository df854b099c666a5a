"""The methodology page: what the timeline covers, how its dates are found and how well, what its exports hold,
and a coverage table of events and reports per year by outlet and by language."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractYear
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from timeline.evaluation import read_summary
from timeline.exports import CSV_HEADER
from timeline.extract import REVIEW_CONFIDENCE
from timeline.extract.event_types import EVENT_TYPES
from timeline.models import Article, DateMethod, Event

COVERAGE_CACHE_KEY = "timeline:coverage:v1"
COVERAGE_SECONDS = 300  # a new article shows on the page within five minutes

# Every column of /events.csv; a column added to CSV_HEADER without a line here fails tests/test_about.py.
CSV_COLUMNS = {
    "slug": _("The event's permanent identifier; its page is /events/<slug>/."),
    "url": _("The address of the event's page."),
    "title": _("The headline of the report that speaks for the event, in Arabic as published."),
    "date_start": _("First day of the event (YYYY-MM-DD); for a month or a year, its first day."),
    "date_end": _("Last day of the event; the same as date_start for a single day."),
    "precision": _("How precisely the date is known: day, month or year."),
    "date_method": _("How the date was found: dateline, explicit, relative, calendar, anniversary, publication or editor."),
    "date_evidence": _("The words of the text that support the date, quoted, and what they were read with."),
    "date_confidence": _("How sure the extractor is of the date, from 0 to 1."),
    "event_type": _("What happened, as a code from a fixed list: state_visit, official_visit, summit, talks, phone_call, "
                    "message, agreement_signed, agreement_in_force, forum, project_opened, statement or other "
                    "(the table “Event types” below)."),
    "event_type_en": _("The event type's name in English."),
    "event_type_ar": _("The event type's name in Arabic."),
    "topics": _("The event's topics (slugs), separated by semicolons."),
    "entities": _("People, places and organisations named in the reports (English names), separated by semicolons."),
    "outlets": _("The outlets that reported the event, separated by semicolons."),
    "article_count": _("The number of reports on the event."),
}
JSON_FIELDS = [
    ("count", _("The number of events in the view.")),
    ("ignored", _("Filters that were not understood and were left out, with the reason.")),
    ("events[].slug, url, title", _("As the CSV columns of the same names.")),
    ("events[].date", _("null for an undated event, else an object: start, end, precision, method, evidence, confidence "
                        "(as the CSV's date columns).")),
    ("events[].event_type", _("An object: code (as the CSV's event_type column), en and ar (its names).")),
    ("events[].topics", _("Topic slugs.")),
    ("events[].entities", _("English names of the people, places and organisations.")),
    ("events[].articles[]", _("Each report: title, outlet (English name, else Arabic; null when unknown), url (null when "
                              "not known).")),
]
METHODS = [
    (DateMethod.DATELINE, _("The dateline or an explicit date in the text: «أستانا 8 يونيو 2017», «7 حزيران/يونيو 2022», "
                            "Arabic-Indic digits, both families of month names, Hijri dates checked against the "
                            "Gregorian date beside them.")),
    (DateMethod.EXPLICIT, _("A full date written in the body of the text.")),
    (DateMethod.RELATIVE, _("Relative words (today, yesterday, a weekday) counted from a date found in the text or from "
                            "the publication date.")),
    (DateMethod.CALENDAR, _("The reference calendar of recurring meetings (SCO, China–Central Asia, CICA summits, state "
                            "visits…): a meeting named with its year or place resolves to its dates; a weekday narrows a "
                            "meeting of several days to one.")),
    (DateMethod.ANNIVERSARY, _("Anniversaries counted from a founding date: “32 years since diplomatic relations” "
                               "(3 January 1992) gives 2024.")),
    (DateMethod.PUBLICATION, _("The publication date given with the article (by an editor, in its address or in its page's "
                               "metadata), for a report of a happening only.")),
    (DateMethod.EDITOR, _("An editor set the date by hand; it is kept and never recomputed.")),
]
# The rows of the accuracy table: (label, key in the evaluation's figures, format).
ACCURACY_ROWS = [
    (_("Articles in the labelled corpus"), "articles", "count"),
    (_("Event date exactly right (value and precision)"), "date_exact", "share"),
    (_("Event date within the labelled range"), "date_within", "share"),
    (_("Wrong dates (the range misses the labelled one)"), "wrong_dates", "count"),
    (_("Dates invented for articles labelled undated"), "invented_dates", "count"),
    (_("People found (recall)"), "people_recall", "share"),
    (_("Places found (recall)"), "places_recall", "share"),
    (_("People, places and organisations: F1"), "entities_f1", "share"),
    (_("Topics: F1"), "topics_f1", "share"),
    (_("Topics: F1 between two human annotators"), "topics_annotator_agreement_f1", "share"),
    (_("Sent to an editor's review"), "review_share", "share"),
]
ACCURACY_COLUMNS = [("all", _("with the article's address")), ("all, no address", _("text alone"))]


def _accuracy():
    summary = read_summary()
    if not summary:
        return None
    columns = [(key, label) for key, label in ACCURACY_COLUMNS if isinstance(summary["columns"].get(key), dict)]
    rows = []
    for label, key, kind in ACCURACY_ROWS:
        cells = []
        for column, _label in columns:
            value = summary["columns"][column].get(key)
            if isinstance(value, (int, float)) and kind == "share":
                cells.append(f"{value:.1%}")
            elif isinstance(value, (int, float)):
                cells.append(str(value))
            else:
                cells.append("—")
        rows.append((label, cells))
    return {"measured_on": summary.get("measured_on", ""), "columns": [label for _, label in columns], "rows": rows}


def coverage_rows():
    """Events and reports per (year, outlet) and per (year, language), and the whole span: three queries, cached."""
    cached = cache.get(COVERAGE_CACHE_KEY)
    if cached is not None:
        return cached
    dated = Article.objects.filter(event__date_start__isnull=False).order_by()
    year = ExtractYear("event__date_start")
    by_outlet = list(
        dated.values("outlet__slug", "outlet__name_ar", "outlet__name_en")
        .annotate(year=year, events=Count("event", distinct=True), reports=Count("pk"))
        .values_list("outlet__slug", "outlet__name_ar", "outlet__name_en", "year", "events", "reports")
    )
    by_language = list(
        dated.values("language")
        .annotate(year=year, events=Count("event", distinct=True), reports=Count("pk"))
        .values_list("language", "year", "events", "reports")
    )
    totals = _totals()
    result = {"by_outlet": by_outlet, "by_language": by_language, "totals": totals}
    cache.set(COVERAGE_CACHE_KEY, result, COVERAGE_SECONDS)
    return result


def _totals():
    totals = Event.objects.aggregate(
        events=Count("pk"), undated=Count("pk", filter=Q(date_start__isnull=True)),
        first=Min("date_start"), last=Max("date_start"),
    )
    totals.update(Article.objects.aggregate(reports=Count("pk"), outlets=Count("outlet", distinct=True)))
    return totals


def _bar_height(n, tallest):
    return max(2, round(40 * n / tallest)) if n else 0


def _table(rows, years, link):
    """[(label, slug, [cell])] with one cell per year, empty years included; a cell links to the filtered timeline."""
    tallest = max((events for *_, events, _reports in rows), default=0) or 1
    table = {}
    for key, label, lang, year, events, reports in rows:
        entry = table.setdefault(key, {"label": label, "lang": lang, "cells": {}, "events": 0, "reports": 0})
        entry["cells"][year] = (events, reports)
        entry["events"] += events
        entry["reports"] += reports
    out = []
    for key, entry in sorted(table.items(), key=lambda item: (-item[1]["reports"], str(item[1]["label"]))):
        cells = []
        for y in years:
            events, reports = entry["cells"].get(y, (0, 0))
            cells.append({
                "year": y, "events": events, "reports": reports, "height": _bar_height(events, tallest),
                "y": 40 - _bar_height(events, tallest), "url": link(y, key) if events else "",
            })
        out.append({"label": entry["label"], "lang": entry["lang"], "key": key, "cells": cells,
                    "events": entry["events"], "reports": entry["reports"]})
    return out


def _coverage(english):
    data = coverage_rows()
    years_seen = [row[3] for row in data["by_outlet"]] + [row[1] for row in data["by_language"]]
    if not years_seen:
        return None
    years = list(range(min(years_seen), max(years_seen) + 1))
    index = reverse("timeline:index")

    def timeline_link(year, outlet=None):
        params = {"year_from": year, "year_to": year}
        if outlet:
            params["outlet"] = outlet
        return f"{index}?{urlencode(params)}"

    unknown = _("outlet unknown")
    outlet_rows = [
        (slug or "", (name_en if english and name_en else name_ar) if slug else unknown,
         ("en" if english and name_en else "ar") if slug else "", year, events, reports)
        for slug, name_ar, name_en, year, events, reports in data["by_outlet"]
    ]
    language_names = dict(settings.LANGUAGES)
    language_rows = [
        (code, language_names.get(code, code), code, year, events, reports)
        for code, year, events, reports in data["by_language"]
    ]
    return {
        "years": years,
        "outlets": _table(outlet_rows, years, lambda y, slug: timeline_link(y, slug or None)),
        "languages": _table(language_rows, years, lambda y, _code: timeline_link(y)),
        "totals": data["totals"],
    }


@require_safe
def about(request):
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    return render(request, "timeline/about.html", {
        "coverage": _coverage(english),
        "accuracy": _accuracy(),
        "methods": METHODS,
        "review_confidence": round(REVIEW_CONFIDENCE * 100),
        "csv_columns": [(column, CSV_COLUMNS.get(column, "")) for column in CSV_HEADER],
        "json_fields": JSON_FIELDS,
        "event_types": [(code, en, ar) for code, (en, ar) in EVENT_TYPES.items()],
        "licence_name": settings.DATA_LICENCE_NAME,
        "licence_url": settings.DATA_LICENCE_URL,
        "about_url": request.build_absolute_uri(reverse("timeline:about")),
        "meta_title": _("About this timeline: sources, method, accuracy and coverage"),
        "meta_description": _("How the China–Kazakhstan timeline is made: its sources, how each date is found, "
                              "its measured accuracy, its coverage by year and outlet, and its data dictionary."),
    })
