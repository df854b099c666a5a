"""An editor's loop in a real browser (issue 11): Add from URL → save → correct the date in the admin → run the
re-extract action → the public event page shows the corrected date and the correction note."""

import re

import pytest

from tests.browser.conftest import log_in_as_editor, wait_until
from tests.page_server import REPORT_TITLE, loopback_allowed, site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "the ministry's own page gives the 13th"


def test_editor_corrects_a_date_and_re_extraction_keeps_it(live_server, page, site, loopback_allowed, artifacts):
    from timeline.models import Article

    csp_errors = log_in_as_editor(page, live_server)

    # Add from URL, preview, save
    page.goto(live_server.url + "/admin/timeline/article/add-from-url/")
    page.locator("#id_url").fill(site.base + "/news/2023/09/12/corridor.html")
    page.locator("input[name=fetch]").click()
    wait_until(page, "document.querySelector('#preview') !== null")
    page.locator("input[name=save]").click()
    page.wait_for_url(re.compile(r"/admin/timeline/article/\d+/change/$"))
    article = Article.objects.get()
    assert article.title == REPORT_TITLE and article.date_start.isoformat() == "2023-09-12"

    # the editor corrects the date, with a reason
    page.locator("#id_date_start").fill("2023-09-13")
    page.locator("#id_date_end").fill("2023-09-13")
    page.locator("#id_change_reason").fill(REASON)
    page.locator("input[name=_continue]").click()
    page.wait_for_url(re.compile(r"/admin/timeline/article/\d+/change/$"))
    assert page.locator("input[name=locked_fields][value=date]").is_checked()  # shown as locked

    # re-extract it from the list
    page.goto(live_server.url + "/admin/timeline/article/")
    page.locator(f"input[name=_selected_action][value='{article.pk}']").check()
    page.locator("select[name=action]").select_option("reextract_articles")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    messages = page.locator(".messagelist").inner_text()
    assert "1 unchanged" in messages and "0 failed" in messages
    page.screenshot(path=str(artifacts / "reextract-action.png"), full_page=True)

    article.refresh_from_db()
    assert article.date_start.isoformat() == "2023-09-13" and article.date_method == "editor"
    assert article.machine_date["start"] == "2023-09-12"  # the machine's claim, kept beside
    # the public page: the corrected date and the correction note, without the editor's name
    page.goto(live_server.url + article.event.get_absolute_url())
    assert page.locator("time[datetime='2023-09-13']").count() >= 1
    note = page.locator("ul.corrections").inner_text()
    assert REASON in note and "editor" not in note
    page.screenshot(path=str(artifacts / "reextract-event-page.png"), full_page=True)
    assert csp_errors == []
