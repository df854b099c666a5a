from django import template
from django.utils.translation import get_language, gettext as _

from timeline.extract.dates import ARABIC_MONTH_DISPLAY

register = template.Library()

ENGLISH_MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]


def _month_name(month, language):
    return (ENGLISH_MONTHS if language == "en" else ARABIC_MONTH_DISPLAY)[month]


@register.filter
def when(item):
    """A date as precisely as it is known: '8 يونيو 2017', '16–17 يونيو 2025', 'يوليو 2024', '2024'."""
    if item is None or not getattr(item, "date_start", None):
        return _("undated")
    language = "en" if (get_language() or "").startswith("en") else "ar"
    start, end = item.date_start, item.date_end or item.date_start
    if item.precision == "year":
        return str(start.year)
    if item.precision == "month":
        if (start.year, start.month) == (end.year, end.month):
            return f"{_month_name(start.month, language)} {start.year}"
        return f"{_month_name(start.month, language)}–{_month_name(end.month, language)} {end.year}"
    if start == end:
        return f"{start.day} {_month_name(start.month, language)} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {_month_name(start.month, language)} {start.year}"
    return f"{start.day} {_month_name(start.month, language)} – {end.day} {_month_name(end.month, language)} {end.year}"


@register.filter
def iso_datetime(item):
    """The value for <time datetime>: YYYY, YYYY-MM or YYYY-MM-DD by precision."""
    start = getattr(item, "date_start", None)
    if not start:
        return ""
    return {"year": f"{start:%Y}", "month": f"{start:%Y-%m}"}.get(item.precision, start.isoformat())


@register.filter
def outlets_of(event):
    """Distinct outlets of an event's (prefetched) articles, in order."""
    seen = []
    for article in event.articles.all():
        if article.outlet and article.outlet not in seen:
            seen.append(article.outlet)
    return seen


@register.filter
def percent(value):
    return f"{round((value or 0) * 100)}%"


@register.simple_tag(takes_context=True)
def other_language_url(context, language):
    """The current page, filters included, in another language."""
    from django.urls import translate_url

    request = context["request"]
    query = context.get("language_query")
    path = request.path + (f"?{query}" if query else "") if query is not None else request.get_full_path()
    return translate_url(path, language)


@register.filter
def evidence_parts(evidence):
    """[(quoted words, basis)] from an evidence string, so each renders in its own direction."""
    import re

    parts = []
    for part in (evidence or "").split(" · "):
        quotes = re.findall(r"«[^»]*»", part)
        basis = re.sub(r"«[^»]*»", "", part)
        basis = re.sub(r"^[\s+—-]+|[\s+—-]+$", "", basis).strip()
        basis = re.sub(r"^\((.*)\)$", r"\1", basis)
        parts.append((" + ".join(quotes), basis))
    return parts


@register.simple_tag
def own_language_names():
    """settings.LANGUAGES as written there: each language in its own name, never translated."""
    from django.conf import settings

    return settings.LANGUAGES



@register.filter
def event_headline(event):
    """The event's headline for the page's language: an editor's, else the composed one (see Event.headline)."""
    return event.headline() if hasattr(event, "headline") else getattr(event, "title", "")


@register.filter
def event_headline_lang(event):
    """'en' or 'ar': the language event_headline is written in (an English page may fall back to Arabic)."""
    return event.headline_language() if hasattr(event, "headline_language") else "ar"


@register.simple_tag
def review_queue_size():
    """How many articles and events wait for an editor (the admin home's link to the review queue)."""
    from timeline.review_queue import queue_size

    return queue_size()


@register.simple_tag(takes_context=True)
def facet_options(context, name, options):
    """A facet's checkboxes (index.html#facet_options) from its (item, count, checked) options, rendered once per
    content (timeline/fragments.py): the partial reads only the slugs and names, the counts, and whether they are
    estimated."""
    from timeline.fragments import rendered

    plain = tuple((item.slug, item.name, count, bool(checked)) for item, count, checked in options)
    return rendered("timeline/index.html#facet_options", facet_name=name, facet_options=plain,
                    approximate=bool(context.get("approximate")))


@register.simple_tag(takes_context=True)
def year_options(context, chosen):
    """The <option>s of a year select (index.html#year_options), rendered once per content (timeline/fragments.py)."""
    from timeline.fragments import rendered

    return rendered("timeline/index.html#year_options", year_options=tuple(map(tuple, context["year_options"])),
                    chosen=chosen, approximate=bool(context.get("approximate")))
