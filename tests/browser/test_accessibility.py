"""Every reader: axe-core finds nothing on the main pages in both languages; the pages hold up on a phone and on paper.

axe-core is vendored from npm (static/vendor/axe-core-*.min.js) and injected by these tests only."""

import re

import pytest
from django.utils import translation

from tests.browser.conftest import axe_violations, describe_violations, event_titles, htmx_settled, wait_for_htmx, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREFIX = {"ar": "", "en": "/en"}
FILTERED = "/?q=كازاخستان&topic=security"


def event_path(language):
    from timeline.models import Event

    event = Event.objects.filter(articles__isnull=False).order_by("-date_start").distinct().first()
    with translation.override(language):
        return event.get_absolute_url()


def page_path(kind, language):
    if kind == "event":
        return event_path(language)
    return PREFIX[language] + ("/" if kind == "timeline" else FILTERED)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("kind", ["timeline", "event", "filtered"])
def test_axe_finds_no_violations(live_server, page, seeded, kind, language):
    page.goto(live_server.url + page_path(kind, language))
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("li.event").count() or kind == "event"
    violations = axe_violations(page)
    assert violations == [], f"axe on {kind} ({language}):\n" + describe_violations(violations)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_axe_finds_no_violations_after_filtering_in_place(live_server, page, seeded, language):
    """The page htmx has rebuilt (results swapped, language link and live region sent out of band) is as clean."""
    page.goto(live_server.url + PREFIX[language] + "/")
    wait_for_htmx(page)
    page.locator("#q").fill("كازاخستان")
    with htmx_settled(page):
        page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"[?&]q="))
    page.locator("#topic-security").check()
    page.wait_for_url(re.compile(r"topic=security"))
    wait_until(page, "document.querySelector('[role=status]').textContent.trim() !== ''")
    assert page.locator("#languages").count() == 1 and page.locator("[role=status]").count() == 1
    violations = axe_violations(page)
    assert violations == [], f"axe after in-place filtering ({language}):\n" + describe_violations(violations)


def test_events_are_an_ordered_list_with_machine_readable_dates(live_server, page, seeded):
    page.goto(live_server.url + "/")
    assert page.locator("ol.events > li.event").count() == 4
    datetimes = page.locator("li.event time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert len(datetimes) == 4 and all(re.fullmatch(r"\d{4}(-\d\d){0,2}", d) for d in datetimes), datetimes
    for landmark in ("banner", "main", "contentinfo", "search"):
        assert page.get_by_role(landmark).count() == 1, landmark
    assert page.get_by_role("heading", level=1).count() == 1


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_screenshots_and_a_360_px_phone(live_server, browser, seeded, artifacts):
    """Screenshots for a person to look at (test-artifacts/, not committed); what can be checked is checked."""
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = desktop.new_page()
    for language in ("ar", "en"):
        page.goto(live_server.url + PREFIX[language] + "/")
        page.screenshot(path=str(artifacts / f"timeline-{language}.png"), full_page=True)
    page.goto(live_server.url + event_path("ar"))
    page.screenshot(path=str(artifacts / "event-ar.png"), full_page=True)
    page.goto(live_server.url + FILTERED)
    page.screenshot(path=str(artifacts / "filtered-ar.png"), full_page=True)

    page.emulate_media(media="print")
    page.goto(live_server.url + "/")
    assert page.locator("#filters").is_hidden()  # paper gets the events, not the controls
    assert page.locator("li.event").first.is_visible()
    page.screenshot(path=str(artifacts / "print-ar.png"), full_page=True)
    desktop.close()

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="ar", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(live_server.url + "/")
    page.screenshot(path=str(artifacts / "phone-360-ar.png"), full_page=True)
    assert no_sideways_scroll(page)
    assert page.locator("li.event").first.bounding_box()["y"] < 740  # the events come first, the filters in a drawer
    page.locator("#filters-toggle").click()
    to_results = page.locator(".to-results a")  # opened, the drawer's filters come first; one tap skips them
    assert to_results.is_visible()
    to_results.click()
    assert page.locator("#results").evaluate("el => el.getBoundingClientRect().top") < 100
    assert len(event_titles(page)) == 4

    page.goto(live_server.url + "/en" + FILTERED)
    page.screenshot(path=str(artifacts / "phone-360-en-filtered.png"), full_page=True)
    assert no_sideways_scroll(page)
    page.goto(live_server.url + event_path("en"))
    page.screenshot(path=str(artifacts / "phone-360-en-event.png"), full_page=True)
    assert no_sideways_scroll(page)
    phone.close()
