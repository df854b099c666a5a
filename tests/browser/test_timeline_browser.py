"""A real browser: click a topic, the list changes in place, the URL changes, Back restores it."""

import pytest

from tests.conftest import SEEDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(transactional_db):
    from timeline.ingest import article_files, ingest_file
    from timeline.reference import current_knowledge

    knowledge = current_knowledge()
    for path in article_files([SEEDS]):
        ingest_file(path, knowledge)


def event_titles(page):
    return page.locator("li.event h4").all_inner_texts()


def test_topic_click_filters_in_place_and_back_restores(live_server, page, seeded, artifacts):
    page.goto(live_server.url + "/")
    page.wait_for_function("window.htmx !== undefined")
    assert len(event_titles(page)) == 4
    page.evaluate("window.__marker = 'same page'")  # survives only if there is no full reload
    page.screenshot(path=str(artifacts / "timeline.png"), full_page=True)

    page.locator("#topic-health").check()
    page.wait_for_function("document.querySelectorAll('li.event').length === 1")
    assert page.evaluate("window.__marker") == "same page"
    assert "topic=health" in page.url
    assert page.locator("#topic-health").is_checked()

    page.go_back()
    page.wait_for_function("document.querySelectorAll('li.event').length === 4")
    assert "topic=health" not in page.url
    assert not page.locator("#topic-health").is_checked()


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
