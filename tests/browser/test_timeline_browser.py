"""A real browser: search, facets, the year overview, pages and the language switch change the list in place,
the URL follows, Back restores each view."""

import re

import pytest

from tests.browser.conftest import event_titles, event_slugs, wait_for_htmx, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARK_PAGE = "window.__marker = 'same page'"  # survives only if there is no full reload
SAME_PAGE = "window.__marker === 'same page'"


def wait_for_event_count(page, n):
    wait_until(page, f"document.querySelectorAll('li.event').length === {n}")


def mark_timeline(page):
    """Tag the results block; `wait_for_swap` then waits until htmx has put a new one in its place and settled."""
    page.evaluate("document.getElementById('timeline').__old = true")


def wait_for_swap(page):
    wait_until(
        page, "!document.getElementById('timeline').__old && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_topic_click_filters_in_place_and_back_restores(live_server, page, seeded, artifacts):
    page.goto(live_server.url + "/")
    wait_for_htmx(page)
    assert len(event_titles(page)) == 4
    page.evaluate(MARK_PAGE)
    page.screenshot(path=str(artifacts / "timeline.png"), full_page=True)

    page.locator("#topic-health").check()
    wait_for_event_count(page, 1)
    assert page.evaluate(SAME_PAGE)
    assert "topic=health" in page.url
    assert page.locator("#topic-health").is_checked()

    page.go_back()
    wait_for_event_count(page, 4)
    assert "topic=health" not in page.url
    assert not page.locator("#topic-health").is_checked()


def test_search_then_topic_then_back_restores_each_view(live_server, page, seeded):
    page.goto(live_server.url + "/")
    wait_for_htmx(page)
    everything = event_titles(page)
    assert len(everything) == 4
    page.evaluate(MARK_PAGE)

    page.locator("#q").fill("شنغهاي")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"[?&]q="))
    wait_for_event_count(page, 3)
    searched = event_titles(page)
    assert page.locator(".chips").get_by_text("شنغهاي").is_visible()  # the search shows as a removable chip

    page.locator("#topic-security").check()
    wait_for_event_count(page, 2)
    assert page.evaluate(SAME_PAGE)
    assert "q=%D8%B4%D9%86%D8%BA%D9%87%D8%A7%D9%8A" in page.url and "topic=security" in page.url
    assert set(event_titles(page)) < set(searched)

    page.go_back()
    wait_for_event_count(page, 3)
    assert event_titles(page) == searched
    assert "q=" in page.url and "topic=" not in page.url
    assert page.locator("#q").input_value() == "شنغهاي"
    assert page.locator(".chips").get_by_text("شنغهاي").is_visible()
    assert not page.locator("#topic-security").is_checked()

    page.go_back()
    wait_for_event_count(page, 4)
    assert event_titles(page) == everything
    assert "q=" not in page.url
    assert page.locator("#q").input_value() == ""
    assert page.locator(".chips").count() == 0
    assert page.evaluate(SAME_PAGE)


def test_next_page_shows_page_two_in_place(live_server, page, transactional_db):
    from tests.conftest import make_events

    make_events(60)
    page.goto(live_server.url + "/")
    wait_for_htmx(page)
    first_page = event_titles(page)
    assert len(first_page) == 50
    assert "60" in page.locator(".result-count").inner_text()
    page.evaluate(MARK_PAGE)

    page.locator(".pagination a[rel=next]").click()
    page.wait_for_url(re.compile(r"[?&]page=2"))
    wait_for_event_count(page, 10)
    assert page.evaluate(SAME_PAGE)
    assert not set(event_titles(page)) & set(first_page)
    assert page.locator(".pagination a[rel=prev]").is_visible()
    assert page.locator(".pagination a[rel=next]").count() == 0  # the last page

    page.go_back()
    wait_for_event_count(page, 50)
    assert event_titles(page) == first_page


def test_language_switch_keeps_the_filters(live_server, page, seeded):
    page.goto(live_server.url + "/?topic=security")
    arabic = event_slugs(page)
    assert len(arabic) == 3

    page.locator("a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"/en/\?topic=security$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert event_slugs(page) == arabic
    assert page.locator("#topic-security").is_checked()


def test_language_switch_after_filtering_in_place_keeps_the_new_filters(live_server, page, seeded):
    page.goto(live_server.url + "/en/")
    wait_for_htmx(page)
    page.locator("#topic-health").check()
    wait_for_event_count(page, 1)
    english = event_slugs(page)

    page.locator("a[hreflang=ar]").click()
    page.wait_for_url(re.compile(r"topic=health"))
    assert "/en/" not in page.url
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert event_slugs(page) == english


def focused(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.tagName)")


def focus_ring(page):
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                           visible: document.activeElement.matches(':focus-visible')}; }"""
    )


def test_keyboard_alone_filters_and_focus_stays_visible_on_the_checkbox(live_server, page, seeded):
    page.goto(live_server.url + "/")
    wait_for_htmx(page)
    page.evaluate(MARK_PAGE)
    first_topic = page.locator("input[name=topic]").first.get_attribute("id")

    route = []
    for _ in range(25):
        page.keyboard.press("Tab")
        route.append(focused(page))
        if route[-1] == first_topic:
            break
    assert route[-1] == first_topic, route
    assert route[:2] == ["A", "A"]  # the skip link, then the site title: the page is walked from the top
    assert "q" in route  # the search box comes before the facets

    mark_timeline(page)
    page.keyboard.press("Space")
    wait_for_swap(page)
    assert f"topic={first_topic.removeprefix('topic-')}" in page.url
    assert page.locator(f"#{first_topic}").is_checked()
    assert page.locator(".chips li").count() == 2  # the new filter and "clear all"
    assert page.evaluate(SAME_PAGE)
    assert focused(page) == first_topic  # htmx refocuses the new checkbox with the same id
    ring = focus_ring(page)
    assert ring["visible"] and ring["style"] != "none" and ring["width"] >= 2, ring

    mark_timeline(page)
    page.keyboard.press("Space")  # untick it again: focus is still there
    wait_for_swap(page)
    assert "topic=" not in page.url and page.locator(".chips").count() == 0
    assert focused(page) == first_topic

    for _ in range(15):  # on to the "health" topic, the keyboard only
        if focused(page) == "topic-health":
            break
        page.keyboard.press("Tab")
    assert focused(page) == "topic-health"
    mark_timeline(page)
    page.keyboard.press("Space")
    wait_for_swap(page)
    wait_for_event_count(page, 1)
    assert "topic=health" in page.url
    assert focused(page) == "topic-health"
    ring = focus_ring(page)
    assert ring["visible"] and ring["style"] != "none" and ring["width"] >= 2, ring


def test_result_count_is_announced_by_a_live_region_after_a_swap(live_server, page, seeded):
    page.goto(live_server.url + "/")
    wait_for_htmx(page)
    status = page.locator("[role=status][aria-live=polite]")
    assert status.count() == 1
    status.evaluate("el => { el.__kept = true; }")  # a region that is replaced is not reliably read out

    page.locator("#topic-health").check()
    wait_until(page, "document.querySelector('[role=status]').textContent.trim() !== ''")
    assert status.evaluate("el => el.__kept === true")
    first = status.inner_text().strip()
    assert first == page.locator(".result-count").inner_text().strip() == "حدث واحد"

    page.locator("#topic-health").uncheck()
    wait_until(page, f"document.querySelector('[role=status]').textContent.trim() !== {first!r}")
    assert status.evaluate("el => el.__kept === true")
    assert status.inner_text().strip() == "4 أحداث"


def test_filtered_url_reproduces_the_view_when_opened_directly(live_server, page, seeded):
    page.goto(live_server.url + "/?topic=energy&year_from=2024")
    assert len(event_titles(page)) == 1
    assert page.locator("#topic-energy").is_checked()


def test_year_range_without_javascript_submits_the_same_form(live_server, browser, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.select_option("#year_from", "2022")
    page.select_option("#year_to", "2024")
    page.locator("#apply").click()
    page.wait_for_load_state()
    assert "year_from=2022" in page.url and "year_to=2024" in page.url
    assert len(event_titles(page)) == 2
    context.close()


def test_tabbing_out_of_a_typed_search_keeps_focus_on_the_search_button(live_server, page, seeded):
    """Leaving the search box fires the search; the swap must not throw the keyboard back to the top of the page."""
    page.goto(live_server.url + "/")
    wait_for_htmx(page)
    page.locator("#q").focus()
    page.keyboard.type("شنغهاي")
    mark_timeline(page)
    page.keyboard.press("Tab")
    wait_for_swap(page)
    wait_for_event_count(page, 3)
    assert focused(page) == "search-submit"
    page.keyboard.press("Tab")
    assert focused(page) == "year_from"  # and Tab carries on from there
