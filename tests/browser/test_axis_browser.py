"""The time axis in a real browser (issue 10): zoom in and out by mouse, by keyboard and by Back, with and without
JavaScript, right to left in Arabic and left to right in English; axe finds nothing at any zoom level."""

import re

import pytest

from tests.browser.conftest import axe_violations, describe_violations, event_titles, wait_for_htmx, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREFIX = {"ar": "", "en": "/en"}
MARK_PAGE = "window.__marker = 'same page'"  # survives only if there is no full reload
SAME_PAGE = "window.__marker === 'same page'"


def settled(page, n):
    """Wait until the list holds n events and htmx is done."""
    wait_until(page, f"document.querySelectorAll('li.event').length === {n}"
                     " && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def window_label(page):
    return page.locator("#axis .axis-window").inner_text()


def x_of(page, selector):
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2


@pytest.mark.parametrize("language", ["ar", "en"])
def test_zoom_in_and_out_by_mouse_in_place_and_back_restores(live_server, page, seeded, language):
    page.goto(live_server.url + PREFIX[language] + "/")
    wait_for_htmx(page)
    page.evaluate(MARK_PAGE)
    assert len(event_titles(page)) == 4
    # time runs right to left in Arabic, left to right in English
    earliest, latest = x_of(page, "#axis-2017"), x_of(page, "#axis-2025")
    assert (earliest > latest) if language == "ar" else (earliest < latest)

    page.locator("#axis-2024").click()  # an SVG bar: htmx swaps, the browser does not also follow the link
    page.wait_for_url(re.compile(r"\?from=2024&to=2024$"))
    settled(page, 1)
    assert page.evaluate(SAME_PAGE)
    assert window_label(page) == "2024"
    assert page.locator("#axis .axis-bars a").count() == 12  # months

    page.locator("#axis-2024-07").click()
    page.wait_for_url(re.compile(r"\?from=2024-07&to=2024-07$"))
    settled(page, 1)
    assert page.locator("#axis .axis-bars a").count() == 31  # days

    page.locator("#axis .axis-trail a").nth(1).click()  # zoom out to the decade
    page.wait_for_url(re.compile(r"\?from=2020&to=2029$"))
    settled(page, 3)
    assert page.evaluate(SAME_PAGE)

    page.go_back()
    page.wait_for_url(re.compile(r"\?from=2024-07&to=2024-07$"))
    settled(page, 1)
    page.go_back()
    page.wait_for_url(re.compile(r"\?from=2024&to=2024$"))
    settled(page, 1)
    assert window_label(page) == "2024"
    page.go_back()
    page.wait_for_url(re.compile(r"/(en/)?$"))
    settled(page, 4)
    assert page.locator("#axis .axis-bars a").count() == 9  # 2017–2025, every year


@pytest.mark.parametrize("language", ["ar", "en"])
def test_zoom_by_keyboard(live_server, page, seeded, language):
    page.goto(live_server.url + PREFIX[language] + "/")
    wait_for_htmx(page)
    # Tab along the page to the axis's bar for 2022 (an SVG link is focusable), then Enter
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "axis-2022":
            break
    else:
        raise AssertionError("the 2022 bar is never reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?from=2022&to=2022$"))
    settled(page, 1)
    # focus stays in the axis (its caption names the new window), so the next Tab goes on from there
    assert page.evaluate("document.activeElement.closest('#axis') !== null")
    # zoom out again from the keyboard: the trail's "whole span" link
    page.locator("#axis-out-1").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(en/)?$"))
    settled(page, 4)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_zoom_without_javascript(live_server, browser, seeded, language):
    context = browser.new_context(java_script_enabled=False, locale=language)
    page = context.new_page()
    page.goto(live_server.url + PREFIX[language] + "/")
    page.locator("#axis-decade-2").click()  # the 2020s, a plain HTML link
    page.wait_for_url(re.compile(r"\?from=2020&to=2029$"))
    assert len(event_titles(page)) == 3
    page.locator("#axis-2025").click()  # a plain SVG link
    page.wait_for_url(re.compile(r"\?from=2025&to=2025$"))
    assert len(event_titles(page)) == 1
    page.locator("#axis-earlier").click()
    page.wait_for_url(re.compile(r"\?from=2024&to=2024$"))
    assert len(event_titles(page)) == 1
    page.go_back()
    page.wait_for_url(re.compile(r"\?from=2025&to=2025$"))
    assert len(event_titles(page)) == 1
    page.locator("#axis-out-1").click()
    page.wait_for_url(re.compile(r"/(en/)?$"))
    assert len(event_titles(page)) == 4
    context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("query", ["", "?from=2024&to=2024", "?from=2024-07-03&to=2024-07-03"])
def test_axe_finds_no_violations_with_the_axis(live_server, page, seeded, language, query):
    page.goto(live_server.url + PREFIX[language] + "/" + query)
    assert page.locator("#axis svg").count() == 1
    violations = axe_violations(page)
    assert violations == [], f"axe on the axis ({language}, {query}):\n" + describe_violations(violations)


def test_the_axis_fits_a_phone(live_server, browser, seeded):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    page = context.new_page()
    page.goto(live_server.url + "/")
    # the drawing scrolls inside its own box; the page itself does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#axis").bounding_box()["width"] <= 390
    context.close()
