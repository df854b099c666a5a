"""Issue 10 in Chromium: English headlines beside the Arabic original, the /about/ page and its coverage bars,
the search box's placeholder, feed discovery and the favicon, under the strict CSP, at 1280 px and 390 px."""

import re

import pytest

from tests.browser.conftest import axe_violations, describe_violations, event_titles
from tests.browser.test_csp import visit, watched  # noqa: F401  (the fixture that records CSP violations)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("prefix, language", [("", "ar"), ("/en", "en")])
def test_about_page_passes_axe_and_the_csp_in_both_languages(live_server, watched, seeded, prefix, language):  # noqa: F811
    page = watched
    visit(page, live_server.url + prefix + "/about/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("table.coverage").count() == 2
    violations = axe_violations(page)
    assert violations == [], f"axe on /about/ ({language}):\n" + describe_violations(violations)
    assert page.violations() == []


def test_a_coverage_bar_leads_to_that_outlets_events_of_that_year(live_server, page, seeded):
    page.goto(live_server.url + "/en/about/")
    bar = page.locator("table.coverage a[href*='outlet=xinhua'][href*='year_from=2022']")
    assert bar.count() == 1
    bar.click()
    page.wait_for_url(re.compile(r"year_from=2022.*outlet=xinhua"))
    assert len(event_titles(page)) == 1
    page.go_back()
    page.wait_for_url(re.compile(r"/en/about/$"))


@pytest.mark.parametrize("width", [1280, 390])
def test_english_event_pages_show_the_english_headline_first_and_the_arabic_original_beside_it(
        live_server, browser, seeded, width):
    from timeline.models import Event

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en")
    page = context.new_page()
    try:
        for event in Event.objects.order_by("date_start"):
            page.goto(f"{live_server.url}/en/events/{event.slug}/")
            heading = page.locator("h1")
            assert heading.get_attribute("lang") == "en" and heading.get_attribute("dir") == "ltr"
            assert re.fullmatch(r"[A-Za-z][A-Za-z ,().:'–-]+", heading.inner_text()), heading.inner_text()
            original = page.locator(".original-title bdi")
            assert original.get_attribute("lang") == "ar" and original.get_attribute("dir") == "rtl"
            assert original.inner_text() == event.title
            # The headline comes before the Arabic original on the screen, and nothing overflows a phone.
            assert heading.bounding_box()["y"] < original.bounding_box()["y"]
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            # Evidence quotes and percentages are isolated from the text around them.
            isolated = page.evaluate(
                "[...document.querySelectorAll('.how bdi')].map(b => getComputedStyle(b).unicodeBidi)")
            assert isolated and set(isolated) == {"isolate"}
    finally:
        context.close()


@pytest.mark.parametrize("prefix, expected", [
    ("", 'مثلا: كازاخستان أو "الحزام والطريق"'),
    ("/en", 'e.g. كازاخستان or "الحزام والطريق"'),
])
def test_the_search_placeholder_reads_in_full(live_server, page, seeded, prefix, expected):
    page.goto(live_server.url + prefix + "/")
    assert page.locator("#q").get_attribute("placeholder") == expected


def test_the_feed_is_discoverable_and_the_favicon_is_served(live_server, page, seeded):
    page.goto(live_server.url + "/en/?year_from=2024")
    feed = page.evaluate("document.querySelector('link[rel=alternate][type=\"application/atom+xml\"]').href")
    response = page.request.get(feed)
    assert response.status == 200 and "<entry>" in response.text()
    for icon in page.evaluate("[...document.querySelectorAll('link[rel=icon]')].map(l => l.href)"):
        response = page.request.get(icon)
        assert response.status == 200 and response.headers["content-type"].startswith("image/"), icon
    assert page.request.get(live_server.url + "/en/events.atom").status == 200  # redirected to /events.atom


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_about_page_fits_a_phone_its_tables_scroll_in_place(live_server, browser, seeded, prefix):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + prefix + "/about/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        region = page.locator(".table-scroll").first
        assert region.get_attribute("tabindex") == "0"  # a keyboard can scroll it
        assert page.evaluate("document.querySelector('.table-scroll').scrollWidth >= "
                             "document.querySelector('.table-scroll').clientWidth")
    finally:
        context.close()
