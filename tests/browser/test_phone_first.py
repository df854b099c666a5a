"""Issue 10, "Phone first, keyboard first": on a 390 px phone the events come first and the filters wait in a
drawer (a <details>: it opens by keyboard and without JavaScript) whose button says which filters are on; the skip
link goes to the events; axe finds nothing at 390 px and at 1280 px."""

import re

import pytest

from tests.browser.conftest import axe_violations, describe_violations, htmx_settled, wait_for_htmx, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREFIX = {"ar": "", "en": "/en"}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="ar", is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def drawer_is_open(page):
    return page.locator("#filters-drawer").evaluate("d => d.open")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_on_a_phone_the_first_event_is_on_the_first_screen(live_server, phone, seeded, language):
    phone.goto(live_server.url + PREFIX[language] + "/")
    first = phone.locator("li.event").first.bounding_box()
    assert first["y"] + 40 < PHONE["height"], first  # its date and headline are on the first screen, not below it
    assert phone.locator("#q").is_hidden() and phone.locator("#topic-security").is_hidden()
    toggle = phone.locator("#filters-toggle")
    assert toggle.is_visible() and toggle.bounding_box()["y"] < first["y"]
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_drawers_button_counts_the_active_filters(live_server, phone, seeded, language):
    phone.goto(live_server.url + PREFIX[language] + "/?year=2024&topic=trade")
    text = " ".join(phone.locator("#filters-toggle").inner_text().split())
    expected = "2 filters: 2024, Trade & investment" if language == "en" else "عاملا تصفية: 2024، التجارة والاستثمار"
    assert expected in text, text
    assert not drawer_is_open(phone)
    assert phone.locator("li.event").first.bounding_box()["y"] < PHONE["height"]


def test_the_drawer_opens_by_keyboard_and_a_filter_chosen_in_it_keeps_it_open(live_server, phone, seeded):
    phone.goto(live_server.url + "/en/")
    wait_for_htmx(phone)
    for _ in range(6):  # skip link, site title, language link, then the drawer's button
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.id") == "filters-toggle":
            break
    assert phone.evaluate("document.activeElement.id") == "filters-toggle"
    # the focused button shows its focus (the ring of site.css)
    assert phone.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    phone.keyboard.press("Enter")
    assert drawer_is_open(phone) and phone.locator("#q").is_visible()
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "q"
    phone.locator("#topic-security").focus()
    with htmx_settled(phone):
        phone.keyboard.press("Space")
    phone.wait_for_url(re.compile(r"topic=security"))
    assert drawer_is_open(phone)  # the swap came from inside the drawer: it stays open for the next choice
    assert phone.locator("#topic-security").is_checked()
    assert "1 filter: Security" in " ".join(phone.locator("#filters-toggle").inner_text().split())
    phone.keyboard.press("Shift+Tab")  # focus is still in the drawer, where it was
    assert phone.evaluate("document.activeElement.closest('#filters-drawer') !== null")
    # Space on the button closes it again
    phone.locator("#filters-toggle").focus()
    phone.keyboard.press("Space")
    assert not drawer_is_open(phone) and phone.locator("#q").is_hidden()


def test_the_drawer_works_without_javascript(live_server, browser, seeded):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/en/")
        assert page.locator("#q").is_hidden()
        page.locator("#filters-toggle").click()
        assert page.locator("#q").is_visible()
        page.locator("#topic-security").check()
        page.locator("#apply").click()
        page.wait_for_url(re.compile(r"topic=security"))
        # a new page: the drawer is closed again and the filtered events come first, the filter named on the button
        assert page.locator("#q").is_hidden()
        assert "1 filter: Security" in " ".join(page.locator("#filters-toggle").inner_text().split())
        assert page.locator("li.event").first.bounding_box()["y"] < PHONE["height"]
        page.locator("#filters-toggle").focus()
        page.keyboard.press("Enter")  # and by keyboard
        assert page.locator("#q").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_skip_link_is_first_and_the_next_key_reaches_the_first_event(live_server, browser, seeded, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/en/?year_from=2020")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        assert page.locator(".skip").is_visible()  # shown while it has the focus
        assert page.locator(".skip").inner_text() == "Skip to events"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        first_event = page.locator("li.event h4 a").first
        assert page.evaluate("document.activeElement.getAttribute('href')") == first_event.get_attribute("href")
        assert first_event.bounding_box()["y"] < 844
    finally:
        context.close()


def test_on_a_wide_screen_the_filters_are_shown_without_a_button(live_server, page, seeded):
    page.goto(live_server.url + "/en/?type=talks")
    assert page.locator("#filters-toggle").is_hidden()
    assert page.locator("#q").is_visible() and page.locator("#type-talks").is_checked()
    assert page.locator("#filters").bounding_box()["y"] < 200
    # reachable by keyboard: a few tabs from the top lead into the form
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_nothing_at_phone_and_desktop_width(live_server, browser, seeded, language, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale=language)
    page = context.new_page()
    try:
        page.goto(live_server.url + PREFIX[language] + "/?type=state_visit&topic=security")
        violations = axe_violations(page)
        assert violations == [], f"axe at {width} px ({language}):\n" + describe_violations(violations)
        if width == 390:  # and with the drawer open
            page.locator("#filters-toggle").click()
            wait_until(page, "document.getElementById('filters-drawer').open")
            violations = axe_violations(page)
            assert violations == [], f"axe at {width} px, drawer open ({language}):\n" + describe_violations(violations)
    finally:
        context.close()
